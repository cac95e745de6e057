import { USER_AGENT } from "@sentry-org-api/types/protocol";
import { describe, expect, test } from "vitest";
import { createSentryClient, type SentryClientOptions } from "../src/index.js";
import { json, rejection, stubFetch, thrown } from "./stub-fetch.js";

function setup(options: Partial<SentryClientOptions> = {}) {
  const { fetch, calls } = stubFetch((request) =>
    json(request, new URL(request.url).pathname.split("/").length === 6 ? { id: "2", slug: "acme" } : []),
  );
  return { sentry: createSentryClient({ token: "test-token", fetch, ...options }), calls };
}

const SLUG_RULE = "organization_id_or_slug must be an id or slug (1 to 50 characters matching /^[A-Za-z0-9_-]+$/u)";
const TOKEN_RULE = "token must be 1 to 1024 printable ASCII characters without quotes or backslashes";

describe("organization_id_or_slug", () => {
  const invalid: [string, unknown, string][] = [
    ['"."', ".", '"."'],
    ['".."', "..", '".."'],
    ['"a/b"', "a/b", '"a/b"'],
    ['"%2e%2e"', "%2e%2e", '"%2e%2e"'],
    ['""', "", '""'],
    ["51 characters", "a".repeat(51), JSON.stringify("a".repeat(51))],
    ["a space", "ac me", '"ac me"'],
    ["a query", "acme?x=1", '"acme?x=1"'],
    ["42", 42, "42"],
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
  ];

  test.each(invalid)("getOrganization(%s) rejects before any request", async (_, value, shown) => {
    const { sentry, calls } = setup();
    const error = await rejection(sentry.getOrganization(value as string));
    expect(error).toEqual(new TypeError(`${SLUG_RULE}, got ${shown}`));
    expect(calls).toHaveLength(0);
  });

  test.each(invalid)("listMembers(%s) throws synchronously, before iteration", (_, value, shown) => {
    const { sentry, calls } = setup();
    expect(thrown(() => sentry.listMembers(value as string))).toEqual(new TypeError(`${SLUG_RULE}, got ${shown}`));
    expect(calls).toHaveLength(0);
  });

  test.each(invalid)("listRepositories(%s) throws synchronously, before iteration", (_, value, shown) => {
    const { sentry, calls } = setup();
    expect(thrown(() => sentry.listRepositories(value as string))).toEqual(new TypeError(`${SLUG_RULE}, got ${shown}`));
    expect(calls).toHaveLength(0);
  });

  test("a long value is shown cut to 60 characters", async () => {
    const { sentry } = setup();
    const error = await rejection(sentry.getOrganization("b".repeat(80)));
    expect(error).toEqual(new TypeError(`${SLUG_RULE}, got "${"b".repeat(60)}"`));
  });

  test.each(["acme", "2", "legacy_org", "a-b", "a".repeat(50)])("%s is accepted by all three methods", async (slug) => {
    const { sentry, calls } = setup();
    await sentry.getOrganization(slug);
    await sentry.listMembers(slug).toArray();
    await sentry.listRepositories(slug).toArray();
    expect(calls.map((call) => call.url.pathname)).toEqual([
      `/api/0/organizations/${slug}/`,
      `/api/0/organizations/${slug}/members/`,
      `/api/0/organizations/${slug}/repos/`,
    ]);
  });
});

