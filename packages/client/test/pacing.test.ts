import { describe, expect, test, vi } from "vitest";
import type { RetryInfo } from "../src/index.js";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";
import { createPacer, operationKey } from "../src/pacing.js";
import {
  apiError,
  stubClient as client,
  json,
  reply,
  runOnFakeClock as run,
  type StubCall,
  settle,
  stubFetch,
  T0,
  T0_SECONDS,
  useFakeClock,
} from "./stub-fetch.js";

/** Math.random() is 0.25 in these tests, so the jitter is 250 ms. */
const JITTER = 250;

useFakeClock(0.25);

const quota = (remaining: number, resetSeconds: number) => ({
  "x-sentry-rate-limit-limit": "40",
  "x-sentry-rate-limit-remaining": String(remaining),
  "x-sentry-rate-limit-reset": String(T0_SECONDS + resetSeconds),
});

/**
 * A hostile-but-honest server: the quota is used up until `resetSeconds` after T0, and a request
 * that comes before then is answered 429, as Sentry does. `answer` gives the body of the others.
 */
function exhaustedUntil(resetSeconds: number, answer: (request: Request) => Response) {
  const statuses: number[] = [];
  const stub = stubFetch((request, index) => {
    const early = index > 0 && Date.now() < T0 + resetSeconds * 1000;
    const response = early
      ? json(request, "You are attempting to use this endpoint too frequently.", {
          status: 429,
          headers: quota(0, resetSeconds),
        })
      : answer(request);
    statuses.push(response.status);
    return response;
  });
  return { ...stub, statuses };
}

const at = (calls: StubCall[]) => calls.map((call) => call.at - T0);
const organization = { id: "2", slug: "acme", name: "Acme" };
const lastAnswer = (request: Request) => json(request, organization, { headers: quota(0, 3) });

