import { RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { describe, expect, test } from "vitest";
import { createSeedData, createValidator, type ResponseToValidate } from "../src/index.js";

// Bodies a broken server or proxy could send. Each would take Ajv's all-errors mode seconds to
// minutes (its cost grows with the square of the invalid items); here they must finish within the
// test's timeout and list the first violations with one closing count.

const validator = createValidator();
const [acme] = createSeedData({ members: 2, repositories: 1 });
if (!acme) throw new Error("seed data has no organization");

const ORIGIN = "https://us.sentry.io";
const ORGANIZATION = `${ORIGIN}/api/0/organizations/acme/`;
const MEMBERS = `${ORIGIN}/api/0/organizations/acme/members/`;
const REPOS = `${ORIGIN}/api/0/organizations/acme/repos/`;
const MEGABYTE = 1024 * 1024;

const page = (url: string, body: string, headers: Record<string, string> = {}): ResponseToValidate => ({
  method: "GET",
  url,
  status: 200,
  headers: {
    "content-type": "application/json",
    link: `<${url}?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <${url}?&cursor=0:100:0>; rel="next"; results="false"; cursor="0:100:0"`,
    ...headers,
  },
  body,
});

/** A JSON array of `item` repeated until the text is about `bytes` long. */
const arrayOf = (item: unknown, bytes: number) => {
  const text = JSON.stringify(item);
  const count = Math.ceil(bytes / (text.length + 1));
  return { count, body: `[${Array.from({ length: count }, () => text).join(",")}]` };
};

const lines = (response: ResponseToValidate, using = validator) =>
  using.validateResponse(response).violations.map((v) => `${v.place} | ${v.message}`);

const MEMBER_REQUIRED = [
  "id",
  "email",
  "name",
  "user",
  "orgRole",
  "role",
  "roleName",
  "pending",
  "expired",
  "flags",
  "dateCreated",
  "inviteStatus",
  "inviterName",
];

describe("huge invalid bodies", () => {
  test("1 MB of empty objects as members: the first 50 violations, then how many more", () => {
    const { count, body } = arrayOf({}, MEGABYTE);
    const listed = [0, 1, 2, 3].flatMap((item) =>
      MEMBER_REQUIRED.map((name) => `body/${item} | must have required property '${name}'`),
    );
    // Item 3's last two violations and every later item (counted once each, unexplained) are not listed.
    expect(lines(page(MEMBERS, body))).toEqual([
      ...listed.slice(0, 50),
      `body | and at least ${(count - 4 + 2).toLocaleString("en-US")} more violations, not listed (the list stops at 50)`,
    ]);
  });

  test("1 MB of members that each break one rule", () => {
    const member = { ...acme.members[0], id: 1001 };
    const { count, body } = arrayOf(member, MEGABYTE);
    const result = validator.validateResponse(page(MEMBERS, body));
    expect(result.valid).toBe(false);
    expect(result.violations).toHaveLength(51);
    expect(result.violations.slice(0, 50).map((v) => `${v.place} | ${v.message}`)).toEqual(
      Array.from({ length: 50 }, (_, item) => `body/${item}/id | must be string`),
    );
    expect(result.violations[50]).toEqual({
      operation: "listOrganizationMembers",
      place: "body",
      message: `and at least ${(count - 50).toLocaleString("en-US")} more violations, not listed (the list stops at 50)`,
    });
  });

  test("an organization with a 1 MB teams array of invalid teams", () => {
    const { count, body: teams } = arrayOf({ id: 7 }, MEGABYTE);
    const body = JSON.stringify({ ...acme.organization, teams: "TEAMS" }).replace('"TEAMS"', teams);
    const team = (item: number) => [
      `body/teams/${item} | must have required property 'slug'`,
      `body/teams/${item} | must have required property 'name'`,
      `body/teams/${item}/id | must be string`,
    ];
    expect(lines({ ...page(ORGANIZATION, body), headers: { "content-type": "application/json" } })).toEqual([
      ...Array.from({ length: 17 }, (_, item) => team(item))
        .flat()
        .slice(0, 50),
      `body | and at least ${(count - 17 + 1).toLocaleString("en-US")} more violations, not listed (the list stops at 50)`,
    ]);
  });

  test("a 1 MB invalid list inside a oneOf branch (a repository's settings)", () => {
    const { count, body: triggers } = arrayOf(0, MEGABYTE);
    const repository = { ...acme.repositories[0], settings: { enabledCodeReview: true, codeReviewTriggers: "T" } };
    const body = JSON.stringify([repository]).replace('"T"', triggers);
    // Both oneOf branches fail and the oneOf itself fails: two more beyond the unlisted triggers.
    expect(lines(page(REPOS, body, { "x-hits": "1" }))).toEqual([
      ...Array.from({ length: 50 }, (_, item) => `body/0/settings/codeReviewTriggers/${item} | must be string`),
      `body | and at least ${(count - 50 + 2).toLocaleString("en-US")} more violations, not listed (the list stops at 50)`,
    ]);
  });

  test("violations follow the body's order, not the schema's", () => {
    const { id: _id, user: _user, ...rest } = acme.members[0] as unknown as Record<string, unknown>;
    const member = { user: 5, ...rest, id: 6 };
    expect(lines(page(MEMBERS, JSON.stringify([member])))).toEqual([
      "body/0/user | must be object",
      "body/0/user | must be null",
      "body/0/user | must match exactly one schema in oneOf",
      "body/0/id | must be string",
    ]);
  });

  test("maxViolations sets the length of the list, header violations included", () => {
    const short = createValidator({ maxViolations: 3 });
    const response = page(MEMBERS, "[{}, {}]", { [RATE_LIMIT_HEADERS.remaining]: "lots" });
    expect(lines(response, short)).toEqual([
      'header X-Sentry-Rate-Limit-Remaining | "lots" is not an integer',
      "body/0 | must have required property 'id'",
      "body/0 | must have required property 'email'",
      "body | and at least 12 more violations, not listed (the list stops at 3)",
    ]);
  });
});

describe("body size limit", () => {
  test("a body over 32 MiB is one violation and is not parsed", () => {
    const body = `[${" ".repeat(32 * MEGABYTE)}`;
    expect(lines(page(MEMBERS, body))).toEqual([
      "body | is over 33,554,432 bytes (maxBodyBytes), so it was not parsed",
    ]);
  });

  test("the limit counts UTF-8 bytes, not characters", () => {
    const small = createValidator({ maxBodyBytes: 1000 });
    const names = (characters: string) => JSON.stringify([{ name: characters }]);
    const atLimit = names(`a${"é".repeat(493)}`);
    expect(Buffer.byteLength(atLimit)).toBe(1000);
    expect(atLimit.length).toBeLessThan(1000);
    expect(lines(page(MEMBERS, atLimit), small)[0]).toBe("body/0 | must have required property 'id'");
    expect(lines(page(MEMBERS, `${atLimit} `), small)).toEqual([
      "body | is over 1,000 bytes (maxBodyBytes), so it was not parsed",
    ]);
  });
});

describe("input outside the types never throws", () => {
  const members = page(MEMBERS, JSON.stringify(acme.members));
  test.each([
    [
      "null",
      null,
      "(unknown operation) | response | is null, expected an object with method, url, status, headers and body",
    ],
    [
      "undefined",
      undefined,
      "(unknown operation) | response | is undefined, expected an object with method, url, status, headers and body",
    ],
    [
      "a number",
      200,
      "(unknown operation) | response | is a number, expected an object with method, url, status, headers and body",
    ],
    [
      "no method",
      { ...members, method: undefined },
      '(unknown operation) | method | is undefined, expected a string such as "GET"',
    ],
    ["a numeric URL", { ...members, url: 42 }, "(unknown operation) | url | is a number, expected a string"],
    [
      "a URL that does not parse",
      { ...members, url: "http://[::1" },
      '(unknown operation) | url | "http://[::1" is not a URL or a path',
    ],
    [
      "a status given as text",
      { ...members, status: "200" },
      "listOrganizationMembers | status | is a string, expected an integer",
    ],
    [
      "a status that is NaN",
      { ...members, status: Number.NaN },
      "listOrganizationMembers | status | is NaN, expected an integer",
    ],
    [
      "null headers",
      { ...members, headers: null },
      "listOrganizationMembers | headers | are null, expected a Headers or a record of header values",
    ],
    [
      "headers as a number",
      { ...members, headers: 7 },
      "listOrganizationMembers | headers | are a number, expected a Headers or a record of header values",
    ],
    [
      "headers as entries",
      { ...members, headers: [["link", "x"]] },
      "listOrganizationMembers | headers | are an array, expected a Headers or a record of header values",
    ],
    [
      "a number as the body",
      { ...members, body: 5 },
      "listOrganizationMembers | body | is a number, expected the raw response text",
    ],
    [
      "a parsed body",
      { ...members, body: [] },
      "listOrganizationMembers | body | is an array, expected the raw response text",
    ],
    [
      "a null body",
      { ...members, body: null },
      "listOrganizationMembers | body | is null, expected the raw response text",
    ],
  ])("%s", (_, response, violation) => {
    const result = validator.validateResponse(response as unknown as ResponseToValidate);
    expect(result.valid).toBe(false);
    expect(result.violations.map((v) => `${v.operation} | ${v.place} | ${v.message}`)).toEqual([violation]);
  });

  test("a header value that is not text is reported once, and the body is still checked", () => {
    const response = {
      ...members,
      headers: { "content-type": 1, link: (members.headers as Record<string, string>).link },
      body: "{}",
    } as unknown as ResponseToValidate;
    expect(lines(response)).toEqual([
      "header Content-Type | is a number, expected a string or an array of strings",
      "body | must be array",
    ]);
  });

  test("headers whose get throws", () => {
    const headers = {
      get() {
        throw new Error("boom");
      },
    };
    expect(lines({ ...members, headers } as unknown as ResponseToValidate)).toEqual([
      "validator | could not check the response: boom",
    ]);
  });

  test("headers whose get throws something that cannot become a string", () => {
    const headers = {
      get() {
        throw Object.create(null);
      },
    };
    expect(lines({ ...members, headers } as unknown as ResponseToValidate)).toEqual([
      "validator | could not check the response: a non-Error value",
    ]);
  });
});

describe("options", () => {
  test.each([
    [null, "invalid validator options: expected an object, got null"],
    [
      { trustedLinkOrigin: [] },
      'invalid validator options: unknown option "trustedLinkOrigin" (known: trustedLinkOrigins, maxBodyBytes, maxViolations)',
    ],
    [
      { trustedLinkOrigins: "https://acme.sentry.io" },
      "invalid validator options: trustedLinkOrigins is a string, expected an array of origins",
    ],
    [
      { trustedLinkOrigins: ["acme.sentry.io"] },
      'invalid validator options: trustedLinkOrigins has "acme.sentry.io", expected an http(s) origin such as "https://acme.sentry.io"',
    ],
    [
      { trustedLinkOrigins: ["data:text/plain,x"] },
      'invalid validator options: trustedLinkOrigins has "data:text/plain,x", expected an http(s) origin such as "https://acme.sentry.io"',
    ],
    [
      { trustedLinkOrigins: {} },
      "invalid validator options: trustedLinkOrigins is an object, expected an array of origins",
    ],
    [
      // An object whose string is an origin is still not one: only strings are read.
      { trustedLinkOrigins: [{ toString: () => "https://acme.sentry.io" }] },
      'invalid validator options: trustedLinkOrigins has an object, expected an http(s) origin such as "https://acme.sentry.io"',
    ],
    [
      { trustedLinkOrigins: [42] },
      'invalid validator options: trustedLinkOrigins has a number, expected an http(s) origin such as "https://acme.sentry.io"',
    ],
    [{ maxBodyBytes: 0 }, "invalid validator options: maxBodyBytes is 0, expected a positive integer"],
    [{ maxViolations: 2.5 }, "invalid validator options: maxViolations is 2.5, expected a positive integer"],
    [{ maxViolations: "50" }, "invalid validator options: maxViolations is a string, expected a positive integer"],
  ])("%o is refused", (options, message) => {
    expect(() => createValidator(options as never)).toThrow(new TypeError(message));
  });
});
