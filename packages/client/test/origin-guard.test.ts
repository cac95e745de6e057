import { describe, expect, test } from "vitest";
import { createOriginGuard } from "../src/origin-guard.js";

const guard = createOriginGuard("https://sentry.io", "Bearer test-token");

describe("the origin guard, alone", () => {
  test("adds the token to a request for the origin, keeping the other headers and leaving init as it was", () => {
    const init = { "user-agent": "ua", authorization: "Basic other" };
    const headers = guard.headersFor("https://sentry.io/api/0/organizations/acme/", init);
    expect([...headers]).toEqual([
      ["authorization", "Bearer test-token"],
      ["user-agent", "ua"],
    ]);
    expect(init).toEqual({ "user-agent": "ua", authorization: "Basic other" });
  });

  test.each([
    ["a host that starts with the origin's", "https://sentry.io.evil.example/api/0/"],
    ["another port", "https://sentry.io:8443/api/0/"],
    ["plain http", "http://sentry.io/api/0/"],
    ["user info that ends like the origin", "https://x@evil.example/https://sentry.io/"],
    ["the origin without a path", "https://sentry.io"],
  ])("no token for %s, and the fetch refuses it", (_, url) => {
    expect(guard.headersFor(url, { "user-agent": "ua" }).has("authorization")).toBe(false);
    expect(() => guard.expectOwn(url)).toThrow(new TypeError("the token is only sent to https://sentry.io"));
  });

  test("the fetch lets a request for the origin through", () => {
    expect(() => guard.expectOwn("https://sentry.io/api/0/organizations/acme/")).not.toThrow();
  });
});
