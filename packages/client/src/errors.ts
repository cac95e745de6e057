import type { RateLimit } from "@sentry-org-api/types/protocol";

export type { RateLimit };

export type SentryApiErrorKind =
  /** 401: no token, or one Sentry does not accept. */
  | "authentication"
  /** 403: the token lacks the scope or the membership. */
  | "permission"
  /** 404: no such organization. */
  | "not_found"
  /** 429: over the rate limit, and waiting was not allowed or did not help. */
  | "rate_limit"
  /** 5xx. */
  | "server"
  /** Any other non-2xx status. */
  | "http"
  /** No answer (DNS, refused or reset connection), or a 2xx whose body broke off. */
  | "network"
  /** No answer within `timeoutMs`, the body included. */
  | "timeout"
  /**
   * A 2xx that is not what the spec promises: a body longer than `maxResponseBytes`, not JSON, or
   * not the documented shape; a list page without a usable `Link` (as `@sentry-org-api/types/protocol`
   * reads it: malformed, or no `rel="next"` with `results` and a cursor), or with a cursor that is
   * longer than 1 KiB or repeats.
   */
  | "invalid_response";

export interface SentryApiErrorInit {
  status?: number | undefined;
  detail?: unknown;
  request: { method: string; url: string };
  rateLimit?: RateLimit | undefined;
  retryAt?: Date | undefined;
  cause?: unknown;
}

/**
 * Every failure of a call. Carries the request's method and URL, never its headers or token; its
 * `cause`, when there is one, is a scrubbed copy (name, message, code) of the original error.
 */
export class SentryApiError extends Error {
  override readonly name = "SentryApiError";
  declare readonly kind: SentryApiErrorKind;
  /** The HTTP status; 0 when no answer came. */
  declare readonly status: number;
  /**
   * Sentry's `detail`: usually a message, sometimes `{ code, message, extra }`; the body's text when
   * it is not JSON. From a body longer than 8 KiB, its first 8 KiB as text, ending with `…[cut]`.
   */
  declare readonly detail: unknown;
  declare readonly request: { method: string; url: string };
  declare readonly rateLimit: RateLimit | undefined;
  /** For `rate_limit`: when the call may be tried again. */
  declare readonly retryAt: Date | undefined;

  constructor(kind: SentryApiErrorKind, message: string, { cause, ...init }: SentryApiErrorInit) {
    super(message, { cause });
    Object.assign(this, { kind, status: 0, detail: undefined, rateLimit: undefined, retryAt: undefined, ...init });
  }

  /** The fields above and the message; never the stack or the cause. */
  toJSON() {
    return { ...this, message: this.message };
  }
}

const KINDS: Record<number, SentryApiErrorKind> = {
  401: "authentication",
  403: "permission",
  404: "not_found",
  429: "rate_limit",
};

export const kindOf = (status: number): SentryApiErrorKind => KINDS[status] ?? (status >= 500 ? "server" : "http");
