import type { OperationId } from "../spec.js";

/** `true` limits every operation to Sentry's 40 requests a second; numbers set limits per operation. */
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

const DEFAULT_LIMIT = 40;
const CONCURRENT_LIMIT = 25;
const WINDOW_MS = 1000;

/** Fixed one-second windows per token and operation, like Sentry's; enforced only when enabled. */
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
    const key = `${operation} ${token}`;
    const start = now - (now % WINDOW_MS);
    let window = this.#windows.get(key);
    if (!window) {
      if (this.#windows.size > 10_000) this.#windows.clear();
      window = { start, count: 0 };
      this.#windows.set(key, window);
    } else if (window.start !== start) {
      window.start = start;
      window.count = 0;
    }
    const limit = this.#limits[operation] ?? DEFAULT_LIMIT;
    window.count++;
    return {
      limit,
      remaining: Math.max(0, limit - window.count),
      reset: Math.ceil((start + WINDOW_MS) / 1000),
      concurrentLimit: CONCURRENT_LIMIT,
      // The mock answers each request as it comes, so only this one is ever in flight.
      concurrentRemaining: CONCURRENT_LIMIT - 1,
      limited: this.#enforced && window.count > limit,
    };
  }
}
