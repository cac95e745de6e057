import { OPERATION_PATHS, RATE_LIMIT_HEADERS, readRateLimit, retryAfterAt } from "@sentry-org-api/types/protocol";

/** Sentry's API here has three operations; the oldest pause is forgotten first beyond this. */
const MAX_PAUSED_OPERATIONS = 16;

/** Each path template, matching the end of a request's path (a base URL may add a prefix). */
const TEMPLATES = Object.values(OPERATION_PATHS).map((template) => ({
  template,
  pattern: new RegExp(`${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/**
 * The operation a request is for, as Sentry's rate limiter counts it (per endpoint, not per
 * organization): the method and the spec's path template, or the path itself outside the spec.
 */
export function operationKey(method: string, url: string) {
  const { pathname } = new URL(url);
  return `${method} ${TEMPLATES.find(({ pattern }) => pattern.test(pathname))?.template ?? pathname}`;
}

/**
 * Remembers, per operation, until when the server said no request is left
 * (`X-Sentry-Rate-Limit-Remaining: 0`), so that the next request waits instead of spending a 429.
 * Both methods cost one header read or one size check while nothing is paused.
 */
export function createPacer() {
  /** Epoch ms of each used-up operation's `X-Sentry-Rate-Limit-Reset`. */
  const pausedUntil = new Map<string, number>();
  return {
    /**
     * Records an answer's quota: a `Remaining: 0` pauses its operation until `Reset`, or until
     * `Retry-After` when a proxy sent one, as for retries.
     */
    note(method: string, url: string, headers: Headers, now: number) {
      // One header read for an answer without rate-limit headers (self-hosted Sentry).
      if (headers.get(RATE_LIMIT_HEADERS.remaining) === null) return;
      const rateLimit = readRateLimit(headers);
      if (rateLimit?.remaining !== 0) return;
      const key = operationKey(method, url);
      pausedUntil.delete(key);
      if (pausedUntil.size >= MAX_PAUSED_OPERATIONS) pausedUntil.delete(pausedUntil.keys().next().value as string);
      pausedUntil.set(key, retryAfterAt(headers.get("retry-after") ?? "", now) ?? rateLimit.reset * 1000);
    },
    /** Epoch ms until which requests for the operation should wait, while that is ahead of `now`. */
    until(method: string, url: string, now: number): number | undefined {
      if (pausedUntil.size === 0) return undefined;
      const key = operationKey(method, url);
      const until = pausedUntil.get(key);
      if (until === undefined || until > now) return until;
      pausedUntil.delete(key);
      return undefined;
    },
  };
}
