import { RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { describe, expect, test } from "vitest";
import { createSeedData, createValidator, type ResponseToValidate } from "../src/index.js";

const validator = createValidator();
const [acme] = createSeedData({ members: 3, repositories: 3 });
if (!acme) throw new Error("seed data has no organization");

const ORIGIN = "https://us.sentry.io";
const MEMBERS = `${ORIGIN}/api/0/organizations/acme/members/`;
const REPOS = `${ORIGIN}/api/0/organizations/acme/repos/`;
const link = (base: string, next: { results: string; cursor: string }, previousOrigin = ORIGIN) =>
  `<${base.replace(ORIGIN, previousOrigin)}?&cursor=100:0:1>; rel="previous"; results="false"; cursor="100:0:1", ` +
  `<${base}?&cursor=${next.cursor}>; rel="next"; results="${next.results}"; cursor="${next.cursor}"`;

const membersPage = (overrides: Partial<ResponseToValidate> = {}): ResponseToValidate => ({
  method: "GET",
  url: MEMBERS,
  status: 200,
  headers: { "content-type": "application/json", link: link(MEMBERS, { results: "false", cursor: "100:1:0" }) },
  body: JSON.stringify(acme.members),
  ...overrides,
});

const violationsOf = (response: ResponseToValidate) =>
  validator.validateResponse(response).violations.map((v) => `${v.operation} | ${v.place} | ${v.message}`);

/** What JSON.parse says of `text` on this engine. */
function parseFailure(text: string) {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as SyntaxError).message;
  }
  throw new Error(`${text} parses`);
}

describe("valid responses", () => {
  test("a members page with Sentry's headers", () => {
    expect(validator.validateResponse(membersPage())).toEqual({
      valid: true,
      operation: "listOrganizationMembers",
      violations: [],
    });
  });

  test("an organization, by relative URL, with Headers and rate-limit headers", () => {
    const headers = new Headers({
      "content-type": "application/json; charset=utf-8",
      [RATE_LIMIT_HEADERS.remaining]: "39",
    });
    const result = validator.validateResponse({
      method: "get",
      url: "/api/0/organizations/2/?detailed=0",
      status: 200,
      headers,
      body: JSON.stringify(acme.organization),
    });
    expect(result).toEqual({ valid: true, operation: "getOrganization", violations: [] });
  });

  test("a 429 with Sentry's bare-string body served as text/html", () => {
    const body = JSON.stringify(
      "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds",
    );
    const response = membersPage({ status: 429, headers: { "content-type": "text/html; charset=utf-8" }, body });
    expect(violationsOf(response)).toEqual([]);
  });

  test("a 429's text/html body that is not JSON is read as the text it is", () => {
    const body = "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds";
    const response = membersPage({ status: 429, headers: { "content-type": "text/html; charset=utf-8" }, body });
    expect(violationsOf(response)).toEqual([]);
  });

  test("a media type is read without its case or the spaces around it", () => {
    const response = membersPage({
      headers: { ...membersPage().headers, "content-type": " Application/JSON ; charset=utf-8" },
    });
    expect(violationsOf(response)).toEqual([]);
  });

  test("a repositories page with X-Hits and headers given as arrays", () => {
    const response: ResponseToValidate = {
      method: "GET",
      url: `${REPOS}?per_page=3`,
      status: 200,
      headers: {
        "Content-Type": ["application/json"],
        Link: [link(REPOS, { results: "true", cursor: "3:1:0" })],
        "X-Hits": "124",
      },
      body: JSON.stringify(acme.repositories),
    };
    expect(violationsOf(response)).toEqual([]);
  });
});

describe("operation and status", () => {
  test("an undocumented path", () => {
    expect(violationsOf(membersPage({ url: `${ORIGIN}/api/0/organizations/acme/teams/` }))).toEqual([
      "GET /api/0/organizations/acme/teams/ | path | no documented operation for GET /api/0/organizations/acme/teams/",
    ]);
  });

  test("a method other than GET", () => {
    expect(violationsOf(membersPage({ method: "POST" }))).toEqual([
      "POST /api/0/organizations/acme/members/ | path | no documented operation for POST /api/0/organizations/acme/members/",
    ]);
  });

  test("a path parameter outside the spec's pattern", () => {
    const url = `${ORIGIN}/api/0/organizations/a%20b/members/`;
    expect(violationsOf(membersPage({ url }))).toEqual([
      'listOrganizationMembers | path organization_id_or_slug | "a b" must match pattern "^[A-Za-z0-9_-]+$"',
    ]);
  });

  test("an undocumented status lists the documented ones", () => {
    expect(violationsOf(membersPage({ status: 418 }))).toEqual([
      "listOrganizationMembers | status | 418 is not documented (documented: 200, 400, 401, 403, 404, 429, 500)",
    ]);
  });
});

