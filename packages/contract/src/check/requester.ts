import { redactToken } from "@sentry-org-api/types/protocol";
import type { OperationId } from "../spec.js";
import { DEFAULT_MAX_BODY_BYTES } from "../validate/validator.js";
import { clip } from "./bounded-text.js";
import { type Credentials, curlCommand, INVALID_TOKEN } from "./curl.js";
import { type RateLimitWait, rateLimitWait } from "./rate-limit-wait.js";
import { type BoundedAnswer, RequestFailure, seconds, sendBounded } from "./request.js";

/** One request of the suite: what it asks and why. */
export interface CaseRequest {
  operation: OperationId;
  method: "GET" | "POST";
  /** From `/api/` on, with the query. */
  path: string;
  credentials: Credentials;
  /** What the case is, for the report: `per_page=0 (below the minimum 1)`, `page 3`, `no token`. */
  label: string;
}

/** A request and what came back: an answer (body and headers with the token scrubbed), or why none came. */
export interface Exchange {
  request: CaseRequest;
  url: string;
  curl: string;
  answer?: BoundedAnswer;
  failure?: string;
  /** The body parsed as JSON; `undefined` when it is not JSON (or was cut off). */
  json?: unknown;
  /** The `Link` header as the server sent it, an echoed token unscrubbed: only to send its cursors back, never shown. */
  linkAsSent?: string | null;
}

/**
 * `unreachable`, `no-answer` (timeout) and `token-refused` are about the first request: the server could not
 * be checked at all. `deadline`: the run's time was up, or a rate-limit wait would have outlasted it.
 * `budget`: retries after a 429 spent the requests the cases still had.
 */
export type StopReason = "unreachable" | "no-answer" | "token-refused" | "deadline" | "budget";

/** Ends the run early. */
export class Stop extends Error {
  constructor(
    readonly reason: StopReason,
    message: string,
  ) {
    super(message);
  }
}

export interface RequesterOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  deadlineMs: number;
  /** Requests the run may send, retries included. */
  maxRequests: number;
  /** Named in the advice when the server refuses the token. */
  tokenSource: string | undefined;
  /** The variable the `curl` commands read the token from. */
  tokenVariable: string;
  /** The scopes the advice names. */
  neededScopes: string[];
  fetch: typeof fetch;
  onWait: (wait: RateLimitWait) => void;
}

/** Longer waits are announced before they start. */
const ANNOUNCED_WAIT_MS = 2000;
/** Retries of a 429 that says when to come back. */
const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_DETAIL = 150;

/** Sentry's `detail` (a message, or `{ message }`), or a bare JSON string such as a 429's; cut short. */
export function serverDetail(json: unknown): string | undefined {
  const detail = typeof json === "object" && json !== null && "detail" in json ? json.detail : json;
  if (typeof detail === "string") return clip(detail, MAX_DETAIL);
  const message = typeof detail === "object" && detail !== null && "message" in detail ? detail.message : undefined;
  return typeof message === "string" ? clip(message, MAX_DETAIL) : undefined;
}

const parsed = (answer: BoundedAnswer): unknown => {
  if (!answer.complete) return undefined;
  try {
    return JSON.parse(answer.body);
  } catch {
    return undefined;
  }
};

/**
 * Sends the suite's requests one at a time, paced by the server's rate-limit headers so that it never runs
 * into a `429` it was warned of, within a time limit per request and for the whole run. Throws `Stop` when
 * the run cannot go on. Counts what it sent.
 */
export function createRequester(options: RequesterOptions) {
  const redact = redactToken(options.token, "[redacted]");
  const deadlineAt = Date.now() + options.deadlineMs;
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), options.deadlineMs);
  const deadlinePassed = () => new Stop("deadline", `the deadline of ${seconds(options.deadlineMs)} passed`);
  /** When the rate limit lets the next request go, and which header said so. */
  let notBefore: (RateLimitWait & { at: number }) | undefined;
  let firstAnswered = false;
  let sent = 0;

  const waitForRateLimit = async () => {
    if (!notBefore) return;
    const { at, reason } = notBefore;
    const ms = at - Date.now();
    if (ms <= 0) return;
    if (at > deadlineAt) {
      const left = Math.max(0, deadlineAt - Date.now());
      throw new Stop(
        "deadline",
        `the rate-limit window reopens in ${Math.ceil(ms / 1000)} s (${reason}), after the deadline (in ${Math.ceil(left / 1000)} s)`,
      );
    }
    if (ms > ANNOUNCED_WAIT_MS) options.onWait({ ms, reason });
    await new Promise((resolve) => setTimeout(resolve, ms));
  };

  const authorization = (credentials: Credentials): Record<string, string> =>
    credentials === "token"
      ? { authorization: `Bearer ${options.token}` }
      : credentials === "invalid"
        ? { authorization: `Bearer ${INVALID_TOKEN}` }
        : {};

  async function send(request: CaseRequest): Promise<Exchange> {
    const url = `${options.baseUrl}${request.path}`;
    // A cursor the server wrote may hold the token: the URL goes out as it is, but is shown scrubbed.
    const exchange = {
      request,
      url: redact(url),
      curl: redact(curlCommand(request.method, url, request.credentials, options.tokenVariable)),
    };
    for (let attempt = 0; ; attempt++) {
      if (sent >= options.maxRequests)
        throw new Stop(
          "budget",
          `the budget of ${options.maxRequests} requests was spent, retries after a 429 included`,
        );
      await waitForRateLimit();
      if (deadline.signal.aborted) throw deadlinePassed();
      let answer: BoundedAnswer;
      sent++;
      try {
        answer = await sendBounded(url, {
          method: request.method,
          headers: authorization(request.credentials),
          timeoutMs: options.timeoutMs,
          stop: deadline.signal,
          maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
          fetch: options.fetch,
        });
      } catch (error) {
        if (!(error instanceof RequestFailure)) throw error;
        const message = redact(error.message);
        if (error.kind === "stopped") throw deadlinePassed();
        if (!firstAnswered) throw new Stop(error.kind === "timeout" ? "no-answer" : "unreachable", message);
        return { ...exchange, failure: message };
      }
      // The server may echo the token; scrub it before any excerpt of a body or header is made from it.
      const linkAsSent = answer.headers.get("link");
      const headers = new Headers();
      for (const [name, value] of answer.headers) headers.set(name, redact(value));
      answer = { ...answer, headers, body: redact(answer.body) };
      const json = parsed(answer);
      if (!firstAnswered && request.credentials === "token" && answer.status === 401) {
        const detail = serverDetail(json);
        throw new Stop(
          "token-refused",
          `the server refused the token: 401${detail === undefined ? "" : ` ${JSON.stringify(detail)}`}. ` +
            `Check ${options.tokenSource ?? "the token"}: it must be one this server issued, not expired or revoked, ` +
            `with the scopes ${options.neededScopes.join(" and ")}`,
        );
      }
      firstAnswered = true;
      const wait = rateLimitWait(answer.status, headers, Date.now());
      notBefore = wait && { ...wait, at: Date.now() + wait.ms };
      // A retry is one more request of the budget: with none left, the 429 is the answer.
      const retry = attempt < MAX_RATE_LIMIT_RETRIES && sent < options.maxRequests;
      if (answer.status === 429 && wait && retry) continue;
      return { ...exchange, answer, json, linkAsSent };
    }
  }

  return {
    send,
    /** Requests sent so far, retries included. */
    get sent() {
      return sent;
    },
    close: () => clearTimeout(deadlineTimer),
  };
}

export type Requester = ReturnType<typeof createRequester>;
