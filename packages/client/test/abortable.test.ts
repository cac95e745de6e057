import { getEventListeners } from "node:events";
import { afterEach, describe, expect, test, vi } from "vitest";
import { sleep } from "../src/abortable.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("sleep", () => {
  test("leaves no listener on a signal that outlives it", async () => {
    vi.useFakeTimers();
    const signal = new AbortController().signal;
    const slept = Promise.all([sleep(10, signal), sleep(20, signal), sleep(30, signal)]);
    expect(getEventListeners(signal, "abort")).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(30);
    await slept;
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  test("an abort rejects with the reason and clears the timer, so nothing keeps the process alive", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal).catch((error: unknown) => error);
    expect(vi.getTimerCount()).toBe(1);
    const reason = new Error("stop");
    controller.abort(reason);
    expect(await slept).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });
});
