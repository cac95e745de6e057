import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OrganizationMember, Repository } from "@sentry-org-api/types";
import { type OperationId, spec } from "../spec.js";
import { FaultQueue, type FaultTarget, type MockFault } from "./faults.js";
import { compileMemberQuery } from "./member-search.js";
import { RateLimiter, type RateLimitOption, type RateLimitState } from "./rate-limit.js";
import { createSeedData, type MockOrganizationData } from "./seed.js";

export interface MockServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** acme's members (default 250, at most 100,000) and active repositories (default 120). Ignored with `organizations`. */
  members?: number;
  repositories?: number;
  /** Serve this data instead of the seed data. */
  organizations?: MockOrganizationData[];
  /** More tokens and the scopes each holds. The default token holds every read scope. */
  tokens?: Record<string, string[]>;
  /** Answer `429` over the limit. Off by default; the rate-limit headers are sent either way. */
  rateLimit?: RateLimitOption;
}

export interface MockServer {
  /** The origin, such as `http://127.0.0.1:40123`. */
  url: string;
  /** A token with every read scope. */
  token: string;
  /** Make upcoming requests misbehave. */
  injectFault(fault: MockFault, target?: FaultTarget): void;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_TOKEN = "sentry-org-api-mock-token";
const MAX_MEMBERS = 100_000;
const DEFAULT_SCOPES = ["org:read", "member:read", "project:read", "team:read", "event:read"];

type Route = { operation: OperationId; segments: string[]; scopes: Set<string> };
/** The faults that change the answer; latency and reset act before it is built. */
type ServedFault = Exclude<MockFault, { type: "latency" | "reset" }>;
/** Bodies are sent as bytes: the pages are cached encoded, so that a request costs no UTF-8 encoding. */
/** A request's answer when nothing misbehaves: a body, with a list page's headers, or a 400's message. */
type Answer = { error: string } | { body: Buffer; headers?: Record<string, string> };
type Send = (status: number, body: string | Buffer, contentType?: string, headers?: Record<string, string>) => void;

const ROUTES: Route[] = Object.entries(spec.paths).map(([path, item]) => ({
  operation: item.get.operationId,
  segments: path.split("/"),
  scopes: new Set(
    item.get.security.flatMap((requirement: Record<string, string[]>) => Object.values(requirement).flat()),
  ),
}));

const JSON_TYPE = "application/json";
const detail = (message: string) => JSON.stringify({ detail: message });

/** Caches what is expensive to build (serialised pages), dropping everything when it grows too big. */
class BoundedCache<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly max: number) {}
  get(key: string, make: () => V): V {
    let value = this.#map.get(key);
    if (value === undefined) {
      if (this.#map.size >= this.max) this.#map.clear();
      value = make();
      this.#map.set(key, value);
    }
    return value;
  }
}

class ServedOrganization {
  readonly bodies: Map<string, Buffer>;
  readonly memberJson: string[];
  readonly memberJsonExpanded: string[];
  constructor(readonly data: MockOrganizationData) {
    const { teams, projects, features, extraOptions, ...basic } = data.organization;
    const variants = { detailed: { ...basic, teams, projects }, basic };
    this.bodies = new Map();
    for (const [name, body] of Object.entries(variants)) {
      this.bodies.set(`${name}`, Buffer.from(JSON.stringify(body)));
      this.bodies.set(`${name}+flags`, Buffer.from(JSON.stringify({ ...body, features, extraOptions })));
    }
    const { members } = data;
    this.memberJson = members.map(({ externalUsers, ...member }) => JSON.stringify(member));
    this.memberJsonExpanded = members.map((member) =>
      JSON.stringify({ ...member, externalUsers: member.externalUsers ?? [] }),
    );
  }
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  if (
    options.members !== undefined &&
    !(Number.isInteger(options.members) && options.members >= 0 && options.members <= MAX_MEMBERS)
  ) {
    throw new RangeError(`members must be an integer from 0 to ${MAX_MEMBERS}, got ${options.members}`);
  }
  if (options.repositories !== undefined && !(Number.isInteger(options.repositories) && options.repositories >= 0)) {
    throw new RangeError(`repositories must be a non-negative integer, got ${options.repositories}`);
  }
  const organizations = (
    options.organizations ?? createSeedData({ members: options.members, repositories: options.repositories })
  ).map((data) => new ServedOrganization(data));
  const byIdOrSlug = new Map<string, ServedOrganization>();
  for (const served of organizations) {
    byIdOrSlug.set(served.data.organization.id, served);
    byIdOrSlug.set(served.data.organization.slug, served);
  }
  const tokens = new Map<string, Set<string>>([[DEFAULT_MOCK_TOKEN, new Set(DEFAULT_SCOPES)]]);
  for (const [token, scopes] of Object.entries(options.tokens ?? {})) tokens.set(token, new Set(scopes));

