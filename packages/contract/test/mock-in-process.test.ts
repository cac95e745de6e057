import { inspect } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  createMockSentry,
  createValidator,
  type MockSentry,
  type MockSentryOptions,
  parseLinkHeader,
  startMockServer,
} from "../src/index.js";

const ORG = "/api/0/organizations/acme/";
const MEMBERS = "/api/0/organizations/acme/members/";

const validator = createValidator();
const bearer = (mock: { token: string }) => ({ authorization: `Bearer ${mock.token}` });

/** The reason a promise rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).toHaveProperty("error");
  return (outcome as { error: unknown }).error;
}

/** What `fetch` rejects with on a network failure: a `TypeError("fetch failed")` whose cause says why. */
async function expectNetworkError(promise: Promise<unknown>, cause: string) {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(TypeError);
  expect((error as TypeError).message).toBe("fetch failed");
  expect(((error as TypeError).cause as Error).message).toBe(cause);
  return error as TypeError;
}

describe("the mock in process, where it differs from a socket", () => {
  let mock: MockSentry;
  afterEach(async () => {
    vi.useRealTimers();
    await mock?.close();
  });

  test("handle() answers any origin, and builds Link URLs on the origin the request was sent to", async () => {
    mock = createMockSentry({ members: 30 });
    for (const origin of ["https://acme.sentry.io", "http://localhost:4010", "https://sentry.io"]) {
      const url = `${origin}${MEMBERS}?per_page=7`;
      const response = await mock.handle(new Request(url, { headers: bearer(mock) }));
      const body = await response.text();
      expect(response.status).toBe(200);
      const origins = parseLinkHeader(response.headers.get("link") ?? "").map((link) => new URL(link.url).origin);
      expect(origins).toEqual([origin, origin]);
      const { status, headers } = response;
      expect(validator.validateResponse({ method: "GET", url, status, headers, body }).violations).toEqual([]);
    }
  });

  test("handle() links a request on a URL with no origin (not http or https) to baseUrl", async () => {
    mock = createMockSentry({ members: 30 });
    const response = await mock.handle(new Request(`sentry://acme${MEMBERS}?per_page=7`, { headers: bearer(mock) }));
    expect(response.status).toBe(200);
    const origins = parseLinkHeader(response.headers.get("link") ?? "").map((link) => new URL(link.url).origin);
    expect(origins).toEqual(["https://sentry.io", "https://sentry.io"]);
  });

  test("fetch() answers only its baseUrl, and rejects another origin as a network failure, token unsaid", async () => {
    mock = createMockSentry({ members: 3 });
    const error = await expectNetworkError(
      mock.fetch(`https://acme.sentry.io${ORG}`, { headers: bearer(mock) }),
      "the mock Sentry answers only https://sentry.io, not https://acme.sentry.io",
    );
    expect(inspect(error, { depth: 5 })).not.toContain(mock.token);
    expect((await mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) })).status).toBe(200);
  });

  test("baseUrl: the mock stands for that origin, links to it, and refuses sentry.io", async () => {
    mock = createMockSentry({ members: 30, baseUrl: "http://sentry.internal:9000/" });
    expect(mock.baseUrl).toBe("http://sentry.internal:9000");
    const response = await mock.fetch(`${mock.baseUrl}${MEMBERS}?per_page=7`, { headers: bearer(mock) });
    expect(response.status).toBe(200);
    expect(response.headers.get("link")).toContain(`<http://sentry.internal:9000${MEMBERS}?per_page=7&cursor=`);
    await expectNetworkError(
      mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) }),
      "the mock Sentry answers only http://sentry.internal:9000, not https://sentry.io",
    );
  });

  test.each([
    "sentry.io",
    "ftp://sentry.io",
    "https://sentry.io/api/0",
    "https://sentry.io/?region=us",
    "https://sentry.io/#top",
    "https://user:sntrys_secret@sentry.io",
  ])("baseUrl %j throws a RangeError that does not repeat it", (baseUrl) => {
    const message =
      "baseUrl must be an http or https origin such as https://sentry.io, without a path, query, fragment or credentials";
    expect(() => createMockSentry({ baseUrl })).toThrow(new RangeError(message));
  });

  test("options that are not an object throw a TypeError at once, before any socket check", () => {
    // Deliberately ill-typed: what a JavaScript caller can pass.
    const misuse = () => createMockSentry(null as unknown as MockSentryOptions);
    expect(misuse).toThrow(new TypeError("options must be an object, got null"));
    expect(misuse).toThrow(TypeError);
  });

  test.each(["port", "host"])("%s, an option of startMockServer, throws a TypeError", (name) => {
    expect(() => createMockSentry({ [name]: name === "port" ? 4010 : "127.0.0.1" })).toThrow(
      new TypeError(`${name} is an option of startMockServer: the mock in process opens no socket`),
    );
  });

  test("reset: handle() resolves a network-error Response, fetch() rejects as undici does", async () => {
    mock = createMockSentry({ members: 3 });
    mock.injectFault({ type: "reset" }, { times: 2 });
    const dropped = await mock.handle(new Request(`https://sentry.io${ORG}`, { headers: bearer(mock) }));
    expect(dropped.type).toBe("error");
    expect(dropped.status).toBe(0);
    await expectNetworkError(
      mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) }),
      "the mock Sentry closed the connection without an answer (a reset fault)",
    );
    expect((await mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) })).status).toBe(200);
  });

  test("an abort while latency holds the answer back rejects with the signal's reason, and clears the timer", async () => {
    vi.useFakeTimers();
    mock = createMockSentry({ members: 3 });
    mock.injectFault({ type: "latency", ms: 60_000 }, { times: 2 });
    for (const call of [
      (signal: AbortSignal) => mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock), signal }),
      (signal: AbortSignal) => mock.handle(new Request(`https://sentry.io${ORG}`, { headers: bearer(mock), signal })),
    ]) {
      const controller = new AbortController();
      const pending = call(controller.signal);
      expect(vi.getTimerCount(), "the answer held back on a timer").toBe(1);
      const reason = new Error("the caller gave up");
      controller.abort(reason);
      expect(await rejectionOf(pending)).toBe(reason);
      expect(vi.getTimerCount(), "timers left").toBe(0);
    }
  });

  test("an aborted signal rejects before the mock sees the request, so no fault is used up", async () => {
    mock = createMockSentry({ members: 3 });
    mock.injectFault({ type: "status", status: 500 });
    const reason = new Error("already gone");
    const signal = AbortSignal.abort(reason);
    expect(await rejectionOf(mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock), signal }))).toBe(reason);
    expect((await mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) })).status).toBe(500);
  });

  test("close() cuts off an answer held back by latency; afterwards every request fails as on a closed connection", async () => {
    vi.useFakeTimers();
    mock = createMockSentry({ members: 3 });
    mock.injectFault({ type: "latency", ms: 60_000 }, { times: 2 });
    const fetched = mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) });
    const handled = mock.handle(new Request(`https://sentry.io${ORG}`, { headers: bearer(mock) }));
    await mock.close();
    expect(vi.getTimerCount()).toBe(0);
    await expectNetworkError(fetched, "the mock Sentry is closed");
    expect((await handled).type).toBe("error");
    await expectNetworkError(
      mock.fetch(`https://sentry.io${ORG}`, { headers: bearer(mock) }),
      "the mock Sentry is closed",
    );
    expect((await mock.handle(new Request(`https://sentry.io${ORG}`))).type).toBe("error");
  });
});

