import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSentryClient, SentryApiError, type SentryClientOptions } from "../src/index.js";

/** Two canaries: an organization token with `+`, `/` and `=`, and a user token. Each has a core found in no other text. */
const CANARIES = [
  { token: "sntrys_eyJpYXQiOjE3MDB9+Q2FuYXJ5/U3lz=_CanaryCoreSys+0123456789/abc==", core: "CanaryCoreSys" },
  { token: `sntryu_0badc0de${"c0ffee00".repeat(7)}`, core: "0badc0dec0ffee00" },
];

/**
 * Every form a server may echo the token in: as it is, percent-encoded three ways and twice (a cursor
 * that holds it encoded is encoded again when sent back), JSON-escaped two ways, form-decoded.
 */
function forms(token: string): string[] {
  const encoded = encodeURIComponent(token);
  return [
    token,
    encoded,
    encodeURIComponent(encoded),
    encoded.replaceAll("%2B", "+"),
    encoded.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase()),
    new URLSearchParams({ t: token }).toString().slice(2),
    token.replaceAll("/", "\\/"),
    token.replaceAll("+", "\\u002B"),
    token.replaceAll("+", " "),
  ];
}

/** Every channel an error is read or logged through. */
function channels(error: SentryApiError): Record<string, string> {
  return {
    message: error.message,
    stack: String(error.stack),
    "request.url": error.request.url,
    detail: `${JSON.stringify(error.detail)} ${inspect(error.detail, { depth: Number.POSITIVE_INFINITY })}`,
    "toJSON()": JSON.stringify(error.toJSON()),
    "JSON.stringify": JSON.stringify(error),
    String: String(error),
    "util.inspect": inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  };
}

/** Fails unless `error` is a SentryApiError with no form of the token, nor its core, in any channel. */
function expectNoCanary(error: unknown, { token, core }: (typeof CANARIES)[number]) {
  expect(error).toBeInstanceOf(SentryApiError);
  for (const [channel, text] of Object.entries(channels(error as SentryApiError))) {
    for (const needle of [...forms(token), core]) expect(text, `${channel} holds ${needle}`).not.toContain(needle);
  }
}

const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );

const listen = async (server: Server | NetServer) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** The token the request carried, and all its forms, in one text. */
function echoOf(request: IncomingMessage) {
  const token = (request.headers.authorization ?? "").replace("Bearer ", "");
  return { token, text: `${request.headers.authorization} ${request.url} ${forms(token).join(" ")}` };
}

/**
 * A hostile Sentry: the organization slug picks what it does, and everything it answers echoes the
 * token, in every form, in bodies, headers, Link URLs and cursors.
 */
function hostileAnswer(request: IncomingMessage, response: ServerResponse) {
  const { token, text } = echoOf(request);
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const mode = url.pathname.split("/")[4] ?? "";
  const echoHeaders = { "x-echo": text.replaceAll("\\", "/"), "www-authenticate": `xBasic realm="${token}"` };
  const status = Number(/^status-(\d+)$/.exec(mode)?.[1]);
  if (status) {
    response.writeHead(status, { "content-type": "application/json", ...echoHeaders, "retry-after": "3600" });
    response.end(JSON.stringify({ detail: text, [token]: forms(token), extra: { url: url.href } }));
  } else if (mode === "html-502") {
    response.writeHead(502, { "content-type": "text/html", ...echoHeaders });
    response.end(`<html><body><pre>${text}</pre></body></html>`);
  } else if (mode.startsWith("cut-")) {
    // The token, in one form, straddles the 8 KiB a detail keeps: its core before the cut, its end after.
    const form = forms(token)[Number(mode.slice(4))] ?? token;
    const core = CANARIES.find((canary) => canary.token === token)?.core ?? "";
    const coreEnd = form.indexOf(core) + core.length + 2;
    response.writeHead(500, { "content-type": "text/plain" });
    response.end(`${"x".repeat(8192 - coreEnd)}${form}${"y".repeat(100)}`);
  } else if (mode === "big-500") {
    response.writeHead(500, { "content-type": "application/json" });
    response.end(`{"detail": "${text.repeat(20_000)}"}`);
  } else if (mode.startsWith("broken-")) {
    response.writeHead(Number(mode.slice(7)), { "content-type": "application/json", "content-length": "100000" });
    response.write(`{"detail": "${text}`, () => response.socket?.destroy());
  } else if (mode === "not-json") {
    response.writeHead(200, { "content-type": "application/json", ...echoHeaders });
    response.end(`{"id": "${text}"`);
  } else if (mode === "wrong-shape") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ id: 2, slug: token, text }));
  } else if (mode === "too-long") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ id: "2", slug: "acme", text: text.repeat(1000) }));
  } else if (mode === "hang") {
    // Never answers.
  } else if (mode.startsWith("link-")) {
    // The first page's next cursor is the token in one form (or longer than 1 KiB, or repeating);
    // the page it leads to answers 500, echoing the cursor it got.
    if (url.searchParams.has("cursor") && mode !== "link-repeat") {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ detail: `bad cursor ${url.search} ${text}` }));
      return;
    }
    const index = Number(mode.slice(5));
    const cursor = mode === "link-long" ? `${token}${"x".repeat(1100)}` : (forms(token)[index] ?? token);
    const link =
      `<http://${token}@evil.example/?cursor=${encodeURIComponent(token)}>; rel="previous"; results="false"; cursor="${cursor}", ` +
      `<http://evil.example/${token}/?cursor=${cursor}>; rel="next"; results="true"; cursor="${cursor}"`;
    response.writeHead(200, { "content-type": "application/json", link, ...echoHeaders });
    response.end(JSON.stringify([{ id: "1", echo: text }]));
  } else {
    response.writeHead(404);
    response.end();
  }
}

