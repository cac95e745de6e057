import { readRateLimit, retryAfterAt, serverRetryAt } from "@sentry-org-api/types/protocol";

export interface RateLimitWait {
  ms: number;
  /** The header that asked for the wait. */
  reason: "Retry-After" | "X-Sentry-Rate-Limit-Reset";
}

/**
 * How long until the server takes requests again, once its window is spent (a `429`, or
 * `X-Sentry-Rate-Limit-Remaining: 0`): read as the client reads a `429`, `Retry-After` first (seconds or
 * an HTTP date, as proxies send it), else `X-Sentry-Rate-Limit-Reset`. A reset time alone is no reason to wait.
 */
export function rateLimitWait(status: number, headers: Headers, now: number): RateLimitWait | undefined {
  if (status !== 429 && readRateLimit(headers)?.remaining !== 0) return undefined;
  const at = serverRetryAt(429, headers, now);
  if (at === undefined) return undefined;
  const retryAfter = headers.get("retry-after");
  const byRetryAfter = retryAfter !== null && retryAfterAt(retryAfter, now) === at;
  return { ms: Math.max(0, at - now), reason: byRetryAfter ? "Retry-After" : "X-Sentry-Rate-Limit-Reset" };
}
