import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { backoffDelay, jitter, MAX_BACKOFF_MS, serverDelay, shouldRetry } from "../src/retry-policy.js";

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

describe("shouldRetry", () => {
  test.each([408, 429, 500, 502, 503, 504, "network", "timeout"] as const)("GET with %s: yes", (outcome) => {
    expect(shouldRetry("GET", outcome)).toBe(true);
  });

  test.each([200, 301, 400, 401, 403, 404, 409, 501, 505])("GET with %i: no", (status) => {
    expect(shouldRetry("GET", status)).toBe(false);
  });

  test.each(["POST", "PUT", "DELETE", "HEAD"])("%s, even with 503 or a network error: no", (method) => {
    expect(shouldRetry(method, 503)).toBe(false);
    expect(shouldRetry(method, "network")).toBe(false);
  });
});

describe("backoffDelay", () => {
  test.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 8000],
    [30, 8000],
  ])("attempt %i with random 1: %i ms", (attempt, expected) => {
    expect(backoffDelay(attempt, 1)).toBe(expected);
  });

  test("is the random share of the cap (full jitter)", () => {
    expect(backoffDelay(2, 0.25)).toBe(500);
    expect(backoffDelay(10, 0.5)).toBe(4000);
    expect(backoffDelay(3, 0)).toBe(0);
  });

  test("the cap is 8 s", () => {
    expect(MAX_BACKOFF_MS).toBe(8000);
  });

  test("takes Math.random() by default", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.75);
    expect(backoffDelay(1)).toBe(750);
    vi.restoreAllMocks();
  });
});

describe("serverDelay", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const answer = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });
  const reset = (seconds: number) => ({
    "x-sentry-rate-limit-limit": "40",
    "x-sentry-rate-limit-remaining": "0",
    "x-sentry-rate-limit-reset": String(T0 / 1000 + seconds),
  });

  test.each([
    ["Retry-After in seconds", 503, { "retry-after": "3" }, 3000],
    ["Retry-After as an HTTP date", 503, { "retry-after": new Date(T0 + 5000).toUTCString() }, 5000],
    ["a Retry-After in the past", 503, { "retry-after": new Date(T0 - 5000).toUTCString() }, 0],
    ["a 429's reset", 429, reset(7), 7000],
    ["a 429's reset that has passed", 429, reset(-2), 0],
    ["Retry-After over a 429's reset", 429, { ...reset(7), "retry-after": "2" }, 2000],
  ] as const)("%s: %i → %j ms", (_, status, headers, expected) => {
    expect(serverDelay(answer(status, headers))).toBe(expected);
  });

  test.each([
    ["no header", 503, {}],
    ["an unreadable Retry-After", 503, { "retry-after": "soon" }],
    ["a 5xx's reset (not a wait)", 503, reset(7)],
    ["a 200's reset", 200, reset(7)],
  ] as const)("%s: undefined", (_, status, headers) => {
    expect(serverDelay(answer(status, headers))).toBeUndefined();
  });

  test("is measured from `now`", () => {
    expect(serverDelay(answer(429, reset(7)), T0 + 1500)).toBe(5500);
  });
});

describe("jitter", () => {
  test.each([
    [0, 0],
    [0.25, 250],
    [0.75, 750],
  ])("random %d: %i ms, never a second or more", (random, expected) => {
    expect(jitter(random)).toBe(expected);
  });

  test("takes Math.random() by default", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    expect(jitter()).toBe(500);
    vi.restoreAllMocks();
  });
});
