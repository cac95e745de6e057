import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { createMockSentry } from "../../src/index.js";
import { sentryHandlers } from "../../src/msw.js";

const sentry = createMockSentry({ members: 30 });
const server = setupServer(...sentryHandlers(sentry)); // or setupWorker(...) from msw/browser
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => sentry.resetFaults());
afterAll(() => server.close());

const headers = { authorization: `Bearer ${sentry.token}` };

test("plain fetch to sentry.io is answered in process", async () => {
  const response = await fetch("https://sentry.io/api/0/organizations/acme/members/", { headers });
  expect(response.status).toBe(200);
  expect(await response.json()).toHaveLength(30);
});

test("faults included", async () => {
  sentry.injectFault({ type: "status", status: 429, retryAfter: "1" });
  const limited = await fetch("https://sentry.io/api/0/organizations/acme/", { headers });
  expect(limited.status).toBe(429);
  expect(limited.headers.get("retry-after")).toBe("1");
});
