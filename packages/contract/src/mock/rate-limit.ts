import { OPERATION_RATE_LIMITS, type OperationId, RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import type { Outgoing } from "./outgoing.js";

/** `true` limits every operation to sentry.io's rate; numbers set limits per operation (per window). */
export type RateLimitOption = boolean | Partial<Record<OperationId, number>>;

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** UTC epoch seconds when the window ends. */
  reset: number;
  concurrentLimit: number;
  concurrentRemaining: number;
  limited: boolean;
}

interface Rate {
  requests: number;
  windowSeconds: number;
}

/**
 * sentry.io's rate for `operation`, as the spec states it (`x-sentry-rate-limit`). The spec states it
 * for the members list only; the other operations are held to that one.
 */
export function sentryRate(operation: OperationId): Rate {
  const stated: Partial<Record<OperationId, Rate>> = OPERATION_RATE_LIMITS;
  return stated[operation] ?? OPERATION_RATE_LIMITS.listOrganizationMembers;
}

const CONCURRENT_LIMIT = 25;
/** Windows remembered before all are forgotten: one per token and operation in use. */
const MAX_WINDOWS = 10_000;

/** Fixed windows per token and operation, like Sentry's; enforced only when enabled. */
export class RateLimiter {
  readonly #enforced: boolean;
  readonly #limits: Partial<Record<OperationId, number>>;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(option: RateLimitOption | undefined) {
    this.#enforced = option !== undefined && option !== false;
    this.#limits = typeof option === "object" ? option : {};
  }

  /** Counts a request and says where its window stands. */
  take(token: string, operation: OperationId, now = Date.now()): RateLimitState {
    const rate = sentryRate(operation);
    const windowMs = rate.windowSeconds * 1000;
    const key = `${operation} ${token}`;
    const start = now - (now % windowMs);
    let window = this.#windows.get(key);
    if (!window) {
      if (this.#windows.size > MAX_WINDOWS) this.#windows.clear();
      window = { start, count: 0 };
      this.#windows.set(key, window);
    } else if (window.start !== start) {
      window.start = start;
      window.count = 0;
    }
    const limit = this.#limits[operation] ?? rate.requests;
    window.count++;
    return {
      limit,
      remaining: Math.max(0, limit - window.count),
      reset: Math.ceil((start + windowMs) / 1000),
      concurrentLimit: CONCURRENT_LIMIT,
      // The mock answers each request as it comes, so only this one is ever in flight.
      concurrentRemaining: CONCURRENT_LIMIT - 1,
      limited: this.#enforced && window.count > limit,
    };
  }
}

const FIELDS = Object.keys(RATE_LIMIT_HEADERS) as (keyof typeof RATE_LIMIT_HEADERS)[];

/** The `X-Sentry-Rate-Limit-*` headers of a window's state. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of FIELDS) headers[RATE_LIMIT_HEADERS[field]] = String(state[field]);
  return headers;
}

/** Sentry's 429: a bare JSON string, served as HTML. */
export function rateLimited(operation: OperationId, limit: number, headers: Record<string, string> = {}): Outgoing {
  const { windowSeconds } = sentryRate(operation);
  const message = `You are attempting to use this endpoint too frequently. Limit is ${limit} requests in ${windowSeconds} seconds`;
  return { status: 429, body: JSON.stringify(message), contentType: "text/html; charset=utf-8", headers };
}
