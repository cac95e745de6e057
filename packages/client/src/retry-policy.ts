import { serverRetryAt } from "@sentry-org-api/types/protocol";

/** Why a wait is taken: the status retried, the kind of failure retried, or `paced` (the quota is used up). */
export type RetryReason = number | "network" | "timeout" | "paced";

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 500;
/** Where exponential backoff stops growing, as in Stainless SDKs; waits the server names have their own cap. */
export const MAX_BACKOFF_MS = 8000;
const MAX_JITTER_MS = 1000;

/** Whether an attempt's outcome (a status, or a failure with no answer) is worth another try. */
export const shouldRetry = (method: string, outcome: number | "network" | "timeout") =>
  method === "GET" && (typeof outcome === "string" || RETRY_STATUSES.has(outcome));

/** Full jitter: a random time up to 0.5 s, 1 s, 2 s, ... 8 s before retry number `attempt + 1`. */
export const backoffDelay = (attempt: number, random = Math.random()) =>
  random * Math.min(MAX_BACKOFF_MS, BACKOFF_BASE_MS * 2 ** attempt);

/** The wait the server asks for (`Retry-After`, or a 429's rate-limit reset), never negative; `undefined` if none. */
export function serverDelay(response: Response, now = Date.now()): number | undefined {
  const at = serverRetryAt(response.status, response.headers, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/**
 * Up to 1 s added to a wait the server names: its times are whole seconds, and every client told
 * the same second would otherwise wake at once and spend the new window together.
 */
export const jitter = (random = Math.random()) => random * MAX_JITTER_MS;
