import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createMockSentry, parseLinkHeader } from "../src/index.js";
import { sentryHandlers } from "../src/msw.js";

const SENTRY = "https://sentry.io";
const MEMBERS = "/api/0/organizations/acme/members/";
const REPOS = "/api/0/organizations/acme/repos/";

const mock = createMockSentry({ members: 250 });
const customer = createMockSentry({ members: 3, baseUrl: "https://sentry.example.com" });
const server = setupServer(...sentryHandlers(mock), ...sentryHandlers(customer));
const headers = { authorization: `Bearer ${mock.token}` };

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => mock.resetFaults());
afterAll(async () => {
  server.close();
  await Promise.all([mock.close(), customer.close()]);
});

/** Every item of a list, following rel="next" URLs as sent, with plain fetch. */
async function walk(url: string) {
  const items: unknown[] = [];
  let next: string | undefined = url;
  for (let pages = 0; next; pages++) {
    expect(pages, "pages").toBeLessThan(100);
    const response: Response = await fetch(next, { headers });
    expect(response.status).toBe(200);
    items.push(...((await response.json()) as unknown[]));
    const link = parseLinkHeader(response.headers.get("link") ?? "").find((relation) => relation.params.rel === "next");
    next = link?.params.results === "true" ? link.url : undefined;
  }
  return items;
}

describe("MSW handlers on the mock's core, intercepting plain fetch", () => {
  test("every page of both lists, Link URLs on sentry.io", async () => {
    expect(await walk(`${SENTRY}${MEMBERS}?per_page=40`)).toHaveLength(250);
    expect(await walk(`${SENTRY}${REPOS}?per_page=40`)).toHaveLength(120);
  });

  test("auth, routing and rate-limit headers are the mock's", async () => {
    const refused = await fetch(`${SENTRY}${MEMBERS}`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ detail: "Authentication credentials were not provided." });
    const unknown = await fetch(`${SENTRY}/api/0/organizations/acme/teams/`, { headers });
    expect(unknown.status).toBe(404);
    const organization = await fetch(`${SENTRY}/api/0/organizations/acme/`, { headers });
    expect(organization.headers.get("x-sentry-rate-limit-limit")).toBe("40");
  });

  test("a 429 fault answers Sentry's 429 with Retry-After", async () => {
    mock.injectFault({ type: "status", status: 429, retryAfter: "2" });
    const response = await fetch(`${SENTRY}${MEMBERS}`, { headers });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toMatch(/^You are attempting to use this endpoint too frequently/);
  });

  test("a 500 fault answers Sentry's 500, and the next request is normal", async () => {
    mock.injectFault({ type: "status", status: 500 });
    const failed = await fetch(`${SENTRY}${REPOS}`, { headers });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ detail: "Internal Error" });
    expect((await fetch(`${SENTRY}${REPOS}`, { headers })).status).toBe(200);
  });

  test("a reset fault makes fetch reject with a TypeError, as a dropped connection does", async () => {
    mock.injectFault({ type: "reset" });
    await expect(fetch(`${SENTRY}${MEMBERS}`, { headers })).rejects.toThrow(TypeError);
    expect((await fetch(`${SENTRY}${MEMBERS}`, { headers })).status).toBe(200);
  });

  test("another baseUrl gets its own handlers, which link to it", async () => {
    const response = await fetch(`https://sentry.example.com${MEMBERS}?per_page=2`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get("link")).toContain(`<https://sentry.example.com${MEMBERS}?per_page=2&cursor=2:1:0>`);
  });

  test("nothing leaves the process: MSW refuses a request no handler matches", async () => {
    const refusal = 'Cannot bypass a request when using the "error" strategy for the "onUnhandledRequest" option.';
    await expect(fetch("https://example.com/api/0/organizations/acme/", { headers })).rejects.toThrow(refusal);
    await expect(fetch(`${SENTRY}/not-the-api/`, { headers })).rejects.toThrow(refusal);
  });
});
