// The conformance suite against Sentries with one defect each: every defect fails the check that is about
// it (and only the checks the defect really breaks), and exits 1; the mock passes; a server as lenient as
// Sentry passes with a warning.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CheckReport, CheckResult, MockServer } from "../src/index.js";
import { runCheck, startMockServer } from "../src/index.js";
import {
  type Answer,
  type Defect,
  type Forwarded,
  pathOf,
  queryOf,
  startBrokenSentry,
  withQuery,
} from "./broken-sentry.js";
import { runCli } from "./cli-run.js";

const MEMBERS = "/api/0/organizations/acme/members/";
const REPOS = "/api/0/organizations/acme/repos/";

const runCheckCli = (baseUrl: string, token: string, ...more: string[]) =>
  runCli(
    ["check", "--org", "acme", "--base-url", baseUrl, "--token-env", "BROKEN_TOKEN", "--format", "json", ...more],
    { BROKEN_TOKEN: token },
  );

const failedChecks = (report: CheckReport) =>
  report.checks.filter((check) => check.outcome === "failed").map((check) => check.name);

const json = (answer: Answer) => JSON.parse(answer.body) as Record<string, unknown>[];
const withBody = (answer: Answer, body: unknown): Answer => ({ ...answer, body: JSON.stringify(body) });
const isMembersPage = (request: Forwarded, page: number) =>
  pathOf(request.path) === MEMBERS && (queryOf(request.path).get("cursor")?.split(":")[1] ?? "0") === String(page);

/** How often each members page 2 (path and query) was served with a 200, for the server whose page 2 changes. */
const pagesServed = new Map<string, number>();

/** Members page 1's last item, which the repeating server serves again on page 2. */
let lastOfPage1: unknown;

