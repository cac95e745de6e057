import type { OperationId } from "../spec.js";
import { type NormalAnswer, pageHeaders, sendable } from "./answers.js";
import { JSON_TYPE, type Outgoing } from "./outgoing.js";
import { rateLimited, sentryRate } from "./rate-limit.js";

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

  add(fault: MockFault, target: FaultTarget = {}) {
    const nth = target.nth ?? 1;
    const times = target.times ?? 1;
    if (!Number.isInteger(nth) || nth < 1) throw new RangeError(`nth must be an integer of at least 1, got ${nth}`);
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`times must be an integer of at least 1, got ${times}`);
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
