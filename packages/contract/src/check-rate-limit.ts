export interface RateLimitWait {
  ms: number;
  /** The header that asked for the wait. */
  reason: "Retry-After" | "X-Sentry-Rate-Limit-Reset";
}

/**
 * How long until the server takes requests again: `Retry-After` (seconds or an HTTP date, as proxies send
 * it), else `X-Sentry-Rate-Limit-Reset` (epoch seconds; Sentry itself sends no `Retry-After`).
 */
export function rateLimitWait(headers: Headers, now: number): RateLimitWait | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    const at = /^\d+$/.test(retryAfter) ? now + Number(retryAfter) * 1000 : Date.parse(retryAfter);
    if (!Number.isNaN(at)) return { ms: Math.max(0, at - now), reason: "Retry-After" };
  }
  const reset = headers.get("x-sentry-rate-limit-reset")?.trim();
  if (reset === undefined || !/^\d+$/.test(reset)) return undefined;
  return { ms: Math.max(0, Number(reset) * 1000 - now), reason: "X-Sentry-Rate-Limit-Reset" };
}
