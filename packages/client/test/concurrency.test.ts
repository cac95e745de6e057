import { describe, expect, test, vi } from "vitest";
import { createSemaphore } from "../src/concurrency.js";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";
import {
  stubClient as client,
  hang,
  json,
  rejection,
  settle,
  stubFetch,
  T0,
  thrown,
  useFakeClock,
} from "./stub-fetch.js";

useFakeClock(1);

const organization = { id: "2", slug: "acme", name: "Acme" };

/** A fetch that counts the requests waiting for their answer, which `answer` gives after `delayMs`. */
function countingInFlight(answer: (request: Request, index: number) => Response | Promise<Response>, delayMs = 10) {
  const state = { inFlight: 0, most: 0 };
  const stub = stubFetch(async (request, index) => {
    state.inFlight++;
    state.most = Math.max(state.most, state.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return await answer(request, index);
    } finally {
      state.inFlight--;
    }
  });
  return { ...stub, state };
}

describe("maxConcurrency", () => {
  test("50 parallel calls: at most 8 in flight by default, and all 50 answered", async () => {
    const { fetch, calls, state } = countingInFlight((request) => json(request, organization));
    const sentry = client(fetch);
    const outcomes = Promise.all(Array.from({ length: 50 }, () => sentry.getOrganization("acme")));
    await vi.runAllTimersAsync();
    expect(await outcomes).toHaveLength(50);
    expect(state.most).toBe(8);
    expect(calls).toHaveLength(50);
    // Seven rounds of 10 ms: 8 + 8 + 8 + 8 + 8 + 8 + 2.
    expect(Date.now() - T0).toBe(70);
  });

  test.each([1, 3, 25])("maxConcurrency %i is the most in flight, with openapi-fetch calls", async (maxConcurrency) => {
    const { fetch, state } = countingInFlight((request) =>
      json(request, request.url.includes("/members/") ? [] : organization),
    );
    const sentry = client(fetch, { maxConcurrency });
    const openapi = createOpenApiFetchClient(sentry);
    const all = Promise.all([
      ...Array.from({ length: 20 }, () => sentry.getOrganization("acme")),
      ...Array.from({ length: 20 }, () => sentry.listMembers("acme").toArray()),
      ...Array.from({ length: 20 }, () =>
        openapi.GET("/api/0/organizations/{organization_id_or_slug}/", {
          params: { path: { organization_id_or_slug: "acme" } },
        }),
      ),
    ]);
    await vi.runAllTimersAsync();
    await all;
    expect(state.most).toBe(maxConcurrency);
  });

  test("two clients do not share their slots", async () => {
    const { fetch, state } = countingInFlight((request) => json(request, organization));
    const [a, b] = [client(fetch, { maxConcurrency: 2 }), client(fetch, { maxConcurrency: 2 })];
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).getOrganization("acme")));
    await vi.runAllTimersAsync();
    await all;
    expect(state.most).toBe(4);
  });

  test("failed requests give their slots back: after 50 network errors, 8 new calls are all sent", async () => {
    let failing = true;
    const { fetch, calls, state } = countingInFlight((request) => {
      if (failing) throw new TypeError("fetch failed");
      return hang(request);
    });
    const sentry = client(fetch, { maxRetries: 0 });
    const failures = Promise.allSettled(Array.from({ length: 50 }, () => sentry.getOrganization("acme")));
    await vi.runAllTimersAsync();
    expect((await failures).map((outcome) => outcome.status)).toEqual(Array(50).fill("rejected"));
    expect(state.most).toBe(8);
    failing = false;
    for (let i = 0; i < 9; i++) void settle(sentry.getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(58);
  });

  test("timeouts give their slots back, and a queued request's timeout starts when it is sent", async () => {
    const { fetch, calls } = stubFetch(hang);
    const sentry = client(fetch, { timeoutMs: 1000, maxRetries: 0 });
    const outcomes = Array.from({ length: 16 }, () => settle(sentry.getOrganization("acme")));
    await vi.runAllTimersAsync();
    const errors = await Promise.all(outcomes);
    expect(errors.map((outcome) => !outcome.ok && (outcome.error as { kind?: string }).kind)).toEqual(
      Array(16).fill("timeout"),
    );
    expect(calls.map((call) => call.at - T0)).toEqual([...Array(8).fill(0), ...Array(8).fill(1000)]);
  });

  test("a queued call aborted by its signal leaves the queue: it rejects with the reason and is never sent", async () => {
    const { fetch, calls } = stubFetch(hang);
    const sentry = client(fetch, { maxConcurrency: 1 });
    const holder = new AbortController();
    const first = settle(sentry.getOrganization("acme", { signal: holder.signal }));
    const queued = new AbortController();
    const reason = new Error("no longer needed");
    const second = settle(sentry.getOrganization("acme", { signal: queued.signal }));
    void settle(sentry.getOrganization("third"));
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(1);
    queued.abort(reason);
    const result = await second;
    expect(result.ok === false && result.error).toBe(reason);
    // The in-flight call's abort hands its slot to the next in the queue, the third call.
    holder.abort(new Error("stop"));
    expect((await first).ok).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((call) => call.url.pathname)).toEqual([
      "/api/0/organizations/acme/",
      "/api/0/organizations/third/",
    ]);
  });

  test("an already aborted call does not wait in the queue", async () => {
    const { fetch } = stubFetch(hang);
    const sentry = client(fetch, { maxConcurrency: 1 });
    void settle(sentry.getOrganization("acme"));
    const controller = new AbortController();
    const reason = new Error("cancelled before it began");
    controller.abort(reason);
    expect(await rejection(sentry.getOrganization("acme", { signal: controller.signal }))).toBe(reason);
  });

  test("a retry's backoff does not hold a slot", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      index === 0 ? json(request, { detail: "busy" }, { status: 503 }) : json(request, organization),
    );
    const sentry = client(fetch, { maxConcurrency: 1 });
    const first = settle(sentry.getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(0);
    const second = settle(sentry.getOrganization("other"));
    await vi.runAllTimersAsync();
    expect((await first).ok && (await second).ok).toBe(true);
    expect(calls.map((call) => [call.url.pathname, call.at - T0])).toEqual([
      ["/api/0/organizations/acme/", 0],
      ["/api/0/organizations/other/", 0],
      ["/api/0/organizations/acme/", 500],
    ]);
  });

  test.each([0, 1001, 1.5, "8", Number.NaN])("maxConcurrency %j is refused with a TypeError", (maxConcurrency) => {
    expect(thrown(() => client(stubFetch(hang).fetch, { maxConcurrency: maxConcurrency as number }))).toEqual(
      new TypeError(
        `maxConcurrency must be an integer from 1 to 1000, got ${typeof maxConcurrency === "string" ? `"${maxConcurrency}"` : maxConcurrency}`,
      ),
    );
  });
});