describe("list options", () => {
  test.each([
    [0, "perPage must be an integer from 1 to 100, got 0"],
    [101, "perPage must be an integer from 1 to 100, got 101"],
    [1.5, "perPage must be an integer from 1 to 100, got 1.5"],
    ["10", 'perPage must be an integer from 1 to 100, got "10"'],
  ])("perPage %j throws synchronously from both lists", (perPage, message) => {
    const { sentry, calls } = setup();
    const options = { perPage: perPage as number };
    expect(thrown(() => sentry.listMembers("acme", options))).toEqual(new TypeError(message));
    expect(thrown(() => sentry.listRepositories("acme", options))).toEqual(new TypeError(message));
    expect(calls).toHaveLength(0);
  });

  test.each([1, 100])("perPage %i is accepted", async (perPage) => {
    const { sentry, calls } = setup();
    await sentry.listMembers("acme", { perPage }).toArray();
    expect(calls[0]?.url.searchParams.get("per_page")).toBe(String(perPage));
  });

  test.each([
    ["empty", ""],
    ["a number", 5],
  ])("cursor %s throws synchronously", (_, cursor) => {
    const { sentry, calls } = setup();
    const options = { cursor: cursor as string };
    expect(thrown(() => sentry.listMembers("acme", options))).toEqual(
      new TypeError("cursor must be a non-empty string"),
    );
    expect(thrown(() => sentry.listRepositories("acme", options))).toEqual(
      new TypeError("cursor must be a non-empty string"),
    );
    expect(calls).toHaveLength(0);
  });

  test.each([
    [0, "maxItems must be a positive integer, got 0"],
    [-1, "maxItems must be a positive integer, got -1"],
    [1.5, "maxItems must be a positive integer, got 1.5"],
    ["5", "maxItems must be a positive integer, got 5"],
  ])("toArray({ maxItems: %j }) rejects before any request", async (maxItems, message) => {
    const { sentry, calls } = setup();
    const error = await rejection(sentry.listMembers("acme").toArray({ maxItems: maxItems as number }));
    expect(error).toEqual(new TypeError(message));
    expect(calls).toHaveLength(0);
  });
});

describe("per-call options", () => {
  const SIGNAL_RULE = new TypeError("signal must be an AbortSignal");

  test.each([
    ["a string", "x"],
    ["an object", {}],
    ["null", null],
  ])("a signal that is %s is refused before any request", async (_, signal) => {
    const { sentry, calls } = setup();
    const options = { signal: signal as AbortSignal };
    expect(await rejection(sentry.getOrganization("acme", options))).toEqual(SIGNAL_RULE);
    expect(thrown(() => sentry.listMembers("acme", options))).toEqual(SIGNAL_RULE);
    expect(thrown(() => sentry.listRepositories("acme", options))).toEqual(SIGNAL_RULE);
    expect(calls).toHaveLength(0);
  });
});

