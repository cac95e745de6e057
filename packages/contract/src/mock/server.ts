import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Repository } from "@sentry-org-api/types";
import { type OperationId, spec } from "../spec.js";
import { ByteBoundedCache } from "./cache.js";
import { FaultQueue, type FaultTarget, type MockFault } from "./faults.js";
import { compileMemberQuery } from "./member-search.js";
import { RateLimiter, type RateLimitOption, type RateLimitState } from "./rate-limit.js";
import { originResolver } from "./request-origin.js";
import { createSeedOrganizations, listedMembers, type MockOrganizationData, type OrganizationSource } from "./seed.js";
import { DEFAULT_MOCK_TOKEN, tokenProblem } from "./token.js";

export interface MockServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** acme's members (default 250, at most 100,000) and active repositories (default 120, at most 100,000). Ignored with `organizations`. */
  members?: number;
  repositories?: number;
  /** Serve this data instead of the seed data. */
  organizations?: MockOrganizationData[];
  /** The token with every read scope; default `DEFAULT_MOCK_TOKEN`. */
  token?: string;
  /** More tokens and the scopes each holds. */
  tokens?: Record<string, string[]>;
  /** Answer `429` over the limit. Off by default; the rate-limit headers are sent either way. */
  rateLimit?: RateLimitOption;
}

export interface MockServer {
  /** The origin it listens on, such as `http://127.0.0.1:40123`. */
  url: string;
  /** A token with every read scope. */
  token: string;
  /** Make upcoming requests misbehave. */
  injectFault(fault: MockFault, target?: FaultTarget): void;
  /** Forget every fault not yet shown (an answer already held back by `latency` still comes). */
  resetFaults(): void;
  close(): Promise<void>;
}

const MAX_MEMBERS = 100_000;
const MAX_REPOSITORIES = 100_000;
const DEFAULT_SCOPES = ["org:read", "member:read", "project:read", "team:read", "event:read"];
/** Serialised list pages, and the filtered index lists they are cut from: 24 MiB together, whatever is asked. */
const PAGE_CACHE_BYTES = 16 * 2 ** 20;
const INDEX_CACHE_BYTES = 8 * 2 ** 20;

type Route = { operation: OperationId; segments: string[]; scopes: Set<string> };
/** The faults that change the answer; latency and reset act before it is built. */
type ServedFault = Exclude<MockFault, { type: "latency" | "reset" }>;
/** A list page's `Link`, kept without its origin, which is each request's own. */
type PageLinks = { target: string; previous: Relation; next: Relation };
type Relation = { cursor: string; results: boolean };
/**
 * A request's answer when nothing misbehaves: a body (sent as bytes, cached encoded, so that a
 * repeated request costs no encoding) with a list page's links and hits, or a 400's message.
 */
type Answer = { error: string } | Page;
type Page = {
  body: Buffer;
  links?: PageLinks;
  hits?: number;
  /** The headers last sent with this page and the origin they name: most requests repeat both. */
  sent?: { origin: string; headers: Record<string, string> };
};
type Send = (status: number, body: string | Buffer, contentType?: string, headers?: Record<string, string>) => void;

/** What the mock reads of a request; node:http stays in `startMockServer`'s request listener. */
interface MockRequest {
  method: string;
  /** The path and query as sent. */
  target: string;
  host: string | undefined;
  authorization: string | undefined;
}

/** How the mock answers a request. */
interface Reply {
  send(status: number, body: string | Buffer, contentType: string, headers: Record<string, string>): void;
  /** Closes the connection without an answer. */
  drop(): void;
  /** An answer went out, or the client is gone. */
  readonly done: boolean;
}

const ROUTES: Route[] = Object.entries(spec.paths).map(([path, item]) => ({
  operation: item.get.operationId,
  segments: path.split("/"),
  scopes: new Set(
    item.get.security.flatMap((requirement: Record<string, string[]>) => Object.values(requirement).flat()),
  ),
}));

