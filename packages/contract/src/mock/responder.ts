import { NormalAnswers, ServedOrganization, sendable } from "./answers.js";
import { authenticate, permits, UNAUTHORIZED_HEADERS } from "./auth.js";
import { FaultQueue, type FaultTarget, faultAnswer, type MockFault } from "./faults.js";
import type { MockSetup } from "./options.js";
import type { Outgoing } from "./outgoing.js";
import { errorAnswer, internalError, notFound } from "./outgoing.js";
import { RateLimiter, rateLimited, rateLimitHeaders } from "./rate-limit.js";
import { findRoute } from "./routes.js";

/** What the mock reads of a request, whatever carried it. */
export interface MockRequest {
  method: string;
  /** The path and query as sent. */
  target: string;
  /** The origin the request was sent to, which a page's `Link` names. */
  origin: string;
  authorization: string | undefined;
}

/** How the mock answers a request, whatever carries the answer. */
export interface Reply {
  send(answer: Outgoing): void;
  /** Closes the connection without an answer. */
  drop(): void;
  /** An answer went out, or the client is gone. */
  readonly done: boolean;
  /** Calls `stop` if the client gives up before its answer, so that an answer held back by latency stops waiting. */
  onAbandoned?(stop: () => void): void;
}

/** Serialised list pages, and the filtered index lists they are cut from: 24 MiB together, whatever is asked. */
const PAGE_CACHE_BYTES = 16 * 2 ** 20;
const INDEX_CACHE_BYTES = 8 * 2 ** 20;

/**
 * Answers requests as Sentry would, from routing to faults, without knowing what carries them: the
 * same decisions in the same order as Sentry (route, token, method, rate window, organization, scope).
 */
export class MockResponder {
  readonly #organizations = new Map<string, ServedOrganization>();
  readonly #tokens: MockSetup["tokens"];
  readonly #rateLimiter: RateLimiter;
  readonly #answers = new NormalAnswers(PAGE_CACHE_BYTES, INDEX_CACHE_BYTES);
  readonly #faults = new FaultQueue();
  /** Answers held back by a latency fault, dropped on close. */
  readonly #delayed = new Set<ReturnType<typeof setTimeout>>();

  constructor(setup: MockSetup) {
    for (const served of setup.organizations.map((source) => new ServedOrganization(source))) {
      this.#organizations.set(served.data.organization.id, served);
      this.#organizations.set(served.data.organization.slug, served);
    }
    this.#tokens = setup.tokens;
    this.#rateLimiter = new RateLimiter(setup.rateLimit);
  }

  injectFault(fault: MockFault, target?: FaultTarget) {
    this.#faults.add(fault, target);
  }

  resetFaults() {
    this.#faults.clear();
  }

  /** The bytes the caches hold. */
  get cachedBytes(): number {
    return this.#answers.bytes;
  }

  /** Drops the answers latency still holds back, so that none outlives the mock. */
  close() {
    for (const timer of this.#delayed) clearTimeout(timer);
    this.#delayed.clear();
  }

  /** Answers `request` through `reply`; never throws: a bug in the mock answers like Sentry's own 500. */
  respond(request: MockRequest, reply: Reply) {
    safely(reply, () => this.#respond(request, reply));
  }

  #respond(request: MockRequest, reply: Reply) {
    const queryStart = request.target.indexOf("?");
    const path = queryStart === -1 ? request.target : request.target.slice(0, queryStart);
    const search = queryStart === -1 ? "" : request.target.slice(queryStart + 1);
    const segments = path.split("/");
    const route = findRoute(segments);
    if (!route) return reply.send(notFound());
    // Sentry authenticates before it dispatches on the method: a POST gets 401 without a token, 405 with one.
    const caller = authenticate(request.authorization, this.#tokens);
    if ("refusal" in caller) return reply.send(errorAnswer(401, caller.refusal, UNAUTHORIZED_HEADERS));
    // HEAD is answered as GET; the transport leaves the body out (node:http does so for a HEAD by itself).
    if (request.method !== "GET" && request.method !== "HEAD") {
      return reply.send(errorAnswer(405, `Method "${request.method}" not allowed.`, { allow: "GET" }));
    }

    // From here on every answer, errors included, carries the rate-limit headers, as Sentry's do.
    const state = this.#rateLimiter.take(caller.token, route.operation);
    const send = (answer: Outgoing) =>
      reply.send({ ...answer, headers: Object.assign(rateLimitHeaders(state), answer.headers) });

    let idOrSlug: string;
    try {
      idOrSlug = decodeURIComponent(segments[route.organizationSegment] ?? "");
    } catch {
      return send(notFound());
    }
    const served = this.#organizations.get(idOrSlug);
    if (!served) return send(notFound());
    if (!permits(route, caller.scopes)) {
      return send(errorAnswer(403, "You do not have permission to perform this action."));
    }
    if (state.limited) return send(rateLimited(route.operation, state.limit));
    // Taken only by a request that would be answered normally, so that a 401 or 404 uses none up.
    const fault = this.#faults.take(route.operation);
    if (fault?.type === "reset") return reply.drop();
    const normal = () => this.#answers.get(route.operation, served, path, search);
    if (fault?.type === "latency") {
      const timer = setTimeout(() => {
        this.#delayed.delete(timer);
        if (!reply.done) safely(reply, () => send(sendable(normal(), request.origin)));
      }, fault.ms);
      this.#delayed.add(timer);
      reply.onAbandoned?.(() => {
        clearTimeout(timer);
        this.#delayed.delete(timer);
      });
      return;
    }
    send(fault ? faultAnswer(fault, route.operation, normal(), request.origin) : sendable(normal(), request.origin));
  }
}

function safely(reply: Reply, answer: () => void) {
  try {
    answer();
  } catch {
    if (!reply.done) reply.send(internalError("0000000000000000000000000000mock"));
  }
}
