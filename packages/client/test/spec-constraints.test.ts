// The client holds to the spec's constraints on its arguments, as the generated protocol module states them.
import { PER_PAGE } from "@sentry-org-api/types/protocol";
import { describe, expect, test } from "vitest";
import { createSentryClient } from "../src/index.js";
import { LAST_PAGE_LINK } from "./stub-fetch.js";

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

  test.each(VALUES)("listMembers on %j: accepted %j", (value, valid) => {
    expect(listMembersAccepts(value)).toBe(valid);
  });

  test.each(VALUES)("getOrganization on %j: accepted %j", async (value, valid) => {
    expect(await getOrganizationAccepts(value)).toBe(valid);
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
  test.each([PER_PAGE.minimum, PER_PAGE.maximum])(
    "the client accepts perPage %i and sends it as per_page",
    async (perPage) => {
      const { client, requests } = stubbedClient();
      expect(await client.listMembers("acme", { perPage }).toArray()).toEqual([]);
      expect(await client.listRepositories("acme", { perPage }).toArray()).toEqual([]);
      expect(requests.map((url) => new URL(url).searchParams.get("per_page"))).toEqual([
        String(perPage),
        String(perPage),
      ]);
    },
  );

  test.each([PER_PAGE.minimum - 1, PER_PAGE.maximum + 1, -1, 1.5, Number.NaN])(
    "the client rejects perPage %d before any request",
    (perPage) => {
      const { client, requests } = stubbedClient();
      expect(() => client.listMembers("acme", { perPage })).toThrow(TypeError);
      expect(() => client.listRepositories("acme", { perPage })).toThrow(TypeError);
      expect(requests).toEqual([]);
    },
  );
});
