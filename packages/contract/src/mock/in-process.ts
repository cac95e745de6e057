import { checkObject } from "./described.js";
import type { FaultTarget, MockFault } from "./faults.js";
import { type MockOptions, mockSetup } from "./options.js";
import type { Outgoing } from "./outgoing.js";
import { MockResponder, type Reply } from "./responder.js";

export interface MockSentryOptions extends MockOptions {
  /** The origin the mock stands for, default `https://sentry.io`: its `fetch` answers requests there, and MSW's handlers intercept them. */
  baseUrl?: string;
}

export interface MockSentry {
  /** The origin it answers for, such as `https://sentry.io`. */
  baseUrl: string;
  /** A token with every read scope. */
  token: string;
  /**
   * Answers one request as Sentry would, on any origin (`Link` URLs name the request's own). A connection
   * the mock drops (the `reset` fault, or an answer held back by `latency` when the mock closes) is
   * `Response.error()`; an abort while `latency` holds the answer back rejects with the signal's reason.
   */
  handle(request: Request): Promise<Response>;
  /**
   * A drop-in `fetch` that answers requests to `baseUrl` from the mock: nothing leaves the process. A
   * request to another origin, or one the mock drops, rejects with a `TypeError`, as a network failure does.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Make upcoming requests misbehave. */
  injectFault(fault: MockFault, target?: FaultTarget): void;
  /** Forget every fault not yet shown (an answer already held back by `latency` still comes). */
  resetFaults(): void;
  /** Drops the answers latency still holds back; every request after it fails as on a closed connection. */
  close(): Promise<void>;
}

/** Internal, for tests: the bytes a mock's caches hold. */
const cacheSizes = new WeakMap<MockSentry, () => number>();
export const cachedBytes = (mock: MockSentry): number => cacheSizes.get(mock)?.() ?? 0;

const DEFAULT_BASE_URL = "https://sentry.io";
/** The options of `startMockServer` that name a socket, which the mock in process never opens. */
const SOCKET_OPTIONS = ["port", "host"];

/** Why a request got no answer, told in the cause of the `TypeError` that `fetch` rejects with. */
interface Dropped {
  dropped: string;
}
const RESET: Dropped = { dropped: "the mock Sentry closed the connection without an answer (a reset fault)" };
const CLOSED: Dropped = { dropped: "the mock Sentry is closed" };

const utf8 = new TextEncoder();

/**
 * The mock without a socket: the same core as `startMockServer`, on Web APIs only, for MSW, a test's own
 * `fetch`, browsers and any runtime. Throws what `startMockServer` rejects with for the same options.
 */
export function createMockSentry(options: MockSentryOptions = {}): MockSentry {
  checkObject("options", options);
  for (const name of SOCKET_OPTIONS) {
    if (name in options)
      throw new TypeError(`${name} is an option of startMockServer: the mock in process opens no socket`);
  }
  const setup = mockSetup(options, ["baseUrl"]);
  const baseUrl = originOf(options.baseUrl ?? DEFAULT_BASE_URL);
  const responder = new MockResponder(setup);
  /** Answers held back by latency, which closing the mock cuts off. */
  const held = new Set<WebReply>();
  let closed = false;

  const answer = (request: Request, url: URL): Promise<Response | Dropped> => {
    if (request.signal.aborted) return Promise.reject(request.signal.reason);
    if (closed) return Promise.resolve(CLOSED);
    const reply = new WebReply(request, held);
    responder.respond(
      {
        method: request.method,
        target: url.pathname + url.search,
        // A URL that is not http(s) has the opaque origin "null", which no Link URL can start with.
        origin: url.origin === "null" ? baseUrl : url.origin,
        authorization: request.headers.get("authorization") ?? undefined,
      },
      reply,
    );
    return reply.outcome;
  };

  const mock: MockSentry = {
    baseUrl,
    token: setup.defaultToken,
    handle: async (request) => {
      const outcome = await answer(request, new URL(request.url));
      return outcome instanceof Response ? outcome : Response.error();
    },
    fetch: async (input, init) => {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      const url = new URL(request.url);
      if (url.origin !== baseUrl) throw networkError(`the mock Sentry answers only ${baseUrl}, not ${url.origin}`);
      const outcome = await answer(request, url);
      if (outcome instanceof Response) return outcome;
      throw networkError(outcome.dropped);
    },
    injectFault: (fault, target) => responder.injectFault(fault, target),
    resetFaults: () => responder.resetFaults(),
    close: async () => {
      closed = true;
      responder.close();
      for (const reply of held) reply.cut();
    },
  };
  cacheSizes.set(mock, () => responder.cachedBytes);
  return mock;
}

/** `baseUrl` as an origin; the mock serves `/api/0/` at the root, as sentry.io does, so a path is refused. */
function originOf(baseUrl: string): string {
  const problem =
    "baseUrl must be an http or https origin such as https://sentry.io, without a path, query, fragment or credentials";
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(problem);
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if (!bare || (url.protocol !== "https:" && url.protocol !== "http:")) throw new RangeError(problem);
  return url.origin;
}

/** What `fetch` rejects with when the network fails, as undici and browsers do: `TypeError`, the reason in its cause. */
const networkError = (reason: string) => new TypeError("fetch failed", { cause: new Error(reason) });

/** One request's answer as a `Response`, settled once. */
class WebReply implements Reply {
  done = false;
  readonly outcome: Promise<Response | Dropped>;
  #resolve: (outcome: Response | Dropped) => void = () => {};
  #reject: (reason: unknown) => void = () => {};
  #stopListening = () => {};

  constructor(
    readonly request: Request,
    readonly held: Set<WebReply>,
  ) {
    this.outcome = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  send({ status, body, contentType, headers }: Outgoing) {
    const bytes = typeof body === "string" ? utf8.encode(body) : body;
    // Built before the reply counts as done: a status Response refuses throws, and the core then answers 500.
    const response = new Response(this.request.method === "HEAD" ? null : bytes, {
      status,
      headers: Object.assign({ "content-type": contentType, "content-length": String(bytes.length) }, headers),
    });
    this.#settle();
    this.#resolve(response);
  }

  drop() {
    this.#settle();
    this.#resolve(RESET);
  }

  /** Held back by latency: an abort rejects at once and stops the wait, and closing the mock cuts it off. */
  onAbandoned(stop: () => void) {
    const { signal } = this.request;
    const abandon = () => {
      stop();
      this.#settle();
      this.#reject(signal.reason);
    };
    signal.addEventListener("abort", abandon, { once: true });
    this.#stopListening = () => signal.removeEventListener("abort", abandon);
    this.held.add(this);
  }

  /** The mock closed while this answer was held back. */
  cut() {
    this.#settle();
    this.#resolve(CLOSED);
  }

  #settle() {
    this.done = true;
    this.held.delete(this);
    this.#stopListening();
  }
}
