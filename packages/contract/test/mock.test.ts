import { OPERATION_RATE_LIMITS, PER_PAGE, RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import {
  createValidator,
  DEFAULT_MOCK_TOKEN,
  type FaultTarget,
  type LinkRelation,
  type MockFault,
  parseLinkHeader,
  type ResponseValidator,
  type Violation,
} from "../src/index.js";
import { type MockData, type MockUnderTest, TRANSPORTS } from "./mock-transports.js";

const ORG = "/api/0/organizations/acme/";
const MEMBERS = "/api/0/organizations/acme/members/";
const REPOS = "/api/0/organizations/acme/repos/";
const TINY_ID = "4504256489865216";
/** sentry.io's rate as the spec states it, which the mock holds every operation to. */
const MEMBERS_RATE = OPERATION_RATE_LIMITS.listOrganizationMembers;
const NOT_FOUND = "The requested resource does not exist";
const FOREIGN_ORIGIN = "https://acme.sentry.io";

const validator = createValidator();
/** The three documented paths, as the mock and the validator match them: any single segment as the organization. */
const DOCUMENTED_PATH = /^\/api\/0\/organizations\/[^/?]+\/(?:(?:members|repos)\/)?(?:\?|$)/;

interface Answer {
  response: Response;
  body: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  json: any;
  /** What the validator reports for a GET to a documented path; `[]` for anything else. */
  violations: Violation[];
}

interface SendOptions {
  method?: string;
  /** The bearer token; `null` sends no Authorization header. Default: the mock's own token. */
  token?: string | null;
  headers?: Record<string, string>;
  validator?: ResponseValidator;
}

/** Sends one request and validates the answer when it is a GET to a documented path. Asserts nothing. */
async function send(server: MockUnderTest, path: string, options: SendOptions = {}): Promise<Answer> {
  const method = options.method ?? "GET";
  const token = options.token === undefined ? server.token : options.token;
  const url = `${server.url}${path}`;
  const response = await server.fetch(url, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...options.headers },
  });
  const body = await response.text();
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const violations =
    method === "GET" && DOCUMENTED_PATH.test(path)
      ? (options.validator ?? validator).validateResponse({
          method,
          url,
          status: response.status,
          headers: response.headers,
          body,
        }).violations
      : [];
  return { response, body, json, violations };
}

/** Sends one request and asserts that the validator finds nothing wrong with the answer. */
async function get(server: MockUnderTest, path: string, options: SendOptions = {}): Promise<Answer> {
  const answer = await send(server, path, options);
  expect(answer.violations, `${options.method ?? "GET"} ${path} answered ${answer.response.status}`).toEqual([]);
  return answer;
}

function links(response: Response): { previous: LinkRelation; next: LinkRelation } {
  const header = response.headers.get("link");
  expect(header, "Link header").toBeTypeOf("string");
  const relations = parseLinkHeader(header ?? "");
  const previous = relations.find((relation) => relation.params.rel === "previous");
  const next = relations.find((relation) => relation.params.rel === "next");
  expect(previous, 'rel="previous"').toBeDefined();
  expect(next, 'rel="next"').toBeDefined();
  return { previous: previous as LinkRelation, next: next as LinkRelation };
}

interface Walk {
  items: any[];
  pages: { previous: LinkRelation; next: LinkRelation; size: number }[];
}

/** Follows the `cursor` of rel="next" while its results is "true", as a client should. */
async function walk(server: MockUnderTest, path: string, perPage: number, extra: Record<string, string> = {}) {
  const result: Walk = { items: [], pages: [] };
  let cursor: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const params = new URLSearchParams({ ...extra, per_page: String(perPage) });
    if (cursor !== undefined) params.set("cursor", cursor);
    const { response, json } = await get(server, `${path}?${params}`);
    expect(response.status).toBe(200);
    expect(Array.isArray(json)).toBe(true);
    expect(json.length).toBeLessThanOrEqual(perPage);
    const { previous, next } = links(response);
    result.items.push(...json);
    result.pages.push({ previous, next, size: json.length });
    if (next.params.results !== "true") return result;
    cursor = next.params.cursor;
    expect(cursor).toBeTruthy();
  }
  throw new Error(`pagination of ${path} did not end`);
}

function expectRateLimitHeaders(response: Response) {
  for (const name of Object.values(RATE_LIMIT_HEADERS)) {
    expect(response.headers.get(name), name).toMatch(/^\d+$/);
  }
}

