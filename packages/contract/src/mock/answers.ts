import type { Repository } from "@sentry-org-api/types";
import {
  OPERATION_IDS,
  type OperationId,
  type PaginatedOperationId,
  RESPONSE_HEADERS,
  X_HITS,
} from "@sentry-org-api/types/protocol";
import { ByteBoundedCache } from "./cache.js";
import { ListFilters } from "./filters.js";
import { errorAnswer, JSON_TYPE, type Outgoing } from "./outgoing.js";
import { linkHeader, type PageLinks, pageLinks, readCursor, readPerPage } from "./pagination.js";
import type { OrganizationSource } from "./seed.js";

/**
 * A request's answer when nothing misbehaves: a body (sent as bytes, cached encoded, so that a
 * repeated request costs no encoding) with a list page's links and hits, or a 400's message.
 */
export type NormalAnswer = { error: string } | Page;
export interface Page {
  body: Uint8Array<ArrayBuffer>;
  links?: PageLinks;
  hits?: number;
  /** The headers last sent with this page and the origin they name: most requests repeat both. */
  sent?: { origin: string; headers: Record<string, string> };
}

/** TextEncoder rather than Buffer: the mock also runs where there is no Node, such as a browser. */
const utf8 = new TextEncoder();

/** The operations whose `200` documents `X-Hits`. */
const SENDS_HITS = new Set<OperationId>(
  OPERATION_IDS.filter((operation) => X_HITS.header in RESPONSE_HEADERS[operation]["200"]),
);

/** One organization as served: its organization bodies encoded once, its members built when asked for. */
export class ServedOrganization {
  readonly bodies: Map<string, Uint8Array<ArrayBuffer>>;
  constructor(readonly data: OrganizationSource) {
    const { teams, projects, features, extraOptions, ...basic } = data.organization;
    const variants = { detailed: { ...basic, teams, projects }, basic };
    this.bodies = new Map();
    for (const [name, body] of Object.entries(variants)) {
      this.bodies.set(`${name}`, utf8.encode(JSON.stringify(body)));
      this.bodies.set(`${name}+flags`, utf8.encode(JSON.stringify({ ...body, features, extraOptions })));
    }
  }

  memberJson(index: number, expandExternalUsers: boolean): string {
    const { externalUsers, ...member } = this.data.members.member(index);
    return JSON.stringify(expandExternalUsers ? { ...member, externalUsers: externalUsers ?? [] } : member);
  }
}

/** How one paginated operation picks its items and writes a page of them. */
interface List {
  /** The positions the query keeps, in order, or how many items there are when it keeps them all. */
  select(filters: ListFilters, source: OrganizationSource, query: URLSearchParams): Uint32Array | number;
  body(served: ServedOrganization, indexes: number[], query: URLSearchParams): Uint8Array<ArrayBuffer>;
}

// Keyed by the spec's paginated operations: a new one fails to compile until the mock can list it.
const LISTS: Record<PaginatedOperationId, List> = {
  listOrganizationMembers: {
    select: (filters, source, query) => filters.members(source, query.get("query")) ?? source.members.count,
    body(served, indexes, query) {
      const expandExternalUsers = query.getAll("expand").includes("externalUsers");
      return utf8.encode(`[${indexes.map((i) => served.memberJson(i, expandExternalUsers)).join(",")}]`);
    },
  },
  listOrganizationRepositories: {
    select: (filters, source, query) => filters.repositories(source, query),
    body(served, indexes, query) {
      const withSettings = query.getAll("expand").includes("settings");
      const { repositories } = served.data;
      return utf8.encode(
        JSON.stringify(indexes.map((i) => repositoryView(repositories[i] as Repository, withSettings))),
      );
    },
  },
};

/**
 * Builds normal answers and keeps them, whole, by their query, within a byte budget: a repeated request
 * costs a lookup, and no stream of unique requests grows the mock.
 */
export class NormalAnswers {
  readonly #pages: ByteBoundedCache<NormalAnswer>;
  readonly #filters: ListFilters;

  constructor(pageBytes: number, filterBytes: number) {
    // A page's Link target is kept once in `links` and twice in the Link header remembered in `sent`.
    this.#pages = new ByteBoundedCache<NormalAnswer>(pageBytes, (answer) =>
      "error" in answer ? answer.error.length * 2 : answer.body.length + (answer.links?.target.length ?? 0) * 6 + 512,
    );
    this.#filters = new ListFilters(filterBytes);
  }

  /** The bytes the caches hold. */
  get bytes(): number {
    return this.#pages.bytes + this.#filters.bytes;
  }

  /** The answer to `path?search` for `operation` on `served`. */
  get(operation: OperationId, served: ServedOrganization, path: string, search: string): NormalAnswer {
    if (operation === "getOrganization") {
      const query = new URLSearchParams(search);
      const variant = `${query.get("detailed") === "0" ? "basic" : "detailed"}${query.get("include_feature_flags") === "1" ? "+flags" : ""}`;
      return { body: served.bodies.get(variant) as Uint8Array<ArrayBuffer> };
    }
    const key = JSON.stringify([served.data.organization.id, operation, path, search]);
    return this.#pages.get(key, () => this.#page(operation, served, path, new URLSearchParams(search)));
  }

  #page(operation: PaginatedOperationId, served: ServedOrganization, path: string, query: URLSearchParams) {
    const perPage = readPerPage(query);
    if (typeof perPage !== "number") return perPage;
    const cursor = readCursor(query, perPage);
    if ("error" in cursor) return cursor;
    const list = LISTS[operation];
    const selected = list.select(this.#filters, served.data, query);
    const total = typeof selected === "number" ? selected : selected.length;
    const offset = cursor.page * cursor.size;
    const indexes: number[] = [];
    for (let position = offset; position < Math.min(offset + perPage, total); position++) {
      indexes.push(typeof selected === "number" ? position : (selected[position] as number));
    }
    const page: Page = {
      body: list.body(served, indexes, query),
      links: pageLinks(path, query, cursor, perPage, total),
    };
    if (SENDS_HITS.has(operation)) page.hits = Math.min(total, X_HITS.maximum);
    return page;
  }
}

/** A normal answer as sent to `origin`: a page with its headers, or a 400. */
export function sendable(answer: NormalAnswer, origin: string): Outgoing {
  if ("error" in answer) return errorAnswer(400, answer.error);
  if (answer.sent?.origin !== origin) answer.sent = { origin, headers: pageHeaders(answer, origin) };
  return { status: 200, body: answer.body, contentType: JSON_TYPE, headers: answer.sent.headers };
}

/** A page's `Link` on the request's own origin (`next` on `nextOrigin` for the foreign-next-link fault), and `X-Hits`. */
export function pageHeaders(page: Page, origin: string, nextOrigin = origin): Record<string, string> {
  const headers: Record<string, string> = {};
  if (page.links) headers.link = linkHeader(page.links, origin, nextOrigin);
  if (page.hits !== undefined) headers[X_HITS.header] = String(page.hits);
  return headers;
}

function repositoryView({ settings, ...repository }: Repository, withSettings: boolean) {
  return withSettings ? { ...repository, settings: settings ?? null } : repository;
}
