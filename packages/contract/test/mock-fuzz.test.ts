import { Agent, type IncomingHttpHeaders, request } from "node:http";
import { OPERATION_PATHS, PATH_PARAMETERS } from "@sentry-org-api/types/protocol";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createValidator, DEFAULT_MOCK_TOKEN, type MockServer, startMockServer } from "../src/index.js";

const READ_ONLY_TOKEN = "org-read-only-token";
const TINY_ID = "4504256489865216";
const ALLOWED_STATUSES = [200, 400, 401, 403, 404, 405, 429];
const BATCH = 4;
const RUNS = 550; // 2,200 requests
const ORGANIZATION = PATH_PARAMETERS.organization_id_or_slug;
/** The spec's paths, split at "/", the organization's segment in braces. */
const TEMPLATES = Object.values(OPERATION_PATHS).map((path) => path.split("/"));

const validator = createValidator();

interface RawRequest {
  method: string;
  /** Path and query exactly as sent on the request line. */
  path: string;
  authorization: string | undefined;
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Every byte as `%XX`, in random case, so that `acme` can arrive as `%61%63%6D%65`. */
const percentEncodeAll = (text: string, upper: boolean) =>
  [...Buffer.from(text, "utf8")]
    .map((byte) => `%${byte.toString(16).padStart(2, "0")}`)
    .map((code) => (upper ? code.toUpperCase() : code))
    .join("");

/** What node:http sends as is and what node's own HTTP parser accepts: visible ASCII, no spaces or controls. */
const sendable = (text: string) => /^[\x21-\x7e]*$/.test(text);

const slug = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom("acme", "2", "tiny", TINY_ID) },
  fc.constantFrom("nope", "999", "ACME", "a_b-c", "0", "acme-", "-acme", "x".repeat(ORGANIZATION.maxLength + 1)),
  fc.constantFrom("%61cme", "%61%63%6D%65", "%32", "ac%2Fme", "%zz", "%", "%2", "%00", "%C3%A9", "acme%20", "acme%3F"),
  fc.constantFrom("", ".", "..", "%2e", "%2E%2E", ".%2e", "acme;x", "acme#x", "acme?x", "~acme", "acme\\x"),
  fc
    .stringMatching(ORGANIZATION.pattern, { size: "medium" })
    .filter((text) => text.length <= ORGANIZATION.maxLength + 5),
  fc.tuple(fc.constantFrom("acme", "tiny", "2"), fc.boolean()).map(([text, upper]) => percentEncodeAll(text, upper)),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.tuple(fc.string({ maxLength: 6 }), fc.boolean()).map(([text, upper]) => percentEncodeAll(text, upper)),
  fc.string({ maxLength: 12 }),
);

const tail = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("", "members/", "repos/") },
  fc.constantFrom(
    "members",
    "repos",
    "teams/",
    "members/x/",
    "repos//",
    "../",
    "./",
    "%2e/",
    "members/../",
    "/",
    "MEMBERS/",
  ),
  fc.constantFrom("members/./", "repos/..", "%6Dembers/", "members%2F", "members/%2e%2e/"),
);

const pathPiece = fc.oneof(
  fc.constantFrom("api", "0", "organizations", "acme", "2", "members", "repos", "", ".", "..", "%2e", "%2E%2E"),
  fc.constantFrom("%2F", "%zz", "%00", "~", "teams", "API", "1", "%C3%A9", "organisations", "v0"),
  fc.string({ maxLength: 10 }),
  fc.string({ maxLength: 6 }).map(encodeURIComponent),
);

const path = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(slug, tail).map(([org, rest]) => `/api/0/organizations/${org}/${rest}`) },
  fc
    .tuple(fc.array(pathPiece, { maxLength: 8 }), fc.boolean())
    .map(([pieces, slash]) => `/${pieces.join("/")}${slash ? "/" : ""}`),
);

const anyText = (maxLength: number) => fc.string({ maxLength });