describe("client options", () => {
  const create = (options: Record<string, unknown>) => () =>
    createSentryClient({
      token: "test-token",
      fetch: async () => new Response("{}"),
      ...options,
    } as SentryClientOptions);

  test.each([
    ["empty", ""],
    ["undefined", undefined],
    ["with a line break", "a\nb"],
    ["with a carriage return", "secret-value\r"],
    ["with a space", "secret value"],
    ["with a tab", "secret\tvalue"],
    ["with a double quote", 'secret"value'],
    ["with a single quote", "secret'value"],
    ["with a backslash", "secret\\value"],
    ["with a NUL", "secret-value\0"],
    ["with a non-ASCII letter", "secret-valué"],
    ["longer than 1024 characters", `secret-value${"x".repeat(1013)}`],
    ["a number", 12345],
  ])("token %s is refused without showing it", (_, token) => {
    const error = thrown(create({ token }));
    expect(error).toEqual(new TypeError(TOKEN_RULE));
    if (typeof token === "string" && token) expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain("secret-value");
  });

  test.each([
    ["a user token", `sntryu_${"0123456789abcdef".repeat(4)}`],
    ["an organization token", "sntrys_eyJpYXQiOjE3MDB9+/a=_SGVsbG8tV29ybGQ+/Zm9v"],
    ["an old hex token", "0123456789abcdef".repeat(4)],
    ["1024 characters", "t".repeat(1024)],
  ])("token: %s is accepted", (_, token) => {
    expect(create({ token })()).toHaveProperty("getOrganization");
  });

  test.each([
    ["ftp://x", "ftp://x"],
    ["a scheme that starts like https", "httpsx://sentry.io"],
    ["a scheme that ends like http", "xhttp://sentry.io"],
    ["not a url", "not a url"],
    ["a relative path", "/api/0"],
    ["credentials", "https://user:pass@sentry.io"],
    ["a user name", "https://user@sentry.io"],
    // The API path would land after them: in the query, or in a fragment that is never sent.
    ["a query", "https://sentry.io/?x=1"],
    ["a fragment", "https://sentry.io#frag"],
  ])("baseUrl with %s is refused", (_, baseUrl) => {
    const error = thrown(create({ baseUrl }));
    expect(error).toEqual(
      new TypeError("baseUrl must be an absolute http(s) URL without credentials, query or fragment"),
    );
    expect((error as Error).message).not.toContain("pass");
  });

  test.each([
    ["maxRetries", -1, "maxRetries must be an integer from 0 to 10, got -1"],
    ["maxRetries", 1.5, "maxRetries must be an integer from 0 to 10, got 1.5"],
    ["maxRetries", 11, "maxRetries must be an integer from 0 to 10, got 11"],
    ["timeoutMs", 0, "timeoutMs must be an integer from 1 to 2147483647, got 0"],
    ["timeoutMs", -5, "timeoutMs must be an integer from 1 to 2147483647, got -5"],
    ["timeoutMs", 2 ** 31, "timeoutMs must be an integer from 1 to 2147483647, got 2147483648"],
    ["maxRetryDelayMs", 2 ** 31, "maxRetryDelayMs must be an integer from 0 to 2147483647, got 2147483648"],
    ["maxRetryDelayMs", -1, "maxRetryDelayMs must be an integer from 0 to 2147483647, got -1"],
    ["maxRetryDelayMs", 0.5, "maxRetryDelayMs must be an integer from 0 to 2147483647, got 0.5"],
    ["fetch", "x", "fetch must be a function"],
    ["userAgent", "a\r\nb", 'userAgent must be a string of printable ASCII, got "a\\r\\nb"'],
    ["userAgent", 7, "userAgent must be a string of printable ASCII, got 7"],
    ["maxResponseBytes", 0, "maxResponseBytes must be an integer from 1 to 268435456, got 0"],
    ["maxResponseBytes", 2 ** 28 + 1, "maxResponseBytes must be an integer from 1 to 268435456, got 268435457"],
    ["maxResponseBytes", 1.5, "maxResponseBytes must be an integer from 1 to 268435456, got 1.5"],
    ["maxResponseBytes", "1024", 'maxResponseBytes must be an integer from 1 to 268435456, got "1024"'],
  ])("%s %j is refused", (name, value, message) => {
    expect(thrown(create({ [name]: value }))).toEqual(new TypeError(message));
  });

  test.each([
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NaN, "NaN"],
  ])("timeoutMs %d is refused, and the message shows the value given", (timeoutMs, shown) => {
    expect(thrown(create({ timeoutMs }))).toEqual(
      new TypeError(`timeoutMs must be an integer from 1 to 2147483647, got ${shown}`),
    );
  });

  test.each([
    ["maxRetries", 0],
    ["maxRetries", 10],
    ["timeoutMs", 1],
    ["maxRetryDelayMs", 0],
    ["maxResponseBytes", 1],
    ["maxResponseBytes", 2 ** 28],
    ["maxResponseBytes", undefined],
    ["baseUrl", "http://localhost:9000"],
    ["baseUrl", "https://sentry.example.com/sentry/"],
  ])("%s %j is accepted", (name, value) => {
    expect(create({ [name]: value })()).toHaveProperty("getOrganization");
  });
});

describe("User-Agent", () => {
  test("is the packages' USER_AGENT by default", async () => {
    const { sentry, calls } = setup();
    await sentry.getOrganization("acme");
    expect(calls[0]?.request.headers.get("user-agent")).toBe(USER_AGENT);
  });

  test("the userAgent option is appended", async () => {
    const { sentry, calls } = setup({ userAgent: "my-app/1.2" });
    await sentry.getOrganization("acme");
    await sentry.listMembers("acme").toArray();
    expect(calls.map((call) => call.request.headers.get("user-agent"))).toEqual([
      `${USER_AGENT} my-app/1.2`,
      `${USER_AGENT} my-app/1.2`,
    ]);
  });
});
