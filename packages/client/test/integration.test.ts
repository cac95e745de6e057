import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { OrganizationMember, Repository } from "@sentry-org-api/types";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createSentryClient, type Page, SentryApiError, type SentryClientOptions } from "../src/index.js";
import { type MockUnderTest, TRANSPORTS } from "./mock-transports.js";

const MEMBER_COUNT = 250;
const REPOSITORY_COUNT = 120;
const INACTIVE_REPOSITORY_COUNT = 4;

/** A client for `sentry` over its transport, with short backoffs so retries cost milliseconds. */
function clientFor(sentry: MockUnderTest, options: Partial<SentryClientOptions> = {}) {
  return createSentryClient({
    token: sentry.token,
    baseUrl: sentry.url,
    fetch: sentry.fetch,
    maxRetryDelayMs: 20,
    ...options,
  });
}

/** `sentry`'s fetch, counting the attempts and recording each answer's status. */
function countingFetch(sentry: MockUnderTest) {
  const statuses: number[] = [];
  const counter = {
    attempts: 0,
    statuses,
    fetch: async (request: Request) => {
      counter.attempts++;
      const response = await sentry.fetch(request);
      statuses.push(response.status);
      return response;
    },
  };
  return counter;
}

/** The `SentryApiError` a call rejects with; fails the test when it resolves or rejects with anything else. */
async function failureOf(promise: Promise<unknown>): Promise<SentryApiError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).toHaveProperty("error");
  const { error } = outcome as { error: unknown };
  expect(error).toBeInstanceOf(SentryApiError);
  return error as SentryApiError;
}

/** A full garbage collection, as `node --expose-gc` offers it. */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits, if needed, until early in a one-second rate-limit window, so a few quick calls share one window. */
async function earlyInWindow() {
  const into = Date.now() % 1000;
  if (into > 400) await sleep(1000 - into + 10);
}

