import type { OperationId } from "../spec.js";

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