describe("an answer saying X-Sentry-Rate-Limit-Remaining: 0", () => {
  test("the next page waits until the reset plus jitter, and no 429 is spent", async () => {
    const link = (next: string) =>
      `<https://sentry.io/x/>; rel="previous"; results="false"; cursor="100:-1:1", ` +
      `<https://sentry.io/x/>; rel="next"; results="${next === "" ? "false" : "true"}"; cursor="${next || "100:9:0"}"`;
    const { fetch, calls, statuses } = exhaustedUntil(3, (request) =>
      request.url.includes("cursor=")
        ? reply(request, JSON.stringify([{ id: "2" }]), { headers: { link: link(""), ...quota(39, 4) } })
        : reply(request, JSON.stringify([{ id: "1" }]), { headers: { link: link("100:1:0"), ...quota(0, 3) } }),
    );
    expect(await run(client(fetch).listMembers("acme").toArray())).toEqual([{ id: "1" }, { id: "2" }]);
    expect(at(calls)).toEqual([0, 3000 + JITTER]);
    expect(statuses).toEqual([200, 200]);
  });

  test("the next call of the same operation waits, for any organization", async () => {
    const { fetch, calls, statuses } = exhaustedUntil(3, lastAnswer);
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    await run(sentry.getOrganization("other-org"));
    expect(at(calls)).toEqual([0, 3000 + JITTER]);
    expect(statuses).toEqual([200, 200]);
  });

  test("openapi-fetch calls share the pause of the method for the same endpoint", async () => {
    const { fetch, calls } = exhaustedUntil(3, lastAnswer);
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    await run(
      createOpenApiFetchClient(sentry).GET("/api/0/organizations/{organization_id_or_slug}/", {
        params: { path: { organization_id_or_slug: "acme" } },
      }),
    );
    expect(at(calls)).toEqual([0, 3000 + JITTER]);
  });

  test("another operation is not held back", async () => {
    const { fetch, calls } = stubFetch((request) =>
      request.url.includes("/members/") ? json(request, []) : lastAnswer(request),
    );
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    await run(sentry.listMembers("acme").toArray());
    expect(at(calls)).toEqual([0, 0]);
  });

  test("a reset that has passed holds nothing back", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, organization, { headers: quota(0, 3) }));
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    vi.setSystemTime(T0 + 3000);
    await run(sentry.getOrganization("acme"));
    expect(at(calls)).toEqual([0, 3000]);
  });

  test("with requests left, or without rate-limit headers (self-hosted), nothing is held back", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      json(request, organization, { headers: index === 0 ? quota(1, 3) : {} }),
    );
    const sentry = client(fetch);
    for (let i = 0; i < 3; i++) await run(sentry.getOrganization("acme"));
    expect(at(calls)).toEqual([0, 0, 0]);
  });

  test("a Retry-After (from a proxy) sets the pause instead of the reset", async () => {
    const { fetch, calls } = stubFetch((request) =>
      json(request, organization, { headers: { ...quota(0, 30), "retry-after": "2" } }),
    );
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    await run(sentry.getOrganization("acme"));
    expect(at(calls)).toEqual([0, 2000 + JITTER]);
  });

  test("a 429 pauses the calls that come during its retry wait too, so they spend no 429", async () => {
    const statuses: number[] = [];
    const { fetch, calls } = stubFetch((request, index) => {
      const response =
        Date.now() < T0 + 2000
          ? json(request, "too frequently", { status: 429, headers: quota(0, 2) })
          : json(request, organization, { headers: quota(39, 3) });
      statuses[index] = response.status;
      return response;
    });
    const sentry = client(fetch);
    const first = settle(sentry.getOrganization("acme"));
    await vi.advanceTimersByTimeAsync(100);
    const second = settle(sentry.getOrganization("acme"));
    await vi.runAllTimersAsync();
    expect((await first).ok && (await second).ok).toBe(true);
    expect(at(calls)).toEqual([0, 2000 + JITTER, 2000 + JITTER]);
    expect(statuses).toEqual([429, 200, 200]);
  });

  test("a pause longer than maxRetryDelayMs is not waited for: the server's answer decides", async () => {
    const { fetch, calls } = exhaustedUntil(30, (request) => json(request, organization, { headers: quota(0, 30) }));
    const sentry = client(fetch, { maxRetryDelayMs: 10_000 });
    await run(sentry.getOrganization("acme"));
    const error = await apiError(run(sentry.getOrganization("acme")));
    expect(at(calls)).toEqual([0, 0]);
    expect(error.kind).toBe("rate_limit");
    expect(error.retryAt).toEqual(new Date(T0 + 30_000));
  });

  test("a bogus reset far ahead does not stop the operation", async () => {
    const { fetch, calls } = stubFetch((request, index) =>
      json(request, organization, { headers: index === 0 ? quota(0, 1e9) : {} }),
    );
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    expect(await run(sentry.getOrganization("acme"))).toEqual(organization);
    expect(await run(sentry.getOrganization("acme"))).toEqual(organization);
    expect(at(calls)).toEqual([0, 0, 0]);
  });

  test("the wait is cut to maxRetryDelayMs when the jitter would pass it", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, organization, { headers: quota(0, 2) }));
    const sentry = client(fetch, { maxRetryDelayMs: 2100 });
    await run(sentry.getOrganization("acme"));
    await run(sentry.getOrganization("acme"));
    expect(at(calls)).toEqual([0, 2100]);
  });

  test("aborting during the wait rejects with exactly the reason, and nothing is sent", async () => {
    const { fetch, calls } = stubFetch(lastAnswer);
    const sentry = client(fetch);
    await run(sentry.getOrganization("acme"));
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const outcome = settle(sentry.getOrganization("acme", { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort(reason);
    const result = await outcome;
    expect(result.ok === false && result.error).toBe(reason);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
  });

  test("onRetry is told of the wait as paced, before it", async () => {
    const seen: { info: RetryInfo; at: number }[] = [];
    const { fetch } = stubFetch(lastAnswer);
    const sentry = client(fetch, { onRetry: (info) => seen.push({ info, at: Date.now() - T0 }) });
    await run(sentry.getOrganization("acme"));
    await run(sentry.getOrganization("acme"));
    expect(seen).toEqual([
      { info: { operation: "getOrganization", attempt: 1, delayMs: 3000 + JITTER, reason: "paced" }, at: 0 },
    ]);
  });
});

describe("createPacer", () => {
  const headers = (remaining: string, reset: number) =>
    new Headers({
      "x-sentry-rate-limit-limit": "40",
      "x-sentry-rate-limit-remaining": remaining,
      "x-sentry-rate-limit-reset": String(reset),
    });
  const url = (slug: string) => `https://sentry.io/api/0/organizations/${slug}/members/?cursor=1:0:0`;

  test("an operation is the method and the path template, without the query", () => {
    expect(operationKey("GET", url("acme"))).toBe("GET /api/0/organizations/{organization_id_or_slug}/members/");
    expect(operationKey("GET", "https://sentry.io/api/0/organizations/2/")).toBe(
      "GET /api/0/organizations/{organization_id_or_slug}/",
    );
  });

  test("a base URL's path prefix is not part of the operation; a path outside the spec is its own", () => {
    expect(operationKey("GET", "https://example.com/sentry/api/0/organizations/acme/repos/")).toBe(
      "GET /api/0/organizations/{organization_id_or_slug}/repos/",
    );
    expect(operationKey("GET", "https://sentry.io/api/0/organizations/acme/teams/")).toBe(
      "GET /api/0/organizations/acme/teams/",
    );
  });

  test("pauses an operation until its reset, then forgets it", () => {
    const pacer = createPacer();
    pacer.note("GET", url("acme"), headers("0", 100), 0);
    expect(pacer.until("GET", url("beta"), 99_999)).toBe(100_000);
    expect(pacer.until("HEAD", url("acme"), 99_999)).toBeUndefined();
    expect(pacer.until("GET", url("acme"), 100_000)).toBeUndefined();
    // Forgotten: a clock set back does not bring it back.
    expect(pacer.until("GET", url("acme"), 0)).toBeUndefined();
  });

  test.each([
    ["requests left", headers("1", 100)],
    ["no reset", new Headers({ "x-sentry-rate-limit-remaining": "0" })],
    ["an unreadable reset", headers("0", Number.NaN)],
    ["no headers", new Headers()],
  ])("%s: no pause", (_, answer) => {
    const pacer = createPacer();
    pacer.note("GET", url("acme"), answer, 0);
    expect(pacer.until("GET", url("acme"), 0)).toBeUndefined();
  });

  test("remembers at most 16 operations, forgetting the oldest", () => {
    const pacer = createPacer();
    const path = (i: number) => `https://sentry.io/api/0/op${i}/`;
    for (let i = 0; i < 17; i++) pacer.note("GET", path(i), headers("0", 100 + i), 0);
    expect(pacer.until("GET", path(0), 0)).toBeUndefined();
    for (let i = 1; i < 17; i++) expect(pacer.until("GET", path(i), 0)).toBe((100 + i) * 1000);
  });

  test("an operation noted again becomes the newest, so it outlasts those noted after its first pause", () => {
    const pacer = createPacer();
    const path = (i: number) => `https://sentry.io/api/0/op${i}/`;
    for (let i = 0; i < 3; i++) pacer.note("GET", path(i), headers("0", 100 + i), 0);
    pacer.note("GET", path(0), headers("0", 200), 0);
    for (let i = 3; i < 17; i++) pacer.note("GET", path(i), headers("0", 100 + i), 0);
    expect(pacer.until("GET", path(0), 0)).toBe(200_000);
    expect(pacer.until("GET", path(1), 0)).toBeUndefined();
  });

  test("a newer answer replaces the pause", () => {
    const pacer = createPacer();
    pacer.note("GET", url("acme"), headers("0", 100), 0);
    pacer.note("GET", url("acme"), headers("0", 160), 0);
    expect(pacer.until("GET", url("acme"), 0)).toBe(160_000);
  });
});
