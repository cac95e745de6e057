import type { OperationId } from "../spec.js";
import { type NormalAnswer, pageHeaders, sendable } from "./answers.js";
import { checkInteger, checkObject, described } from "./described.js";
import { JSON_TYPE, type Outgoing } from "./outgoing.js";
import { rateLimited, sentryRate } from "./rate-limit.js";
import { ROUTES } from "./routes.js";

/** A misbehaviour the mock can show, for testing how a client copes. */
export type MockFault =
  /** Answer normally, this many milliseconds late. */
  | { type: "latency"; ms: number }
  /** Answer with this status and a Sentry error body; `429` gets Sentry's bare-string body. */
  | { type: "status"; status: 429 | 500 | 502 | 503 | 504; retryAfter?: string }
  /** A proxy's HTML error page (default status 502). */
  | { type: "html"; status?: number }
  /** A 200 whose JSON body is cut off halfway. */
  | { type: "truncated-json" }
  /** A 200 whose body is not JSON at all. */
  | { type: "malformed-json" }
  /** A normal page whose `Link` next URL names another origin. */
  | { type: "foreign-next-link"; origin: string }
  /** Close the connection without answering. */
  | { type: "reset" };

export interface FaultTarget {
  /** Which request shows the fault: 1 is the next matching request (the default), 3 the third. */
  nth?: number;
  /** How many consecutive matching requests show it, from the nth on (default 1). */
  times?: number;
  /** Only requests to this operation count. */
  operation?: OperationId;
}

interface PendingFault {
  fault: MockFault;
  operation: OperationId | undefined;
  skip: number;
  remaining: number;
}

/** Faults waiting for their request, in the order they were injected. */
export class FaultQueue {
  #pending: PendingFault[] = [];

  /** Throws, queueing nothing, for a fault or target the mock cannot show: at the call, not as a later 500. */
  add(fault: MockFault, target: FaultTarget = {}) {
    checkFault(fault);
    checkObject("target", target);
    const nth = target.nth ?? 1;
    const times = target.times ?? 1;
    checkInteger("nth", nth, 1, Number.MAX_SAFE_INTEGER, "an integer of at least 1");
    checkInteger("times", times, 1, Number.MAX_SAFE_INTEGER, "an integer of at least 1");
    if (target.operation !== undefined && !OPERATIONS.includes(target.operation)) {
      throw new TypeError(`operation must be one of ${OPERATIONS.join(", ")}, got ${described(target.operation)}`);
    }
    this.#pending.push({ fault, operation: target.operation, skip: nth - 1, remaining: times });
  }

  clear() {
    this.#pending = [];
  }

  /** The fault this request shows, if any; counts the request against every pending fault it matches. */
  take(operation: OperationId | undefined): MockFault | undefined {
    if (this.#pending.length === 0) return undefined;
    let shown: MockFault | undefined;
    for (const pending of this.#pending) {
      if (pending.operation !== undefined && pending.operation !== operation) continue;
      if (pending.skip > 0) {
        pending.skip--;
      } else if (!shown) {
        shown = pending.fault;
        pending.remaining--;
      }
    }
    this.#pending = this.#pending.filter((pending) => pending.remaining > 0);
    return shown;
  }
}

const FAULT_TYPES = [
  "latency",
  "status",
  "html",
  "truncated-json",
  "malformed-json",
  "foreign-next-link",
  "reset",
] as const satisfies readonly MockFault["type"][];
const FAULT_STATUSES = [429, 500, 502, 503, 504];
/** setTimeout's longest delay: a longer one fires at once, with a warning. */
const MAX_LATENCY_MS = 2_147_483_647;
/** Statuses whose answers may hold a body: a 204, 205 or 304 with an HTML page cannot be sent. */
const BODILESS_STATUSES = [204, 205, 304];
const OPERATIONS: string[] = ROUTES.map((route) => route.operation);

function checkFault(fault: MockFault) {
  checkObject("fault", fault);
  const type: unknown = fault.type;
  if (!FAULT_TYPES.some((known) => known === type)) {
    throw new TypeError(`fault type must be one of ${FAULT_TYPES.join(", ")}, got ${described(type)}`);
  }
  switch (fault.type) {
    case "latency":
      return checkInteger("latency ms", fault.ms, 0, MAX_LATENCY_MS, `an integer from 0 to ${MAX_LATENCY_MS}`);
    case "status":
      if (!FAULT_STATUSES.includes(fault.status)) {
        throw new RangeError(
          `status fault status must be one of ${FAULT_STATUSES.join(", ")}, got ${described(fault.status)}`,
        );
      }
      if (
        fault.retryAfter !== undefined &&
        !(typeof fault.retryAfter === "string" && /^[\x20-\x7e]{1,256}$/.test(fault.retryAfter))
      ) {
        throw new TypeError(
          `status fault retryAfter must be 1 to 256 visible ASCII characters or spaces, got ${described(fault.retryAfter)}`,
        );
      }
      return;
    case "html": {
      const range = "an integer from 200 to 599 other than 204, 205 and 304";
      checkInteger("html status", fault.status ?? 502, 200, 599, range);
      if (BODILESS_STATUSES.includes(fault.status ?? 502))
        throw new RangeError(`html status must be ${range}, got ${fault.status}`);
      return;
    }
    case "foreign-next-link":
      if (!isHttpUrl(fault.origin)) {
        throw new TypeError(
          `foreign-next-link origin must be an http or https origin such as https://evil.example, got ${described(fault.origin)}`,
        );
      }
  }
}

function isHttpUrl(text: unknown): boolean {
  if (typeof text !== "string") return false;
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** The faults that change the answer; latency and reset act before it is built. */
export type AnswerFault = Exclude<MockFault, { type: "latency" | "reset" }>;

const BAD_GATEWAY_PAGE =
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

/** What `fault` makes of the request's normal answer, sent to `origin`. */
export function faultAnswer(
  fault: AnswerFault,
  operation: OperationId,
  normal: NormalAnswer,
  origin: string,
): Outgoing {
  switch (fault.type) {
    case "status": {
      const retryAfter: Record<string, string> = fault.retryAfter ? { "retry-after": fault.retryAfter } : {};
      if (fault.status === 429) return rateLimited(operation, sentryRate(operation).requests, retryAfter);
      const detail = fault.status === 500 ? "Internal Error" : "Service Unavailable";
      const body = JSON.stringify({ detail, errorId: "5f0e7a4c2b9d4e8f8a1c3b6d9e2f4a7c" });
      return { status: fault.status, body, contentType: JSON_TYPE, headers: retryAfter };
    }
    case "html":
      return { status: fault.status ?? 502, body: BAD_GATEWAY_PAGE, contentType: "text/html", headers: {} };
    case "malformed-json":
      return { status: 200, body: "{'detail': this is not JSON", contentType: JSON_TYPE, headers: {} };
    case "truncated-json":
    case "foreign-next-link": {
      // Both start from the normal answer.
      if ("error" in normal) return sendable(normal, origin);
      if (fault.type === "truncated-json") {
        return {
          status: 200,
          body: normal.body.subarray(0, Math.floor(normal.body.length / 2)),
          contentType: JSON_TYPE,
          headers: {},
        };
      }
      const headers = pageHeaders(normal, origin, new URL(fault.origin).origin);
      return { status: 200, body: normal.body, contentType: JSON_TYPE, headers };
    }
  }
}
