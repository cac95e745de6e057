import type { Organization, OrganizationMember, paths, Repository } from "@sentry-org-api/types";
import type { Client } from "openapi-fetch";
import { describe, expectTypeOf, test } from "vitest";
import {
  createSentryClient,
  type Page,
  type Paginator,
  type RateLimit,
  type RetryInfo,
  type SentryApiErrorKind,
  type SentryClient,
} from "../src/index.js";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";

const client = createSentryClient({ token: "token", baseUrl: "http://127.0.0.1:4010" });
const openapi = createOpenApiFetchClient(client);
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

  test("createOpenApiFetchClient returns openapi-fetch's client for the spec's paths", () => {
    expectTypeOf(openapi).toEqualTypeOf<Client<paths>>();
  });

  test("openapi-fetch's GET types data as the generated body", async () => {
    const { data } = await openapi.GET(MEMBERS, { params: { path: org, query: { per_page: 10 } } });
    expectTypeOf(data).toEqualTypeOf<MembersJson | undefined>();
    const organization = await openapi.GET("/api/0/organizations/{organization_id_or_slug}/", {
      params: { path: org },
    });
    expectTypeOf(organization.data).toEqualTypeOf<Organization | undefined>();
  });

  test("the error kinds are a closed union", () => {
    expectTypeOf<"rate_limit">().toExtend<SentryApiErrorKind>();
    expectTypeOf<"teapot">().not.toExtend<SentryApiErrorKind>();
  });
});

describe("strict projects: every optional option takes undefined (exactOptionalPropertyTypes)", () => {
  test("this file is checked with exactOptionalPropertyTypes on", () => {
    // @ts-expect-error a plain optional property refuses undefined only with the flag on
    const probe: { x?: number } = { x: undefined };
    void probe;
  });

  test("client options, as read from the environment", () => {
    createSentryClient({
      token: "token",
      baseUrl: process.env.SENTRY_URL,
      fetch: undefined,
      timeoutMs: undefined,
      maxRetries: undefined,
      maxRetryDelayMs: undefined,
      maxConcurrency: undefined,
      onRetry: undefined,
      userAgent: process.env.USER_AGENT,
    });
  });

  test("call options", () => {
    const call = { signal: undefined, timeoutMs: undefined, maxRetries: undefined };
    client.getOrganization("acme", { ...call, detailed: undefined, includeFeatureFlags: undefined });
    const list = { ...call, perPage: undefined, cursor: undefined, query: undefined, expand: undefined };
    client.listMembers("acme", list);
    client.listRepositories("acme", { ...list, status: undefined, integrationId: undefined });
  });
});

describe("retries and pacing", () => {
  test("onRetry receives RetryInfo", () => {
    expectTypeOf<RetryInfo>().toEqualTypeOf<{
      operation: string;
      attempt: number;
      delayMs: number;
      reason: number | "network" | "timeout" | "paced";
    }>();
    createSentryClient({ token: "token", onRetry: (info) => expectTypeOf(info).toEqualTypeOf<RetryInfo>() });
    // An async hook is accepted: its rejection is swallowed.
    createSentryClient({ token: "token", onRetry: async () => {} });
  });

  test("per-call limits on every method", () => {
    client.getOrganization("acme", { timeoutMs: 5000, maxRetries: 0 });
    client.listMembers("acme", { timeoutMs: 5000, maxRetries: 5 });
    client.listRepositories("acme", { timeoutMs: 5000, maxRetries: 5 });
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
    // @ts-expect-error maxConcurrency is a number
    createSentryClient({ token: "token", maxConcurrency: "8" });
    // @ts-expect-error onRetry takes a RetryInfo, not a string
    createSentryClient({ token: "token", onRetry: (info: string) => info });
    // @ts-expect-error undefined is accepted, null is not
    createSentryClient({ token: "token", baseUrl: null });
    // @ts-expect-error the token stays required, undefined included
    createSentryClient({ token: process.env.SENTRY_TOKEN });
  });

  test("wrong per-call options", () => {
    // @ts-expect-error timeoutMs is a number
    client.getOrganization("acme", { timeoutMs: "5s" });
    // @ts-expect-error maxRetries is a number
    client.listMembers("acme", { maxRetries: "2" });
    // @ts-expect-error maxConcurrency is per client, not per call
    client.listRepositories("acme", { maxConcurrency: 2 });
    // @ts-expect-error onRetry is per client, not per call
    client.getOrganization("acme", { onRetry: () => {} });
  });

  test("openapi-fetch's GET on a path the spec does not have", () => {
    // @ts-expect-error teams is not in the spec
    openapi.GET("/api/0/organizations/{organization_id_or_slug}/teams/", { params: { path: org } });
    // @ts-expect-error the path needs organization_id_or_slug
    openapi.GET(MEMBERS, { params: { path: {} } });
  });
});