describe.each(CANARIES)("the canary token $core never shows, whatever fails", (canary) => {
  let hostile: Server;
  let hostileUrl: string;
  let malformed: NetServer;
  let malformedUrl: string;
  let closedUrl: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    hostile = createServer(hostileAnswer);
    hostileUrl = await listen(hostile);
    // Answers with a header no HTTP parser takes, echoing the token: undici's HTTPParserError keeps the bytes.
    malformed = createNetServer((socket) => {
      sockets.add(socket);
      socket.once("data", (data) => {
        const authorization = /authorization: (.*)\r\n/i.exec(String(data))?.[1] ?? "";
        socket.end(`HTTP/1.1 200 OK\r\nX-Echo: ${authorization}\r\nContent-Length: ${authorization}\r\n\r\n{}`);
      });
    });
    malformedUrl = await listen(malformed);
    const closed = createServer();
    closedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
  });

  afterAll(async () => {
    hostile.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await Promise.all([
      new Promise((resolve) => hostile.close(resolve)),
      new Promise((resolve) => malformed.close(resolve)),
    ]);
  });

  const client = (options: Partial<SentryClientOptions> = {}) =>
    createSentryClient({ token: canary.token, baseUrl: hostileUrl, maxRetries: 0, ...options });

  test.each([
    ["401 echoing it in body and headers", "status-401", "authentication"],
    ["403 echoing it", "status-403", "permission"],
    ["500 echoing it", "status-500", "server"],
    ["429 echoing it, its wait beyond maxRetryDelayMs", "status-429", "rate_limit"],
    ["a proxy's HTML 502 echoing it", "html-502", "server"],
    ["an error body of 1 MB echoing it", "big-500", "server"],
    ["a 401 body that breaks off after echoing it", "broken-401", "authentication"],
    ["a 200 body that breaks off after echoing it", "broken-200", "network"],
    ["a 200 body that is not JSON and echoes it", "not-json", "invalid_response"],
    ["a 200 body that is not an organization and echoes it", "wrong-shape", "invalid_response"],
    ["a 200 body longer than maxResponseBytes that echoes it", "too-long", "invalid_response"],
  ] as const)("getOrganization: %s", async (_, mode, kind) => {
    const error = await rejectionOf(client({ maxResponseBytes: 100_000 }).getOrganization(mode));
    expect(error).toMatchObject({ kind });
    expectNoCanary(error, canary);
  });

  test.each(forms(canary.token).map((_, index) => [index]))(
    "an error body echoing it, form %i, across the 8 KiB kept of it",
    async (index) => {
      const error = await rejectionOf(client().getOrganization(`cut-${index}`));
      expect(error).toMatchObject({ kind: "server", detail: expect.stringMatching(/^x+\[REDACTED\]…\[cut\]$/) });
      expectNoCanary(error, canary);
    },
  );

  test.each(forms(canary.token).map((_, index) => [index]))(
    "a list whose Link carries it, form %i, in the URL and the cursor; the next page fails",
    async (index) => {
      const error = await rejectionOf(client().listMembers(`link-${index}`).toArray());
      expect(error).toMatchObject({ kind: "server", status: 500 });
      expectNoCanary(error, canary);
    },
  );

  test("a list whose cursor is the token and repeats", async () => {
    const error = await rejectionOf(client().listRepositories("link-repeat").toArray());
    expect(error).toMatchObject({
      kind: "invalid_response",
      message: "listRepositories: the next cursor repeats; stopping",
    });
    expectNoCanary(error, canary);
  });

  test("a list whose cursor holds it and is longer than 1 KiB", async () => {
    const error = await rejectionOf(client().listMembers("link-long").toArray());
    expect(error).toMatchObject({ kind: "invalid_response" });
    expectNoCanary(error, canary);
  });

  test("a malformed answer echoing it (undici's HTTPParserError holds the raw bytes)", async () => {
    const error = await rejectionOf(client({ baseUrl: malformedUrl }).getOrganization("acme"));
    expect(error).toMatchObject({ kind: "network", status: 0 });
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).toContain("HPE_INVALID_CONTENT_LENGTH");
    expectNoCanary(error, canary);
  });

  test("a refused connection", async () => {
    const error = await rejectionOf(client({ baseUrl: closedUrl }).getOrganization("acme"));
    expect(error).toMatchObject({ kind: "network", status: 0 });
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).toContain("ECONNREFUSED");
    expectNoCanary(error, canary);
  });

  test("a DNS failure whose message quotes the request's Authorization header", async () => {
    // Shaped as undici's; injected, so that no name is looked up.
    const fetch = async (request: Request) => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(
          new Error(`getaddrinfo ENOTFOUND sentry.invalid (${request.headers.get("authorization")})`),
          { code: "ENOTFOUND", syscall: "getaddrinfo", hostname: "sentry.invalid" },
        ),
      });
    };
    const error = await rejectionOf(client({ baseUrl: "https://sentry.invalid", fetch }).getOrganization("acme"));
    expect(error).toMatchObject({ kind: "network", cause: { cause: { code: "ENOTFOUND" } } });
    expectNoCanary(error, canary);
  });

  test("a timeout", async () => {
    const error = await rejectionOf(client({ timeoutMs: 50 }).getOrganization("hang"));
    expect(error).toMatchObject({ kind: "timeout" });
    expectNoCanary(error, canary);
  });
});