/** A plain HTTP server on 127.0.0.1 that counts the requests it receives. */
async function startPlainServer(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const state = { requests: 0 };
  const server: Server = createServer((request, response) => {
    state.requests++;
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const memberIds = (members: OrganizationMember[]) => members.map((member) => member.id);
const repositoryNames = (repositories: Repository[]) => repositories.map((repository) => repository.name);
const sortedByNumber = (ids: string[]) => [...ids].sort((a, b) => Number(a) - Number(b));

// Every test here that talks to the mock runs over both transports and asserts the same; the ones
// after this block need a plain node:http server and stay on HTTP.
describe.each(TRANSPORTS)("the mock over $name", ({ start }) => {
  describe("against the mock's default data", () => {
    let sentry: MockUnderTest;
    let client: ReturnType<typeof createSentryClient>;

    beforeAll(async () => {
      sentry = await start();
      client = clientFor(sentry);
    });
    afterAll(async () => {
      await sentry.close();
    });

    describe("getOrganization", () => {
      test("by slug: the detailed organization, with teams and projects and no feature flags", async () => {
        const organization = await client.getOrganization("acme");
        expect(organization).toMatchObject({ id: "2", slug: "acme", name: "Acme Corp" });
        expect(organization.teams).toEqual([expect.objectContaining({ slug: "backend" })]);
        expect(organization.projects).toEqual([expect.objectContaining({ slug: "api" })]);
        expect(organization).not.toHaveProperty("features");
        expect(organization).not.toHaveProperty("extraOptions");
      });

      test("by numeric id: the same organization", async () => {
        expect(await client.getOrganization("2")).toEqual(await client.getOrganization("acme"));
      });

      test("another organization by its slug and its id", async () => {
        expect(await client.getOrganization("tiny")).toMatchObject({ id: "4504256489865216", slug: "tiny" });
        expect(await client.getOrganization("4504256489865216")).toMatchObject({ slug: "tiny" });
      });

      test("detailed: false leaves out teams and projects", async () => {
        const organization = await client.getOrganization("acme", { detailed: false });
        expect(organization).toMatchObject({ id: "2", slug: "acme" });
        expect(organization).not.toHaveProperty("teams");
        expect(organization).not.toHaveProperty("projects");
      });

      test("includeFeatureFlags adds features and extraOptions", async () => {
        const organization = await client.getOrganization("acme", { includeFeatureFlags: true });
        expect(organization.features).toEqual(expect.arrayContaining(["discover-basic"]));
        expect(organization).toHaveProperty("extraOptions");
        expect(organization).toHaveProperty("teams");
      });

      test("detailed: false with includeFeatureFlags: features but no teams", async () => {
        const organization = await client.getOrganization("acme", { detailed: false, includeFeatureFlags: true });
        expect(organization.features?.length).toBeGreaterThan(0);
        expect(organization).not.toHaveProperty("teams");
      });
    });

    describe("listMembers", () => {
      test("the first page of members", async () => {
        const members = await client.listMembers("acme", { perPage: 5 }).pages().next();
        expect(members.done).toBe(false);
        const page = members.value as Page<OrganizationMember>;
        expect(memberIds(page.items)).toEqual(["1000", "1001", "1002", "1003", "1004"]);
        expect(page.items[0]).toMatchObject({ orgRole: "owner", pending: false, user: expect.any(Object) });
      });

      test("a small organization fits on one page", async () => {
        const members = await client.listMembers("tiny").toArray();
        expect(members).toHaveLength(1);
      });
    });

    describe("listRepositories", () => {
      test("the first page of repositories", async () => {
        const { value } = await client.listRepositories("acme", { perPage: 3 }).pages().next();
        const page = value as Page<Repository>;
        expect(repositoryNames(page.items)).toEqual(["acme/service-000", "acme/service-001", "acme/service-002"]);
        expect(page.items.every((repository) => repository.status === "active")).toBe(true);
      });

      test("an organization without repositories gives []", async () => {
        expect(await client.listRepositories("tiny").toArray()).toEqual([]);
      });
    });

    describe("full walks", () => {
      test.each([100, 37, 7])("all %i-per-page pages of members: each once, sorted by id", async (perPage) => {
        const seen: OrganizationMember[] = [];
        for await (const member of client.listMembers("acme", { perPage })) seen.push(member);
        const ids = memberIds(seen);
        expect(ids).toHaveLength(MEMBER_COUNT);
        expect(new Set(ids).size).toBe(MEMBER_COUNT);
        expect(ids).toEqual(sortedByNumber(ids));
        expect(ids[0]).toBe("1000");
        expect(ids.at(-1)).toBe(String(1000 + MEMBER_COUNT - 1));
        expect(await client.listMembers("acme", { perPage }).toArray()).toEqual(seen);
      });

      test.each([100, 50, 9])("all %i-per-page pages of repositories: each once, sorted by name", async (perPage) => {
        const seen: Repository[] = [];
        for await (const repository of client.listRepositories("acme", { perPage })) seen.push(repository);
        const names = repositoryNames(seen);
        expect(names).toHaveLength(REPOSITORY_COUNT);
        expect(new Set(names).size).toBe(REPOSITORY_COUNT);
        expect(names).toEqual([...names].sort());
        expect(seen.every((repository) => repository.status === "active")).toBe(true);
        expect(await client.listRepositories("acme", { perPage }).toArray()).toEqual(seen);
      });

      test("pages hold perPage items, the last one the rest", async () => {
        const sizes: number[] = [];
        for await (const page of client.listMembers("acme", { perPage: 37 }).pages()) sizes.push(page.items.length);
        expect(sizes).toEqual([37, 37, 37, 37, 37, 37, 28]);
      });

      test("toArray refuses to truncate", async () => {
        await expect(client.listMembers("acme", { perPage: 100 }).toArray({ maxItems: 120 })).rejects.toThrow(
          RangeError,
        );
      });
    });

    describe("member filters", () => {
      test("free text matches the name or email", async () => {
        const members = await client.listMembers("acme", { query: "jane" }).toArray();
        expect(members.length).toBeGreaterThan(0);
        expect(members.length).toBeLessThan(MEMBER_COUNT);
        for (const member of members) expect(`${member.name} ${member.email}`.toLowerCase()).toContain("jane");
      });

      test("role:owner gives the owners only", async () => {
        const owners = await client.listMembers("acme", { query: "role:owner" }).toArray();
        expect(memberIds(owners)).toEqual(["1000", "1001", "1002"]);
        expect(owners.every((member) => member.orgRole === "owner")).toBe(true);
      });

      test("isInvited:true gives pending invitations, whose user is null", async () => {
        const invited = await client.listMembers("acme", { query: "isInvited:true", perPage: 3 }).toArray();
        expect(invited).toHaveLength(MEMBER_COUNT / 25);
        for (const member of invited) expect(member).toMatchObject({ user: null, pending: true });
      });

      test("an unknown key gives []", async () => {
        expect(await client.listMembers("acme", { query: "favouriteColour:blue" }).toArray()).toEqual([]);
      });

      test("expand externalUsers adds the field", async () => {
        const { value } = await client
          .listMembers("acme", { perPage: 3, expand: ["externalUsers"] })
          .pages()
          .next();
        for (const member of (value as Page<OrganizationMember>).items) expect(member.externalUsers).toEqual([]);
      });
    });

    describe("repository filters", () => {
      test("query keeps names containing the text, ignoring case", async () => {
        const repositories = await client.listRepositories("acme", { query: "SERVICE-01" }).toArray();
        expect(repositoryNames(repositories)).toEqual(Array.from({ length: 10 }, (_, i) => `acme/service-01${i}`));
      });

      test('status "deleted" gives the repositories that are not active', async () => {
        const repositories = await client.listRepositories("acme", { status: "deleted" }).toArray();
        expect(repositories).toHaveLength(INACTIVE_REPOSITORY_COUNT);
        expect(repositories.every((repository) => repository.status !== "active")).toBe(true);
      });

      test('status "active" is the default', async () => {
        expect(await client.listRepositories("acme", { status: "active" }).toArray()).toEqual(
          await client.listRepositories("acme").toArray(),
        );
      });

      test("integrationId keeps one integration's repositories", async () => {
        const repositories = await client.listRepositories("acme", { integrationId: "24176" }).toArray();
        expect(repositories.length).toBeGreaterThan(0);
        expect(repositories.length).toBeLessThan(REPOSITORY_COUNT);
        for (const repository of repositories) {
          expect(repository).toMatchObject({ integrationId: "24176", provider: { id: "integrations:github" } });
        }
      });

      test("expand settings adds settings; without it they are left out", async () => {
        const [withSettings, without] = await Promise.all([
          client
            .listRepositories("acme", { perPage: 10, expand: ["settings"] })
            .pages()
            .next(),
          client.listRepositories("acme", { perPage: 10 }).pages().next(),
        ]);
        const expanded = (withSettings.value as Page<Repository>).items;
        expect(expanded).toHaveLength(10);
        for (const repository of expanded) expect(repository).toHaveProperty("settings");
        expect(expanded.find((repository) => repository.name === "acme/service-000")?.settings).toEqual({
          enabledCodeReview: true,
          codeReviewTriggers: ["on_ready_for_review"],
        });
        for (const repository of (without.value as Page<Repository>).items) {
          expect(repository).not.toHaveProperty("settings");
        }
      });
    });

    describe("pages()", () => {
      test("each page carries hits, the rate limit and both cursors", async () => {
        const pages: Page<Repository>[] = [];
        for await (const page of client.listRepositories("acme", { perPage: 50 }).pages()) pages.push(page);
        expect(pages.map((page) => page.items.length)).toEqual([50, 50, 20]);
        for (const page of pages) {
          expect(page.hits).toBe(REPOSITORY_COUNT);
          expect(page.response.status).toBe(200);
          const { rateLimit } = page;
          expect(rateLimit).toBeDefined();
          for (const value of [rateLimit?.limit, rateLimit?.remaining, rateLimit?.reset]) {
            expect(Number.isInteger(value)).toBe(true);
          }
          expect(Number.isInteger(rateLimit?.concurrentLimit)).toBe(true);
          expect(Number.isInteger(rateLimit?.concurrentRemaining)).toBe(true);
        }
        expect(pages[0]?.prevCursor).toBeNull();
        expect(pages[0]?.nextCursor).toEqual(expect.any(String));
        expect(pages[1]?.prevCursor).toEqual(expect.any(String));
        expect(pages[1]?.nextCursor).toEqual(expect.any(String));
        expect(pages[2]?.prevCursor).toEqual(expect.any(String));
        expect(pages[2]?.nextCursor).toBeNull();
      });

      test("members pages carry no hits", async () => {
        const { value } = await client.listMembers("acme", { perPage: 10 }).pages().next();
        expect((value as Page<OrganizationMember>).hits).toBeUndefined();
      });

      test("a walk started from a page's nextCursor continues from there", async () => {
        const all = await client.listMembers("acme", { perPage: 40 }).toArray();
        const pages = client.listMembers("acme", { perPage: 40 }).pages();
        await pages.next();
        const second = (await pages.next()).value as Page<OrganizationMember>;
        expect(second.nextCursor).not.toBeNull();
        const rest = await client.listMembers("acme", { perPage: 40, cursor: second.nextCursor as string }).toArray();
        expect(rest).toEqual(all.slice(80));
      });

      test("a page's prevCursor goes back one page", async () => {
        const all = await client.listRepositories("acme", { perPage: 30 }).toArray();
        const pages = client.listRepositories("acme", { perPage: 30 }).pages();
        await pages.next();
        await pages.next();
        const third = (await pages.next()).value as Page<Repository>;
        const { value } = await client
          .listRepositories("acme", { perPage: 30, cursor: third.prevCursor as string })
          .pages()
          .next();
        expect((value as Page<Repository>).items).toEqual(all.slice(30, 60));
      });
    });

    describe("authentication, permission and not found", () => {
      test("a token the server does not know: authentication (401)", async () => {
        const stranger = clientFor(sentry, { token: "not-a-real-token" });
        for (const call of [
          stranger.getOrganization("acme"),
          stranger.listMembers("acme").toArray(),
          stranger.listRepositories("acme").toArray(),
        ]) {
          const error = await failureOf(call);
          expect(error).toMatchObject({ kind: "authentication", status: 401 });
          expect(error.message).not.toContain("not-a-real-token");
        }
      });

      test("an unknown organization: not_found (404)", async () => {
        for (const call of [
          client.getOrganization("no-such-org"),
          client.listMembers("no-such-org").toArray(),
          client.listRepositories("no-such-org").toArray(),
        ]) {
          expect(await failureOf(call)).toMatchObject({ kind: "not_found", status: 404 });
        }
      });
    });
  });

  describe("scopes", () => {
    let sentry: MockUnderTest;

    beforeAll(async () => {
      sentry = await start({ tokens: { "org-read-only-token": ["org:read"] } });
    });
    afterAll(async () => {
      await sentry.close();
    });

    test("a token without member:read: listMembers fails with permission (403)", async () => {
      const client = clientFor(sentry, { token: "org-read-only-token" });
      const error = await failureOf(client.listMembers("acme").toArray());
      expect(error).toMatchObject({ kind: "permission", status: 403, request: { method: "GET" } });
      expect(error.request.url).toContain("/api/0/organizations/acme/members/");
    });

    test("the same token may read the organization and its repositories", async () => {
      const client = clientFor(sentry, { token: "org-read-only-token" });
      expect(await client.getOrganization("acme")).toMatchObject({ slug: "acme" });
      expect(await client.listRepositories("acme").toArray()).toHaveLength(REPOSITORY_COUNT);
    });
  });

  describe("rate limits", () => {
    let sentry: MockUnderTest;

    beforeEach(async () => {
      sentry = await start({ rateLimit: { getOrganization: 2 } });
    });
    afterEach(async () => {
      await sentry.close();
    });

    test("a 429 is answered by waiting for the reset when that is allowed", async () => {
      const counter = countingFetch(sentry);
      const client = clientFor(sentry, { maxRetryDelayMs: 2000, fetch: counter.fetch });
      await earlyInWindow();
      const organizations = await Promise.all([1, 2, 3].map(() => client.getOrganization("acme")));
      for (const organization of organizations) expect(organization).toMatchObject({ slug: "acme" });
      expect(counter.statuses).toContain(429);
      expect(counter.statuses.filter((status) => status === 200)).toHaveLength(3);
    });

    test("with maxRetryDelayMs 0 the over-limit call fails with rate_limit and retryAt", async () => {
      const client = clientFor(sentry, { maxRetryDelayMs: 0 });
      await earlyInWindow();
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => client.getOrganization("acme")));
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(2);
      const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(rejected).toHaveLength(1);
      const error = (rejected[0] as PromiseRejectedResult).reason as SentryApiError;
      expect(error).toBeInstanceOf(SentryApiError);
      expect(error).toMatchObject({ kind: "rate_limit", status: 429, rateLimit: { limit: 2, remaining: 0 } });
      expect(error.message).toContain("too frequently");
      expect(error.retryAt).toBeInstanceOf(Date);
      const inMs = (error.retryAt as Date).getTime() - Date.now();
      expect(inMs).toBeGreaterThan(-2000);
      expect(inMs).toBeLessThan(2000);
    });
  });

  describe("injected faults", () => {
    let sentry: MockUnderTest;

    beforeEach(async () => {
      sentry = await start();
    });
    afterEach(async () => {
      await sentry.close();
    });

    describe("latency", () => {
      test("an answer later than timeoutMs: timeout", async () => {
        sentry.injectFault({ type: "latency", ms: 300 }, { operation: "getOrganization" });
        const client = clientFor(sentry, { timeoutMs: 100, maxRetries: 0 });
        expect(await failureOf(client.getOrganization("acme"))).toMatchObject({ kind: "timeout", status: 0 });
      });

      test("a late page of a list: timeout", async () => {
        sentry.injectFault({ type: "latency", ms: 300 }, { operation: "listOrganizationMembers", nth: 2 });
        const client = clientFor(sentry, { timeoutMs: 100, maxRetries: 0 });
        const error = await failureOf(client.listMembers("acme", { perPage: 100 }).toArray());
        expect(error.kind).toBe("timeout");
      });

      test("the timeout holds while the garbage collector runs", async () => {
        // The per-attempt signals and Request must stay reachable until the attempt ends, or the timeout is lost.
        sentry.injectFault({ type: "latency", ms: 1500 }, { operation: "getOrganization" });
        const client = clientFor(sentry, { timeoutMs: 100, maxRetries: 0 });
        const collecting = setInterval(collectGarbage, 5);
        try {
          expect(await failureOf(client.getOrganization("acme"))).toMatchObject({ kind: "timeout" });
        } finally {
          clearInterval(collecting);
        }
      });

      test("a late answer within timeoutMs is waited for", async () => {
        sentry.injectFault({ type: "latency", ms: 50 }, { operation: "getOrganization" });
        const client = clientFor(sentry, { timeoutMs: 2000, maxRetries: 0 });
        expect(await client.getOrganization("acme")).toMatchObject({ slug: "acme" });
      });

      test("a timed-out attempt is retried", async () => {
        sentry.injectFault({ type: "latency", ms: 300 }, { operation: "getOrganization" });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { timeoutMs: 100, maxRetries: 1, fetch: counter.fetch });
        expect(await client.getOrganization("acme")).toMatchObject({ slug: "acme" });
        expect(counter.attempts).toBe(2);
      });
    });

    describe("cancellation", () => {
      test("aborting a late answer rejects with the abort reason, not a SentryApiError", async () => {
        sentry.injectFault({ type: "latency", ms: 300 }, { operation: "getOrganization" });
        const controller = new AbortController();
        const call = clientFor(sentry).getOrganization("acme", {
          signal: controller.signal,
        });
        setTimeout(() => controller.abort(), 50);
        const error = await call.then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(error).not.toBeInstanceOf(SentryApiError);
        expect(error).toMatchObject({ name: "AbortError" });
      });

      test("aborting during a retry's wait ends the call", async () => {
        sentry.injectFault({ type: "status", status: 503, retryAfter: "1" }, { operation: "listOrganizationMembers" });
        const controller = new AbortController();
        const client = clientFor(sentry, { maxRetryDelayMs: 5000 });
        const walk = client.listMembers("acme", { signal: controller.signal }).toArray();
        setTimeout(() => controller.abort(), 100);
        await expect(walk).rejects.toMatchObject({ name: "AbortError" });
      });
    });

    describe("server errors", () => {
      test.each([500, 502, 503] as const)("one %i: retried, then the call succeeds", async (status) => {
        sentry.injectFault({ type: "status", status }, { operation: "getOrganization" });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { fetch: counter.fetch });
        expect(await client.getOrganization("acme")).toMatchObject({ slug: "acme" });
        expect(counter.statuses).toEqual([status, 200]);
      });

      test("one 503 on a middle page of a walk: retried, nothing lost or repeated", async () => {
        sentry.injectFault({ type: "status", status: 503 }, { operation: "listOrganizationMembers", nth: 2 });
        const members = await clientFor(sentry).listMembers("acme", { perPage: 100 }).toArray();
        expect(new Set(memberIds(members)).size).toBe(MEMBER_COUNT);
      });

      test('a 503 with Retry-After "1": waited for, then the call succeeds', async () => {
        sentry.injectFault({ type: "status", status: 503, retryAfter: "1" }, { operation: "getOrganization" });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { maxRetryDelayMs: 1500, fetch: counter.fetch });
        expect(await client.getOrganization("acme")).toMatchObject({ slug: "acme" });
        expect(counter.statuses).toEqual([503, 200]);
      });

      test("a Retry-After longer than maxRetryDelayMs is not waited for: server", async () => {
        sentry.injectFault({ type: "status", status: 503, retryAfter: "1" }, { operation: "getOrganization" });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { maxRetryDelayMs: 500, fetch: counter.fetch });
        expect(await failureOf(client.getOrganization("acme"))).toMatchObject({ kind: "server", status: 503 });
        expect(counter.attempts).toBe(1);
      });

      test("three 503s with maxRetries 2: server", async () => {
        sentry.injectFault({ type: "status", status: 503 }, { operation: "getOrganization", times: 3 });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { maxRetries: 2, fetch: counter.fetch });
        const error = await failureOf(client.getOrganization("acme"));
        expect(error).toMatchObject({ kind: "server", status: 503, detail: "Service Unavailable" });
        expect(counter.statuses).toEqual([503, 503, 503]);
      });

      test("a proxy's HTML error page: server 502, with the HTML in the message", async () => {
        sentry.injectFault({ type: "html" }, { operation: "getOrganization" });
        const client = clientFor(sentry, { maxRetries: 0 });
        const error = await failureOf(client.getOrganization("acme"));
        expect(error).toMatchObject({ kind: "server", status: 502 });
        expect(error.message).toContain("502");
        expect(error.message).toContain("<title>502 Bad Gateway</title>");
        expect(error.message.length).toBeLessThanOrEqual(300);
      });
    });

    describe("bodies that are not JSON", () => {
      test.each(["truncated-json", "malformed-json"] as const)(
        "%s on getOrganization: invalid_response",
        async (type) => {
          sentry.injectFault({ type }, { operation: "getOrganization" });
          const error = await failureOf(clientFor(sentry).getOrganization("acme"));
          expect(error).toMatchObject({ kind: "invalid_response", status: 200 });
        },
      );

      test.each(["truncated-json", "malformed-json"] as const)("%s on a list page: invalid_response", async (type) => {
        sentry.injectFault({ type }, { operation: "listOrganizationRepositories", nth: 2 });
        const error = await failureOf(clientFor(sentry).listRepositories("acme", { perPage: 50 }).toArray());
        expect(error).toMatchObject({ kind: "invalid_response", status: 200 });
      });
    });

    // Over HTTP the mock destroys the socket; in process its fetch rejects with a TypeError, as fetch does
    // on a network failure. Either way the client sees a failed fetch: retried, then the network kind.
    describe("connection resets", () => {
      test("one reset: retried, then the call succeeds", async () => {
        sentry.injectFault({ type: "reset" }, { operation: "getOrganization" });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { fetch: counter.fetch });
        expect(await client.getOrganization("acme")).toMatchObject({ slug: "acme" });
        expect(counter.attempts).toBe(2);
      });

      test("three resets with maxRetries 2: network", async () => {
        sentry.injectFault({ type: "reset" }, { operation: "getOrganization", times: 3 });
        const counter = countingFetch(sentry);
        const client = clientFor(sentry, { maxRetries: 2, fetch: counter.fetch });
        expect(await failureOf(client.getOrganization("acme"))).toMatchObject({ kind: "network", status: 0 });
        expect(counter.attempts).toBe(3);
      });
    });

    // The foreign origin is a real server on both transports: in process, a request for it through the
    // client's fetch fails (the mock answers only its own origin), and one through the global fetch is counted.
    describe("a cross-origin next link", () => {
      let foreign: Awaited<ReturnType<typeof startPlainServer>>;

      beforeEach(async () => {
        foreign = await startPlainServer((_request, response) => {
          response.writeHead(200, { "content-type": "application/json" });
          response.end("[]");
        });
      });
      afterEach(async () => {
        await foreign.close();
      });

      test("the walk follows the cursor, never the foreign URL", async () => {
        sentry.injectFault(
          { type: "foreign-next-link", origin: foreign.url },
          { operation: "listOrganizationMembers", times: 3 },
        );
        const ids: string[] = [];
        for await (const member of clientFor(sentry).listMembers("acme", { perPage: 100 })) ids.push(member.id);
        expect(ids).toHaveLength(MEMBER_COUNT);
        expect(new Set(ids).size).toBe(MEMBER_COUNT);
        expect(ids).toEqual(sortedByNumber(ids));
        expect(foreign.requests).toBe(0);
      });
    });
  });
});