describe("createSemaphore", () => {
  test("takes a free slot synchronously, without a promise", () => {
    const slots = createSemaphore(2);
    expect(slots.acquire(undefined)).toBeUndefined();
    expect(slots.acquire(undefined)).toBeUndefined();
    expect(slots.acquire(undefined)).toBeInstanceOf(Promise);
  });

  test("hands released slots to the waiters in arrival order", async () => {
    const slots = createSemaphore(1);
    slots.acquire(undefined);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => slots.acquire(undefined)?.then(() => order.push(n)));
    slots.release();
    slots.release();
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    slots.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    slots.release();
    expect(slots.acquire(undefined)).toBeUndefined();
  });

  test("an aborted waiter rejects with the reason and its turn goes to the next", async () => {
    const slots = createSemaphore(1);
    slots.acquire(undefined);
    const controller = new AbortController();
    const aborted = settle(slots.acquire(controller.signal) as Promise<void>);
    let nextHasIt = false;
    const next = slots.acquire(undefined)?.then(() => {
      nextHasIt = true;
    });
    controller.abort("gone");
    expect(await aborted).toEqual({ ok: false, error: "gone" });
    slots.release();
    await next;
    expect(nextHasIt).toBe(true);
    expect(slots.acquire(undefined)).toBeInstanceOf(Promise);
  });

  test("an aborted signal is refused at once when no slot is free", async () => {
    const slots = createSemaphore(1);
    slots.acquire(undefined);
    expect(await rejection(slots.acquire(AbortSignal.abort("late")) as Promise<void>)).toBe("late");
    slots.release();
    expect(slots.acquire(undefined)).toBeUndefined();
  });
});
