import type { RateLimit } from "./errors.js";

const FIELDS = ["limit", "remaining", "reset", "concurrentLimit", "concurrentRemaining"] as const;

/** The `X-Sentry-Rate-Limit-*` headers, when the server sent them. */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const rateLimit: Partial<RateLimit> = {};
  for (const field of FIELDS) {
    const value = headers.get(`x-sentry-rate-limit-${field}`);
    if (value !== null && /^\d+$/.test(value)) rateLimit[field] = Number(value);
  }
  return rateLimit.limit === undefined || rateLimit.remaining === undefined || rateLimit.reset === undefined
    ? undefined
    : (rateLimit as RateLimit);
}

/** `Retry-After` (seconds or an HTTP date; proxies add it, Sentry does not) as epoch ms. */
export function retryAfterAt(headers: Headers): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) return undefined;
  const at = /^\d+$/.test(retryAfter) ? Date.now() + Number(retryAfter) * 1000 : Date.parse(retryAfter);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * When the server will take the request again (epoch ms): `Retry-After`, else for a 429
 * `X-Sentry-Rate-Limit-Reset` (Sentry sends no `Retry-After`).
 */
export function serverRetryAt(response: Response): number | undefined {
  const at = retryAfterAt(response.headers);
  if (at !== undefined) return at;
  const reset = response.status === 429 ? readRateLimit(response.headers)?.reset : undefined;
  return reset === undefined ? undefined : reset * 1000;
}