describe("content type and body", () => {
  test("a content type the spec does not list for the status", () => {
    const response = membersPage({
      headers: { "content-type": "text/plain", link: link(MEMBERS, { results: "false", cursor: "1:1:0" }) },
    });
    expect(violationsOf(response)).toEqual([
      'listOrganizationMembers | header Content-Type | "text/plain"; expected application/json',
    ]);
  });

  test("a missing content type still gets its body checked", () => {
    const response = membersPage({
      headers: { link: link(MEMBERS, { results: "false", cursor: "1:1:0" }) },
      body: "{}",
    });
    expect(violationsOf(response)).toEqual([
      "listOrganizationMembers | header Content-Type | is missing; expected application/json",
      "listOrganizationMembers | body | must be array",
    ]);
  });

  test("a truncated body", () => {
    const body = JSON.stringify(acme.members).slice(0, 40);
    // The reason is the engine's own words, which differ between Node versions.
    expect(parseFailure(body)).toMatch(/^Unterminated string in JSON at position 40/);
    expect(violationsOf(membersPage({ body }))).toEqual([
      `listOrganizationMembers | body | is not valid JSON (${parseFailure(body)}): ${JSON.stringify(`${body.slice(0, 60)}`)}`,
    ]);
  });

  test("an HTML page where JSON is documented", () => {
    const body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    expect(violationsOf(membersPage({ body }))).toEqual([
      `listOrganizationMembers | body | is not valid JSON (${parseFailure(body)}): "<html><body><h1>502 Bad Gateway</h1></body></html>"`,
    ]);
  });

  test("an empty body", () => {
    expect(violationsOf(membersPage({ body: "" }))).toEqual(["listOrganizationMembers | body | is empty"]);
  });

  test("schema violations name the place inside the body", () => {
    const members = structuredClone(acme.members) as unknown as Record<string, unknown>[];
    members[1] = { ...members[1], id: 1001, user: "jane" };
    delete members[2]?.flags;
    expect(violationsOf(membersPage({ body: JSON.stringify(members) }))).toEqual([
      "listOrganizationMembers | body/1/id | must be string",
      "listOrganizationMembers | body/1/user | must be object",
      "listOrganizationMembers | body/1/user | must be null",
      "listOrganizationMembers | body/1/user | must match exactly one schema in oneOf",
      "listOrganizationMembers | body/2 | must have required property 'flags'",
    ]);
  });

  test("an enum violation lists the allowed values", () => {
    const organization = { ...acme.organization, status: { id: "archived", name: "archived" } };
    const result = validator.validateResponse({
      method: "GET",
      url: `${ORIGIN}/api/0/organizations/acme/`,
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(organization),
    });
    expect(result.violations).toEqual([
      {
        operation: "getOrganization",
        place: "body/status/id",
        message:
          'must be equal to one of the allowed values: "active", "pending_deletion", "deletion_in_progress", "relocation_pending_approval"',
      },
    ]);
  });

  test("unknown properties are allowed, as Sentry adds fields over time", () => {
    const members = acme.members.map((member) => ({ ...member, newField: { added: "2027" } }));
    expect(violationsOf(membersPage({ body: JSON.stringify(members) }))).toEqual([]);
  });
});

describe("headers", () => {
  const withLink = (value: string | undefined) =>
    membersPage({ headers: { "content-type": "application/json", ...(value === undefined ? {} : { link: value }) } });

  test("a paginated 200 without Link", () => {
    expect(violationsOf(withLink(undefined))).toEqual(["listOrganizationMembers | header Link | is missing"]);
  });

  test("a malformed Link", () => {
    expect(violationsOf(withLink('<https://us.sentry.io/x>; rel="next'))).toEqual([
      "listOrganizationMembers | header Link | is malformed: unclosed quote at character 30",
    ]);
  });

  test("a Link without previous, and a next without results or cursor: the first thing the client would miss", () => {
    expect(violationsOf(withLink(`<${MEMBERS}?&cursor=x>; rel="next"`))).toEqual([
      'listOrganizationMembers | header Link | has no rel="previous"',
      'listOrganizationMembers | header Link | rel="next" has no results="true|false"',
    ]);
  });

  test("a next URL on another origin", () => {
    const value = link(MEMBERS.replace(ORIGIN, "https://evil.example"), { results: "true", cursor: "100:1:0" });
    expect(violationsOf(withLink(value))).toEqual([
      'listOrganizationMembers | header Link | rel="previous" points at https://evil.example, not the request\'s origin https://us.sentry.io',
      'listOrganizationMembers | header Link | rel="next" points at https://evil.example, not the request\'s origin https://us.sentry.io',
    ]);
  });

  test("a trusted customer domain is accepted", () => {
    const customer = createValidator({ trustedLinkOrigins: ["https://acme.sentry.io/"] });
    const value = link(MEMBERS.replace(ORIGIN, "https://acme.sentry.io"), { results: "true", cursor: "100:1:0" });
    expect(customer.validateResponse(withLink(value)).violations).toEqual([]);
  });

  test("integer headers that are not integers", () => {
    const response: ResponseToValidate = {
      ...membersPage(),
      url: REPOS,
      headers: {
        "content-type": "application/json",
        link: link(REPOS, { results: "false", cursor: "100:1:0" }),
        "x-hits": "many",
        [RATE_LIMIT_HEADERS.reset]: "1732831200.5",
        [RATE_LIMIT_HEADERS.remaining]: "-1",
      },
      body: "[]",
    };
    expect(violationsOf(response)).toEqual([
      'listOrganizationRepositories | header X-Hits | "many" is not an integer',
      "listOrganizationRepositories | header X-Sentry-Rate-Limit-Remaining | -1 must be >= 0",
      'listOrganizationRepositories | header X-Sentry-Rate-Limit-Reset | "1732831200.5" is not an integer',
    ]);
  });
});