const parameter = fc.oneof(
  fc.tuple(
    fc.constant("per_page"),
    fc.oneof(
      fc.integer({ min: -5, max: 150 }).map(String),
      fc.constantFrom("", "abc", "1e2", "+5", "007", "99999999999", "5.0", " 5"),
      anyText(5),
    ),
  ),
  fc.tuple(
    fc.constant("cursor"),
    fc.oneof(
      fc
        .tuple(fc.nat(120), fc.nat(60), fc.constantFrom(0, 1, 2))
        .map(([size, page, previous]) => `${size}:${page}:${previous}`),
      fc.constantFrom("", "garbage", "100:1", ":::", "-1:0:0", "100:1:0:0", "100:9999999999:0"),
      anyText(12),
    ),
  ),
  fc.tuple(
    fc.constant("query"),
    fc.oneof(
      fc.constantFrom("jane", "JANE", "role:owner", "isInvited:true", "isInvited:false", "isInvited:maybe"),
      fc.constantFrom("email:jane.doe.0@acme.example", "ssoLinked:true", "has2fa:false", "id:1000", "user.id:50000"),
      fc.constantFrom("foo:bar", "service-01", "SERVICE", ":", "role:", "jane role:member", ""),
      anyText(15),
    ),
  ),
  fc.tuple(fc.constant("expand"), fc.constantFrom("settings", "externalUsers", "bogus", "")),
  fc.tuple(fc.constant("status"), fc.constantFrom("active", "deleted", "bogus", "disabled", "")),
  fc.tuple(fc.constant("detailed"), fc.constantFrom("0", "1", "yes", "")),
  fc.tuple(fc.constant("include_feature_flags"), fc.constantFrom("0", "1", "true")),
  fc.tuple(fc.constant("integration_id"), fc.constantFrom("24176", "31022", "5001", "0", "abc", "")),
  fc.tuple(anyText(6), anyText(6)),
);

const query = fc.oneof(
  fc.constant(""),
  fc.constant("?"),
  fc
    .tuple(fc.array(parameter, { minLength: 1, maxLength: 5 }), fc.boolean())
    .map(
      ([parameters, raw]) =>
        `?${parameters
          .map(([name, value]) =>
            raw ? `${name}=${value}` : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
          )
          .join("&")}`,
    ),
);

const authorization = fc.oneof(
  { weight: 12, arbitrary: fc.constant(`Bearer ${DEFAULT_MOCK_TOKEN}`) },
  fc.constant(`Bearer ${READ_ONLY_TOKEN}`),
  fc.constant("Bearer not-a-token"),
  fc.constant(undefined),
  fc.constantFrom(
    "",
    "Bearer",
    "Bearer ",
    `bearer ${DEFAULT_MOCK_TOKEN}`,
    `Token ${DEFAULT_MOCK_TOKEN}`,
    "Basic dXNlcjpwYXNz",
  ),
  fc.constantFrom(`Bearer  ${DEFAULT_MOCK_TOKEN}`, `Bearer ${DEFAULT_MOCK_TOKEN}x`, `Bearer ${DEFAULT_MOCK_TOKEN},x`),
  anyText(40),
  anyText(20).map((token) => `Bearer ${token}`),
);

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant("GET") },
  fc.constantFrom("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
);

const rawRequest: fc.Arbitrary<RawRequest> = fc
  .record({ method, path: fc.tuple(path, query).map(([p, q]) => `${p}${q}`), authorization })
  .filter((generated) => sendable(generated.path));

