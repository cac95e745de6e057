import { beforeEach, describe, expect, test, vi } from "vitest";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";
import {
  apiError,
  stubClient as client,
  hang,
  json,
  ORG_URL,
  rejection,
  runOnFakeClock as run,
  type StubCall,
  settle,
  stubFetch,
  T0,
  T0_SECONDS,
  useFakeClock,
} from "./stub-fetch.js";

useFakeClock(1);

/** The wait before each retry, read off the fake clock at each request. */
const waits = (calls: StubCall[]) => calls.slice(1).map((call, i) => call.at - (calls[i] as StubCall).at);

const organization = { id: "2", slug: "acme", name: "Acme" };

describe("statuses that are retried", () => {
  test.each([408, 429, 500, 502, 503, 504])(
    "%i: 3 attempts by default (maxRetries 2), then the error",
    async (status) => {
      const { fetch, calls } = stubFetch((request) => json(request, { detail: "try again" }, { status }));
      const error = await apiError(run(client(fetch).getOrganization("acme")));
      expect(calls).toHaveLength(3);
      expect(waits(calls)).toEqual([500, 1000]);
      expect(error.status).toBe(status);
      expect(error.message).toBe(`getOrganization failed with ${status}: try again`);
    },
  );

  test.each([408, 429, 500, 502, 503, 504])("%i then 200: the second attempt's data is returned", async (status) => {
    const { fetch, calls } = stubFetch((request, index) =>
      index === 0 ? json(request, { detail: "try again" }, { status }) : json(request, organization),
    );
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(calls).toHaveLength(2);
  });

  test("a list page is retried the same way", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      index === 0 ? json(request, { detail: "busy" }, { status: 503 }) : json(request, [{ id: "1" }]),
    );
    expect(await run(client(fetch).listMembers("acme").toArray())).toEqual([{ id: "1" }]);
    expect(calls).toHaveLength(2);
  });

  test("openapi-fetch requests are retried the same way", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      index < 2 ? json(request, { detail: "busy" }, { status: 502 }) : json(request, organization),
    );
    const { data } = await run(
      createOpenApiFetchClient(client(fetch)).GET("/api/0/organizations/{organization_id_or_slug}/", {
        params: { path: { organization_id_or_slug: "acme" } },
      }),
    );
    expect(data).toEqual(organization);
    expect(calls).toHaveLength(3);
    expect(waits(calls)).toEqual([500, 1000]);
  });
});

describe("statuses that are not retried", () => {
  test.each([400, 401, 403, 404])("%i: one attempt", async (status) => {
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "no" }, { status }));
    const error = await apiError(run(client(fetch).getOrganization("acme")));
    expect(calls).toHaveLength(1);
    expect(error.status).toBe(status);
  });
});

describe("maxRetries", () => {
  test.each([
    [0, []],
    [1, [500]],
    [3, [500, 1000, 2000]],
    [10, [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000]],
  ])("maxRetries %i: that many retries after the first attempt", async (maxRetries, expected) => {
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    const error = await apiError(run(client(fetch, { maxRetries }).getOrganization("acme")));
    expect(calls).toHaveLength(maxRetries + 1);
    expect(waits(calls)).toEqual(expected);
    expect(error.kind).toBe("server");
  });
});

describe("backoff: full jitter, random * min(8000, 500 * 2 ** attempt)", () => {
  test.each([
    [1, [500, 1000]],
    [0.5, [250, 500]],
    [0, [0, 0]],
  ])("Math.random() = %d waits %j", async (random, expected) => {
    vi.spyOn(Math, "random").mockReturnValue(random);
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 500 }));
    await apiError(run(client(fetch).getOrganization("acme")));
    expect(waits(calls)).toEqual(expected);
  });

  test.each([60_000, 700, 0])(
    "backoff stops at 8 s and ignores maxRetryDelayMs (%i), which caps only waits the server names",
    async (maxRetryDelayMs) => {
      const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 500 }));
      await apiError(run(client(fetch, { maxRetries: 6, maxRetryDelayMs }).getOrganization("acme")));
      expect(waits(calls)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    },
  );

  test("no retry is made a millisecond early", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    const outcome = settle(client(fetch).getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    expect((await outcome).ok).toBe(false);
  });
});