/** Each defect, the checks it must fail (check and operation), and what the first failure must say. */
const DEFECTS: [string, Defect, string[], Partial<CheckResult["failures"][number]>][] = [
  [
    "per_page ignored (members)",
    {
      before: (request) =>
        pathOf(request.path) === MEMBERS
          ? { ...request, path: withQuery(request.path, (q) => q.delete("per_page")) }
          : request,
    },
    ["negative_data_rejection listOrganizationMembers", "pagination_page_size listOrganizationMembers"],
    { case: "per_page=101 (above the maximum 100)", expected: "400", status: 200 },
  ],
  [
    "a 500 to a malformed cursor (members)",
    {
      after: (request, answer) =>
        pathOf(request.path) === MEMBERS && queryOf(request.path).get("cursor") === "malformed"
          ? withBody({ ...answer, status: 500 }, { detail: "Internal Error", errorId: "4f2a" })
          : answer,
    },
    ["not_a_server_error listOrganizationMembers", "negative_data_rejection listOrganizationMembers"],
    { case: "cursor=malformed (malformed)", status: 500, place: "status", excerpt: "Internal Error" },
  ],
  [
    "an item repeated across pages (members)",
    {
      after: (request, answer) => {
        if (request.method !== "GET" || answer.status !== 200) return answer;
        if (isMembersPage(request, 0) && !queryOf(request.path).has("per_page")) lastOfPage1 = json(answer).at(-1);
        if (!isMembersPage(request, 1)) return answer;
        return withBody(answer, [lastOfPage1, ...json(answer).slice(1)]);
      },
    },
    ["pagination_unique_ids listOrganizationMembers"],
    { case: "page 2", place: "body", message: 'id "1099" was already on page 1' },
  ],
  [
    "a page larger than per_page (members)",
    {
      after: (request, answer) =>
        pathOf(request.path) === MEMBERS && queryOf(request.path).has("per_page") && answer.status === 200
          ? withBody(answer, [...json(answer), { ...json(answer)[0], id: "999999" }])
          : answer,
    },
    ["pagination_page_size listOrganizationMembers"],
    { case: "per_page=1 (the minimum)", message: "holds 2 items, more than per_page 1" },
  ],
  [
    "a previous link that names the page itself (members)",
    {
      after: (request, answer) => {
        const cursor = queryOf(request.path).get("cursor");
        if (pathOf(request.path) !== MEMBERS || !cursor || !answer.headers.link) return answer;
        const link = answer.headers.link.replace(
          /cursor=([^>]*)>; rel="previous"; results="true"; cursor="[^"]*"/,
          () => `cursor=${cursor}>; rel="previous"; results="true"; cursor="${cursor}"`,
        );
        return { ...answer, headers: { ...answer.headers, link } };
      },
    },
    ["pagination_previous_link listOrganizationMembers"],
    { case: "page 2's previous link", place: "body" },
  ],
  [
    'page 1\'s previous link with results="true" (members)',
    {
      after: (request, answer) =>
        isMembersPage(request, 0) && answer.headers.link
          ? {
              ...answer,
              headers: {
                ...answer.headers,
                link: answer.headers.link.replace('rel="previous"; results="false"', 'rel="previous"; results="true"'),
              },
            }
          : answer,
    },
    ["pagination_previous_link listOrganizationMembers"],
    { place: "header Link", message: 'page 1\'s previous says results="true"' },
  ],
  [
    "a previous link from page 2 that answers 500 (members)",
    {
      after: (request, answer) => {
        const cursor = queryOf(request.path).get("cursor");
        // Page 2's previous cursor (`…:0:1`) points back at page 1; the walk itself never sends it.
        return pathOf(request.path) === MEMBERS && cursor?.endsWith(":0:1")
          ? withBody({ ...answer, status: 500 }, { detail: "Internal Error" })
          : answer;
      },
    },
    ["not_a_server_error listOrganizationMembers", "pagination_previous_link listOrganizationMembers"],
    { case: "page 2's previous link", status: 500 },
  ],
  [
    "a page that changes when asked again (members)",
    {
      after: (request, answer) => {
        const walked = isMembersPage(request, 1) && !queryOf(request.path).has("per_page");
        if (!walked || answer.status !== 200) return answer;
        const seen = pagesServed.get(request.path) ?? 0;
        pagesServed.set(request.path, seen + 1);
        // The same items in another order: only a check that asks for the page again can tell.
        return seen === 0 ? answer : withBody(answer, json(answer).reverse());
      },
    },
    ["cursor_stable listOrganizationMembers"],
    { place: "body", message: expect.stringMatching(/^ids /) },
  ],
  [
    "an X-Hits one over the total (repositories)",
    {
      after: (request, answer) =>
        pathOf(request.path) === REPOS && answer.headers["x-hits"]
          ? { ...answer, headers: { ...answer.headers, "x-hits": String(Number(answer.headers["x-hits"]) + 1) } }
          : answer,
    },
    ["x_hits_total listOrganizationRepositories"],
    { place: "header X-Hits", message: "is 121", expected: "X-Hits equal to the 120 items walked" },
  ],
  [
    "authentication skipped on one operation (repositories)",
    {
      before: (request) =>
        pathOf(request.path) === REPOS ? { ...request, authorization: `Bearer ${mock.token}` } : request,
    },
    ["ignored_auth listOrganizationRepositories"],
    { case: "no token", expected: "401", status: 200 },
  ],
  [
    "a members query filter ignored",
    {
      before: (request) =>
        pathOf(request.path) === MEMBERS
          ? { ...request, path: withQuery(request.path, (q) => q.delete("query")) }
          : request,
    },
    ["filter_holds listOrganizationMembers"],
    { place: "body", status: 200 },
  ],
  [
    "a 200 to POST",
    { before: (request) => ({ ...request, method: "GET" }) },
    [
      "unsupported_method getOrganization",
      "unsupported_method listOrganizationMembers",
      "unsupported_method listOrganizationRepositories",
    ],
    { case: "POST, which the path does not document", expected: "405", status: 200 },
  ],
  [
    "a wrong Content-Type on a 404",
    {
      after: (_request, answer) =>
        answer.status === 404 ? { ...answer, headers: { ...answer.headers, "content-type": "text/html" } } : answer,
    },
    [
      "content_type_conformance getOrganization",
      "content_type_conformance listOrganizationMembers",
      "content_type_conformance listOrganizationRepositories",
    ],
    {
      case: "an unknown organization (sentry-org-api-check-no-such-organization)",
      status: 404,
      place: "header Content-Type",
      excerpt: "text/html",
    },
  ],
  [
    "a required field missing on page 3 only (members)",
    {
      after: (request, answer) => {
        if (!isMembersPage(request, 2) || answer.status !== 200) return answer;
        const [first, ...rest] = json(answer);
        const { email: _email, ...withoutEmail } = first ?? {};
        return withBody(answer, [withoutEmail, ...rest]);
      },
    },
    ["response_schema_conformance listOrganizationMembers"],
    { case: "page 3", place: "body/0", message: "must have required property 'email'" },
  ],
];

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