/** The path and query of a GET the spec documents: one of its paths, with a valid organization id or slug. */
function isDocumented(target: string): boolean {
  const queryStart = target.indexOf("?");
  const segments = (queryStart === -1 ? target : target.slice(0, queryStart)).split("/");
  const template = TEMPLATES.find(
    (parts) =>
      parts.length === segments.length && parts.every((part, i) => part.startsWith("{") || part === segments[i]),
  );
  if (!template) return false;
  try {
    const org = decodeURIComponent(segments[template.findIndex((part) => part.startsWith("{"))] ?? "");
    return (
      org.length >= ORGANIZATION.minLength && org.length <= ORGANIZATION.maxLength && ORGANIZATION.pattern.test(org)
    );
  } catch {
    return false;
  }
}

describe("the mock under random requests", () => {
  let server: MockServer;
  let agent: Agent;
  let port: number;

  beforeAll(async () => {
    server = await startMockServer({
      members: 30,
      tokens: { [READ_ONLY_TOKEN]: ["org:read"] },
      // Only the organization (one body in four variants) is limited low enough for random traffic to reach its 429.
      rateLimit: { getOrganization: 20, listOrganizationMembers: 100_000, listOrganizationRepositories: 100_000 },
    });
    port = Number(new URL(server.url).port);
    agent = new Agent({ keepAlive: true, maxSockets: BATCH });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  const send = ({ method, path, authorization }: RawRequest) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const headers = authorization === undefined ? {} : { authorization };
      const outgoing = request({ host: "127.0.0.1", port, method, path, headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      });
      outgoing.on("error", reject);
      outgoing.end();
    });

  test("answers every request with a documented status and a well-formed body", { timeout: 60_000 }, async () => {
    const statuses = new Map<number, number>();
    let requests = 0;
    let validated = 0;

    const check = (sent: RawRequest, answer: RawAnswer) => {
      const what = `${sent.method} ${sent.path} (Authorization: ${JSON.stringify(sent.authorization)})`;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expect(ALLOWED_STATUSES, `${what} answered ${answer.status}`).toContain(answer.status);
      const url = `${server.url}${sent.path}`;
      if (sent.method === "GET" && isDocumented(sent.path)) {
        const { violations } = validator.validateResponse({ ...answer, method: "GET", url });
        expect(violations, `${what} answered ${answer.status}`).toEqual([]);
        validated++;
        return;
      }
      if (sent.method === "HEAD") {
        expect(answer.body, `${what} answered a body`).toBe("");
        return;
      }
      let json: unknown;
      expect(
        () => {
          json = JSON.parse(answer.body);
        },
        `${what} answered ${JSON.stringify(answer.body.slice(0, 100))}`,
      ).not.toThrow();
      expect(json, what).toEqual({ detail: expect.any(String) });
      const rawPath = sent.path.split("?")[0];
      if (sent.method === "GET" && new URL(url).pathname === rawPath) {
        // The validator agrees that such a path is not documented, or that its organization is not valid. (It reads
        // paths the WHATWG way, which resolves dot segments and drops a fragment: only compare when that is a no-op.)
        const { violations } = validator.validateResponse({ ...answer, method: "GET", url });
        expect(violations.length, what).toBeGreaterThan(0);
        for (const violation of violations) expect(violation.place, what).toMatch(/^path/);
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.array(rawRequest, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map(send));
        requests += batch.length;
        for (const [i, sent] of batch.entries()) check(sent, answers[i] as RawAnswer);
      }),
      { numRuns: RUNS },
    );

    expect(requests).toBeGreaterThanOrEqual(2_000);
    expect(validated).toBeGreaterThan(500);
    // The generators reach every answer the mock can give without faults.
    expect([...statuses.keys()].sort((a, b) => a - b)).toEqual(ALLOWED_STATUSES);
  });

  test("still answers a normal request after the random ones", async () => {
    const answer = await send({
      method: "GET",
      path: "/api/0/organizations/acme/members/?per_page=100",
      authorization: `Bearer ${DEFAULT_MOCK_TOKEN}`,
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveLength(30);
    const url = `${server.url}/api/0/organizations/acme/members/?per_page=100`;
    expect(validator.validateResponse({ ...answer, method: "GET", url }).violations).toEqual([]);
  });
});
