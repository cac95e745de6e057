// The header table the contract's tests also run (packages/types/test/header-cases.json), through the
// client's own consumers: the paginator, the retry wait, a failed call's `retryAt`, a page's
// `rateLimit` and pacing. A server whose headers the validator and `check` pass is one the client
// reads the same way.
import { afterEach, describe, expect, test, vi } from "vitest";
import { linkCases, rateLimitCases, retryAfterCases, retryAtCases } from "../../types/test/header-cases.js";
import { createSentryClient, type Page } from "../src/index.js";
import { createPacer } from "../src/pacing.js";
import { serverDelay } from "../src/retry-policy.js";
import { apiError, json, LAST_PAGE_LINK, stubFetch } from "./stub-fetch.js";

const MEMBERS = "https://sentry.io/api/0/organizations/acme/members/";

afterEach(() => {
  vi.useRealTimers();
});

/** A client whose every answer is `status` with `headers`, and no retries. */
function clientAnswering(status: number, headers: Record<string, string>) {
  const { fetch } = stubFetch((request) => json(request, status < 300 ? [] : { detail: "no" }, { status, headers }));
  return createSentryClient({ token: "test-token", fetch, maxRetries: 0 });
}

/** The first page of a members list whose answer carries `headers`. */
async function firstPage(headers: Record<string, string>): Promise<Page<unknown>> {
  const { value } = await clientAnswering(200, headers).listMembers("acme").pages().next();
  return value as Page<unknown>;
}

/** The cursor a relation's reading gives a page: its cursor when that page has items, else `null`. */
const cursorOf = (reading: { results: boolean; cursor: string }) => (reading.results ? reading.cursor : null);

describe("Link: the paginator reads every row as the validator does", () => {
  test.each(linkCases)("$name", async ({ header, error, next, previous }) => {
    if (error !== undefined) {
      const failure = await apiError(firstPage({ link: header }));
      expect([failure.kind, failure.message]).toEqual([
        "invalid_response",
        `listMembers: the Link header is malformed: ${error}`,
      ]);
      return;
    }
    if (next === undefined || "error" in next) {
      const failure = await apiError(firstPage({ link: header }));
      expect([failure.kind, failure.message]).toEqual([
        "invalid_response",
        `listMembers: the Link header ${next?.error}`,
      ]);
      return;
    }
    const page = await firstPage({ link: header });
    expect(page.nextCursor).toBe(cursorOf(next));
    // A walk needs only next: an unusable previous leaves prevCursor null, and the validator reports it.
    expect(page.prevCursor).toBe(previous === undefined || "error" in previous ? null : cursorOf(previous));
  });
});

describe("Retry-After and X-Sentry-Rate-Limit-Reset: the retry wait and a 429's retryAt", () => {
  /** The wait the retry policy takes from an answer, as the table's `at` says it should be. */
  const expectedDelay = (at: number | null, now: number) => (at === null ? undefined : Math.max(0, at - now));

  test.each(retryAfterCases)("Retry-After: $name", async ({ value, now, at }) => {
    expect(serverDelay(new Response(null, { status: 503, headers: { "retry-after": value } }), now)).toBe(
      expectedDelay(at, now),
    );
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const failure = await apiError(clientAnswering(429, { "retry-after": value }).getOrganization("acme"));
    expect(failure.retryAt?.getTime()).toBe(at ?? undefined);
  });

  test.each(retryAtCases)("when to try again: $name", async ({ status, headers, now, at }) => {
    expect(serverDelay(new Response(null, { status, headers }), now)).toBe(expectedDelay(at, now));
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const failure = await apiError(clientAnswering(status, headers).getOrganization("acme"));
    // Only a 429 says when the rate limit lets the call through again.
    expect(failure.retryAt?.getTime()).toBe(status === 429 ? (at ?? undefined) : undefined);
  });
});

describe("X-Sentry-Rate-Limit-*: a page's rateLimit and pacing", () => {
  test.each(rateLimitCases)("$name", async ({ headers, rateLimit }) => {
    const page = await firstPage({ link: LAST_PAGE_LINK, ...headers });
    expect(page.rateLimit).toEqual(rateLimit ?? undefined);
    // The next request waits for the reset exactly when the reading says the window is spent.
    const pacer = createPacer();
    pacer.note("GET", MEMBERS, new Headers(headers), 0);
    expect(pacer.until("GET", MEMBERS, -1)).toBe(rateLimit?.remaining === 0 ? rateLimit.reset * 1000 : undefined);
  });
});
