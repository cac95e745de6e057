import { inspect } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createSentryClient, type SentryClientOptions } from "../src/index.js";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";
import { createRedactor, scrubbedCopy } from "../src/redaction.js";
import { apiError, hang, json, ORG_URL, rejection, reply, stubFetch } from "./stub-fetch.js";

const TOKEN = "sntrys_eyJpYXQiOjE3MDAwMDAwMDB9_RedactMeIfYouCan_0123456789abcdef";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const client = (fetch: SentryClientOptions["fetch"], options: Partial<SentryClientOptions> = {}) =>
  createSentryClient({ token: TOKEN, fetch, maxRetries: 0, ...options });

/** Every way an error is commonly logged. */
function renderings(error: unknown): Record<string, string> {
  const e = error as Error;
  return {
    message: e.message,
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: 10, showHidden: true }),
    stack: String(e.stack),
    string: String(e),
  };
}

function expectNoToken(error: unknown, secret = TOKEN) {
  for (const [where, text] of Object.entries(renderings(error))) expect(text, where).not.toContain(secret);
}

describe("the token never appears in an error", () => {
  test("a detail string that echoes it", async () => {
    const { fetch } = stubFetch((request) => json(request, { detail: `Invalid token ${TOKEN}` }, { status: 401 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expectNoToken(error);
    expect(error.detail).toBe("Invalid token [REDACTED]");
    expect(error.message).toBe("getOrganization failed with 401: Invalid token [REDACTED]");
  });

  test("a detail that echoes the Authorization header in base64, and a cause that holds it as Basic", async () => {
    const bearer = btoa(`Bearer ${TOKEN}`);
    const { fetch } = stubFetch((request) => json(request, { detail: `Invalid header ${bearer}` }, { status: 401 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.message).toBe("getOrganization failed with 401: Invalid header QmVhcmVyIH[REDACTED]");
    // What is left holds "Bearer " and the top four bits of the token's first byte: no more of it.
    expectNoToken(error, bearer.slice("QmVhcmVyIH".length));
    const basic = btoa(`user:${TOKEN}`);
    const failing = stubFetch(() =>
      Promise.reject(new TypeError("fetch failed", { cause: new Error(`Basic ${basic}`) })),
    );
    const networkError = await apiError(client(failing.fetch).getOrganization("acme"));
    expect(networkError.cause).toMatchObject({ cause: { message: "Basic dXNlcjp[REDACTED]" } });
    expectNoToken(networkError, basic.slice("dXNlcjp".length));
  });

  test("a detail object that echoes it, nested", async () => {
    const detail = { code: "bad-token", message: `Token ${TOKEN} revoked`, extra: { token: TOKEN, seen: [TOKEN] } };
    const { fetch } = stubFetch((request) => json(request, { detail }, { status: 403 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expectNoToken(error);
    expect(error.detail).toEqual({
      code: "bad-token",
      message: "Token [REDACTED] revoked",
      extra: { token: "[REDACTED]", seen: ["[REDACTED]"] },
    });
  });

  test("a 429's bare string and an HTML page that echo it", async () => {
    for (const [status, body] of [
      [429, JSON.stringify(`Too many requests for ${TOKEN}`)],
      [502, `<html><body><pre>Authorization: Bearer ${TOKEN}</pre></body></html>`],
    ] as const) {
      const { fetch } = stubFetch((request) =>
        reply(request, body, { status, headers: { "content-type": "text/html; charset=utf-8" } }),
      );
      const error = await apiError(client(fetch).listMembers("acme").toArray());
      expectNoToken(error);
      expect(error.message).toContain("[REDACTED]");
    }
  });

  // The message is cut to 300 characters: scrubbing after the cut would leave the token's first part.
  test("a detail that echoes it across the 300-character cut of the message", async () => {
    const detail = `${"x".repeat(250)} ${TOKEN}`;
    const { fetch } = stubFetch((request) => json(request, { detail }, { status: 401 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.detail).toBe(`${"x".repeat(250)} [REDACTED]`);
    expectNoToken(error, TOKEN.slice(0, 16));
  });

  test("a network error", async () => {
    const cause = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:443") });
    const { fetch } = stubFetch(() => Promise.reject(cause));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("network");
    expect(renderings(error).inspect).toContain("ECONNREFUSED");
    expectNoToken(error);
  });

  test("a network error whose message quotes the request's headers", async () => {
    const { fetch } = stubFetch((request) =>
      Promise.reject(new TypeError(`no route for GET ${request.url} {authorization: "Bearer ${TOKEN}"}`)),
    );
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("network");
    expectNoToken(error);
  });

  test("a network error whose cause, two levels down, quotes it", async () => {
    const { fetch } = stubFetch(() =>
      Promise.reject(
        new TypeError("fetch failed", { cause: new Error("socket", { cause: new Error(`Bearer ${TOKEN}`) }) }),
      ),
    );
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("network");
    expect(error.cause).toMatchObject({
      name: "TypeError",
      message: "fetch failed",
      cause: { name: "Error", message: "socket", cause: { name: "Error", message: "Bearer [REDACTED]" } },
    });
    expectNoToken(error);
  });

  test("a cause that holds what the server sent is kept only as a copy of its name, message and code", async () => {
    // As undici's HTTPParserError does for a malformed answer: the raw bytes in `data`.
    const parserError = Object.assign(new Error("Response does not match the HTTP/1.1 protocol (Invalid header)"), {
      name: "HTTPParserError",
      code: "HPE_INVALID_HEADER_TOKEN",
      data: `X-Echo: Bearer ${TOKEN}\r\n`,
    });
    const { fetch } = stubFetch(() => Promise.reject(new TypeError("fetch failed", { cause: parserError })));
    const error = await apiError(client(fetch).getOrganization("acme"));
    const copy = (error.cause as Error).cause as Error & { code?: string };
    expect(copy).not.toBe(parserError);
    expect(Object.keys(copy).sort()).toEqual(["code", "name"]);
    expect(copy).toMatchObject({ name: "HTTPParserError", code: "HPE_INVALID_HEADER_TOKEN" });
    expect(copy.message).toBe("Response does not match the HTTP/1.1 protocol (Invalid header)");
    expect(copy.stack).toBe(`HTTPParserError: ${copy.message}`);
    expectNoToken(error);
  });

  test("a repeating cursor that echoes it", async () => {
    const link = `<https://sentry.io/x/>; rel="previous"; results="false"; cursor="x", <https://sentry.io/x/>; rel="next"; results="true"; cursor="${TOKEN}"`;
    const { fetch } = stubFetch((request) => json(request, [{ id: "1" }], { headers: { link } }));
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.kind).toBe("invalid_response");
    expectNoToken(error);
  });

  test("a timeout", async () => {
    vi.useFakeTimers();
    const { fetch } = stubFetch(hang);
    const pending = apiError(client(fetch, { timeoutMs: 1000 }).getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(1000);
    const error = await pending;
    expect(error.kind).toBe("timeout");
    expectNoToken(error);
  });

  test("a 2xx body that is malformed JSON and echoes it", async () => {
    const { fetch } = stubFetch((request) => reply(request, `{"token": "${TOKEN}"`, { status: 200 }));
    const error = await apiError(client(fetch).getOrganization("acme"));
    expect(error.kind).toBe("invalid_response");
    expectNoToken(error);
  });

  test("a token that is not a valid header value is refused without being shown", async () => {
    const token = `${TOKEN}\0`;
    const { fetch, calls } = stubFetch((request) => json(request, {}));
    const error = await rejection((async () => createSentryClient({ token, fetch }).getOrganization("acme"))());
    expect(error).toBeInstanceOf(TypeError);
    expect(calls).toHaveLength(0);
    expectNoToken(error);
  });
});

describe("the token is sent only as Authorization: Bearer, only to the configured origin", () => {
  test("every request carries Authorization: Bearer <token> and the token nowhere else", async () => {
    const { fetch, calls } = stubFetch((request) =>
      request.url.includes("/repos/") ? json(request, []) : json(request, { id: "2", slug: "acme" }),
    );
    const sentry = client(fetch, { baseUrl: "https://de.sentry.io" });
    await sentry.getOrganization("acme");
    await sentry.listRepositories("acme").toArray();
    expect(calls).toHaveLength(2);
    for (const { request } of calls) {
      expect(request.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
      expect(request.url.startsWith("https://de.sentry.io/api/0/organizations/acme/")).toBe(true);
      expect(request.url).not.toContain(TOKEN);
      const others = [...request.headers].filter(([name]) => name !== "authorization");
      expect(JSON.stringify(others)).not.toContain(TOKEN);
    }
  });

  test.each([
    ["another origin", "https://evil.example"],
    ["a look-alike host", "https://sentry.io.evil.example"],
    ["another scheme", "http://sentry.io"],
    ["another port", "https://sentry.io:8443"],
  ])("openapi-fetch GET with a per-call baseUrl on %s is refused before fetch is called", async (_, baseUrl) => {
    const { fetch, calls } = stubFetch((request) => json(request, {}));
    const call = createOpenApiFetchClient(client(fetch)).GET("/api/0/organizations/{organization_id_or_slug}/", {
      params: { path: { organization_id_or_slug: "acme" } },
      baseUrl,
    });
    await expect(call).rejects.toThrow(new TypeError("the token is only sent to https://sentry.io"));
    expect(calls).toHaveLength(0);
  });

  test("a per-call fetch and baseUrl on another origin bypass the retrying fetch but never get the token", async () => {
    const { fetch } = stubFetch((request) => json(request, {}));
    const elsewhere = stubFetch((request) => json(request, {}));
    await createOpenApiFetchClient(client(fetch)).GET("/api/0/organizations/{organization_id_or_slug}/", {
      params: { path: { organization_id_or_slug: "acme" } },
      baseUrl: "https://evil.example",
      fetch: elsewhere.fetch,
    });
    expect(elsewhere.calls).toHaveLength(1);
    expect(elsewhere.calls[0]?.request.headers.get("authorization")).toBeNull();
  });

  test("the refusal names the configured origin", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, {}));
    const call = createOpenApiFetchClient(client(fetch, { baseUrl: "https://us.sentry.io/" })).GET(
      "/api/0/organizations/{organization_id_or_slug}/",
      { params: { path: { organization_id_or_slug: "acme" } }, baseUrl: "https://evil.example" },
    );
    await expect(call).rejects.toThrow(new TypeError("the token is only sent to https://us.sentry.io"));
    expect(calls).toHaveLength(0);
  });

  test("a redirect to another origin is not followed: one request, an http error with status 302", async () => {
    const { fetch, calls } = stubFetch((request) =>
      reply(request, null, { status: 302, headers: { location: "https://evil.example/steal" } }),
    );
    const error = await apiError(client(fetch, { maxRetries: 2 }).getOrganization("acme"));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.request.redirect).toBe("manual");
    expect(error.kind).toBe("http");
    expect(error.status).toBe(302);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
  });

  test("list pages are requested with redirect: manual too", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, []));
    await client(fetch).listMembers("acme").toArray();
    expect(calls[0]?.request.redirect).toBe("manual");
  });
});

describe("the redactor finds the token in every form a server may send it back", () => {
  const token = "sntrys_eyJ+a/b=_c+d/e==";
  const { scrub, scrubStart, scrubValue } = createRedactor(token);

  test.each([
    ["as it is", token],
    ["percent-encoded (encodeURIComponent, URLSearchParams)", encodeURIComponent(token)],
    ["percent-encoded with + left as it is", encodeURIComponent(token).replaceAll("%2B", "+")],
    ["percent-encoded with / left as it is (Python's quote)", encodeURIComponent(token).replaceAll("%2F", "/")],
    ["percent-encoded in lower-case hex", encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
    ["JSON-escaped, / as \\/ (PHP)", token.replaceAll("/", "\\/")],
    ["JSON-escaped, + as \\u002B (.NET)", token.replaceAll("+", "\\u002B")],
    ["JSON-escaped, then read as a Link quoted-pair (\\u to u)", token.replaceAll("+", "u002B")],
    ["JSON-escaped in lower-case hex", token.replaceAll("+", "\\u002b").replaceAll("=", "\\u003d")],
    ["form-decoded, + read as a space", token.replaceAll("+", " ")],
    ["mixed", "sntrys_eyJ%2Ba\\/b\\u003D_c d%2fe=%3D"],
    ["percent-encoded twice (a cursor holding %2B, sent back)", encodeURIComponent(encodeURIComponent(token))],
    [
      "percent-encoded three times (that request, echoed encoded)",
      encodeURIComponent(encodeURIComponent(encodeURIComponent(token))),
    ],
    ["percent-encoded five times", [1, 2, 3, 4, 5].reduce((text) => encodeURIComponent(text), token)],
    ["\\/ with both characters percent-encoded", token.replaceAll("/", "%5C%2F")],
  ])("%s", (_, form) => {
    expect(scrub(`cursor=${form}&x=1`)).toBe("cursor=[REDACTED]&x=1");
  });

  test("six percent-encodings are past what it looks for", () => {
    const sixTimes = [1, 2, 3, 4, 5, 6].reduce((text) => encodeURIComponent(text), token);
    expect(scrub(sixTimes)).toBe(sixTimes);
  });

  test("case is ignored; text that is not the whole token is left alone", () => {
    expect(scrub(`${token.toUpperCase()} ${encodeURIComponent(token).toLowerCase()}`)).toBe("[REDACTED] [REDACTED]");
    const text = "sntrys_eyJ+a/b=_c+d/e= sntrys_eyJ+a/b=_c+d/e=+ sntrys_eyJ+a/b=_c+x/e==";
    expect(scrub(text)).toBe(text);
  });

  test("scrubStart keeps an occurrence across the cut whole, and nothing after it", () => {
    const text = `${"x".repeat(10)}${encodeURIComponent(token)}${"y".repeat(200)}`;
    expect(scrubStart(text, 12)).toBe(`${"x".repeat(10)}[REDACTED]`);
    expect(scrubStart(text, 10)).toBe("x".repeat(10));
    expect(scrubStart(text, 5)).toBe("x".repeat(5));
  });

  test("scrubValue scrubs every string, keys too, at every level", () => {
    expect(scrubValue({ [token]: [token, { deep: `a ${token} b` }], n: 1, t: true, z: null })).toEqual({
      "[REDACTED]": ["[REDACTED]", { deep: "a [REDACTED] b" }],
      n: 1,
      t: true,
      z: null,
    });
  });

  test("scrubValue refuses a value nested deeper than 32 levels", () => {
    let value: unknown = "leaf";
    for (let i = 0; i < 33; i++) value = [value];
    expect(() => scrubValue(value)).toThrow(new RangeError("nested deeper than 32"));
  });
});

describe("scrubbedCopy: what an error's causes keep", () => {
  const scrub = createRedactor(TOKEN).scrub;
  const chainLength = (error: unknown) => {
    let length = 0;
    for (let e = error as { cause?: unknown } | undefined; e; e = e.cause as typeof e) length++;
    return length;
  };

  test("a chain of ten causes is copied five deep", () => {
    let error = new Error("0");
    for (let i = 1; i < 10; i++) error = new Error(String(i), { cause: error });
    expect(chainLength(scrubbedCopy(error, scrub))).toBe(5);
  });

  test("a cause that is its own cause is copied five deep, not for ever", () => {
    const error = new Error("loop") as Error & { cause?: unknown };
    error.cause = error;
    expect(chainLength(scrubbedCopy(error, scrub))).toBe(5);
  });

  test("a message is cut after 1000 characters, once scrubbed", () => {
    const copy = scrubbedCopy(new Error(`${TOKEN}${"m".repeat(2000)}`), scrub);
    expect(copy?.message).toBe(`[REDACTED]${"m".repeat(990)}`);
  });

  test("a name that is not a string becomes Error; a string name is scrubbed", () => {
    expect(scrubbedCopy({ name: 42, message: "odd" }, scrub)?.name).toBe("Error");
    expect(scrubbedCopy({ name: `Bad${TOKEN}`, message: "odd" }, scrub)?.name).toBe("Bad[REDACTED]");
  });
});
