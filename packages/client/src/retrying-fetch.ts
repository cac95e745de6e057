import { SentryApiError } from "./errors.js";
import { serverRetryAt } from "./rate-limit.js";

export interface RetryPolicy {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  /** The only origin that gets the token; a request to any other is refused. */
  origin: string;
  /** Removes the token from text that goes into an error. */
  scrub: (text: string) => string;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 500;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal.addEventListener("abort", abort, { once: true });
  });

/**
 * The `fetch` given to openapi-fetch, whose middleware cannot re-send a request. It refuses any
 * origin but the configured one, adds a timeout per attempt, and retries GETs on network errors,
 * timeouts, 408, 429 and 5xx gateway statuses with full-jitter exponential backoff or the wait the
 * server asks for. A wait longer than `maxRetryDelayMs` is not taken: the response is returned.
 */
export function createRetryingFetch(policy: RetryPolicy) {
  return async function retryingFetch(request: Request): Promise<Response> {
    const { method, url } = request;
    const target = { method, url };
    if (!url.startsWith(`${policy.origin}/`)) throw new TypeError(`the token is only sent to ${policy.origin}`);
    for (let attempt = 0; ; attempt++) {
      request.signal.throwIfAborted();
      // The reason is the error itself, so a timeout while the body is read later rejects with it too.
      const timeout = new AbortController();
      const signal = AbortSignal.any([request.signal, timeout.signal]);
      const attemptRequest = new Request(request, { signal });
      // The timer holds the attempt's request and signal: undici links signals weakly, and once
      // collected they would no longer carry the abort (nodejs/undici#4068). It is left running to
      // cover the body, and unref'd so that it never keeps Node alive.
      const timer = setTimeout(
        () =>
          timeout.abort(
            new SentryApiError("timeout", `${method} ${url}: no answer in ${policy.timeoutMs} ms`, { request: target }),
          ),
        policy.timeoutMs,
        [attemptRequest, signal],
      );
      (timer as { unref?: () => void }).unref?.();
      let response: Response | undefined;
      let failure: SentryApiError | undefined;
      try {
        response = await policy.fetch(attemptRequest);
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        const text = String(error);
        failure = timeout.signal.aborted
          ? timeout.signal.reason
          : new SentryApiError("network", policy.scrub(`${method} ${url}: ${text}`), {
              request: target,
              cause: policy.scrub(text) === text ? error : undefined,
            });
      }
      const retryable =
        method === "GET" && attempt < policy.maxRetries && (failure || RETRY_STATUSES.has(response?.status as number));
      const backoff = Math.random() * Math.min(policy.maxRetryDelayMs, BACKOFF_BASE_MS * 2 ** attempt);
      const retryAt = response && serverRetryAt(response);
      const wait = retryAt === undefined ? backoff : Math.max(0, retryAt - Date.now());
      if (response && (!retryable || wait > policy.maxRetryDelayMs)) return response;
      clearTimeout(timer);
      if (!retryable || wait > policy.maxRetryDelayMs) throw failure;
      await response?.body?.cancel();
      await sleep(wait, request.signal);
    }
  };
}
