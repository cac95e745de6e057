// The retry loop alone, and what it relies on from openapi-fetch.
import type { paths } from "@sentry-org-api/types";
import createClient from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createRetrying, type RetryPolicy } from "../src/retrying-fetch.js";
import { json, reply, stubFetch } from "./stub-fetch.js";

const ORG_URL = "https://sentry.io/api/0/organizations/acme/";

const policy = (fetch: RetryPolicy["fetch"]): RetryPolicy => ({
  fetch,
  timeoutMs: 1000,
  maxRetries: 1,
  maxRetryDelayMs: 60_000,
  maxConcurrency: 8,
  onRetry: undefined,
  origin: "https://sentry.io",
  authorization: "Bearer test-token",
  scrub: (text) => text,
});

describe("the retry loop, alone", () => {
  // No jitter: a Retry-After of 0 is then no wait at all.
  beforeEach(() => {
    vi.spyOn(Math, "random").mockReturnValue(0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test("a request built by its Request goes out as it is the first time, with the token, then as a copy", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      index === 0 ? reply(request, null, { status: 503, headers: { "retry-after": "0" } }) : json(request, {}),
    );
    const retrying = createRetrying(policy(fetch));
    const request = new retrying.Request(ORG_URL);
    expect((await retrying.fetch(request)).status).toBe(200);
    expect(calls[0]?.request).toBe(request);
    expect(calls[1]?.request).not.toBe(request);
    expect(calls.map((call) => call.request.headers.get("authorization"))).toEqual([
      "Bearer test-token",
      "Bearer test-token",
    ]);
  });

  test("a request built elsewhere is timed and retried too, and never given the token", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      index === 0 ? reply(request, null, { status: 503, headers: { "retry-after": "0" } }) : json(request, {}),
    );
    expect((await createRetrying(policy(fetch)).fetch(new Request(ORG_URL))).status).toBe(200);
    expect(calls.map((call) => call.request.headers.has("authorization"))).toEqual([false, false]);
  });

  test("refuses another origin before any attempt", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, {}));
    await expect(createRetrying(policy(fetch)).fetch(new Request("https://evil.example/"))).rejects.toEqual(
      new TypeError("the token is only sent to https://sentry.io"),
    );
    expect(calls).toHaveLength(0);
  });
});

describe("openapi-fetch, as the ./openapi-fetch subpath relies on it", () => {
  test("builds each call's request once, with the Request it is given, from the URL and the init, and fetches that very request", async () => {
    const built: { url: unknown; init: RequestInit | undefined; request: Request }[] = [];
    class SpyRequest extends Request {
      constructor(url: RequestInfo | URL, init?: RequestInit) {
        super(url, init);
        built.push({ url, init, request: this });
      }
    }
    const fetched: Request[] = [];
    const client = createClient<paths>({
      baseUrl: "https://sentry.io",
      headers: { "user-agent": "ua" },
      redirect: "manual",
      Request: SpyRequest,
      fetch: async (request: Request) => {
        fetched.push(request);
        return json(request, { id: "2", slug: "acme" });
      },
    });
    const { signal } = new AbortController();
    for (let call = 0; call < 2; call++) {
      await client.GET("/api/0/organizations/{organization_id_or_slug}/", {
        params: { path: { organization_id_or_slug: "acme" } },
        signal,
      });
    }
    // A string, not a URL or a Request: the client's Request takes the token's origin from it.
    expect(built.map(({ url }) => url)).toEqual([ORG_URL, ORG_URL]);
    for (const { init } of built) {
      expect(init).toMatchObject({ redirect: "manual", signal });
      expect(new Headers(init?.headers).get("user-agent")).toBe("ua");
    }
    // The very instances: the first attempt's timeout and token are found by the request itself.
    expect(fetched).toHaveLength(2);
    expect(fetched[0]).toBe(built[0]?.request);
    expect(fetched[1]).toBe(built[1]?.request);
  });
});
