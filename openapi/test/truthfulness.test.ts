import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { createAjv, pointer, spec } from "./load-spec.js";

// Bodies written from what Sentry really sends (see the README), not from this spec.
const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));

const ajv = createAjv();
const okSchemaOf = (operationId: string) => {
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    if (item.get.operationId === operationId) {
      return ajv.compile({
        $ref: pointer("paths", path, "get", "responses", "200", "content", "application/json", "schema"),
      });
    }
  }
  throw new Error(`no operation ${operationId}`);
};
const validators = {
  getOrganization: okSchemaOf("getOrganization"),
  listOrganizationMembers: okSchemaOf("listOrganizationMembers"),
  listOrganizationRepositories: okSchemaOf("listOrganizationRepositories"),
};

const realistic = [
  ["getOrganization", "organization-integration-token"],
  ["getOrganization", "organization-feature-flags"],
  ["listOrganizationMembers", "members-mixed-page"],
  ["listOrganizationMembers", "members-last-page"],
  ["listOrganizationRepositories", "repositories-expanded-settings"],
  ["listOrganizationRepositories", "repositories-not-active"],
] as const;

describe("realistic bodies validate against the operation's 200 schema", () => {
  test.each(realistic)("%s: %s", async (operationId, name) => {
    const validate = validators[operationId];
    expect(validate(await fixture(name)), JSON.stringify(validate.errors)).toBe(true);
  });

  test("the set covers the shapes that differ from the short field lists", async () => {
    const [withoutFeatures, withFeatures, members, repositories] = await Promise.all(
      [
        "organization-integration-token",
        "organization-feature-flags",
        "members-mixed-page",
        "repositories-expanded-settings",
      ].map(fixture),
    );
    expect(withoutFeatures).not.toHaveProperty("features");
    expect(withFeatures.features).toContain("session-replay");
    expect(members.some((m: { user: unknown; pending: boolean }) => m.user === null && m.pending)).toBe(true);
    expect(repositories.some((r: { url: unknown }) => r.url === null)).toBe(true);
    expect(repositories.some((r: { externalSlug: unknown }) => typeof r.externalSlug === "number")).toBe(true);
  });
});

describe("mutated bodies are rejected", () => {
  const rejects = async (
    operationId: keyof typeof validators,
    name: string,
    mutate: (body: any) => void,
    expected: { instancePath: string; message: string },
  ) => {
    const body = await fixture(name);
    mutate(body);
    const validate = validators[operationId];
    expect(validate(body)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining(expected));
  };

  test("organization without a required field", () =>
    rejects("getOrganization", "organization-integration-token", (org) => delete org.slug, {
      instancePath: "",
      message: "must have required property 'slug'",
    }));

  test("member id as a JSON number", () =>
    rejects("listOrganizationMembers", "members-mixed-page", (page) => (page[1].id = 7), {
      instancePath: "/1/id",
      message: "must be string",
    }));

  test("member user as a string", () =>
    rejects("listOrganizationMembers", "members-mixed-page", (page) => (page[0].user = "jane"), {
      instancePath: "/0/user",
      message: "must be null",
    }));

  test("repository without its nullable url", () =>
    rejects("listOrganizationRepositories", "repositories-not-active", (page) => delete page[0].url, {
      instancePath: "/0",
      message: "must have required property 'url'",
    }));

  test("organization with an unknown status", () =>
    rejects("getOrganization", "organization-feature-flags", (org) => (org.status.id = "archived"), {
      instancePath: "/status/id",
      message: "must be equal to one of the allowed values",
    }));

  test("date that is not ISO-8601", () =>
    rejects(
      "listOrganizationRepositories",
      "repositories-expanded-settings",
      (page) => (page[2].dateCreated = "21/05/2019"),
      {
        instancePath: "/2/dateCreated",
        message: 'must match format "date-time"',
      },
    ));
});

describe("organization_id_or_slug", () => {
  const validate = createAjv().compile({ $ref: pointer("components", "parameters", "OrganizationIdOrSlug", "schema") });

  test.each(["2", "4504256489865216", "acme", "acme-corp", "a1", "legacy_org", "x".repeat(50)])(
    "admits %j",
    (value) => {
      expect(validate(value)).toBe(true);
    },
  );

  test.each(["", ".", "..", "a/b", "%2e%2e", "acme corp", "acme?x", "acme#x", "a.b", "x".repeat(51)])(
    "rejects %j",
    (value) => {
      expect(validate(value)).toBe(false);
    },
  );
});