describe("waits the server asks for, plus up to 1 s of jitter", () => {
  /** Jitter is Math.random() * 1000 ms: 250 ms here. */
  beforeEach(() => {
    vi.spyOn(Math, "random").mockReturnValue(0.25);
  });

  const onceThen200 =
    (status: number, headers: () => Record<string, string>) =>
    (request: Request, index: number): Response =>
      index === 0 ? json(request, "slow down", { status, headers: headers() }) : json(request, organization);

  test("Retry-After in seconds", async () => {
    const { fetch, calls } = stubFetch(onceThen200(503, () => ({ "retry-after": "3" })));
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([3250]);
  });

  test("Retry-After as an HTTP date 5 s ahead of the clock", async () => {
    const { fetch, calls } = stubFetch(
      onceThen200(429, () => ({ "retry-after": new Date(Date.now() + 5000).toUTCString() })),
    );
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([5250]);
  });

  test("Retry-After: 0 waits only the jitter", async () => {
    const { fetch, calls } = stubFetch(onceThen200(503, () => ({ "retry-after": "0" })));
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([250]);
  });

  test("an unreadable Retry-After falls back to the backoff, without jitter", async () => {
    const { fetch, calls } = stubFetch(onceThen200(503, () => ({ "retry-after": "soon" })));
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([125]);
  });

  const rateLimit = (reset: number, remaining = 0) => ({
    "x-sentry-rate-limit-limit": "40",
    "x-sentry-rate-limit-remaining": String(remaining),
    "x-sentry-rate-limit-reset": String(reset),
  });

  test("a 429 without Retry-After waits until X-Sentry-Rate-Limit-Reset", async () => {
    const { fetch, calls } = stubFetch(onceThen200(429, () => rateLimit(Date.now() / 1000 + 7)));
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([7250]);
  });

  test("a 429 whose reset has passed waits only the jitter", async () => {
    const { fetch, calls } = stubFetch(onceThen200(429, () => rateLimit(Date.now() / 1000 - 2)));
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([250]);
  });

  test("Retry-After wins over X-Sentry-Rate-Limit-Reset", async () => {
    const { fetch, calls } = stubFetch(
      onceThen200(429, () => ({ ...rateLimit(Date.now() / 1000 + 7), "retry-after": "2" })),
    );
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([2250]);
  });

  test("a 5xx's X-Sentry-Rate-Limit-Reset, with requests left, is not a wait: the backoff is used", async () => {
    const { fetch, calls } = stubFetch(onceThen200(503, () => rateLimit(Date.now() / 1000 + 7, 3)));
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([125]);
  });

  test("a reset further than maxRetryDelayMs is not waited for: one attempt, rate_limit, retryAt", async () => {
    const { fetch, calls } = stubFetch((request) =>
      json(request, "You are attempting to use this endpoint too frequently.", {
        status: 429,
        headers: rateLimit(T0_SECONDS + 120),
      }),
    );
    const error = await apiError(run(client(fetch).getOrganization("acme")));
    expect(calls).toHaveLength(1);
    expect(error.kind).toBe("rate_limit");
    expect(error.retryAt).toEqual(new Date(T0 + 120_000));
    expect(error.rateLimit).toEqual({ limit: 40, remaining: 0, reset: T0_SECONDS + 120 });
  });

  test("a Retry-After longer than maxRetryDelayMs is not waited for: one attempt", async () => {
    const { fetch, calls } = stubFetch((request) =>
      json(request, { detail: "maintenance" }, { status: 503, headers: { "retry-after": "11" } }),
    );
    const error = await apiError(run(client(fetch, { maxRetryDelayMs: 10_000 }).getOrganization("acme")));
    expect(calls).toHaveLength(1);
    expect(error.kind).toBe("server");
  });

  test("a wait of exactly maxRetryDelayMs is taken, its jitter cut to stay within it", async () => {
    const { fetch, calls } = stubFetch(onceThen200(503, () => ({ "retry-after": "10" })));
    expect(await run(client(fetch, { maxRetryDelayMs: 10_000 }).getOrganization("acme"))).toEqual(organization);
    expect(waits(calls)).toEqual([10_000]);
  });

  test("a 429 with a Retry-After too long to wait for gives retryAt from Retry-After", async () => {
    const { fetch, calls } = stubFetch((request) =>
      json(request, "slow down", { status: 429, headers: { "retry-after": "120" } }),
    );
    const error = await apiError(run(client(fetch).getOrganization("acme")));
    expect(calls).toHaveLength(1);
    expect(error.kind).toBe("rate_limit");
    expect(error.retryAt).toEqual(new Date(T0 + 120_000));
  });
});

describe("network errors", () => {
  test("are retried, then rejected as kind network with a copy of the last error as cause", async () => {
    const { fetch, calls } = stubFetch((_, index) => {
      throw new TypeError(`fetch failed ${index}`);
    });
    const error = await apiError(run(client(fetch).getOrganization("acme")));
    expect(calls).toHaveLength(3);
    expect(waits(calls)).toEqual([500, 1000]);
    expect(error.kind).toBe("network");
    expect(error.status).toBe(0);
    expect(error.cause).toMatchObject({ name: "TypeError", message: "fetch failed 2" });
    expect(error.message).toBe(`GET ${ORG_URL}: TypeError: fetch failed 2`);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
  });

  test("a network error then a 200 returns the data", async () => {
    const { fetch, calls } = stubFetch((request, index) => {
      if (index === 0) throw new TypeError("fetch failed");
      return json(request, organization);
    });
    expect(await run(client(fetch).getOrganization("acme"))).toEqual(organization);
    expect(calls).toHaveLength(2);
  });
});

