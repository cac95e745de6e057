import { afterEach, beforeEach, expect, vi } from "vitest";
import { createSentryClient, SentryApiError, type SentryClientOptions } from "../src/index.js";

export const ORG_URL = "https://sentry.io/api/0/organizations/acme/";

export interface StubCall {
  request: Request;
  url: URL;
  /** `Date.now()` when the request came: the fake clock when fake timers are on. */
  at: number;
}

/** A stub `fetch` that records every request and answers with `answer`; it never touches the network. */
export function stubFetch(answer: (request: Request, index: number) => Response | Promise<Response>) {
  const calls: StubCall[] = [];
  const fetch = async (request: Request) => {
    calls.push({ request, url: new URL(request.url), at: Date.now() });
    return answer(request, calls.length - 1);
  };
  return { fetch, calls };
}

/** A response that, like one from a real `fetch`, carries the request's URL. */
export function reply(
  request: Request,
  body: BodyInit | null,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  const response = new Response(body, init);
  Object.defineProperty(response, "url", { value: request.url });
  return response;
}

/** Sentry's Link header for a page that is both the first and the last. */
export const LAST_PAGE_LINK =
  '<https://sentry.io/x/?&cursor=100:0:1>; rel="previous"; results="false"; cursor="100:0:1", ' +
  '<https://sentry.io/x/?&cursor=100:1:0>; rel="next"; results="false"; cursor="100:1:0"';

/** A JSON answer; like Sentry, a 2xx list page (an array) carries a Link header, by default the last page's. */
export const json = (
  request: Request,
  body: unknown,
  { status = 200, headers = {} }: { status?: number; headers?: Record<string, string> } = {},
) =>
  reply(request, JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      ...(Array.isArray(body) && status < 300 ? { link: LAST_PAGE_LINK } : {}),
      ...headers,
    },
  });

/** Never answers; rejects with the signal's reason once the request is aborted, as `fetch` does. */
export const hang = (request: Request) =>
  new Promise<Response>((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Handles the promise at once, so that a rejection while fake timers run is never unhandled. */
export const settle = <T>(promise: Promise<T>): Promise<Outcome<T>> =>
  promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/** The reason the promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await settle(promise);
  if (outcome.ok) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

/** The `SentryApiError` the promise rejects with. */
export async function apiError(promise: Promise<unknown>): Promise<SentryApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(SentryApiError);
  return error as SentryApiError;
}

/** What `fn` throws synchronously; fails the test when it does not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a synchronous throw");
}

/** A client over a stub fetch, with a test token. */
export const stubClient = (fetch: SentryClientOptions["fetch"], options: Partial<SentryClientOptions> = {}) =>
  createSentryClient({ token: "test-token", fetch, ...options });

/** A whole second, so that an HTTP date (second precision) lands exactly on it. */
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
export const T0_SECONDS = T0 / 1000;

/** Runs the file's tests on a fake clock at `T0`, with `Math.random()` fixed at `random` (the jitter). */
export function useFakeClock(random: number) {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    vi.spyOn(Math, "random").mockReturnValue(random);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}

/** Runs the call to its end on the fake clock, then resolves or rejects as it did. */
export async function runOnFakeClock<T>(promise: Promise<T>): Promise<T> {
  const outcome = settle(promise);
  await vi.runAllTimersAsync();
  const result = await outcome;
  if (result.ok) return result.value;
  throw result.error;
}