  const faults = new FaultQueue();
  /** Answers held back by a latency fault, cleared on close. */
  const delayed = new Set<ReturnType<typeof setTimeout>>();
  const rateLimiter = new RateLimiter(options.rateLimit);
  const answers = new BoundedCache<Answer>(1_000);
  const filtered = new BoundedCache<number[]>(200);
  let origin = "";

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      internalError(res);
    }
  });
  server.keepAliveTimeout = 5_000;

  function handle(req: IncomingMessage, res: ServerResponse) {
    const rawUrl = req.url ?? "/";
    const queryStart = rawUrl.indexOf("?");
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const search = queryStart === -1 ? "" : rawUrl.slice(queryStart + 1);
    const segments = path.split("/");
    const route = ROUTES.find(
      (r) => r.segments.length === segments.length && r.segments.every((s, i) => i === 4 || s === segments[i]),
    );
    respond(req, res, route, segments, search);
  }

  function respond(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route | undefined,
    segments: string[],
    search: string,
  ) {
    let rateHeaders: Record<string, string> | undefined;
    const send: Send = (status, body, contentType = JSON_TYPE, headers) => {
      const all: Record<string, string | number> = Object.assign(
        {
          "content-type": contentType,
          "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.length,
        },
        rateHeaders,
        headers,
      );
      res.writeHead(status, all);
      res.end(body);
    };
    if (!route) return send(404, detail("The requested resource does not exist"));
    if (req.method !== "GET") {
      return send(405, detail(`Method "${req.method}" not allowed.`), JSON_TYPE, { allow: "GET" });
    }
    const authorization = req.headers.authorization;
    const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined;
    if (token === undefined) {
      return send(401, detail("Authentication credentials were not provided."), JSON_TYPE, {
        "www-authenticate": 'Bearer realm="api"',
      });
    }
    const scopes = tokens.get(token);
    if (!scopes) return send(401, detail("Invalid token"));

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
    // Taken only by a request that would be answered normally, so that a 401 or 404 uses none up.
    const fault = faults.take(route.operation);
    if (fault?.type === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.type === "latency") {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        if (res.destroyed) return;
        try {
          sendNormal(send, normalAnswer(route, served, segments, search));
        } catch {
          internalError(res);
        }
      }, fault.ms);
      delayed.add(timer);
      return;
    }
    const normal = normalAnswer(route, served, segments, search);
    if (fault) return sendFault(send, fault, normal);
    sendNormal(send, normal);
  }

  /** What the request gets when nothing misbehaves: a body (with a list's headers) or a 400's message. */
  function normalAnswer(route: Route, served: ServedOrganization, segments: string[], search: string): Answer {
    if (route.operation === "getOrganization") {
      const query = new URLSearchParams(search);
      const variant = `${query.get("detailed") === "0" ? "basic" : "detailed"}${query.get("include_feature_flags") === "1" ? "+flags" : ""}`;
      return { body: served.bodies.get(variant) as Buffer };
    }
    // The whole answer is cached by its query, so a repeated request costs a lookup.
    const key = JSON.stringify([served.data.organization.id, route.operation, search]);
    return answers.get(key, () => pageOf(route, served, segments, new URLSearchParams(search)));
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

    const members = route.operation === "listOrganizationMembers";
    const expand = query.getAll("expand");
    const indexes = members ? memberIndexes(served, query.get("query")) : repositoryIndexes(served, query);
    const offset = cursor.page * cursor.size;
    const slice = indexes.slice(offset, offset + perPage);
    let body: Buffer;
    if (members) {
      const json = expand.includes("externalUsers") ? served.memberJsonExpanded : served.memberJson;
      body = Buffer.from(`[${slice.map((i) => json[i] as string).join(",")}]`);
    } else {
      const withSettings = expand.includes("settings");
      body = Buffer.from(
        JSON.stringify(slice.map((i) => repositoryView(served.data.repositories[i] as Repository, withSettings))),
      );
    }
    const others = [...query].filter(([name]) => name !== "cursor");
    const base = `${origin}${segments.join("/")}?${new URLSearchParams(others).toString()}&cursor=`;
    const previous = `${perPage}:${Math.max(0, cursor.page - 1)}:1`;
    const next = `${perPage}:${Math.floor(offset / perPage) + 1}:0`;
    const headers: Record<string, string> = {
      link:
        `<${base}${previous}>; rel="previous"; results="${offset > 0}"; cursor="${previous}", ` +
        `<${base}${next}>; rel="next"; results="${offset + perPage < indexes.length}"; cursor="${next}"`,
    };
    if (!members) headers["x-hits"] = String(Math.min(indexes.length, 1000));
    return { body, headers };
  }

  function memberIndexes(served: ServedOrganization, search: string | null): number[] {
    return filtered.get(JSON.stringify([served.data.organization.id, "members", search]), () => {
      const all = served.data.members;
      if (!search) return all.map((_, i) => i);
      const matches = compileMemberQuery(search);
      if (!matches) return [];
      return all.flatMap((member: OrganizationMember, i) => (matches(member) ? [i] : []));
    });
  }

  function repositoryIndexes(served: ServedOrganization, query: URLSearchParams): number[] {
    const status = query.get("status") ?? "active";
    const name = query.get("query")?.toLowerCase();
    const integration = query.get("integration_id");
    return filtered.get(JSON.stringify([served.data.organization.id, "repos", status, name, integration]), () =>
      served.data.repositories.flatMap((repository, i) => {
        const statusMatches =
          status === "active" ? repository.status === "active" : status === "deleted" && repository.status !== "active";
        const keep =
          statusMatches &&
          (name === undefined || repository.name.toLowerCase().includes(name)) &&
          (integration === null || repository.integrationId === integration);
        return keep ? [i] : [];
      }),
    );
  }

  function sendFault(send: Send, fault: ServedFault, normal: Answer) {
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
      case "foreign-next-link": {
        // Both start from the normal answer.
        if ("error" in normal) return sendNormal(send, normal);
        if (fault.type === "truncated-json")
          return send(200, normal.body.subarray(0, Math.floor(normal.body.length / 2)));
        const link = normal.headers?.link?.replace(/<[^>]*>; rel="next"/, (next) =>
          next.replace(origin, new URL(fault.origin).origin),
        );
        return send(200, normal.body, JSON_TYPE, link === undefined ? normal.headers : { ...normal.headers, link });
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;

  return {
    url: origin,
    token: DEFAULT_MOCK_TOKEN,
    injectFault: (fault, target) => faults.add(fault, target),
    // Closing twice resolves twice, like most close methods.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of delayed) clearTimeout(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}

/** A bug here must not take the server down; answer like Sentry's own 500. */
function sendNormal(send: Send, normal: Answer) {
  if ("error" in normal) return send(400, detail(normal.error));
  send(200, normal.body, JSON_TYPE, normal.headers);
}

function internalError(res: ServerResponse) {
  if (res.headersSent) return;
  res.writeHead(500, { "content-type": JSON_TYPE });
  res.end(JSON.stringify({ detail: "Internal Error", errorId: "0000000000000000000000000000mock" }));
}

function parseCursor(text: string): { size: number; page: number } | undefined {
  const parts = text.split(":");
  if (parts.length !== 3 || !parts.every((part) => /^\d{1,9}$/.test(part)) || !/^[01]$/.test(parts[2] as string)) {
    return undefined;
  }
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