describe("check against a Sentry with one defect", () => {
  test.for(DEFECTS)("%s", async ([, defect, failing, first]) => {
    const broken = await startBrokenSentry(mock.url, defect);
    try {
      const run = await runCheckCli(broken.url, mock.token);
      expect(run.stderr).not.toContain("sentry-org-api:");
      const report = JSON.parse(run.stdout) as CheckReport;
      expect(failedChecks(report)).toEqual(failing);
      expect(run.code).toBe(1);
      const result = report.checks.find((check) => check.name === failing[0]);
      expect(result?.failures[0]).toMatchObject(first);
      // Every failure can be reproduced with the token read from the environment, never printed.
      expect(result?.failures[0]?.curl).toMatch(/^curl -i .*'http:\/\/127\.0\.0\.1:\d+\/api\/0\/organizations\//);
      expect(run.stdout).not.toContain(mock.token);
    } finally {
      await broken.close();
    }
  });
});

describe("check against servers that keep the contract", () => {
  test("it is paced by the rate-limit headers: a mock holding members to 5 requests a window gets no 429", async () => {
    const limited = await startMockServer({ rateLimit: { listOrganizationMembers: 5 } });
    const statuses: number[] = [];
    try {
      const report = await runCheck({
        baseUrl: limited.url,
        token: limited.token,
        org: "acme",
        operations: ["listOrganizationMembers"],
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          statuses.push(response.status);
          return response;
        },
      });
      expect(report.failed).toBe(0);
      expect(statuses.length).toBeGreaterThan(10);
      expect(statuses.filter((status) => status === 429)).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  test("the plain mock passes every check, with the empty cursor Sentry accepts as a warning", async () => {
    const run = await runCheckCli(mock.url, mock.token);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report).toMatchObject({ failed: 0, notRun: 0, warnings: 2 });
    expect(report.checks.every((check) => check.outcome === "passed")).toBe(true);
    expect(report.checks.flatMap((check) => check.warnings.map((w) => `${check.name}: ${w.case}`))).toEqual([
      "negative_data_rejection listOrganizationMembers: cursor= (shorter than 1 character)",
      "negative_data_rejection listOrganizationRepositories: cursor= (shorter than 1 character)",
    ]);
  });

  test("a Sentry-like server that serves empty pages for per_page=0 passes with a warning", async () => {
    const lenient = await startBrokenSentry(mock.url, {
      before: (request) =>
        queryOf(request.path).get("per_page") === "0"
          ? { ...request, path: withQuery(request.path, (q) => q.set("per_page", "1")) }
          : request,
      after: (request, answer) => (queryOf(request.path).get("per_page") === "0" ? withBody(answer, []) : answer),
    });
    try {
      const run = await runCheckCli(lenient.url, mock.token);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as CheckReport;
      expect(report.failed).toBe(0);
      const members = report.checks.find((check) => check.name === "negative_data_rejection listOrganizationMembers");
      expect(members?.warnings).toContainEqual(
        expect.objectContaining({
          case: "per_page=0 (below the minimum 1)",
          expected: "400",
          status: 200,
          message: "Sentry serves empty pages for per_page below 1 instead of refusing it",
        }),
      );
    } finally {
      await lenient.close();
    }
  });
});
