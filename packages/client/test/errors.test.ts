import { afterEach, describe, expect, test, vi } from "vitest";
import { createSentryClient, SentryApiError, type SentryClientOptions } from "../src/index.js";
import { apiError, json, LAST_PAGE_LINK, ORG_URL, rejection, reply, stubFetch } from "./stub-fetch.js";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const client = (fetch: SentryClientOptions["fetch"], options: Partial<SentryClientOptions> = {}) =>
  createSentryClient({ token: "test-token", fetch, maxRetries: 0, ...options });

const MEMBERS_URL = `${ORG_URL}members/`;
const RESET = 1_900_000_000;
const RATE_LIMIT_HEADERS = {
  "x-sentry-rate-limit-limit": "40",
  "x-sentry-rate-limit-remaining": "0",
  "x-sentry-rate-limit-reset": String(RESET),
  "x-sentry-rate-limit-concurrentlimit": "25",
  "x-sentry-rate-limit-concurrentremaining": "24",
};

describe("the kind follows the status", () => {
  test.each([
    [401, "authentication", "Invalid token"],
    [403, "permission", "You do not have permission to perform this action."],
    [404, "not_found", "The requested resource does not exist"],
    [429, "rate_limit", "Slow down"],
    [500, "server", "Internal Error"],
    [503, "server", "Service unavailable"],
    [418, "http", "I'm a teapot"],
    [400, "http", "Invalid per_page value. Cannot exceed 100."],
  ] as const)("%i gives %s, with status, detail, message and request", async (status, kind, detail) => {
    const { fetch } = stubFetch((request) => json(request, { detail, errorId: "e1" }, { status }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.detail).toBe(detail);
    expect(error.message).toBe(`getOrganization failed with ${status}: ${detail}`);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
    expect(error.rateLimit).toBeUndefined();
    expect(error.retryAt).toBeUndefined();
  });

  test("a list's error names its operation and carries the page's URL, query included", async () => {
    const { fetch } = stubFetch((request) => json(request, { detail: "Invalid cursor parameter." }, { status: 400 }));
    const error = await apiError(client(fetch).listMembers("acme", { perPage: 10, cursor: "x:y" }).toArray());
    expect(error.message).toBe("listMembers failed with 400: Invalid cursor parameter.");
    expect(error.request).toEqual({ method: "GET", url: `${MEMBERS_URL}?per_page=10&cursor=x%3Ay` });
  });
});

describe("detail", () => {
  test("Sentry's object form {code, message, extra} is kept as an object", async () => {
    const detail = { code: "sso-required", message: "Must login via SSO", extra: { loginUrl: "https://sentry.io/x/" } };
    const { fetch } = stubFetch((request) => json(request, { detail }, { status: 401 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("authentication");
    expect(error.detail).toEqual(detail);
    expect(error.message).toBe(
      'getOrganization failed with 401: {"code":"sso-required","message":"Must login via SSO",' +
        '"extra":{"loginUrl":"https://sentry.io/x/"}}',
    );
  });

  test("a 429's bare JSON string served as text/html is the detail", async () => {
    const text = "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds";
    const { fetch } = stubFetch((request) =>
      reply(request, JSON.stringify(text), {
        status: 429,
        headers: { "content-type": "text/html; charset=utf-8", ...RATE_LIMIT_HEADERS },
      }),
    );
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.kind).toBe("rate_limit");
    expect(error.detail).toBe(text);
    expect(error.message).toBe(`listMembers failed with 429: ${text}`);
    expect(error.request).toEqual({ method: "GET", url: MEMBERS_URL });
  });

  test("a JSON null body is the detail null, not the text", async () => {
    const { fetch } = stubFetch((request) => json(request, null, { status: 500 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.detail).toBeNull();
  });

  test("a body of exactly 8192 bytes is read as JSON; one byte more is cut text", async () => {
    const body = (length: number) => JSON.stringify({ detail: "x".repeat(length - '{"detail":""}'.length) });
    const answer = (length: number) => (request: Request) =>
      reply(request, body(length), { status: 500, headers: { "content-type": "application/json" } });
    const whole = await apiError(client(stubFetch(answer(8192)).fetch).getOrganization("acme"));
    expect(whole.detail).toBe("x".repeat(8192 - 13));
    const cut = await apiError(client(stubFetch(answer(8193)).fetch).getOrganization("acme"));
    expect(cut.detail).toBe(`${body(8193).slice(0, 8192)}…[cut]`);
  });

  test("a detail nested deeper than 32 levels is kept as text", async () => {
    const nested = `${'{"a":'.repeat(40)}1${"}".repeat(40)}`;
    const { fetch } = stubFetch((request) =>
      reply(request, `{"detail":${nested}}`, { status: 500, headers: { "content-type": "application/json" } }),
    );
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.detail).toBe(`{"detail":${nested}}`);
  });

  test("an error answer whose Content-Length is over the limit and that has no body", async () => {
    const { fetch } = stubFetch((request) =>
      reply(request, null, { status: 503, headers: { "content-length": "99999999999" } }),
    );
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("server");
    expect(error.message).toBe("getOrganization failed with 503");
  });

  test("an HTML 502 page gives the status and a short, one-line excerpt", async () => {
    const page =
      "<!DOCTYPE html>\n<html>\n<head>\n  <title>502 Bad Gateway</title>\n</head>\n<body>\n" +
      "  <p>The upstream server did not answer in time.</p>\n".repeat(10) +
      "</body>\n</html>\n";
    const { fetch } = stubFetch((request) =>
      reply(request, page, { status: 502, headers: { "content-type": "text/html" } }),
    );
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("server");
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      "getOrganization failed with 502: <!DOCTYPE html> <html> <head> <title>502 Bad Gateway</title> </head> <body> " +
        "<p>The upstream server did not answer in time.</p> ".repeat(3) +
        "<p>The upstream server did not answer",
    );
    expect(error.message).toHaveLength(299);
    expect(error.detail).toBe(page);
  });
});

describe("rateLimit and retryAt", () => {
  test("rateLimit is read from the X-Sentry-Rate-Limit-* headers; a 429's retryAt is the reset", async () => {
    const { fetch } = stubFetch((request) => json(request, "slow down", { status: 429, headers: RATE_LIMIT_HEADERS }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.rateLimit).toEqual({
      limit: 40,
      remaining: 0,
      reset: RESET,
      concurrentLimit: 25,
      concurrentRemaining: 24,
    });
    expect(error.retryAt).toEqual(new Date(RESET * 1000));
  });

  test("without the concurrent headers, rateLimit has the other three", async () => {
    const headers = {
      "x-sentry-rate-limit-limit": "40",
      "x-sentry-rate-limit-remaining": "3",
      "x-sentry-rate-limit-reset": String(RESET),
    };
    const { fetch } = stubFetch((request) => json(request, { detail: "no" }, { status: 403, headers }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.rateLimit).toStrictEqual({ limit: 40, remaining: 3, reset: RESET });
    expect(error.retryAt).toBeUndefined();
  });

  test("a missing or non-integer header means no rateLimit (self-hosted sends none)", async () => {
    const headers = { "x-sentry-rate-limit-limit": "40", "x-sentry-rate-limit-remaining": "1.5" };
    const { fetch } = stubFetch((request) => json(request, { detail: "no" }, { status: 404, headers }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.rateLimit).toBeUndefined();
  });
});

describe("a 2xx that is not JSON", () => {
  test.each([
    ["malformed JSON", '{"id": "2", '],
    ["an HTML page", "<html><body>Welcome</body></html>"],
    ["an empty body", ""],
  ])("%s is kind invalid_response naming the operation, not a SyntaxError", async (_, body) => {
    const { fetch } = stubFetch((request) => reply(request, body, { status: 200 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("getOrganization: 200 body is not JSON");
    expect(error.status).toBe(200);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
  });

  test("on a list page, the message names the list operation", async () => {
    const { fetch } = stubFetch((request) => reply(request, "[{", { status: 200 }));
    const error = await apiError(client(fetch).listRepositories("acme").toArray());
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("listRepositories: 200 body is not JSON");
    expect(error.request).toEqual({ method: "GET", url: `${ORG_URL}repos/` });
  });
});

describe("SentryApiError", () => {
  test("is an Error and a SentryApiError, named SentryApiError", async () => {
    const { fetch } = stubFetch((request) => json(request, { detail: "gone" }, { status: 404 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error).toBeInstanceOf(SentryApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SentryApiError");
    expect(String(error)).toBe("SentryApiError: getOrganization failed with 404: gone");
  });

  test("toJSON() has the fields and the message, never the stack or the cause", async () => {
    const { fetch } = stubFetch((request) => json(request, "slow down", { status: 429, headers: RATE_LIMIT_HEADERS }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.toJSON()).toStrictEqual({
      name: "SentryApiError",
      kind: "rate_limit",
      status: 429,
      detail: "slow down",
      request: { method: "GET", url: ORG_URL },
      rateLimit: { limit: 40, remaining: 0, reset: RESET, concurrentLimit: 25, concurrentRemaining: 24 },
      retryAt: new Date(RESET * 1000),
      message: "getOrganization failed with 429: slow down",
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "SentryApiError",
      kind: "rate_limit",
      status: 429,
      detail: "slow down",
      request: { method: "GET", url: ORG_URL },
      rateLimit: { limit: 40, remaining: 0, reset: RESET, concurrentLimit: 25, concurrentRemaining: 24 },
      retryAt: new Date(RESET * 1000).toISOString(),
      message: "getOrganization failed with 429: slow down",
    });
  });

  test("a network error's toJSON() leaves out the cause; the error keeps a copy of it: name, message, code", async () => {
    const cause = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED", port: 443 }),
    });
    const { fetch } = stubFetch(() => Promise.reject(cause));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.cause).not.toBe(cause);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
    const inner = (error.cause as Error).cause;
    expect(inner).toMatchObject({ name: "Error", message: "connect ECONNREFUSED 127.0.0.1:443", code: "ECONNREFUSED" });
    expect(inner).not.toHaveProperty("port");
    expect(Object.keys(error.toJSON()).sort()).toEqual(
      ["detail", "kind", "message", "name", "rateLimit", "request", "retryAt", "status"].sort(),
    );
    expect(JSON.stringify(error)).not.toContain("cause");
    expect(JSON.stringify(error)).not.toContain("stack");
  });

  test("a timeout while the body is read still carries the request's URL", async () => {
    vi.useFakeTimers();
    const { fetch } = stubFetch(
      (request) =>
        new Response(
          new ReadableStream({
            start(controller) {
              request.signal.addEventListener("abort", () => controller.error(request.signal.reason));
            },
          }),
        ),
    );
    const pending = apiError(client(fetch, { timeoutMs: 1000 }).getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(1000);
    const error = await pending;
    expect(error.kind).toBe("timeout");
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
  });
});

describe("a 2xx body that breaks off", () => {
  test("is a network error naming the operation and the status, with the URL", async () => {
    const { fetch } = stubFetch((request) =>
      reply(
        request,
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id": "2", "sl'));
            controller.error(new TypeError("terminated"));
          },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      ),
    );
    const error = await apiError(createSentryClient({ token: "test-token", fetch }).getOrganization("acme"));
    expect(error.kind).toBe("network");
    expect(error.message).toBe("getOrganization: the 200 answer broke off: TypeError: terminated");
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
    expect(error.cause).toMatchObject({ name: "TypeError", message: "terminated" });
  });
});

/** A body that sends `chunks`, then fails with `error`: a connection that broke off. */
function brokenBody(chunks: string[], error = new TypeError("terminated")) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.error(error);
    },
  });
}

/** A body that never ends, one chunk per read: `pulled()` is how many bytes were taken from it. */
function endlessBody(chunk = "x".repeat(65_536)) {
  const bytes = new TextEncoder().encode(chunk);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulled += bytes.byteLength;
        controller.enqueue(bytes);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe("a non-2xx is its status's kind, however its body fails", () => {
  test.each([
    [401, "authentication"],
    [403, "permission"],
    [404, "not_found"],
    [429, "rate_limit"],
    [500, "server"],
    [502, "server"],
  ] as const)("a %i body that breaks off: %s, no detail, a copy of the read error as cause", async (status, kind) => {
    const { fetch } = stubFetch((request) => reply(request, brokenBody(['{"detail": "Inv']), { status }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.detail).toBeUndefined();
    expect(error.message).toBe(`getOrganization failed with ${status}, and its body broke off: TypeError: terminated`);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
    expect(error.cause).toMatchObject({ name: "TypeError", message: "terminated" });
  });

  test("a body longer than 8 KiB: detail is its first 8 KiB, marked as cut, and the rest is never read", async () => {
    const { stream, state } = endlessBody();
    const { fetch } = stubFetch((request) => reply(request, stream, { status: 500 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("server");
    expect(error.detail).toBe(`${"x".repeat(8192)}…[cut]`);
    const start = "getOrganization failed with 500: ";
    expect(error.message).toBe(`${start}${"x".repeat(300 - start.length)}`);
    expect(state.pulled).toBe(65_536);
    expect(state.cancelled).toBe(true);
  });

  test("a cut falls between characters: a character split by the 8 KiB mark is left out", async () => {
    const body = `${"x".repeat(8191)}é${"y".repeat(10_000)}`;
    const { fetch } = stubFetch((request) => reply(request, body, { status: 500 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.detail).toBe(`${"x".repeat(8191)}…[cut]`);
  });

  test("a 100,000-deep JSON error body: the status's kind, its start as detail", async () => {
    const body = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const { fetch } = stubFetch((request) => reply(request, body, { status: 400 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("http");
    expect(error.detail).toBe(`${"[".repeat(8192)}…[cut]`);
  });

  test("a JSON error body nested deeper than 32 levels, within 8 KiB, is kept as its text", async () => {
    const body = `{"detail": ${"[".repeat(40)}${"]".repeat(40)}}`;
    const { fetch } = stubFetch((request) => reply(request, body, { status: 403 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("permission");
    expect(error.detail).toBe(body);
  });

  test("an empty error body: no detail, and the message is the status", async () => {
    const { fetch } = stubFetch((request) => reply(request, null, { status: 500 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.detail).toBeUndefined();
    expect(error.message).toBe("getOrganization failed with 500");
  });

  test("a timeout while an error body is read: still the status's kind, the timeout in the message", async () => {
    vi.useFakeTimers();
    const { fetch } = stubFetch((request) =>
      reply(
        request,
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"detail": "Serv'));
            request.signal.addEventListener("abort", () => controller.error(request.signal.reason));
          },
        }),
        { status: 503 },
      ),
    );
    const pending = apiError(client(fetch, { timeoutMs: 1000 }).getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(1000);
    const error = await pending;
    expect(error.kind).toBe("server");
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      `getOrganization failed with 503, and its body broke off: SentryApiError: GET ${ORG_URL}: no answer in 1000 ms`,
    );
    expect(error.cause).toMatchObject({ name: "SentryApiError", message: `GET ${ORG_URL}: no answer in 1000 ms` });
  });

  test("the caller's abort while an error body is read rejects with the abort reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const { fetch } = stubFetch((request) =>
      reply(
        request,
        new ReadableStream({
          start(stream) {
            stream.enqueue(new TextEncoder().encode("{"));
            request.signal.addEventListener("abort", () => stream.error(request.signal.reason));
            controller.abort(reason);
          },
        }),
        { status: 500 },
      ),
    );
    const error = await rejection(client(fetch).getOrganization("acme", { signal: controller.signal }));
    expect(error).toBe(reason);
  });

  test("a fetch that resolves to something other than a Response: network, status 0", async () => {
    const fetch = async () => undefined as unknown as Response;
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("network");
    expect(error.status).toBe(0);
    expect(error.message.startsWith("getOrganization: TypeError: ")).toBe(true);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
  });
});

describe("a 2xx body longer than maxResponseBytes", () => {
  test("with a Content-Length above the limit: invalid_response, and the body is not read", async () => {
    const { stream, state } = endlessBody();
    const { fetch } = stubFetch((request) => reply(request, stream, { headers: { "content-length": "2048" } }));
    const error = await apiError(client(fetch, { maxResponseBytes: 1024 }).getOrganization("acme"));
    expect(error.kind).toBe("invalid_response");
    expect(error.status).toBe(200);
    expect(error.message).toBe("getOrganization: 200 body is longer than maxResponseBytes (1024)");
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
    expect(state.pulled).toBe(0);
    expect(state.cancelled).toBe(true);
  });

  test("with a Content-Length above the limit and no body at all: the same invalid_response", async () => {
    const { fetch } = stubFetch((request) => reply(request, null, { headers: { "content-length": "2048" } }));
    const error = await apiError(client(fetch, { maxResponseBytes: 1024 }).getOrganization("acme"));
    expect(error.message).toBe("getOrganization: 200 body is longer than maxResponseBytes (1024)");
  });

  test("streamed without a Content-Length: stopped once the limit is passed", async () => {
    const { stream, state } = endlessBody();
    const { fetch } = stubFetch((request) => reply(request, stream));
    const error = await apiError(client(fetch, { maxResponseBytes: 200_000 }).listMembers("acme").toArray());
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("listMembers: 200 body is longer than maxResponseBytes (200000)");
    expect(state.pulled).toBe(4 * 65_536);
    expect(state.cancelled).toBe(true);
  });

  test("a body of exactly maxResponseBytes is read", async () => {
    const body = JSON.stringify({ id: "2", slug: "acme", name: "" });
    const padded = body.replace('""', `"${"n".repeat(1024 - body.length)}"`);
    expect(padded).toHaveLength(1024);
    const { fetch } = stubFetch((request) => reply(request, padded));
    expect(await client(fetch, { maxResponseBytes: 1024 }).getOrganization("acme")).toEqual(JSON.parse(padded));
    const error = await apiError(client(fetch, { maxResponseBytes: 1023 }).getOrganization("acme"));
    expect(error.message).toBe("getOrganization: 200 body is longer than maxResponseBytes (1023)");
  });
});

describe("a 2xx that is JSON but not the documented shape", () => {
  test.each([
    ["null", null],
    ["a number", 42],
    ["a string", "acme"],
    ["an array", [{ id: "2", slug: "acme" }]],
    ["an id that is a number", { id: 2, slug: "acme" }],
    ["no slug", { id: "2", name: "Acme" }],
    ["no id", { slug: "acme" }],
  ])("getOrganization: %s is invalid_response", async (_, body) => {
    const { fetch } = stubFetch((request) => json(request, body));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("getOrganization: 200 body is not an organization (an object with string id and slug)");
    expect(error.status).toBe(200);
  });

  test.each([
    ["an object", { detail: "no" }],
    ["null", null],
    ["a string", "members"],
  ])("a list page that is %s is invalid_response", async (_, body) => {
    const { fetch } = stubFetch((request) => json(request, body, { headers: { link: LAST_PAGE_LINK } }));
    const error = await apiError(client(fetch).listRepositories("acme").toArray());
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("listRepositories: 200 body is not a list");
  });

  test("a 2xx body nested 100,000 deep is returned as it is", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const { fetch } = stubFetch((request) => reply(request, `{"id":"2","slug":"acme","deep":${deep}}`));
    const organization = await client(fetch).getOrganization("acme");
    expect(organization).toMatchObject({ id: "2", slug: "acme" });
  });
});