describe("timeouts", () => {
  test("an attempt's request is aborted at exactly timeoutMs", async () => {
    const { fetch, calls } = stubFetch(hang);
    const outcome = settle(client(fetch, { timeoutMs: 1000, maxRetries: 0 }).getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(999);
    expect(calls[0]?.request.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls[0]?.request.signal.aborted).toBe(true);
    expect((await outcome).ok).toBe(false);
  });

  test("are retried, then rejected as kind timeout", async () => {
    const { fetch, calls } = stubFetch(hang);
    const error = await apiError(run(client(fetch, { timeoutMs: 1000 }).getOrganization("acme")));
    expect(calls.map((call) => call.at - T0)).toEqual([0, 1000 + 500, 1500 + 1000 + 1000]);
    expect(error.kind).toBe("timeout");
    expect(error.status).toBe(0);
    expect(error.message).toBe(`GET ${ORG_URL}: no answer in 1000 ms`);
    expect(error.request).toEqual({ method: "GET", url: ORG_URL });
  });

  test("a timeout then a 200 returns the data", async () => {
    const { fetch, calls } = stubFetch((request, index) => (index === 0 ? hang(request) : json(request, organization)));
    expect(await run(client(fetch, { timeoutMs: 1000 }).getOrganization("acme"))).toEqual(organization);
    expect(calls).toHaveLength(2);
  });

  test("a body that stalls past timeoutMs rejects as kind timeout naming the request, without a retry", async () => {
    const { fetch, calls } = stubFetch(
      (request) =>
        new Response(
          new ReadableStream({
            start(controller) {
              request.signal.addEventListener("abort", () => controller.error(request.signal.reason));
            },
          }),
        ),
    );
    const error = await apiError(run(client(fetch, { timeoutMs: 1000 }).getOrganization("acme")));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe("GET https://sentry.io/api/0/organizations/acme/: no answer in 1000 ms");
    expect(error.request).toEqual({ method: "GET", url: "https://sentry.io/api/0/organizations/acme/" });
    expect(calls).toHaveLength(1);
  });

  test("with real timers (no backoff wait)", async () => {
    vi.useRealTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { fetch, calls } = stubFetch(hang);
    const error = await apiError(client(fetch, { timeoutMs: 5, maxRetries: 1 }).getOrganization("acme"));
    expect(calls).toHaveLength(2);
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(`GET ${ORG_URL}: no answer in 5 ms`);
  });
});

describe("the caller's AbortSignal", () => {
  test("aborting during a request rejects with exactly the reason, and no further attempt is made", async () => {
    const { fetch, calls } = stubFetch(hang);
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const outcome = settle(client(fetch).getOrganization("acme", { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(reason);
    const result = await outcome;
    expect(result.ok === false && result.error).toBe(reason);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
  });

  test("aborting during a backoff wait rejects with exactly the reason, and no further attempt is made", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    const controller = new AbortController();
    const reason = { why: "not an Error at all" };
    const outcome = settle(client(fetch).listMembers("acme", { signal: controller.signal }).toArray());
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    controller.abort(reason);
    const result = await outcome;
    expect(result.ok === false && result.error).toBe(reason);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
  });

  test("already aborted, with a fetch that honours the signal as fetch does: rejects with the reason", async () => {
    const { fetch, calls } = stubFetch(async (request) => {
      request.signal.throwIfAborted();
      return json(request, organization);
    });
    const controller = new AbortController();
    const reason = new Error("cancelled before it began");
    controller.abort(reason);
    expect(await rejection(run(client(fetch).getOrganization("acme", { signal: controller.signal })))).toBe(reason);
    expect(calls.length).toBeLessThanOrEqual(1);
  });

  test("already aborted: rejects with exactly the reason without calling fetch", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, organization));
    const controller = new AbortController();
    const reason = new Error("cancelled before it began");
    controller.abort(reason);
    expect(await rejection(run(client(fetch).getOrganization("acme", { signal: controller.signal })))).toBe(reason);
    expect(calls).toHaveLength(0);
  });

  test("aborted while a fetch that ignores the signal answers 503: no wait, no further attempt", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const { fetch, calls } = stubFetch((request) => {
      controller.abort(reason);
      return json(request, { detail: "busy" }, { status: 503 });
    });
    const error = await rejection(run(client(fetch).getOrganization("acme", { signal: controller.signal })));
    expect(error).toBe(reason);
    expect(calls).toHaveLength(1);
    expect(Date.now()).toBe(T0);
  });

  test("a TimeoutError reason (as AbortSignal.timeout gives) is rejected with as it is", async () => {
    const { fetch } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    const controller = new AbortController();
    const reason = new DOMException("The operation timed out.", "TimeoutError");
    const outcome = settle(client(fetch).getOrganization("acme", { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(reason);
    const result = await outcome;
    expect(result.ok === false && result.error).toBe(reason);
  });
});
