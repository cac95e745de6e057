import type { Organization, OrganizationMember, paths, Repository } from "@sentry-org-api/types";
import { describe, expectTypeOf, test } from "vitest";
import {
  createSentryClient,
  type Page,
  type Paginator,
  type RateLimit,
  type SentryApiErrorKind,
  type SentryClient,
} from "../src/index.js";

const client = createSentryClient({ token: "token", baseUrl: "http://127.0.0.1:4010" });
const MEMBERS = "/api/0/organizations/{organization_id_or_slug}/members/";
const org = { organization_id_or_slug: "acme" };

type MembersJson = paths[typeof MEMBERS]["get"]["responses"][200]["content"]["application/json"];
type RepositoriesJson =
  paths["/api/0/organizations/{organization_id_or_slug}/repos/"]["get"]["responses"][200]["content"]["application/json"];

describe("results are the spec's types", () => {
  test("createSentryClient returns a SentryClient", () => {
    expectTypeOf(client).toEqualTypeOf<SentryClient>();
  });

  test("getOrganization resolves to Organization", () => {
    expectTypeOf(client.getOrganization("acme")).toEqualTypeOf<Promise<Organization>>();
    expectTypeOf(
      client.getOrganization("acme", { detailed: false, includeFeatureFlags: true }),
    ).resolves.toEqualTypeOf<Organization>();
  });

  test("for await over listMembers yields OrganizationMember", async () => {
    expectTypeOf(client.listMembers("acme")).toEqualTypeOf<Paginator<OrganizationMember>>();
    for await (const member of client.listMembers("acme", { perPage: 10, query: "role:owner" })) {
      expectTypeOf(member).toEqualTypeOf<OrganizationMember>();
      expectTypeOf(member.user).toExtend<object | null>();
    }
  });

  test("for await over listRepositories yields Repository", async () => {
    for await (const repository of client.listRepositories("acme", { status: "deleted" })) {
      expectTypeOf(repository).toEqualTypeOf<Repository>();
    }
  });

  test("pages() yields Page<Repository>", async () => {
    for await (const page of client.listRepositories("acme").pages()) {
      expectTypeOf(page).toEqualTypeOf<Page<Repository>>();
      expectTypeOf(page.items).toEqualTypeOf<Repository[]>();
      expectTypeOf(page.nextCursor).toEqualTypeOf<string | null>();
      expectTypeOf(page.prevCursor).toEqualTypeOf<string | null>();
      expectTypeOf(page.hits).toEqualTypeOf<number | undefined>();
      expectTypeOf(page.rateLimit).toEqualTypeOf<RateLimit | undefined>();
      expectTypeOf(page.response).toEqualTypeOf<Response>();
    }
  });

  test("toArray resolves to OrganizationMember[]", () => {
    expectTypeOf(client.listMembers("acme").toArray()).resolves.toEqualTypeOf<OrganizationMember[]>();
    expectTypeOf(client.listMembers("acme").toArray({ maxItems: 500 })).resolves.toEqualTypeOf<OrganizationMember[]>();
  });

  test("the spec's list bodies are arrays of the item types", () => {
    expectTypeOf<MembersJson>().toEqualTypeOf<OrganizationMember[]>();
    expectTypeOf<RepositoriesJson>().toEqualTypeOf<Repository[]>();
  });

  test("raw.GET types data as the generated body", async () => {
    const { data } = await client.raw.GET(MEMBERS, { params: { path: org, query: { per_page: 10 } } });
    expectTypeOf(data).toEqualTypeOf<MembersJson | undefined>();
    const organization = await client.raw.GET("/api/0/organizations/{organization_id_or_slug}/", {
      params: { path: org },
    });
    expectTypeOf(organization.data).toEqualTypeOf<Organization | undefined>();
  });

  test("the error kinds are a closed union", () => {
    expectTypeOf<"rate_limit">().toExtend<SentryApiErrorKind>();
    expectTypeOf<"teapot">().not.toExtend<SentryApiErrorKind>();
  });
});

describe("misuse fails to compile", () => {
  test("an unknown option name", () => {
    // @ts-expect-error the option is perPage; per_page is the wire name
    client.listMembers("acme", { per_page: 10 });
    // @ts-expect-error the option is detailed
    client.getOrganization("acme", { detail: true });
    // @ts-expect-error status is a repositories filter, not a members one
    client.listMembers("acme", { status: "active" });
  });

  test("wrong option types", () => {
    // @ts-expect-error perPage is a number
    client.listMembers("acme", { perPage: "10" });
    // @ts-expect-error status is "active" or "deleted"
    client.listRepositories("acme", { status: "archived" });
    // @ts-expect-error members expand only to externalUsers
    client.listMembers("acme", { expand: ["settings"] });
    // @ts-expect-error repositories expand only to settings
    client.listRepositories("acme", { expand: ["externalUsers"] });
    // @ts-expect-error includeFeatureFlags is a boolean
    client.getOrganization("acme", { includeFeatureFlags: "1" });
    // @ts-expect-error the organization is a string
    client.getOrganization(2);
  });

  test("wrong client options", () => {
    // @ts-expect-error the token is a string
    createSentryClient({ token: 123 });
    // @ts-expect-error the token is required
    createSentryClient({ baseUrl: "https://sentry.io" });
    // @ts-expect-error options are required
    createSentryClient();
    // @ts-expect-error timeoutMs is a number
    createSentryClient({ token: "token", timeoutMs: "30s" });
  });

  test("raw.GET on a path the spec does not have", () => {
    // @ts-expect-error teams is not in the spec
    client.raw.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: org } });
    // @ts-expect-error the path needs organization_id_or_slug
    client.raw.GET(MEMBERS, { params: { path: {} } });
  });
});
