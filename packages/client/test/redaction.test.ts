import { inspect } from "node:util";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createSentryClient, type SentryClientOptions } from "../src/index.js";
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
    expect(error.cause).toBeUndefined();
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
      request.url.includes("/repos/") ? json(request, []) : json(request, { id: "2" }),
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
  ])("raw.GET with a per-call baseUrl on %s is refused before fetch is called", async (_, baseUrl) => {
    const { fetch, calls } = stubFetch((request) => json(request, {}));
    const call = client(fetch).raw.GET("/api/0/organizations/{organization_id_or_slug}/", {
      params: { path: { organization_id_or_slug: "acme" } },
      baseUrl,
    });
    await expect(call).rejects.toThrow(new TypeError("the token is only sent to https://sentry.io"));
    expect(calls).toHaveLength(0);
  });

  test("a per-call fetch and baseUrl on another origin bypass the retrying fetch but never get the token", async () => {
    const { fetch } = stubFetch((request) => json(request, {}));
    const elsewhere = stubFetch((request) => json(request, {}));
    await client(fetch).raw.GET("/api/0/organizations/{organization_id_or_slug}/", {
      params: { path: { organization_id_or_slug: "acme" } },
      baseUrl: "https://evil.example",
      fetch: elsewhere.fetch,
    });
    expect(elsewhere.calls).toHaveLength(1);
    expect(elsewhere.calls[0]?.request.headers.get("authorization")).toBeNull();
  });

  test("the refusal names the configured origin", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, {}));
    const call = client(fetch, { baseUrl: "https://us.sentry.io/" }).raw.GET(
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
