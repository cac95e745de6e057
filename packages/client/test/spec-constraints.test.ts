import spec from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import { describe, expect, test } from "vitest";
import { createSentryClient } from "../src/index.js";
import { LAST_PAGE_LINK } from "./stub-fetch.js";

interface Parameter {
  name: string;
  in: string;
  schema: {
    type?: string;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
  };
}
type ParameterOrRef = Parameter | { $ref: string };
interface PathItem {
  parameters?: ParameterOrRef[];
  get: { operationId: string; parameters?: ParameterOrRef[] };
}

const document = spec as unknown as {
  paths: Record<string, PathItem>;
  components: { parameters: Record<string, Parameter> };
};

/** A parameter, following a `#/components/parameters/…` reference. */
function resolve(parameter: ParameterOrRef): Parameter {
  if (!("$ref" in parameter)) return parameter;
  const prefix = "#/components/parameters/";
  expect(parameter.$ref.startsWith(prefix)).toBe(true);
  const resolved = document.components.parameters[parameter.$ref.slice(prefix.length)];
  expect(resolved).toBeDefined();
  return resolved as Parameter;
}

/** The schema of `name` on every operation that has it, path-level and operation-level parameters alike. */
function schemasOf(name: string) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    [...(item.parameters ?? []), ...(item.get.parameters ?? [])]
      .map(resolve)
      .filter((parameter) => parameter.name === name)
      .map((parameter) => ({ path, operationId: item.get.operationId, schema: parameter.schema })),
  );
}

/** A client whose fetch answers every request with a minimal 200 and counts them. */
function stubbedClient() {
  const requests: string[] = [];
  const client = createSentryClient({
    token: "token",
    baseUrl: "https://sentry.example",
    maxRetries: 0,
    fetch: async (request) => {
      requests.push(request.url);
      const list = request.url.includes("/members/") || request.url.includes("/repos/");
      return new Response(list ? "[]" : '{"id":"2","slug":"acme"}', {
        status: 200,
        // Like Sentry, a list page carries Link; this one is the last page.
        headers: { "content-type": "application/json", ...(list ? { link: LAST_PAGE_LINK } : {}) },
      });
    },
  });
  return { client, requests };
}

/** Whether listMembers takes the value: a synchronous TypeError, before any request, means no. */
function listMembersAccepts(value: string) {
  const { client, requests } = stubbedClient();
  try {
    client.listMembers(value);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    expect(requests).toEqual([]);
    return false;
  }
  expect(requests).toEqual([]);
  return true;
}

/** Whether getOrganization takes the value: a rejection with a TypeError and no request means no. */
async function getOrganizationAccepts(value: string) {
  const { client, requests } = stubbedClient();
  const outcome = await client.getOrganization(value).then(
    () => true,
    (error: unknown) => error,
  );
  if (outcome === true) {
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0] as string).pathname).toBe(`/api/0/organizations/${value}/`);
    return true;
  }
  expect(outcome).toBeInstanceOf(TypeError);
  expect(requests).toEqual([]);
  return false;
}

describe("organization_id_or_slug", () => {
  const schemas = schemasOf("organization_id_or_slug");
  const [first] = schemas;
  const { pattern, minLength, maxLength } = first?.schema ?? {};

  test("the spec declares it once, the same way, on all three paths", () => {
    expect(schemas.map(({ operationId }) => operationId).sort()).toEqual([
      "getOrganization",
      "listOrganizationMembers",
      "listOrganizationRepositories",
    ]);
    for (const { schema } of schemas) expect(schema).toEqual(first?.schema);
    expect(typeof pattern).toBe("string");
    expect(minLength).toBe(1);
    expect(maxLength).toBe(50);
  });

  /** JSON Schema's rule: a string, minLength ≤ length in code points ≤ maxLength, and the pattern matches. */
  const specAccepts = (value: string) => {
    const length = [...value].length;
    return (
      length >= (minLength ?? 0) &&
      length <= (maxLength ?? Number.POSITIVE_INFINITY) &&
      new RegExp(pattern as string).test(value)
    );
  };

  const VALUES: [string, boolean][] = [
    ["acme", true],
    ["2", true],
    ["4504256489865216", true],
    ["my-org", true],
    ["old_org_2015", true],
    ["A", true],
    ["-", true],
    ["_", true],
    ["a".repeat(50), true],
    ["a".repeat(51), false],
    ["", false],
    [".", false],
    ["..", false],
    ["a.b", false],
    ["a/b", false],
    ["%2e%2e", false],
    ["a%2Fb", false],
    ["a b", false],
    [" acme", false],
    ["acme\n", false],
    ["acme?x=1", false],
    ["acme#x", false],
    ["ácme", false],
    ["ａｃｍｅ", false],
  ];

  test.each(VALUES)("the spec and listMembers agree on %j", (value, valid) => {
    expect(listMembersAccepts(value)).toBe(specAccepts(value));
    expect(specAccepts(value)).toBe(valid);
  });

  test.each(VALUES)("the spec and getOrganization agree on %j", async (value, valid) => {
    expect(await getOrganizationAccepts(value)).toBe(specAccepts(value));
    expect(specAccepts(value)).toBe(valid);
  });

  test("listRepositories rejects what the spec rejects", () => {
    const { client, requests } = stubbedClient();
    for (const [value, valid] of VALUES) {
      if (valid) expect(() => client.listRepositories(value)).not.toThrow();
      else expect(() => client.listRepositories(value)).toThrow(TypeError);
    }
    expect(requests).toEqual([]);
  });
});

describe("per_page", () => {
  const schemas = schemasOf("per_page");

  test("the spec bounds it from 1 to 100 on both lists", () => {
    expect(schemas.map(({ operationId }) => operationId).sort()).toEqual([
      "listOrganizationMembers",
      "listOrganizationRepositories",
    ]);
    for (const { schema } of schemas) expect(schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
  });

  test.each([1, 100])("the client accepts perPage %i and sends it as per_page", async (perPage) => {
    const { client, requests } = stubbedClient();
    expect(await client.listMembers("acme", { perPage }).toArray()).toEqual([]);
    expect(await client.listRepositories("acme", { perPage }).toArray()).toEqual([]);
    expect(requests.map((url) => new URL(url).searchParams.get("per_page"))).toEqual([
      String(perPage),
      String(perPage),
    ]);
  });

  test.each([0, 101, -1, 1.5, Number.NaN])("the client rejects perPage %d before any request", (perPage) => {
    const { client, requests } = stubbedClient();
    expect(() => client.listMembers("acme", { perPage })).toThrow(TypeError);
    expect(() => client.listRepositories("acme", { perPage })).toThrow(TypeError);
    expect(requests).toEqual([]);
  });

  test("the client's bounds are the spec's", () => {
    const { client } = stubbedClient();
    for (const { schema } of schemas) {
      const { minimum, maximum } = schema as { minimum: number; maximum: number };
      expect(() => client.listMembers("acme", { perPage: minimum })).not.toThrow();
      expect(() => client.listMembers("acme", { perPage: maximum })).not.toThrow();
      expect(() => client.listMembers("acme", { perPage: minimum - 1 })).toThrow(TypeError);
      expect(() => client.listMembers("acme", { perPage: maximum + 1 })).toThrow(TypeError);
    }
  });
});
