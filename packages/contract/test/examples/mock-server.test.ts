import { afterAll, beforeAll, expect, test } from "vitest";
import { type MockServer, startMockServer } from "../../src/index.js";

let sentry: MockServer;
beforeAll(async () => {
  sentry = await startMockServer(); // a real HTTP server on 127.0.0.1, on a free port
});
afterAll(() => sentry.close());

test("any HTTP client, even in another process, reaches the mock at its URL", async () => {
  const response = await fetch(`${sentry.url}/api/0/organizations/acme/members/?per_page=50`, {
    headers: { authorization: `Bearer ${sentry.token}` },
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toHaveLength(50);
  expect(response.headers.get("link")).toContain(
    `<${sentry.url}/api/0/organizations/acme/members/?per_page=50&cursor=`,
  );
});
