import { sleep } from "./abortable.js";
import { fetchWithTimeout, type TimedAttempt, timedAttempt } from "./attempt-timeout.js";
import { createSemaphore } from "./concurrency.js";
import { SentryApiError } from "./errors.js";
import { createOriginGuard } from "./origin-guard.js";
import { createPacer, operationKey } from "./pacing.js";
import { scrubbedCopy } from "./redaction.js";
import { backoffDelay, jitter, type RetryReason, serverDelay, shouldRetry } from "./retry-policy.js";

/** What `onRetry` is told before each wait. */
export interface RetryInfo {
  /** The client method (`"listMembers"`); for openapi-fetch calls, the method and path template. */
  operation: string;
  /** The attempt the wait comes before: 1 is the first request (only a pacing wait comes before it), 2 the first retry. */
  attempt: number;
  delayMs: number;
  /** The status or failure retried, or `"paced"`: the last answer said no request is left until the reset. */
  reason: RetryReason;
}

/** What a client method sets for its call; openapi-fetch calls take the client's, and are named by their path. */
export interface AttemptOptions {
  operation?: string | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

export interface RetryPolicy {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  maxRetries: number;
  /** The longest wait the server may ask for (`Retry-After`, a rate-limit reset); a longer one is not taken. */
  maxRetryDelayMs: number;
  maxConcurrency: number;
  onRetry: ((info: RetryInfo) => void) | undefined;
  /** The only origin that gets the token; a request to any other is refused. */
  origin: string;
  /** The `Authorization` header value, added only to requests for `origin`. */
  authorization: string;
  /** Removes the token from text that goes into an error. */
  scrub: (text: string) => string;
}

/**
 * The `fetch` and `Request` used by the client's methods, and given to openapi-fetch by
 * `createOpenApiFetchClient` (its middleware cannot re-send a request). The `Request` adds the token
 * for the configured origin only (`origin-guard.ts`) and the first attempt's timeout
 * (`attempt-timeout.ts`). The fetch refuses any other origin, waits while the operation's rate
 * limit is used up (`pacing.ts`), keeps at most `maxConcurrency` requests in flight
 * (`concurrency.ts`), and retries GETs on network errors, timeouts, 408, 429 and 5xx gateway
 * statuses with full-jitter exponential backoff or the wait the server asks for
 * (`retry-policy.ts`). A server wait longer than `maxRetryDelayMs` is not taken: the response is
 * returned.
 */
export function createRetrying(policy: RetryPolicy) {
  const firstAttempts = new WeakMap<Request, TimedAttempt & { caller: AbortSignal | undefined }>();
  const clearTimers = new WeakMap<Response, () => void>();
  const guard = createOriginGuard(policy.origin, policy.authorization);
  const pacer = createPacer();
  const slots = createSemaphore(policy.maxConcurrency);

  /**
   * openapi-fetch builds each request with this, from a URL string, and so do the client's methods:
   * the first attempt's timeout signal goes in at construction, which saves copying the request on
   * every call.
   */
  function TimedRequest(url: string, init: RequestInit = {}) {
    const caller = init.signal ?? undefined;
    const first = timedAttempt(
      caller,
      (signal) => new Request(url, { ...init, headers: guard.headersFor(url, init.headers), signal }),
    );
    firstAttempts.set(first.request, { ...first, caller });
    return first.request;
  }

  async function retryingFetch(request: Request, call: AttemptOptions = {}): Promise<Response> {
    const { method, url } = request;
    const target = { method, url: policy.scrub(url) };
    guard.expectOwn(url);
    let first = firstAttempts.get(request);
    const caller = first ? first.caller : request.signal;
    const timeoutMs = call.timeoutMs ?? policy.timeoutMs;
    const maxRetries = call.maxRetries ?? policy.maxRetries;
    /** A wait the server names, plus jitter but within `maxRetryDelayMs`; `undefined` when it is longer. */
    const serverWait = (ms: number) =>
      ms <= policy.maxRetryDelayMs ? Math.min(ms + jitter(), policy.maxRetryDelayMs) : undefined;
    /** Tells `onRetry`, then waits. */
    async function pause(attempt: number, delayMs: number, reason: RetryReason) {
      // A hook is for watching: its failure, thrown or rejected, must not become the call's.
      try {
        const result: unknown = policy.onRetry?.({
          operation: call.operation ?? operationKey(method, url),
          attempt,
          delayMs,
          reason,
        });
        if (result instanceof Promise) result.catch(() => {});
      } catch {}
      await sleep(delayMs, caller);
    }
    for (let attempt = 0; ; attempt++) {
      caller?.throwIfAborted();
      // A pause longer than the caller allows is not waited for, nor turned into a failure: it rests
      // on the local clock, so a skewed clock or a bogus reset would otherwise stop the operation
      // without ever asking the server again. The server's answer decides instead.
      const now = Date.now();
      const pausedFor = (pacer.until(method, url, now) ?? now) - now;
      const paced = pausedFor > 0 && serverWait(pausedFor);
      if (paced) await pause(attempt + 1, paced, "paced");
      // The timeout starts once a slot is taken: it bounds the server's answer, not the queue, which
      // moves as each request in flight ends (each bounded by its own timeout).
      const queued = slots.acquire(caller);
      if (queued) await queued;
      const timed = first ?? timedAttempt(caller, (signal) => new Request(request, { signal }));
      first = undefined;
      let response: Response | undefined;
      let clear = () => {};
      let failure: SentryApiError | undefined;
      try {
        ({ response, clear } = await fetchWithTimeout(policy.fetch, timed, timeoutMs, target));
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        failure = timed.timeout.signal.aborted
          ? timed.timeout.signal.reason
          : new SentryApiError("network", policy.scrub(`${method} ${url}: ${error}`), {
              request: target,
              cause: scrubbedCopy(error, policy.scrub),
            });
      } finally {
        // In flight until the answer's headers: Sentry's concurrent limit counts requests until its
        // handler returns, which is before the body is sent.
        slots.release();
      }
      if (response) pacer.note(method, url, response.headers, Date.now());
      const reason = response ? response.status : ((failure as SentryApiError).kind as "network" | "timeout");
      let delayMs: number | undefined;
      if (attempt < maxRetries && shouldRetry(method, reason)) {
        const asked = response && serverDelay(response);
        delayMs = asked === undefined ? backoffDelay(attempt) : serverWait(asked);
      }
      if (delayMs === undefined) {
        if (!response) throw failure;
        clearTimers.set(response, clear);
        return response;
      }
      clear();
      await response?.body?.cancel();
      await pause(attempt + 2, delayMs, reason);
    }
  }

  return {
    fetch: retryingFetch,
    Request: TimedRequest as unknown as typeof Request,
    /** Ends a response's timeout once its body has been read. */
    settle: (response: Response) => clearTimers.get(response)?.(),
  };
}
