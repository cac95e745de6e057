import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { fetchWithTimeout, timedAttempt } from "../src/attempt-timeout.js";
import { SentryApiError } from "../src/index.js";
import { hang, settle } from "./stub-fetch.js";

const URL = "https://sentry.io/api/0/organizations/acme/";
const TARGET = { method: "GET", url: URL };

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

const attempt = (caller?: AbortSignal) => timedAttempt(caller, (signal) => new Request(URL, { signal }));

describe("an attempt's timeout, alone", () => {
  test("the caller's abort reaches the attempt's request with its reason, and the timeout's too", () => {
    const caller = new AbortController();
    const first = attempt(caller.signal);
    caller.abort("stop");
    expect(first.request.signal.reason).toBe("stop");
    const second = attempt(new AbortController().signal);
    second.timeout.abort("late");
    expect(second.request.signal.reason).toBe("late");
  });

  test("aborts the request at exactly timeoutMs with a timeout error naming the target", async () => {
    const timed = attempt();
    const outcome = settle(fetchWithTimeout(hang, timed, 1000, TARGET));
    await vi.advanceTimersByTimeAsync(999);
    expect(timed.request.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = new SentryApiError("timeout", `GET ${URL}: no answer in 1000 ms`, { request: TARGET });
    expect(await outcome).toEqual({ ok: false, error });
    expect(timed.request.signal.reason).toEqual(error);
  });

  test("runs on after the answer, while the body is read, until clear", async () => {
    const timed = attempt();
    const { clear } = await fetchWithTimeout(async () => new Response("{}"), timed, 1000, TARGET);
    await vi.advanceTimersByTimeAsync(999);
    clear();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(timed.request.signal.aborted).toBe(false);
    const left = attempt();
    await fetchWithTimeout(async () => new Response("{}"), left, 1000, TARGET);
    await vi.advanceTimersByTimeAsync(1000);
    expect(left.request.signal.reason).toBeInstanceOf(SentryApiError);
  });

  test("passes a fetch failure on as it is, with no timer left behind", async () => {
    const failure = new TypeError("fetch failed");
    const outcome = await settle(fetchWithTimeout(() => Promise.reject(failure), attempt(), 1000, TARGET));
    expect(outcome).toEqual({ ok: false, error: failure });
    expect(vi.getTimerCount()).toBe(0);
  });
});
