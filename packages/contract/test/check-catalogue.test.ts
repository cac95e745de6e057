// The parts of the conformance suite that need no server: the catalogue the README repeats, the cases
// derived from the bundled spec, the budget's split and the curl commands.
import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { splitBudget } from "../src/check/budget.js";
import { leniency, negativeCases, positiveCases, rejectedParameters } from "../src/check/cases.js";
import { CHECKS } from "../src/check/catalogue.js";
import { curlCommand } from "../src/check/curl.js";

describe("the catalogue", () => {
  test("the README's table lists every check, in order, with the line --list-checks prints", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const rows = [...readme.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map(([, name, proves]) => ({ name, proves }));
    expect(rows).toEqual(CHECKS.map(({ name, proves }) => ({ name, proves })));
  });
});

describe("cases derived from the bundled spec", () => {
  const cases = (list: { parameter: string; value: string; why: string }[]) =>
    list.map(({ parameter, value, why }) => `${parameter}=${value} (${why})`);

  test("the members list: its enum, bounds and examples; negatives only for what its 400 names", () => {
    expect(cases(positiveCases("listOrganizationMembers"))).toEqual([
      "cursor=100:1:0 (the example)",
      "per_page=1 (the minimum)",
      "per_page=100 (the maximum)",
      "per_page=25 (the example)",
      "query=role:owner (the example)",
      "expand=externalUsers (an enum value)",
    ]);
    expect([...rejectedParameters("listOrganizationMembers")]).toEqual(["cursor", "per_page"]);
    expect(cases(negativeCases("listOrganizationMembers"))).toEqual([
      "cursor= (shorter than 1 character)",
      "cursor=malformed (malformed)",
      "per_page=0 (below the minimum 1)",
      "per_page=101 (above the maximum 100)",
      "per_page=abc (not an integer)",
    ]);
  });

  test("the organization has enum cases and no 400, so no negative parameter cases", () => {
    expect(cases(positiveCases("getOrganization"))).toEqual([
      "detailed=0 (an enum value)",
      "detailed=1 (an enum value)",
      "include_feature_flags=0 (an enum value)",
      "include_feature_flags=1 (an enum value)",
    ]);
    expect(negativeCases("getOrganization")).toEqual([]);
  });

  test("only Sentry's documented leniencies turn a 2xx to a negative case into a warning", () => {
    const lenient = negativeCases("listOrganizationRepositories").filter((c) => leniency(c) !== undefined);
    expect(cases(lenient)).toEqual(["cursor= (shorter than 1 character)", "per_page=0 (below the minimum 1)"]);
  });
});

describe("splitBudget", () => {
  test.for<[string, number[], number, number[]]>([
    ["one each first, in order, when the budget is short", [Infinity, 2, 1], 2, [1, 1, 0]],
    ["every family its demand, the walk the rest", [Infinity, 2, 1], 10, [7, 2, 1]],
    ["no more than demanded", [3, 2], 100, [3, 2]],
    ["the walks share the rest evenly", [Infinity, 1, Infinity], 9, [4, 1, 4]],
    ["nothing from nothing", [Infinity, 1], 0, [0, 0]],
    // In the second round a family needs 1 more while a round is 2: it takes 1, and the walk the rest.
    ["a later round gives no family more than it still wants", [1, 1, 1, 1, 3, Infinity], 12, [1, 1, 1, 1, 3, 5]],
  ])("%s", ([, demands, budget, expected]) => {
    expect(splitBudget(demands, budget)).toEqual(expected);
  });

  test("a large budget is split in whole rounds, not one request at a time", () => {
    expect(splitBudget([Infinity, 5], 1_000_000)).toEqual([999_995, 5]);
  });
});

describe("curlCommand", () => {
  test("names the token's variable, never a value, and quotes the URL for a shell", () => {
    expect(curlCommand("GET", "https://sentry.io/api/0/organizations/acme/?q=it's", "token", "SENTRY_TOKEN")).toBe(
      `curl -i -H "Authorization: Bearer $SENTRY_TOKEN" 'https://sentry.io/api/0/organizations/acme/?q=it'\\''s'`,
    );
    expect(curlCommand("POST", "https://sentry.io/x", "none", "SENTRY_TOKEN")).toBe(
      "curl -i -X POST 'https://sentry.io/x'",
    );
  });
});
