// The check's internal modules on their own: what a server's answer or a network failure turns into, without
// a server or a whole run.
import { afterEach, describe, expect, test, vi } from "vitest";
import type { CheckReport } from "../src/check/check.js";
import { filterBreach, filtersOf } from "../src/check/checks/filters.js";
import { askedPageSize } from "../src/check/checks/pagination.js";
import { formatReport } from "../src/check/report.js";
import { sendBounded } from "../src/check/request.js";
import type { CheckResult, Finding } from "../src/check/verdicts.js";

describe("askedPageSize", () => {
  test("takes per_page up to the spec's maximum 100 and nothing past it", () => {
    expect(askedPageSize("/api/0/organizations/acme/members/?per_page=100")).toBe(100);
    expect(askedPageSize("/api/0/organizations/acme/members/?per_page=101")).toBeUndefined();
  });
});

describe("the documented filters", () => {
  test("the repositories' status filter asks for active, then deleted", () => {
    expect(filtersOf("listOrganizationRepositories").map((filter) => filter.value([]))).toEqual(["active", "deleted"]);
  });

  test("the members' email filter searches for the first address on the page, stepping over null items", () => {
    const [byEmail] = filtersOf("listOrganizationMembers");
    if (!byEmail) throw new Error("no email filter on listOrganizationMembers");
    const value = byEmail.value([null, 7, { email: "jane@example.com" }]);
    expect(value).toBe("email:jane@example.com");
    expect(filterBreach(byEmail, "email:jane@example.com", [{ email: "joe@example.com" }])).toBe(
      "item 0 does not satisfy email is jane@example.com (1 items returned)",
    );
  });
});

describe("the text report", () => {
  test("says how many findings of a check it leaves out", () => {
    const finding: Finding = {
      case: "no parameters",
      expected: "200",
      status: 500,
      place: "status",
      message: "",
      curl: "curl https://sentry.example/api/0/organizations/acme/",
      count: 1,
    };
    const check: CheckResult = {
      name: "positive_data_acceptance getOrganization",
      check: "positive_data_acceptance",
      operation: "getOrganization",
      outcome: "failed",
      ok: false,
      summary: "5 of 5 answers failed",
      failures: [finding],
      warnings: [],
      unlisted: { failures: 2, warnings: 0 },
    };
    const report: CheckReport = {
      baseUrl: "https://sentry.example",
      org: "acme",
      checks: [check],
      passed: 0,
      failed: 1,
      notRun: 0,
      warnings: 0,
      requests: 5,
      durationMs: 100,
    };
    expect(formatReport(report, "text").split("\n")).toContain(
      "  positive_data_acceptance getOrganization: 2 more, not listed",
    );
  });
});

describe("sendBounded", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const options = (fetch: typeof globalThis.fetch) => ({
    headers: {},
    timeoutMs: 30_000,
    stop: new AbortController().signal,
    maxBodyBytes: 1024,
    fetch,
  });

  test("leaves no timer behind once the answer is read: a finished run does not wait out the timeout", async () => {
    vi.useFakeTimers();
    const fetch = (async () => new Response("{}", { status: 200 })) as typeof globalThis.fetch;
    const answer = await sendBounded("https://sentry.example/api/0/", options(fetch));
    expect(answer).toMatchObject({ status: 200, body: "{}", complete: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  test("reads a network error's causes at most five deep: a hostile chain is not walked to its end", async () => {
    // Seven errors deep, the last with a code: past the bound, so the fifth cause's words are given instead.
    let cause: Error = Object.assign(new Error("the seventh"), { code: "ESEVENTH" });
    for (const words of ["the sixth", "the fifth", "the fourth", "the third", "the second", "fetch failed"])
      cause = new Error(words, { cause });
    const fetch = (async () => {
      throw cause;
    }) as typeof globalThis.fetch;
    await expect(sendBounded("https://sentry.example/api/0/", options(fetch))).rejects.toThrow(
      "no answer from sentry.example:443: the sixth",
    );
  });
});