describe("hostile or broken servers", () => {
  let foreign: Awaited<ReturnType<typeof startPlainServer>>;
  let server: Awaited<ReturnType<typeof startPlainServer>>;
  let answer: (request: IncomingMessage, response: ServerResponse) => void;

  beforeEach(async () => {
    foreign = await startPlainServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
    server = await startPlainServer((request, response) => answer(request, response));
  });
  afterEach(async () => {
    await Promise.all([foreign.close(), server.close()]);
  });

  test("a redirect to another origin is not followed: the token stays home", async () => {
    answer = (request, response) => {
      response.writeHead(302, { location: `${foreign.url}${request.url}` });
      response.end();
    };
    const client = createSentryClient({ token: "token", baseUrl: server.url, maxRetries: 0 });
    expect(await failureOf(client.getOrganization("acme"))).toMatchObject({ kind: "http", status: 302 });
    expect(await failureOf(client.listMembers("acme").toArray())).toMatchObject({ kind: "http", status: 302 });
    expect(foreign.requests).toBe(0);
  });

  test("a next cursor that repeats stops the walk: invalid_response", async () => {
    answer = (request, response) => {
      const url = `${server.url}${request.url}`;
      response.writeHead(200, {
        "content-type": "application/json",
        link:
          `<${url}>; rel="previous"; results="false"; cursor="1:0:1", ` +
          `<${url}>; rel="next"; results="true"; cursor="1:1:0"`,
      });
      response.end(JSON.stringify([{ id: "1000" }]));
    };
    const client = createSentryClient({ token: "token", baseUrl: server.url, maxRetries: 0 });
    const error = await failureOf(client.listMembers("acme", { perPage: 1 }).toArray());
    expect(error).toMatchObject({ kind: "invalid_response", status: 200 });
    expect(server.requests).toBe(2);
  });

  test("a list page that is JSON but not an array: invalid_response", async () => {
    answer = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ detail: "not a list" }));
    };
    const client = createSentryClient({ token: "token", baseUrl: server.url, maxRetries: 0 });
    expect(await failureOf(client.listMembers("acme").toArray())).toMatchObject({ kind: "invalid_response" });
    const walk = (async () => {
      for await (const _member of client.listRepositories("acme")) {
        // nothing to do: the walk must fail before yielding
      }
    })();
    expect(await failureOf(walk)).toMatchObject({ kind: "invalid_response" });
  });
});

describe("errors never carry the token", () => {
  const token = "sntrys_0123456789abcdefSECRET";
  let echo: Awaited<ReturnType<typeof startPlainServer>>;
  let pad = 0;

  beforeAll(async () => {
    // Answers 500 with a detail that echoes the Authorization header after `pad` characters.
    echo = await startPlainServer((request, response) => {
      const body = JSON.stringify({ detail: `${"x".repeat(pad)}${request.headers.authorization ?? ""}` });
      response.writeHead(500, { "content-type": "application/json" });
      response.end(body);
    });
  });
  afterAll(async () => {
    await echo.close();
  });

  test.each([10, 245])("a detail echoing the token after %i characters", async (padding) => {
    pad = padding;
    const client = createSentryClient({ token, baseUrl: echo.url, maxRetries: 0 });
    const error = await failureOf(client.getOrganization("acme"));
    expect(error).toMatchObject({ kind: "server", status: 500 });
    // The message is cut at 300 characters: a cut through the token must not leave a piece of it.
    expect(error.message).not.toContain(token.slice(0, 10));
    expect(JSON.stringify(error)).not.toContain(token.slice(0, 10));
    expect(JSON.stringify(error.detail)).toContain("[REDACTED]");
  });
});
