// The header table the client's tests also run (packages/types/test/header-cases.json), through the
// contract's own consumers: a server whose headers pass here is one the client reads the same way.
import { parseLink, retryAfterAt } from "@sentry-org-api/types/protocol";
import { describe, expect, test } from "vitest";
import { linkCases, rateLimitCases, retryAfterCases, retryAtCases } from "../../types/test/header-cases.js";
import { nextPage, operationPath } from "../src/check/pages.js";
import { rateLimitWait } from "../src/check/rate-limit-wait.js";
import { createValidator, parseLinkHeader } from "../src/index.js";

const validator = createValidator();
// A relative URL: the table's URLs name many origins, which the validator judges only against an absolute one.
const MEMBERS = operationPath("listOrganizationMembers", "acme");
/** The validator's own rule, which the client has no need of: a relation's URL must be absolute. */
const URL_RULE = /^rel="(previous|next)" URL .* is not an absolute URL$/;

/** What the validator says of a members page's `Link`, besides the URL rule. */
const linkVerdict = (link: string) =>
  validator
    .validateResponse({
      method: "GET",
      url: MEMBERS,
      status: 200,
      headers: { link, "content-type": "application/json" },
      body: "[]",
    })
    .violations.filter((violation) => violation.place === "header Link" && !URL_RULE.test(violation.message))
    .map((violation) => violation.message);

describe("Link: the validator and check read every row as the client does", () => {
  test.each(linkCases)("$name", ({ header, error, previous, next }) => {
    if (error !== undefined) {
      expect(linkVerdict(header)).toEqual([`is malformed: ${error}`]);
      expect(nextPage(header)).toBeUndefined();
      return;
    }
    const expected = [previous, next].flatMap((reading) => (reading && "error" in reading ? [reading.error] : []));
    expect(linkVerdict(header)).toEqual(expected);
    expect(nextPage(header)).toEqual(next && "error" in next ? undefined : next);
  });

  test("the package's parseLinkHeader is the shared reading", () => {
    expect(parseLinkHeader).toBe(parseLink);
  });
});

describe("check's wait, read as the client reads a 429", () => {
  const reason = (headers: Headers, now: number) =>
    retryAfterAt(headers.get("retry-after") ?? "", now) === undefined ? "X-Sentry-Rate-Limit-Reset" : "Retry-After";
  const wait = (at: number | null, now: number, headers: Headers) =>
    at === null ? undefined : { ms: Math.max(0, at - now), reason: reason(headers, now) };

  test.each(retryAfterCases)("Retry-After: $name", ({ value, now, at }) => {
    const headers = new Headers({ "retry-after": value });
    expect(rateLimitWait(429, headers, now)).toEqual(wait(at, now, headers));
  });

  test.each(retryAtCases)("when to try again: $name", ({ status, headers: given, now, at }) => {
    const headers = new Headers(given);
    // check waits only once the window is spent: other statuses get no wait from these headers.
    expect(rateLimitWait(status, headers, now)).toEqual(status === 429 ? wait(at, now, headers) : undefined);
  });

  test.each(rateLimitCases)("X-Sentry-Rate-Limit-*: $name", ({ headers: given, rateLimit }) => {
    const headers = new Headers(given);
    // A 200 holds the next request back only when the client reads its window as spent.
    const spent = rateLimit?.remaining === 0 ? rateLimit.reset * 1000 : null;
    expect(rateLimitWait(200, headers, 0)).toEqual(wait(spent, 0, headers));
  });
});