describe("both transports give the same answers", () => {
  /** An answer with what only a socket adds left out, and the origin in Link replaced by `<origin>`. */
  async function comparable(response: Response, origin: string) {
    const headers = Object.fromEntries(
      [...response.headers]
        .filter(([name]) => !["date", "connection", "keep-alive"].includes(name))
        .map(([name, value]) => [name, value.replaceAll(origin, "<origin>")]),
    );
    return { status: response.status, headers, body: await response.text() };
  }

  test("every status, header and body byte, faults included", async () => {
    // One clock reading for both, so that their rate-limit windows, and so the headers, are the same.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 0, 1) });
    const options = { members: 30, tokens: { "org-read-only-token": ["org:read"] } };
    const server = await startMockServer(options);
    const mock = createMockSentry(options);
    const requests: [string, RequestInit, Parameters<MockSentry["injectFault"]>[0]?][] = [
      [`${MEMBERS}?per_page=7&cursor=7:1:0&query=jane`, { headers: bearer(mock) }],
      [`${ORG}?detailed=0`, { headers: bearer(mock) }],
      ["/api/0/organizations/acme/repos/?per_page=5", { headers: bearer(mock) }],
      [`${MEMBERS}?per_page=0`, { headers: bearer(mock) }],
      [MEMBERS, { headers: { authorization: "Bearer org-read-only-token" } }],
      [ORG, {}],
      [ORG, { method: "POST", headers: bearer(mock) }],
      ["/api/0/organizations/nope/", { headers: bearer(mock) }],
      ["/api/0/teams/", { headers: bearer(mock) }],
      [ORG, { method: "HEAD", headers: bearer(mock) }],
      [MEMBERS, { headers: bearer(mock) }, { type: "status", status: 429, retryAfter: "3" }],
      [MEMBERS, { headers: bearer(mock) }, { type: "truncated-json" }],
      [MEMBERS, { headers: bearer(mock) }, { type: "foreign-next-link", origin: "https://acme.sentry.io" }],
      [ORG, { headers: bearer(mock) }, { type: "html" }],
      [ORG, { headers: bearer(mock) }, { type: "html", status: 599 }],
    ];
    try {
      for (const [path, init, fault] of requests) {
        if (fault) {
          server.injectFault(fault);
          mock.injectFault(fault);
        }
        const overHttp = await comparable(await fetch(`${server.url}${path}`, init), server.url);
        const inProcess = await comparable(await mock.fetch(`${mock.baseUrl}${path}`, init), mock.baseUrl);
        expect(inProcess, `${init.method ?? "GET"} ${path} ${JSON.stringify(fault)}`).toEqual(overHttp);
      }
    } finally {
      vi.useRealTimers();
      await Promise.all([server.close(), mock.close()]);
    }
  });
});
