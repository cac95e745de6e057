import { SentryApiError } from "./errors.js";
import { serverRetryAt } from "./rate-limit.js";

export interface RetryPolicy {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  maxRetries: number;
  maxRetryDelayMs: number;
  /** The only origin that gets the token; a request to any other is refused. */
  origin: string;
  /** The `Authorization` header value, added only to requests for `origin`. */
  authorization: string;
  /** Removes the token from text that goes into an error. */
  scrub: (text: string) => string;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 500;

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });

/** Whether an error or any of its causes says something `scrub` would remove (the token). */
export function mentions(error: unknown, scrub: (text: string) => string): boolean {
  for (let cause = error, depth = 0; cause != null && depth < 5; depth++) {
    if (scrub(String(cause)) !== String(cause)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The `fetch` and `Request` given to openapi-fetch, whose middleware cannot re-send a request. The
 * fetch refuses any origin but the configured one, adds a timeout per attempt, and retries GETs on
 * network errors, timeouts, 408, 429 and 5xx gateway statuses with full-jitter exponential backoff
 * or the wait the server asks for. A wait longer than `maxRetryDelayMs` is not taken: the response
 * is returned.
 */
export function createRetrying(policy: RetryPolicy) {
  const firstAttempts = new WeakMap<Request, { timeout: AbortController; caller: AbortSignal | undefined }>();
  const clearTimers = new WeakMap<Response, () => void>();

  /**
   * openapi-fetch builds each request with this: the first attempt's timeout signal goes in at
   * construction, which saves copying the request on every call.
   */
  function TimedRequest(input: string | URL | Request, init: RequestInit = {}) {
    const timeout = new AbortController();
    const caller = init.signal ?? undefined;
    const signal = caller ? AbortSignal.any([caller, timeout.signal]) : timeout.signal;
    // The token goes in here, and only for the configured origin: a per-call `fetch` given to
    // openapi-fetch bypasses the retrying fetch and its origin check, but never gets the token.
    const headers = new Headers(init.headers);
    if (String(input instanceof Request ? input.url : input).startsWith(`${policy.origin}/`)) {
      headers.set("authorization", policy.authorization);
    }
    const request = new Request(input, { ...init, headers, signal });
    firstAttempts.set(request, { timeout, caller });
    return request;
  }

  async function retryingFetch(request: Request): Promise<Response> {
    const { method, url } = request;
    const target = { method, url: policy.scrub(url) };
    if (!url.startsWith(`${policy.origin}/`)) throw new TypeError(`the token is only sent to ${policy.origin}`);
    let first = firstAttempts.get(request);
    const caller = first ? first.caller : request.signal;
    for (let attempt = 0; ; attempt++) {
      caller?.throwIfAborted();
      // The abort reason is the error itself, so a timeout while the body is read rejects with it too.
      const timeout = first?.timeout ?? new AbortController();
      const signal = first ? request.signal : caller ? AbortSignal.any([caller, timeout.signal]) : timeout.signal;
      const attemptRequest = first ? request : new Request(request, { signal });
      first = undefined;
      // The timer holds the attempt's request and signal: undici links signals weakly, and once
      // collected they would no longer carry the abort (nodejs/undici#4068). It runs on while the
      // body is read, until `settle`; unref'd, it never keeps Node alive.
      const timer = setTimeout(
        () =>
          timeout.abort(
            new SentryApiError("timeout", `${method} ${target.url}: no answer in ${policy.timeoutMs} ms`, {
              request: target,
            }),
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
        if (caller?.aborted) throw caller.reason;
        failure = timeout.signal.aborted
          ? timeout.signal.reason
          : new SentryApiError("network", policy.scrub(`${method} ${url}: ${error}`), {
              request: target,
              cause: mentions(error, policy.scrub) ? undefined : error,
            });
      }
      const retryable =
        method === "GET" && attempt < policy.maxRetries && (failure || RETRY_STATUSES.has(response?.status as number));
      const retryAt = retryable && response ? serverRetryAt(response) : undefined;
      const wait =
        retryAt === undefined
          ? Math.random() * Math.min(policy.maxRetryDelayMs, BACKOFF_BASE_MS * 2 ** attempt)
          : Math.max(0, retryAt - Date.now());
      if (response && (!retryable || wait > policy.maxRetryDelayMs)) {
        clearTimers.set(response, () => clearTimeout(timer));
        return response;
      }
      clearTimeout(timer);
      if (!retryable || wait > policy.maxRetryDelayMs) throw failure;
      await response?.body?.cancel();
      await sleep(wait, caller);
    }
  }

  return {
    fetch: retryingFetch,
    Request: TimedRequest as unknown as typeof Request,
    /** Ends a response's timeout once its body has been read. */
    settle: (response: Response) => clearTimers.get(response)?.(),
  };
}