describe.each(TRANSPORTS)("the mock over $name", ({ name, start }) => {
  describe("seed data", () => {
    let server: MockUnderTest;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server.close());

    test.each([100, 7])("acme's 250 members come once each, sorted by id, with per_page %i", async (perPage) => {
      const { items, pages } = await walk(server, MEMBERS, perPage);
      expect(items).toHaveLength(250);
      expect(pages).toHaveLength(Math.ceil(250 / perPage));
      const ids = items.map((member) => Number(member.id));
      expect(new Set(ids).size).toBe(250);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(items.every((member) => typeof member.id === "string")).toBe(true);
    });

    test("acme's members mix invites, expired invites, owners, managers and SSO-linked members", async () => {
      const { items } = await walk(server, MEMBERS, 100);
      const invites = items.filter((member) => member.user === null);
      expect(invites.length).toBeGreaterThan(0);
      expect(invites.every((member) => member.pending === true && member.name === member.email)).toBe(true);
      expect(invites.some((member) => member.expired === true)).toBe(true);
      expect(items.some((member) => member.orgRole === "owner")).toBe(true);
      expect(items.some((member) => member.orgRole === "manager")).toBe(true);
      expect(items.some((member) => member.flags["sso:linked"] === true)).toBe(true);
      expect(items.filter((member) => member.user !== null).every((member) => member.pending === false)).toBe(true);
    });

    test("acme has 120 active repositories", async () => {
      const { items } = await walk(server, REPOS, 100);
      expect(items).toHaveLength(120);
      expect(new Set(items.map((repository) => repository.id)).size).toBe(120);
      expect(items.every((repository) => repository.status === "active")).toBe(true);
      const names = items.map((repository) => repository.name);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      const first = await get(server, REPOS);
      expect(first.response.headers.get("x-hits")).toBe("120");
    });

    test("acme answers the same by its numeric id as by its slug", async () => {
      const bySlug = await get(server, ORG);
      const byId = await get(server, "/api/0/organizations/2/");
      expect(bySlug.response.status).toBe(200);
      expect(byId.response.status).toBe(200);
      expect(byId.body).toBe(bySlug.body);
      expect(bySlug.json).toMatchObject({ id: "2", slug: "acme" });
      const membersById = await get(server, "/api/0/organizations/2/members/?per_page=5");
      const membersBySlug = await get(server, `${MEMBERS}?per_page=5`);
      expect(membersById.body).toBe(membersBySlug.body);
    });

    test("tiny has one member and no repositories", async () => {
      for (const org of ["tiny", TINY_ID]) {
        const organization = await get(server, `/api/0/organizations/${org}/`);
        expect(organization.json).toMatchObject({ id: TINY_ID, slug: "tiny" });
        const members = await get(server, `/api/0/organizations/${org}/members/`);
        expect(members.response.status).toBe(200);
        expect(members.json).toHaveLength(1);
        const repositories = await get(server, `/api/0/organizations/${org}/repos/`);
        expect(repositories.response.status).toBe(200);
        expect(repositories.json).toEqual([]);
        expect(repositories.response.headers.get("x-hits")).toBe("0");
        const { previous, next } = links(repositories.response);
        expect([previous.params.results, next.params.results]).toEqual(["false", "false"]);
      }
    });

    test("members: 1000 gives acme 1000 members", async () => {
      const big = await start({ members: 1000 });
      try {
        const { items } = await walk(big, MEMBERS, 100);
        expect(items).toHaveLength(1000);
        expect(new Set(items.map((member) => member.id)).size).toBe(1000);
      } finally {
        await big.close();
      }
    });
  });

  describe("pagination", () => {
    let server: MockUnderTest;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server.close());

    test.each([MEMBERS, REPOS])("%s sends Link with both relations on every page", async (path) => {
      const { pages } = await walk(server, path, 7);
      expect(pages.length).toBeGreaterThan(2);
      const first = pages[0];
      const last = pages.at(-1);
      expect(first?.previous.params.results).toBe("false");
      expect(first?.next.params.results).toBe("true");
      expect(last?.previous.params.results).toBe("true");
      expect(last?.next.params.results).toBe("false");
      for (const page of pages.slice(1, -1)) {
        expect([page.previous.params.results, page.next.params.results]).toEqual(["true", "true"]);
        expect(page.size).toBe(7);
      }
    });

    test("previous leads back to the page before", async () => {
      const first = await get(server, `${MEMBERS}?per_page=10`);
      const second = await get(server, `${MEMBERS}?per_page=10&cursor=${links(first.response).next.params.cursor}`);
      const back = await get(server, `${MEMBERS}?per_page=10&cursor=${links(second.response).previous.params.cursor}`);
      expect(second.json[0].id).toBe("1010");
      expect(back.body).toBe(first.body);
    });

    test("Link URLs use the mock's own origin and keep the other query parameters", async () => {
      const { response } = await get(server, `${MEMBERS}?per_page=7&query=jane&expand=externalUsers`);
      for (const relation of Object.values(links(response))) {
        const url = new URL(relation.url);
        expect(url.origin).toBe(server.url);
        expect(url.pathname).toBe(MEMBERS);
        expect(url.searchParams.get("per_page")).toBe("7");
        expect(url.searchParams.get("query")).toBe("jane");
        expect(url.searchParams.get("expand")).toBe("externalUsers");
        expect(url.searchParams.get("cursor")).toBe(relation.params.cursor);
      }
    });

    test("following a Link URL as sent gives the next page", async () => {
      const first = await get(server, `${REPOS}?per_page=7&query=service`);
      const nextUrl = links(first.response).next.url;
      const second = await get(server, nextUrl.slice(server.url.length));
      expect(second.response.status).toBe(200);
      expect(second.json.map((repository: any) => repository.name)).toEqual(
        Array.from({ length: 7 }, (_, i) => `acme/service-${String(i + 7).padStart(3, "0")}`),
      );
    });

    test.each([MEMBERS, REPOS])(
      "%s links contain a literal ?&cursor= when there are no other parameters",
      async (path) => {
        const { response } = await get(server, path);
        const { previous, next } = links(response);
        expect(previous.url).toBe(`${server.url}${path}?&cursor=${previous.params.cursor}`);
        expect(next.url).toBe(`${server.url}${path}?&cursor=${next.params.cursor}`);
      },
    );

    test.each([
      [String(PER_PAGE.minimum - 1), `Invalid per_page value. Cannot be less than ${PER_PAGE.minimum}.`],
      [String(PER_PAGE.maximum + 1), `Invalid per_page value. Cannot exceed ${PER_PAGE.maximum}.`],
      ["abc", "Invalid per_page parameter."],
    ])("per_page=%s gives 400 %s", async (perPage, message) => {
      for (const path of [MEMBERS, REPOS]) {
        const { response, json } = await get(server, `${path}?per_page=${perPage}`);
        expect(response.status).toBe(400);
        expect(json).toEqual({ detail: message });
        expectRateLimitHeaders(response);
      }
    });

    test.each(["garbage", "100:1", "100:1:0:0", "0:1:0", "101:0:0", "100:1:2", "100:-1:2", "a:b:c", "5e1:0:0"])(
      "cursor=%s gives 400 Invalid cursor parameter.",
      async (cursor) => {
        for (const path of [MEMBERS, REPOS]) {
          const { response, json } = await get(server, `${path}?cursor=${encodeURIComponent(cursor)}`);
          expect(response.status).toBe(400);
          expect(json).toEqual({ detail: "Invalid cursor parameter." });
        }
      },
    );

    test.each([MEMBERS, REPOS])(
      "%s page 1's previous cursor is <per_page>:-1:1, and following it gives 400, as on sentry.io",
      async (path) => {
        for (const [query, perPage] of [
          ["", 100],
          ["?per_page=7", 7],
          ["?per_page=7&cursor=", 7],
        ] as const) {
          const { previous } = links((await get(server, `${path}${query}`)).response);
          expect(previous.params).toMatchObject({ results: "false", cursor: `${perPage}:-1:1` });
          const followed = await get(server, `${path}?per_page=${perPage}&cursor=${perPage}:-1:1`);
          expect(followed.response.status).toBe(400);
          expect(followed.json).toEqual({ detail: "Pagination offset cannot be negative" });
        }
      },
    );

    test("X-Hits counts repositories up to 1000, and members send none", async () => {
      const many = await start({ members: 5, repositories: 1500 });
      try {
        const repositories = await get(many, `${REPOS}?per_page=5`);
        expect(repositories.response.headers.get("x-hits")).toBe("1000");
        expect(links(repositories.response).next.params.results).toBe("true");
        const deleted = await get(many, `${REPOS}?status=deleted`);
        expect(deleted.response.headers.get("x-hits")).toBe("4");
        const members = await get(many, MEMBERS);
        expect(members.response.status).toBe(200);
        expect(members.response.headers.has("x-hits")).toBe(false);
      } finally {
        await many.close();
      }
    });
  });

  describe("filters", () => {
    let server: MockUnderTest;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server.close());

    test("members query free text matches the name or the email, ignoring case", async () => {
      const { items } = await walk(server, MEMBERS, 100, { query: "JANE" });
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThan(250);
      for (const member of items) {
        expect(`${member.name} ${member.email}`.toLowerCase()).toContain("jane");
      }
    });

    test("members query email: finds that member only", async () => {
      const { json } = await get(server, `${MEMBERS}?query=${encodeURIComponent("email:jane.doe.0@acme.example")}`);
      expect(json.map((member: any) => member.id)).toEqual(["1000"]);
    });

    test("members query user.id: finds the member of that user", async () => {
      const { json: page } = await get(server, `${MEMBERS}?per_page=5`);
      const member = page.find((candidate: any) => candidate.user !== null);
      expect(member, "a member who accepted the invite").toBeDefined();
      const { json } = await get(server, `${MEMBERS}?query=${encodeURIComponent(`user.id:${member.user.id}`)}`);
      expect(json.map((found: any) => found.id)).toEqual([member.id]);
    });

    test("members query isInvited with a value other than true or false gives an empty list", async () => {
      const { response, json } = await get(server, `${MEMBERS}?query=${encodeURIComponent("isInvited:yes")}`);
      expect(response.status).toBe(200);
      expect(json).toEqual([]);
    });

    test("members query role:owner keeps the owners", async () => {
      const { json } = await get(server, `${MEMBERS}?query=${encodeURIComponent("role:owner")}`);
      expect(json.length).toBeGreaterThan(0);
      expect(json.every((member: any) => member.orgRole === "owner")).toBe(true);
    });

    test("members query isInvited:true and isInvited:false split the members", async () => {
      const invited = await walk(server, MEMBERS, 100, { query: "isInvited:true" });
      const accepted = await walk(server, MEMBERS, 100, { query: "isInvited:false" });
      expect(invited.items.length).toBeGreaterThan(0);
      expect(invited.items.every((member) => member.pending === true && member.user === null)).toBe(true);
      expect(accepted.items.every((member) => member.pending === false && member.user !== null)).toBe(true);
      expect(invited.items.length + accepted.items.length).toBe(250);
    });

    test("members query with an unknown key gives an empty list, not an error", async () => {
      const { response, json } = await get(server, `${MEMBERS}?query=${encodeURIComponent("favouriteColour:blue")}`);
      expect(response.status).toBe(200);
      expect(json).toEqual([]);
    });

    test("expand=externalUsers adds externalUsers to every member, and only then", async () => {
      const expanded = await get(server, `${MEMBERS}?expand=externalUsers`);
      expect(expanded.json.length).toBe(100);
      expect(expanded.json.every((member: any) => Array.isArray(member.externalUsers))).toBe(true);
      const plain = await get(server, MEMBERS);
      expect(plain.json.some((member: any) => "externalUsers" in member)).toBe(false);
    });

    test("repositories query is a case-insensitive name substring", async () => {
      const { json } = await get(server, `${REPOS}?query=SERVICE-01`);
      expect(json.map((repository: any) => repository.name)).toEqual(
        Array.from({ length: 10 }, (_, i) => `acme/service-01${i}`),
      );
    });

    test("repositories status=deleted gives only repositories that are not active", async () => {
      const { response, json } = await get(server, `${REPOS}?status=deleted`);
      expect(json.length).toBeGreaterThan(0);
      expect(json.every((repository: any) => repository.status !== "active")).toBe(true);
      expect(response.headers.get("x-hits")).toBe(String(json.length));
    });

    test("repositories status= (empty) gives every repository, active or not, as on sentry.io", async () => {
      const { items } = await walk(server, REPOS, 100, { status: "" });
      expect(items).toHaveLength(124);
      expect(items.filter((repository) => repository.status !== "active")).toHaveLength(4);
      const first = await get(server, `${REPOS}?status=`);
      expect(first.response.headers.get("x-hits")).toBe("124");
    });

    test("repositories integration_id= (empty) applies no filter, as on sentry.io", async () => {
      const { response } = await get(server, `${REPOS}?integration_id=`);
      expect(response.headers.get("x-hits")).toBe("120");
    });

    test("repositories status=bogus gives an empty list", async () => {
      const { response, json } = await get(server, `${REPOS}?status=bogus`);
      expect(response.status).toBe(200);
      expect(json).toEqual([]);
    });

    test("repositories integration_id keeps that integration's repositories", async () => {
      const { items } = await walk(server, REPOS, 100, { integration_id: "24176" });
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThan(120);
      expect(items.every((repository) => repository.integrationId === "24176")).toBe(true);
      const none = await get(server, `${REPOS}?integration_id=999`);
      expect(none.json).toEqual([]);
    });

    test("repositories expand=settings adds settings, and only then", async () => {
      const expanded = await get(server, `${REPOS}?expand=settings`);
      expect(expanded.json.length).toBe(100);
      expect(expanded.json.every((repository: any) => "settings" in repository)).toBe(true);
      expect(expanded.json.some((repository: any) => repository.settings !== null)).toBe(true);
      const plain = await get(server, REPOS);
      expect(plain.json.some((repository: any) => "settings" in repository)).toBe(false);
    });

    test("organization detailed=0 leaves out teams and projects", async () => {
      const detailed = await get(server, ORG);
      expect(detailed.json.teams).toBeInstanceOf(Array);
      expect(detailed.json.projects).toBeInstanceOf(Array);
      const basic = await get(server, `${ORG}?detailed=0`);
      expect(basic.response.status).toBe(200);
      expect(basic.json).not.toHaveProperty("teams");
      expect(basic.json).not.toHaveProperty("projects");
      expect(basic.json.slug).toBe("acme");
    });

    test("organization include_feature_flags=1 adds features", async () => {
      const plain = await get(server, ORG);
      expect(plain.json).not.toHaveProperty("features");
      const flagged = await get(server, `${ORG}?include_feature_flags=1`);
      expect(flagged.json.features).toBeInstanceOf(Array);
      expect(flagged.json.features.length).toBeGreaterThan(0);
      expect(flagged.json.teams).toBeInstanceOf(Array);
      const both = await get(server, `${ORG}?detailed=0&include_feature_flags=1`);
      expect(both.json.features).toEqual(flagged.json.features);
      expect(both.json).not.toHaveProperty("teams");
    });
  });

  describe("filter results do not depend on earlier requests", () => {
    // Each test starts its own server: the order of requests is the point.
    let server: MockUnderTest;
    beforeEach(async () => {
      server = await start();
    });
    afterEach(() => server.close());

    test("an unfiltered members list is the same after a ?query=null request", async () => {
      const filtered = await get(server, `${MEMBERS}?query=null`);
      expect(filtered.json.length, "members matching null").toBe(0);
      const plain = await get(server, MEMBERS);
      expect(plain.json.length, "members on the first unfiltered page").toBe(100);
    });

    test("?query=null finds no member after an unfiltered members list", async () => {
      const plain = await get(server, MEMBERS);
      expect(plain.json.length, "members on the first unfiltered page").toBe(100);
      const filtered = await get(server, `${MEMBERS}?query=null`);
      expect(filtered.json.length, "members matching null").toBe(0);
    });

    test("an unfiltered repositories list is the same after a ?status= (empty) request", async () => {
      await get(server, `${REPOS}?status=`);
      const plain = await get(server, REPOS);
      expect(plain.response.headers.get("x-hits")).toBe("120");
      expect(plain.json.length, "repositories on the first unfiltered page").toBe(100);
    });

    test("?integration_id=null finds no repository after an unfiltered repositories list", async () => {
      const plain = await get(server, REPOS);
      expect(plain.json.length, "repositories on the first unfiltered page").toBe(100);
      const filtered = await get(server, `${REPOS}?integration_id=null`);
      expect(filtered.response.headers.get("x-hits")).toBe("0");
      expect(filtered.json.length, "repositories of integration null").toBe(0);
    });
  });

  describe("authentication and errors", () => {
    let server: MockUnderTest;
    beforeAll(async () => {
      server = await start({ members: 5, tokens: { "org-read-only-token": ["org:read"] } });
    });
    afterAll(() => server.close());

    test.each([ORG, MEMBERS, REPOS])("%s without a token gives 401 with Sentry's WWW-Authenticate", async (path) => {
      const { response, json } = await get(server, path, { token: null });
      expect(response.status).toBe(401);
      expect(json).toEqual({ detail: "Authentication credentials were not provided." });
      expect(response.headers.get("www-authenticate")).toBe('xBasic realm="api"');
    });

    test.each([ORG, MEMBERS, REPOS])(
      "%s with an unknown token gives 401 Invalid token, WWW-Authenticate too",
      async (path) => {
        const { response, json } = await get(server, path, { token: "not-a-token" });
        expect(response.status).toBe(401);
        expect(json).toEqual({ detail: "Invalid token" });
        expect(response.headers.get("www-authenticate")).toBe('xBasic realm="api"');
      },
    );

    test("a token with only org:read gets 403 on members but 200 on the organization and repositories", async () => {
      const members = await get(server, MEMBERS, { token: "org-read-only-token" });
      expect(members.response.status).toBe(403);
      expect(members.json).toEqual({ detail: "You do not have permission to perform this action." });
      const organization = await get(server, ORG, { token: "org-read-only-token" });
      expect(organization.response.status).toBe(200);
      expect(organization.json.slug).toBe("acme");
      const repositories = await get(server, REPOS, { token: "org-read-only-token" });
      expect(repositories.response.status).toBe(200);
      expect(repositories.json.length).toBeGreaterThan(0);
    });

    test.each(["/api/0/organizations/nope/", "/api/0/organizations/nope/members/", "/api/0/organizations/999/repos/"])(
      "%s (an unknown organization) gives 404",
      async (path) => {
        const { response, json } = await get(server, path);
        expect(response.status).toBe(404);
        expect(json).toEqual({ detail: NOT_FOUND });
      },
    );

    test.each([
      "/api/0/organizations/acme/teams/",
      "/api/0/organizations/acme/members",
      "/api/0/organizations/",
      "/api/0/",
      "/",
    ])("%s (an unknown path) gives 404", async (path) => {
      const { response, json } = await send(server, path);
      expect(response.status).toBe(404);
      expect(json).toEqual({ detail: NOT_FOUND });
    });

    test.each(["POST", "PUT", "DELETE", "PATCH"])(
      "%s to a documented path gives 405 with Allow: GET",
      async (method) => {
        for (const path of [ORG, MEMBERS, REPOS]) {
          const { response, json } = await send(server, path, { method });
          expect(response.status).toBe(405);
          expect(response.headers.get("allow")).toBe("GET");
          expect(json).toEqual({ detail: `Method "${method}" not allowed.` });
        }
      },
    );

    test.each(["POST", "DELETE"])(
      "%s without a token gives 401: Sentry authenticates before the method",
      async (method) => {
        for (const path of [ORG, MEMBERS, REPOS]) {
          const { response, json } = await send(server, path, { method, token: null });
          expect(response.status).toBe(401);
          expect(json).toEqual({ detail: "Authentication credentials were not provided." });
        }
      },
    );

    test("HEAD on a documented path answers like GET, without a body", async () => {
      for (const path of [ORG, `${MEMBERS}?per_page=2`, REPOS]) {
        const head = await send(server, path, { method: "HEAD" });
        const asGet = await send(server, path);
        expect(head.response.status).toBe(200);
        expect(head.body).toBe("");
        for (const name of ["content-type", "link", "x-hits"]) {
          expect(head.response.headers.get(name), name).toBe(asGet.response.headers.get(name));
        }
      }
    });
  });

  describe("rate limits", () => {
    test("every authenticated answer carries the five rate-limit headers as integers", async () => {
      const server = await start({ members: 5, tokens: { "org-read-only-token": ["org:read"] } });
      try {
        const answers = [
          await get(server, ORG),
          await get(server, MEMBERS),
          await get(server, REPOS),
          await get(server, `${MEMBERS}?per_page=0`),
          await get(server, `${REPOS}?cursor=bad`),
          await get(server, MEMBERS, { token: "org-read-only-token" }),
          await get(server, "/api/0/organizations/nope/"),
        ];
        expect(answers.map((answer) => answer.response.status)).toEqual([200, 200, 200, 400, 400, 403, 404]);
        for (const { response } of answers) expectRateLimitHeaders(response);
        expect(answers[0]?.response.headers.get(RATE_LIMIT_HEADERS.limit)).toBe(String(MEMBERS_RATE.requests));
      } finally {
        await server.close();
      }
    });

    test("over the configured limit the members list answers Sentry's 429", async () => {
      const server = await start({ members: 5, rateLimit: { listOrganizationMembers: 3 } });
      try {
        const seen: { status: number; reset: string | null; remaining: string | null }[] = [];
        let limited: Answer | undefined;
        for (let i = 0; i < 100 && !limited; i++) {
          const answer = await get(server, MEMBERS);
          const { headers, status } = answer.response;
          expectRateLimitHeaders(answer.response);
          seen.push({
            status,
            reset: headers.get(RATE_LIMIT_HEADERS.reset),
            remaining: headers.get(RATE_LIMIT_HEADERS.remaining),
          });
          if (status === 429) limited = answer;
        }
        expect(limited, "a 429 within 100 requests").toBeDefined();
        const { response, body } = limited as Answer;
        // Only the requests in the 429's one-second window count against it.
        const window = seen.filter((entry) => entry.reset === response.headers.get(RATE_LIMIT_HEADERS.reset));
        expect(window.map((entry) => entry.status)).toEqual([200, 200, 200, 429]);
        expect(window.map((entry) => entry.remaining)).toEqual(["2", "1", "0", "0"]);
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(response.headers.get(RATE_LIMIT_HEADERS.limit)).toBe("3");
        expect(response.headers.has("retry-after")).toBe(false);
        expect(JSON.parse(body)).toBe(
          "You are attempting to use this endpoint too frequently. Limit is 3 requests in 1 seconds",
        );
        const organization = await get(server, ORG);
        expect(organization.response.status).toBe(200);
      } finally {
        await server.close();
      }
    });

    test("rateLimit: false refuses nothing over sentry.io's rate in one window", async () => {
      // One clock reading: every request falls in the same window.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 0, 1) });
      const server = await start({ members: 5, rateLimit: false });
      try {
        const statuses: number[] = [];
        for (let i = 0; i <= MEMBERS_RATE.requests; i++) statuses.push((await get(server, MEMBERS)).response.status);
        expect(statuses).toEqual(Array(MEMBERS_RATE.requests + 1).fill(200));
      } finally {
        vi.useRealTimers();
        await server.close();
      }
    });

    test("without the rateLimit option nothing is refused, even over sentry.io's rate", async () => {
      const server = await start({ members: 5 });
      try {
        const answers: Answer[] = [];
        for (let burst = 0; burst < 5; burst++) {
          answers.push(...(await Promise.all(Array.from({ length: 50 }, () => get(server, MEMBERS)))));
        }
        expect(answers.map((answer) => answer.response.status).filter((status) => status !== 200)).toEqual([]);
        const perWindow = new Map<string | null, number>();
        for (const { response } of answers) {
          const reset = response.headers.get(RATE_LIMIT_HEADERS.reset);
          perWindow.set(reset, (perWindow.get(reset) ?? 0) + 1);
        }
        // Some window held more than sentry.io allows, and still answered 200.
        expect(Math.max(...perWindow.values())).toBeGreaterThan(MEMBERS_RATE.requests);
      } finally {
        await server.close();
      }
    });
  });

  describe("fault injection", () => {
    let server: MockUnderTest;
    beforeEach(async () => {
      server = await start({ members: 5 });
    });
    afterEach(() => server.close());

    const expectNormal = async (path = ORG) => {
      const answer = await get(server, path);
      expect(answer.response.status).toBe(200);
      return answer;
    };

    test("latency delays the answer, which is still correct", async () => {
      const normal = await expectNormal();
      server.injectFault({ type: "latency", ms: 400 }, { operation: "getOrganization" });
      const order: string[] = [];
      const slow = get(server, ORG).then((answer) => {
        order.push("slow");
        return answer;
      });
      const fast = await get(server, MEMBERS);
      order.push("fast");
      const delayed = await slow;
      expect(order).toEqual(["fast", "slow"]);
      expect(fast.response.status).toBe(200);
      expect(delayed.response.status).toBe(200);
      expect(delayed.body).toBe(normal.body);
      await expectNormal();
    });

    test("a fault waits for a request that would be answered normally: a 401 or a 404 does not use it up", async () => {
      server.injectFault({ type: "status", status: 500 });
      const unauthenticated = await server.fetch(`${server.url}${ORG}`);
      await unauthenticated.arrayBuffer();
      expect(unauthenticated.status).toBe(401);
      expect((await get(server, "/api/0/organizations/nope/")).response.status).toBe(404);
      expect((await get(server, ORG)).response.status).toBe(500);
      await expectNormal();
    });

    test("resetFaults() forgets every fault not yet shown, and faults injected after it still work", async () => {
      server.injectFault({ type: "status", status: 500 });
      server.injectFault({ type: "reset" }, { nth: 2, operation: "listOrganizationMembers" });
      server.injectFault({ type: "html" }, { times: 5 });
      server.resetFaults();
      for (const path of [ORG, MEMBERS, MEMBERS, REPOS, ORG]) await expectNormal(path);
      server.injectFault({ type: "status", status: 503 });
      expect((await send(server, ORG)).response.status).toBe(503);
      await expectNormal();
    });

    test("close() ends an answer held back by latency, and clears its timer", async () => {
      const setTimer = vi.spyOn(globalThis, "setTimeout");
      const clearTimer = vi.spyOn(globalThis, "clearTimeout");
      try {
        server.injectFault({ type: "latency", ms: 60_000 });
        const pending = server
          .fetch(`${server.url}${ORG}`, { headers: { authorization: `Bearer ${server.token}` } })
          .then(
            () => "answered",
            () => "connection closed",
          );
        // The request has arrived once the mock holds its answer back on a timer.
        const held = () => setTimer.mock.calls.findIndex(([, ms]) => ms === 60_000);
        for (let turn = 0; held() === -1; turn++) {
          expect(turn, "the request reached the mock").toBeLessThan(100_000);
          await new Promise(setImmediate);
        }
        await server.close();
        expect(await pending).toBe("connection closed");
        expect(clearTimer).toHaveBeenCalledWith(setTimer.mock.results[held()]?.value);
      } finally {
        setTimer.mockRestore();
        clearTimer.mockRestore();
      }
    });

    test("status 500 answers Sentry's error body, which the spec documents", async () => {
      server.injectFault({ type: "status", status: 500 });
      const { response, json } = await get(server, ORG);
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(json).toMatchObject({ detail: "Internal Error" });
      expect(json.errorId).toBeTypeOf("string");
      await expectNormal();
    });

    test.each([502, 503] as const)("status %i answers a JSON error body the spec does not document", async (status) => {
      server.injectFault({ type: "status", status });
      const { response, json, violations } = await send(server, MEMBERS);
      expect(response.status).toBe(status);
      expect(json.detail).toBeTypeOf("string");
      expect(violations.map((violation) => violation.place)).toEqual(["status"]);
      await expectNormal(MEMBERS);
    });

    test("status 429 without Retry-After answers Sentry's bare-string 429", async () => {
      server.injectFault({ type: "status", status: 429 });
      const { response, body } = await get(server, REPOS);
      expect(response.status).toBe(429);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.has("retry-after")).toBe(false);
      expect(JSON.parse(body)).toBe(
        `You are attempting to use this endpoint too frequently. Limit is ${MEMBERS_RATE.requests} requests in ${MEMBERS_RATE.windowSeconds} seconds`,
      );
      expectRateLimitHeaders(response);
      await expectNormal(REPOS);
    });

    test("status 429 with Retry-After sends it, as a proxy would", async () => {
      server.injectFault({ type: "status", status: 429, retryAfter: "30" });
      const { response, body } = await get(server, MEMBERS);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(JSON.parse(body)).toBeTypeOf("string");
      await expectNormal(MEMBERS);
    });

    test("html answers a proxy's 502 page", async () => {
      server.injectFault({ type: "html" });
      const { response, body, json, violations } = await send(server, ORG);
      expect(response.status).toBe(502);
      expect(response.headers.get("content-type")).toBe("text/html");
      expect(body).toContain("<html>");
      expect(json).toBeUndefined();
      expect(violations.map((violation) => violation.place)).toEqual(["status"]);
      await expectNormal();
    });

    test("truncated-json answers 200 with half a body", async () => {
      const normal = await expectNormal(MEMBERS);
      server.injectFault({ type: "truncated-json" });
      const { response, body, violations } = await send(server, MEMBERS);
      expect(response.status).toBe(200);
      expect(() => JSON.parse(body)).toThrow(SyntaxError);
      expect(normal.body.startsWith(body)).toBe(true);
      expect(body.length).toBeLessThan(normal.body.length);
      expect(violations.map((violation) => violation.place)).toContain("body");
      await expectNormal(MEMBERS);
    });

    test("malformed-json answers 200 with a body that is not JSON", async () => {
      server.injectFault({ type: "malformed-json" });
      const { response, body, violations } = await send(server, REPOS);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(() => JSON.parse(body)).toThrow(SyntaxError);
      expect(violations.map((violation) => violation.place)).toContain("body");
      await expectNormal(REPOS);
    });

    test("foreign-next-link points only the next URL at another origin", async () => {
      const normal = await expectNormal(`${MEMBERS}?per_page=2`);
      server.injectFault({ type: "foreign-next-link", origin: FOREIGN_ORIGIN });
      const faulty = await send(server, `${MEMBERS}?per_page=2`);
      expect(faulty.response.status).toBe(200);
      expect(faulty.body).toBe(normal.body);
      const { previous, next } = links(faulty.response);
      const expected = links(normal.response);
      expect(new URL(next.url).origin).toBe(FOREIGN_ORIGIN);
      expect(next.url).toBe(expected.next.url.replace(server.url, FOREIGN_ORIGIN));
      expect(next.params).toEqual(expected.next.params);
      expect(new URL(previous.url).origin).toBe(server.url);
      expect(previous).toEqual(expected.previous);
      expect(faulty.violations).toHaveLength(1);
      expect(faulty.violations[0]).toMatchObject({ place: "header Link" });
      expect(faulty.violations[0]?.message).toContain('rel="next"');
      // A validator told about the customer domain accepts the same answer.
      const trusting = createValidator({ trustedLinkOrigins: [FOREIGN_ORIGIN] });
      const { headers, status } = faulty.response;
      const url = `${server.url}${MEMBERS}?per_page=2`;
      expect(trusting.validateResponse({ method: "GET", url, status, headers, body: faulty.body }).violations).toEqual(
        [],
      );
      await expectNormal(MEMBERS);
    });

    test("foreign-next-link takes an http origin as well as an https one", async () => {
      server.injectFault({ type: "foreign-next-link", origin: "http://evil.example:8080" });
      const { response } = await send(server, `${MEMBERS}?per_page=2`);
      expect(new URL(links(response).next.url).origin).toBe("http://evil.example:8080");
    });

    test("an answer the transport cannot send becomes Sentry's 500, and the next request is answered", async () => {
      const fault: MockFault = { type: "html", status: 502 };
      server.injectFault(fault);
      // The queue keeps the caller's object: changed after the check, its status is one no transport sends.
      fault.status = 1000;
      const { response, json } = await send(server, ORG);
      expect(response.status).toBe(500);
      expect(json).toEqual({ detail: "Internal Error", errorId: "0000000000000000000000000000mock" });
      await expectNormal();
    });

    test("reset closes the connection without an answer", async () => {
      server.injectFault({ type: "reset" });
      await expect(
        server.fetch(`${server.url}${ORG}`, { headers: { authorization: `Bearer ${server.token}` } }),
      ).rejects.toThrow(TypeError);
      await expectNormal();
    });

    test("nth: 3 hits only the third request", async () => {
      server.injectFault({ type: "html" }, { nth: 3 });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const { response, violations } = await send(server, ORG);
        statuses.push(response.status);
        if (response.status === 200) expect(violations).toEqual([]);
      }
      expect(statuses).toEqual([200, 200, 502, 200, 200]);
    });

    test("times: 2 hits two requests in a row", async () => {
      server.injectFault({ type: "status", status: 503 }, { times: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const { response, violations } = await send(server, MEMBERS);
        statuses.push(response.status);
        if (response.status === 200) expect(violations).toEqual([]);
      }
      expect(statuses).toEqual([503, 503, 200, 200]);
    });

    test("operation hits only requests to that operation", async () => {
      server.injectFault({ type: "status", status: 500 }, { operation: "listOrganizationRepositories" });
      await expectNormal(ORG);
      await expectNormal(MEMBERS);
      expect((await send(server, "/api/0/nothing/")).response.status).toBe(404);
      const faulty = await get(server, REPOS);
      expect(faulty.response.status).toBe(500);
      await expectNormal(REPOS);
    });

    test.each([
      ["nth: 0", { nth: 0 }, "nth must be an integer of at least 1, got 0"],
      ["nth: 1.5", { nth: 1.5 }, "nth must be an integer of at least 1, got 1.5"],
      ["times: 0", { times: 0 }, "times must be an integer of at least 1, got 0"],
      ["times: -2", { times: -2 }, "times must be an integer of at least 1, got -2"],
    ])("%s throws a RangeError and queues nothing", async (_, target, message) => {
      expect(() => server.injectFault({ type: "reset" }, target)).toThrow(new RangeError(message));
      expect(() => server.injectFault({ type: "reset" }, target)).toThrow(RangeError);
      // Nothing was queued.
      await expectNormal();
    });

    const TYPES = "latency, status, html, truncated-json, malformed-json, foreign-next-link, reset";
    const HTML_RANGE = "an integer from 200 to 599 other than 204, 205 and 304";
    const ORIGIN = "foreign-next-link origin must be an http or https origin such as https://evil.example";
    test.each([
      ["null", null, TypeError, "fault must be an object, got null"],
      ["an unknown type", { type: "nope" }, TypeError, `fault type must be one of ${TYPES}, got the string "nope"`],
      ["no type", {}, TypeError, `fault type must be one of ${TYPES}, got undefined`],
      ["a type that is an object", { type: {} }, TypeError, `fault type must be one of ${TYPES}, got an object`],
      ["a function for the fault", () => {}, TypeError, "fault must be an object, got a function"],
      [
        "latency -1",
        { type: "latency", ms: -1 },
        RangeError,
        "latency ms must be an integer from 0 to 2147483647, got -1",
      ],
      [
        "latency NaN",
        { type: "latency", ms: Number.NaN },
        RangeError,
        "latency ms must be an integer from 0 to 2147483647, got NaN",
      ],
      // setTimeout fires a longer delay at once.
      [
        "latency 2^31",
        { type: "latency", ms: 2 ** 31 },
        RangeError,
        "latency ms must be an integer from 0 to 2147483647, got 2147483648",
      ],
      [
        "latency 1.5",
        { type: "latency", ms: 1.5 },
        RangeError,
        "latency ms must be an integer from 0 to 2147483647, got 1.5",
      ],
      [
        'latency "abc"',
        { type: "latency", ms: "abc" },
        TypeError,
        'latency ms must be an integer from 0 to 2147483647, got the string "abc"',
      ],
      [
        "latency without ms",
        { type: "latency" },
        TypeError,
        "latency ms must be an integer from 0 to 2147483647, got undefined",
      ],
      [
        "status 999",
        { type: "status", status: 999 },
        RangeError,
        "status fault status must be one of 429, 500, 502, 503, 504, got 999",
      ],
      [
        "status 200",
        { type: "status", status: 200 },
        RangeError,
        "status fault status must be one of 429, 500, 502, 503, 504, got 200",
      ],
      [
        "a retryAfter that splits the header",
        { type: "status", status: 429, retryAfter: "1\r\nx: y" },
        TypeError,
        'status fault retryAfter must be 1 to 256 visible ASCII characters or spaces, got the string "1\\r\\nx: y"',
      ],
      ["html 100", { type: "html", status: 100 }, RangeError, `html status must be ${HTML_RANGE}, got 100`],
      ["html 204", { type: "html", status: 204 }, RangeError, `html status must be ${HTML_RANGE}, got 204`],
      ["html 600", { type: "html", status: 600 }, RangeError, `html status must be ${HTML_RANGE}, got 600`],
      [
        'foreign origin "not a url"',
        { type: "foreign-next-link", origin: "not a url" },
        TypeError,
        `${ORIGIN}, got the string "not a url"`,
      ],
      [
        "foreign origin ftp",
        { type: "foreign-next-link", origin: "ftp://evil.example" },
        TypeError,
        `${ORIGIN}, got the string "ftp://evil.example"`,
      ],
    ])("a fault with %s throws at the call and queues nothing", async (_, fault, type, message) => {
      // Deliberately ill-typed: what a JavaScript caller, or a cast, can pass.
      const misuse = () => server.injectFault(fault as MockFault);
      expect(misuse).toThrow(new type(message));
      expect(misuse).toThrow(type);
      // Nothing was queued: the request after it is not a 500.
      await expectNormal(MEMBERS);
    });

    test.each([
      ["a null target", null, TypeError, "target must be an object, got null"],
      ['nth "2"', { nth: "2" }, TypeError, 'nth must be an integer of at least 1, got the string "2"'],
      [
        "an unknown operation",
        { operation: "listOrganizations" },
        TypeError,
        'operation must be one of getOrganization, listOrganizationMembers, listOrganizationRepositories, got the string "listOrganizations"',
      ],
    ])("%s throws at the call and queues nothing", async (_, target, type, message) => {
      const misuse = () => server.injectFault({ type: "status", status: 500 }, target as FaultTarget);
      expect(misuse).toThrow(new type(message));
      expect(misuse).toThrow(type);
      await expectNormal();
    });
  });

  describe("options", () => {
    test.each([
      [-1, "members must be an integer from 0 to 100000, got -1"],
      [100_001, "members must be an integer from 0 to 100000, got 100001"],
      [2.5, "members must be an integer from 0 to 100000, got 2.5"],
    ])("members: %d rejects with a RangeError", async (members, message) => {
      await expect(start({ members })).rejects.toThrow(new RangeError(message));
      await expect(start({ members })).rejects.toBeInstanceOf(RangeError);
    });

    test.each([
      ["null", null, TypeError, "options must be an object, got null"],
      ["a string", "members=5", TypeError, 'options must be an object, got the string "members=5"'],
      ["an array", [], TypeError, "options must be an object, got an array"],
      ['members "5"', { members: "5" }, TypeError, 'members must be an integer from 0 to 100000, got the string "5"'],
      [
        'rateLimit "yes"',
        { rateLimit: "yes" },
        TypeError,
        'rateLimit must be true, false or an object of limits per operation, got the string "yes"',
      ],
      [
        "rateLimit -1",
        { rateLimit: { listOrganizationMembers: -1 } },
        RangeError,
        "rateLimit.listOrganizationMembers must be a positive integer, got -1",
      ],
      [
        "rateLimit 0",
        { rateLimit: { listOrganizationMembers: 0 } },
        RangeError,
        "rateLimit.listOrganizationMembers must be a positive integer, got 0",
      ],
      [
        "rateLimit NaN",
        { rateLimit: { listOrganizationMembers: Number.NaN } },
        RangeError,
        "rateLimit.listOrganizationMembers must be a positive integer, got NaN",
      ],
      [
        'rateLimit "10"',
        { rateLimit: { getOrganization: "10" } },
        TypeError,
        'rateLimit.getOrganization must be a positive integer, got the string "10"',
      ],
      [
        "rateLimit of an unknown operation",
        { rateLimit: { listMembers: 10 } },
        TypeError,
        'rateLimit names unknown operation "listMembers": the operations are getOrganization, listOrganizationMembers, listOrganizationRepositories',
      ],
      ["a token that is not a string", { token: {} }, TypeError, "token must be a string, got an object"],
    ])("%s rejects with the reason", async (_, options, type, message) => {
      // Deliberately ill-typed: what a JavaScript caller, or a cast, can pass.
      const started = start(options as MockData);
      await expect(started).rejects.toThrow(new type(message));
      await expect(started).rejects.toBeInstanceOf(type);
    });

    test("an unknown option rejects with a TypeError naming the options", async () => {
      const own = name === "http" ? "port, host" : "baseUrl";
      const started = start({ member: 5 } as MockData);
      const message = `unknown option "member": the options are members, repositories, organizations, token, tokens, rateLimit, ${own}`;
      await expect(started).rejects.toThrow(new TypeError(message));
      await expect(started).rejects.toBeInstanceOf(TypeError);
    });

    test.each([
      [-1, "repositories must be an integer from 0 to 100000, got -1"],
      [100_001, "repositories must be an integer from 0 to 100000, got 100001"],
    ])("repositories: %d rejects with a RangeError", async (repositories, message) => {
      await expect(start({ repositories })).rejects.toThrow(new RangeError(message));
    });

    test("the default token has the shape of a Sentry user token, and is the same every time", async () => {
      expect(DEFAULT_MOCK_TOKEN).toMatch(/^sntryu_[0-9a-f]{64}$/);
      const server = await start({ members: 0 });
      try {
        expect(server.token).toBe(DEFAULT_MOCK_TOKEN);
      } finally {
        await server.close();
      }
    });

    test("token: serves that token with every read scope, instead of the default one", async () => {
      const token = "sntrys_eyJpYXQiOjE3MDAwMDAwMDB9+/=_c2VjcmV0";
      const server = await start({ members: 3, token });
      try {
        expect(server.token).toBe(token);
        for (const path of [ORG, MEMBERS, REPOS]) expect((await get(server, path)).response.status).toBe(200);
        const refused = await get(server, ORG, { token: DEFAULT_MOCK_TOKEN });
        expect(refused.response.status).toBe(401);
      } finally {
        await server.close();
      }
    });

    const NOT_VISIBLE_ASCII =
      "token must hold only visible ASCII characters, without whitespace, quotes or backslashes";
    test.each([
      ["", "token must be 16 to 512 characters long, is 0"],
      ["x".repeat(15), "token must be 16 to 512 characters long, is 15"],
      ["x".repeat(513), "token must be 16 to 512 characters long, is 513"],
      ["my secret 16 long", NOT_VISIBLE_ASCII],
      ['my"secret-16-long', NOT_VISIBLE_ASCII],
      ["my\\secret-16-long", NOT_VISIBLE_ASCII],
      ["my\nsecret-16-long", NOT_VISIBLE_ASCII],
      ["mysécret-16-long", NOT_VISIBLE_ASCII],
    ])("token: %j rejects with a RangeError that does not repeat it", async (token, message) => {
      await expect(start({ token })).rejects.toThrow(new RangeError(message));
    });

    test.each([
      ["short", "tokens has a token that must be 16 to 512 characters long, is 5"],
      [
        "my secret 16 long",
        "tokens has a token that must hold only visible ASCII characters, without whitespace, quotes or backslashes",
      ],
    ])("tokens: a key %j rejects with a RangeError that does not repeat it", async (token, message) => {
      await expect(start({ tokens: { [token]: ["org:read"] } })).rejects.toThrow(new RangeError(message));
    });

    test("members: 0 serves an empty members list", async () => {
      const server = await start({ members: 0 });
      try {
        const { response, json } = await get(server, MEMBERS);
        expect(response.status).toBe(200);
        expect(json).toEqual([]);
      } finally {
        await server.close();
      }
    });
  });
});