const JSON_TYPE = "application/json";
const detail = (message: string) => JSON.stringify({ detail: message });
/** Sentry sends this on every 401, for a missing token and a refused one alike. */
const UNAUTHORIZED_HEADERS = { "www-authenticate": 'xBasic realm="api"' };

class ServedOrganization {
  readonly bodies: Map<string, Buffer>;
  constructor(readonly data: OrganizationSource) {
    const { teams, projects, features, extraOptions, ...basic } = data.organization;
    const variants = { detailed: { ...basic, teams, projects }, basic };
    this.bodies = new Map();
    for (const [name, body] of Object.entries(variants)) {
      this.bodies.set(`${name}`, Buffer.from(JSON.stringify(body)));
      this.bodies.set(`${name}+flags`, Buffer.from(JSON.stringify({ ...body, features, extraOptions })));
    }
  }

  memberJson(index: number, expandExternalUsers: boolean): string {
    const { externalUsers, ...member } = this.data.members.member(index);
    return JSON.stringify(expandExternalUsers ? { ...member, externalUsers: externalUsers ?? [] } : member);
  }
}

/** Internal, for tests: the bytes a server's caches hold. */
const cacheSizes = new WeakMap<MockServer, () => number>();
export const cachedBytes = (server: MockServer): number => cacheSizes.get(server)?.() ?? 0;

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  checkCount("members", options.members, MAX_MEMBERS);
  checkCount("repositories", options.repositories, MAX_REPOSITORIES);
  const defaultToken = options.token ?? DEFAULT_MOCK_TOKEN;
  const problem = tokenProblem(defaultToken);
  if (problem) throw new RangeError(`token ${problem}`);
  const sources: OrganizationSource[] = options.organizations
    ? options.organizations.map(({ members, ...rest }) => ({ ...rest, members: listedMembers(members) }))
    : createSeedOrganizations({ members: options.members, repositories: options.repositories });
  const byIdOrSlug = new Map<string, ServedOrganization>();
  for (const served of sources.map((source) => new ServedOrganization(source))) {
    byIdOrSlug.set(served.data.organization.id, served);
    byIdOrSlug.set(served.data.organization.slug, served);
  }
  const tokens = new Map<string, Set<string>>([[defaultToken, new Set(DEFAULT_SCOPES)]]);
  for (const [token, scopes] of Object.entries(options.tokens ?? {})) tokens.set(token, new Set(scopes));

  const faults = new FaultQueue();
  /** Answers held back by a latency fault, cleared on close. */
  const delayed = new Set<ReturnType<typeof setTimeout>>();
  const rateLimiter = new RateLimiter(options.rateLimit);
  // A page's Link target is kept once in `links` and twice in the Link header remembered in `sent`.
  const pages = new ByteBoundedCache<Answer>(PAGE_CACHE_BYTES, (answer) =>
    "error" in answer ? answer.error.length * 2 : answer.body.length + (answer.links?.target.length ?? 0) * 6 + 512,
  );
  const indexLists = new ByteBoundedCache<Uint32Array>(INDEX_CACHE_BYTES, (list) => list.byteLength);
  /** The origin each request was sent to; set once the server listens, before any request can arrive. */
  let originOf = originResolver("");

  const server = createServer((req, res) => {
    const reply = new NodeReply(req, res);
    const { method = "GET", url = "/", headers } = req;
    safely(reply, () =>
      respond({ method, target: url, host: headers.host, authorization: headers.authorization }, reply),
    );
  });
  server.keepAliveTimeout = 5_000;

  function respond(request: MockRequest, reply: Reply) {
    const queryStart = request.target.indexOf("?");
    const path = queryStart === -1 ? request.target : request.target.slice(0, queryStart);
    const search = queryStart === -1 ? "" : request.target.slice(queryStart + 1);
    const segments = path.split("/");
    const route = ROUTES.find(
      (r) => r.segments.length === segments.length && r.segments.every((s, i) => i === 4 || s === segments[i]),
    );
    let rateHeaders: Record<string, string> | undefined;
    const send: Send = (status, body, contentType = JSON_TYPE, headers) =>
      reply.send(status, body, contentType, Object.assign({}, rateHeaders, headers));

    if (!route) return send(404, detail("The requested resource does not exist"));
    if (request.method !== "GET") {
      return send(405, detail(`Method "${request.method}" not allowed.`), JSON_TYPE, { allow: "GET" });
    }
    const { authorization } = request;
    const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined;
    if (token === undefined) {
      return send(401, detail("Authentication credentials were not provided."), JSON_TYPE, UNAUTHORIZED_HEADERS);
    }
    const scopes = tokens.get(token);
    if (!scopes) return send(401, detail("Invalid token"), JSON_TYPE, UNAUTHORIZED_HEADERS);

    const state = rateLimiter.take(token, route.operation);
    rateHeaders = rateLimitHeaders(state);

    let slug: string;
    try {
      slug = decodeURIComponent(segments[4] ?? "");
    } catch {
      return send(404, detail("The requested resource does not exist"));
    }
    const served = byIdOrSlug.get(slug);
    if (!served) return send(404, detail("The requested resource does not exist"));
    if (![...route.scopes].some((scope) => scopes.has(scope))) {
      return send(403, detail("You do not have permission to perform this action."));
    }
    if (state.limited) return sendRateLimited(send, state.limit);
    const origin = originOf(request.host);
    // Taken only by a request that would be answered normally, so that a 401 or 404 uses none up.
    const fault = faults.take(route.operation);
    if (fault?.type === "reset") return reply.drop();
    if (fault?.type === "latency") {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        if (reply.done) return;
        safely(reply, () => sendNormal(send, normalAnswer(route, served, segments, search), origin));
      }, fault.ms);
      delayed.add(timer);
      return;
    }
    const normal = normalAnswer(route, served, segments, search);
    if (fault) return sendFault(send, fault, normal, origin);
    sendNormal(send, normal, origin);
  }

  /** What the request gets when nothing misbehaves: a body (with a list's links) or a 400's message. */
  function normalAnswer(route: Route, served: ServedOrganization, segments: string[], search: string): Answer {
    if (route.operation === "getOrganization") {
      const query = new URLSearchParams(search);
      const variant = `${query.get("detailed") === "0" ? "basic" : "detailed"}${query.get("include_feature_flags") === "1" ? "+flags" : ""}`;
      return { body: served.bodies.get(variant) as Buffer };
    }
    // The whole answer is cached by its query, so that a repeated request costs a lookup.
    const key = JSON.stringify([served.data.organization.id, route.operation, segments[4], search]);
    return pages.get(key, () => pageOf(route, served, segments, new URLSearchParams(search)));
  }

  function pageOf(route: Route, served: ServedOrganization, segments: string[], query: URLSearchParams): Answer {
    const perPageText = query.get("per_page");
    const perPage = perPageText === null ? 100 : /^\d{1,9}$/.test(perPageText) ? Number(perPageText) : Number.NaN;
    if (Number.isNaN(perPage)) return { error: "Invalid per_page parameter." };
    if (perPage > 100) return { error: "Invalid per_page value. Cannot exceed 100." };
    if (perPage < 1) return { error: "Invalid per_page value. Cannot be less than 1." };
    const cursorText = query.get("cursor");
    const cursor = cursorText === null || cursorText === "" ? { size: perPage, page: 0 } : parseCursor(cursorText);
    if (!cursor) return { error: "Invalid cursor parameter." };
    if (cursor.page < 0) return { error: "Pagination offset cannot be negative" };

    const members = route.operation === "listOrganizationMembers";
    const expand = query.getAll("expand");
    const indexes = members ? memberIndexes(served, query.get("query")) : repositoryIndexes(served, query);
    const total = indexes?.length ?? served.data.members.count;
    const offset = cursor.page * cursor.size;
    const positions: number[] = [];
    for (let position = offset; position < Math.min(offset + perPage, total); position++) {
      positions.push(indexes ? (indexes[position] as number) : position);
    }
    let body: Buffer;
    if (members) {
      const expandExternalUsers = expand.includes("externalUsers");
      body = Buffer.from(`[${positions.map((i) => served.memberJson(i, expandExternalUsers)).join(",")}]`);
    } else {
      const withSettings = expand.includes("settings");
      const repositories = served.data.repositories;
      body = Buffer.from(
        JSON.stringify(positions.map((i) => repositoryView(repositories[i] as Repository, withSettings))),
      );
    }
    const others = [...query].filter(([name]) => name !== "cursor");
    // Page 1's previous cursor points before the start, as Sentry's does: `<per_page>:-1:1`.
    const links: PageLinks = {
      target: `${segments.join("/")}?${new URLSearchParams(others).toString()}&cursor=`,
      previous: { cursor: `${perPage}:${cursor.page - 1}:1`, results: offset > 0 },
      next: { cursor: `${perPage}:${Math.floor(offset / perPage) + 1}:0`, results: offset + perPage < total },
    };
    return members ? { body, links } : { body, links, hits: Math.min(total, 1000) };
  }

  /** The members a `query` keeps, in order; `undefined` for every member. */
  function memberIndexes(served: ServedOrganization, search: string | null): Uint32Array | undefined {
    if (!search) return undefined;
    return indexLists.get(JSON.stringify([served.data.organization.id, "members", search]), () => {
      const matches = compileMemberQuery(search);
      const { members } = served.data;
      const found: number[] = [];
      if (matches) for (let i = 0; i < members.count; i++) if (matches(members.searchFields(i))) found.push(i);
      return Uint32Array.from(found);
    });
  }

  function repositoryIndexes(served: ServedOrganization, query: URLSearchParams): Uint32Array {
    const status = query.get("status") ?? "active";
    const name = query.get("query")?.toLowerCase();
    const integration = query.get("integration_id");
    const key = JSON.stringify([served.data.organization.id, "repos", status, name, integration]);
    return indexLists.get(key, () => {
      const found: number[] = [];
      for (const [i, repository] of served.data.repositories.entries()) {
        // An empty status= or integration_id= applies no filter, as on sentry.io.
        const statusMatches =
          status === "" ||
          (status === "active"
            ? repository.status === "active"
            : status === "deleted" && repository.status !== "active");
        const keep =
          statusMatches &&
          (name === undefined || repository.name.toLowerCase().includes(name)) &&
          (!integration || repository.integrationId === integration);
        if (keep) found.push(i);
      }
      return Uint32Array.from(found);
    });
  }

  function sendFault(send: Send, fault: ServedFault, normal: Answer, origin: string) {
    switch (fault.type) {
      case "status":
        if (fault.status === 429) {
          return sendRateLimited(send, 40, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
        }
        return send(
          fault.status,
          JSON.stringify({
            detail: fault.status === 500 ? "Internal Error" : "Service Unavailable",
            errorId: "5f0e7a4c2b9d4e8f8a1c3b6d9e2f4a7c",
          }),
          JSON_TYPE,
          fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
        );
      case "html":
        return send(
          fault.status ?? 502,
          "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
          "text/html",
        );
      case "malformed-json":
        return send(200, "{'detail': this is not JSON", JSON_TYPE);
      case "truncated-json":
      case "foreign-next-link":
        // Both start from the normal answer.
        if ("error" in normal) return sendNormal(send, normal, origin);
        if (fault.type === "truncated-json")
          return send(200, normal.body.subarray(0, Math.floor(normal.body.length / 2)));
        return send(200, normal.body, JSON_TYPE, answerHeaders(normal, origin, new URL(fault.origin).origin));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  originOf = originResolver(url);

  const mock: MockServer = {
    url,
    token: defaultToken,
    injectFault: (fault, target) => faults.add(fault, target),
    resetFaults: () => faults.clear(),
    // Closing twice resolves twice, like most close methods.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of delayed) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
  cacheSizes.set(mock, () => pages.bytes + indexLists.bytes);
  return mock;
}

function checkCount(name: string, value: number | undefined, max: number) {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}

/** A class rather than an object literal: a getter in a literal made every request about a third slower. */
class NodeReply implements Reply {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  send(status: number, body: string | Buffer, contentType: string, headers: Record<string, string>) {
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    // Object.assign, not spreads: spreading these hyphenated keys cost a sixth of a cached answer's time.
    this.res.writeHead(status, Object.assign({ "content-type": contentType, "content-length": length }, headers));
    this.res.end(body);
  }

  drop() {
    this.req.socket.destroy();
  }

  get done() {
    return this.res.headersSent || this.res.destroyed;
  }
}

/** A bug here must not take the server down; answer like Sentry's own 500. */
function safely(reply: Reply, answer: () => void) {
  try {
    answer();
  } catch {
    if (reply.done) return;
    reply.send(
      500,
      JSON.stringify({ detail: "Internal Error", errorId: "0000000000000000000000000000mock" }),
      JSON_TYPE,
      {},
    );
  }
}

function sendNormal(send: Send, normal: Answer, origin: string) {
  if ("error" in normal) return send(400, detail(normal.error));
  if (normal.sent?.origin !== origin) normal.sent = { origin, headers: answerHeaders(normal, origin) };
  send(200, normal.body, JSON_TYPE, normal.sent.headers);
}

/** A page's `Link` on the request's own origin (`next` on `nextOrigin` for the foreign-next-link fault), and `X-Hits`. */
function answerHeaders(answer: Page, origin: string, nextOrigin = origin): Record<string, string> {
  const headers: Record<string, string> = {};
  if (answer.links) {
    const { target, previous, next } = answer.links;
    headers.link =
      `<${origin}${target}${previous.cursor}>; rel="previous"; results="${previous.results}"; cursor="${previous.cursor}", ` +
      `<${nextOrigin}${target}${next.cursor}>; rel="next"; results="${next.results}"; cursor="${next.cursor}"`;
  }
  if (answer.hits !== undefined) headers["x-hits"] = String(answer.hits);
  return headers;
}

/** `<size>:<page>:<0|1>`; the page may be negative (page 1's previous), which the caller refuses as Sentry does. */
function parseCursor(text: string): { size: number; page: number } | undefined {
  const parts = text.split(":");
  if (parts.length !== 3 || !/^\d{1,9}$/.test(parts[0] as string) || !/^-?\d{1,9}$/.test(parts[1] as string)) {
    return undefined;
  }
  if (!/^[01]$/.test(parts[2] as string)) return undefined;
  const size = Number(parts[0]);
  return size >= 1 && size <= 100 ? { size, page: Number(parts[1]) } : undefined;
}

function repositoryView({ settings, ...repository }: Repository, withSettings: boolean) {
  return withSettings ? { ...repository, settings: settings ?? null } : repository;
}

function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "x-sentry-rate-limit-limit": String(state.limit),
    "x-sentry-rate-limit-remaining": String(state.remaining),
    "x-sentry-rate-limit-reset": String(state.reset),
    "x-sentry-rate-limit-concurrentlimit": String(state.concurrentLimit),
    "x-sentry-rate-limit-concurrentremaining": String(state.concurrentRemaining),
  };
}

function sendRateLimited(send: Send, limit: number, headers: Record<string, string> = {}) {
  const message = `You are attempting to use this endpoint too frequently. Limit is ${limit} requests in 1 seconds`;
  send(429, JSON.stringify(message), "text/html; charset=utf-8", headers);
}
