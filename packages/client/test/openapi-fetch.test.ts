import { inspect } from "node:util";
import { USER_AGENT } from "@sentry-org-api/types/protocol";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createSentryClient, type SentryClient } from "../src/index.js";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";
import { apiError, hang, json, stubFetch } from "./stub-fetch.js";

const TOKEN = "sntrys_eyJpYXQiOjE3MDB9+/a=_SGVsbG8tV29ybGQ+/Zm9v";
const ORGANIZATION = "/api/0/organizations/{organization_id_or_slug}/";
const path = { organization_id_or_slug: "acme" };
/** Not encoded alike by encodeURIComponent and URLSearchParams: a space, `+`, `!'()*~`, and reserved characters. */
const QUERY = "email:a+b@example.com role:owner (x)!~*'/?#&=%";
/** The spec's only expand value for members, twice: an array is sent as repeated keys. */
const EXPAND: ["externalUsers", "externalUsers"] = ["externalUsers", "externalUsers"];

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the methods' query strings are the ones openapi-fetch builds", () => {
  const answer = (request: Request) =>
    json(request, new URL(request.url).pathname.endsWith("/acme/") ? { id: "2", slug: "acme" } : []);

  /** The URL a method's first request went to, and the one openapi-fetch's GET went to. */
  async function urls(
    method: (sentry: SentryClient) => Promise<unknown>,
    openapiGet: (sentry: SentryClient) => Promise<unknown>,
  ) {
    const { fetch, calls } = stubFetch(answer);
    const sentry = createSentryClient({ token: TOKEN, fetch });
    await method(sentry);
    await openapiGet(sentry);
    expect(calls).toHaveLength(2);
    return calls.map((call) => call.request.url);
  }

  test("listMembers: every option, an array of two, and characters the two encoders differ on", async () => {
    const [ours, theirs] = await urls(
      (sentry) =>
        sentry.listMembers("acme", { query: QUERY, expand: EXPAND, perPage: 7, cursor: "100:1:0" }).pages().next(),
      (sentry) =>
        createOpenApiFetchClient(sentry).GET(`${ORGANIZATION}members/`, {
          params: { path, query: { query: QUERY, expand: EXPAND, per_page: 7, cursor: "100:1:0" } },
        }),
    );
    expect(ours).toContain("%20");
    expect(ours).toContain("expand=externalUsers&expand=externalUsers");
    expect(ours).toBe(theirs);
  });

  test("listRepositories: every option", async () => {
    const [ours, theirs] = await urls(
      (sentry) =>
        sentry
          .listRepositories("acme", { query: QUERY, status: "active", integrationId: "42", expand: ["settings"] })
          .pages()
          .next(),
      (sentry) =>
        createOpenApiFetchClient(sentry).GET(`${ORGANIZATION}repos/`, {
          params: { path, query: { query: QUERY, status: "active", integration_id: "42", expand: ["settings"] } },
        }),
    );
    expect(ours).toBe(theirs);
  });

  test("getOrganization: detailed and includeFeatureFlags", async () => {
    const [ours, theirs] = await urls(
      (sentry) => sentry.getOrganization("acme", { detailed: false, includeFeatureFlags: true }),
      (sentry) =>
        createOpenApiFetchClient(sentry).GET(ORGANIZATION, {
          params: { path, query: { detailed: "0", include_feature_flags: "1" } },
        }),
    );
    expect(ours).toBe(theirs);
  });
});

describe("createOpenApiFetchClient", () => {
  test("shares the client's concurrency slots: an openapi-fetch call queues behind the methods' requests", async () => {
    vi.useFakeTimers({ now: 0 });
    const { fetch, calls } = stubFetch(hang);
    const sentry = createSentryClient({ token: TOKEN, fetch, maxConcurrency: 1, timeoutMs: 1000, maxRetries: 0 });
    const method = apiError(sentry.getOrganization("acme"));
    const openapi = apiError(createOpenApiFetchClient(sentry).GET(ORGANIZATION, { params: { path } }));
    await vi.runAllTimersAsync();
    expect((await Promise.all([method, openapi])).map((error) => error.kind)).toEqual(["timeout", "timeout"]);
    // Sent once the method's request timed out and gave its slot back.
    expect(calls.map((call) => call.at)).toEqual([0, 1000]);
  });

  test("sends the client's token and User-Agent, and nothing about them shows on the client", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, { id: "2", slug: "acme" }));
    const sentry = createSentryClient({ token: TOKEN, fetch, userAgent: "my-app/1.2" });
    await createOpenApiFetchClient(sentry).GET(ORGANIZATION, { params: { path } });
    expect(calls[0]?.request.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]?.request.headers.get("user-agent")).toBe(`${USER_AGENT} my-app/1.2`);
    expect(Reflect.ownKeys(sentry)).toEqual(["getOrganization", "listMembers", "listRepositories"]);
    expect(inspect(sentry, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain("sntrys_");
  });

  test.each([
    ["a copy of a client", (sentry: SentryClient) => ({ ...sentry })],
    ["an object", () => ({})],
    ["undefined", () => undefined],
  ])("refuses %s with a TypeError", (_, make) => {
    const sentry = createSentryClient({ token: TOKEN });
    expect(() => createOpenApiFetchClient(make(sentry) as SentryClient)).toThrow(
      new TypeError("sentry must be a client made by createSentryClient"),
    );
  });
});
