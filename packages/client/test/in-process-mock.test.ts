import { Server } from "node:net";
import { createMockSentry, type MockSentry } from "@sentry-org-api/contract";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createSentryClient, type RetryInfo, SentryApiError } from "../src/index.js";

describe("the client against the mock in process: no socket", () => {
  let mock: MockSentry;
  let listen: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    // Every node:http and node:net server listens through this; the mock in process must never call it.
    listen = vi.spyOn(Server.prototype, "listen");
    mock = createMockSentry({ members: 1_234, repositories: 321 });
  });
  afterEach(async () => {
    await mock.close();
    expect(listen, "net.Server.prototype.listen").not.toHaveBeenCalled();
    listen.mockRestore();
  });

  test("walks every page of both lists with the mock's fetch on the default baseUrl", async () => {
    const sentry = createSentryClient({ token: mock.token, fetch: mock.fetch });
    const members = await sentry.listMembers("acme").toArray({ maxItems: 10_000 });
    expect(members).toHaveLength(1_234);
    expect(new Set(members.map((member) => member.id)).size).toBe(1_234);
    let pages = 0;
    let repositories = 0;
    for await (const page of sentry.listRepositories("acme").pages()) {
      pages++;
      repositories += page.items.length;
    }
    expect([pages, repositories]).toEqual([4, 321]);
    expect((await sentry.getOrganization("acme")).slug).toBe("acme");
  });

  test("retries a reset, a 503 and a 429 from the mock's faults, and the walk still ends complete", async () => {
    const retried: RetryInfo["reason"][] = [];
    const sentry = createSentryClient({
      token: mock.token,
      fetch: mock.fetch,
      baseUrl: mock.baseUrl,
      maxRetryDelayMs: 5,
      onRetry: ({ reason }) => retried.push(reason),
    });
    mock.injectFault({ type: "reset" }, { nth: 2, operation: "listOrganizationMembers" });
    mock.injectFault({ type: "status", status: 503 }, { nth: 5, operation: "listOrganizationMembers" });
    mock.injectFault(
      { type: "status", status: 429, retryAfter: "0" },
      { nth: 9, operation: "listOrganizationMembers" },
    );
    const members = await sentry.listMembers("acme").toArray({ maxItems: 10_000 });
    expect(members).toHaveLength(1_234);
    expect(retried).toEqual(["network", 503, 429]);
  });

  test("a token the mock does not know is refused with a typed 401", async () => {
    const sentry = createSentryClient({ token: "sntryu_not-the-mock-token", fetch: mock.fetch });
    const error = await sentry.getOrganization("acme").then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(SentryApiError);
    expect((error as SentryApiError).status).toBe(401);
  });
});
