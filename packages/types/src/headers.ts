// How the client and the contract read Sentry's `Link`, `Retry-After` and rate-limit headers: one
// reading, so that a server the contract passes is a server the client can use.
import { RATE_LIMIT_HEADERS } from "./generated/protocol.js";

/** One relation of a `Link` header: its target and its parameters, names in lower case. */
export interface LinkRelation {
  url: string;
  params: Record<string, string>;
}

/** A pagination relation: whether the page it names has items, and the cursor to ask for it. */
export interface PageLink {
  results: boolean;
  cursor: string;
}

/** The rate-limit headers sentry.io sends (self-hosted Sentry sends none). */
export interface RateLimit {
  limit: number;
  remaining: number;
  /** UTC epoch seconds when the window resets. */
  reset: number;
  concurrentLimit?: number;
  concurrentRemaining?: number;
}

/** `Headers`, or anything else that looks a header up by its lower-case name. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** Longer `Link` headers are refused unread: a real page sends two short relations. */
export const MAX_LINK_HEADER_LENGTH = 8192;

// RFC 9110 tchar: what a parameter name or an unquoted value is made of. Tested one character at a time.
const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parses a `Link` header (RFC 8288) in one left-to-right pass without backtracking. Parameter names
 * are case-insensitive; values are tokens or quoted strings; a repeated parameter keeps its first
 * value; empty list elements are skipped. Throws a `SyntaxError` that says where, never what.
 */
export function parseLink(header: string): LinkRelation[] {
  if (header.length > MAX_LINK_HEADER_LENGTH) {
    throw new SyntaxError(`longer than ${MAX_LINK_HEADER_LENGTH} characters`);
  }
  const relations: LinkRelation[] = [];
  let i = 0;
  const at = () => header.charAt(i);
  const fail = (expected: string, where = i): never => {
    throw new SyntaxError(`${expected} at character ${where}`);
  };
  const skipSpace = () => {
    while (at() === " " || at() === "\t") i++;
  };
  const token = () => {
    const start = i;
    while (TOKEN_CHAR.test(at())) i++;
    return header.slice(start, i);
  };
  const quoted = () => {
    const start = i;
    let value = "";
    for (i++; at() !== '"'; i++) {
      if (i >= header.length) fail("unclosed quote", start);
      if (at() === "\\") i++;
      value += at();
    }
    i++;
    return value;
  };

  for (;;) {
    skipSpace();
    if (i === header.length) return relations;
    if (at() === ",") {
      i++;
      continue;
    }
    if (at() !== "<") fail('expected "<"');
    const close = header.indexOf(">", i);
    if (close === -1) fail('unclosed "<"');
    // No prototype: a parameter may be called `__proto__` or `constructor`.
    const params: Record<string, string> = Object.create(null);
    relations.push({ url: header.slice(i + 1, close), params });
    i = close + 1;
    for (skipSpace(); at() === ";"; skipSpace()) {
      i++;
      skipSpace();
      const name = token().toLowerCase();
      if (name === "") fail("expected a parameter name");
      skipSpace();
      let value = "";
      if (at() === "=") {
        i++;
        skipSpace();
        value = at() === '"' ? quoted() : token() || fail("expected a value");
      }
      if (!(name in params)) params[name] = value;
    }
    if (i < header.length && at() !== ",") fail('expected "," or ";"');
  }
}

/** The first relation whose `rel` names `rel`: the one `pageLink` reads. */
export function findRelation(relations: LinkRelation[], rel: "next" | "previous"): LinkRelation | undefined {
  // A rel value is a space-separated list of relation types, compared without case.
  return relations.find(({ params }) =>
    params.rel
      ?.toLowerCase()
      .split(/[ \t]+/)
      .includes(rel),
  );
}

/**
 * Sentry's pagination relation `rel`. Throws a `SyntaxError` when it is missing or lacks
 * `results="true"|"false"` or a cursor: Sentry sends both relations, with both, on every page.
 */
export function pageLink(relations: LinkRelation[], rel: "next" | "previous"): PageLink {
  const relation = findRelation(relations, rel);
  if (!relation) throw new SyntaxError(`has no rel="${rel}"`);
  const { results, cursor } = relation.params;
  if (results !== "true" && results !== "false") throw new SyntaxError(`rel="${rel}" has no results="true|false"`);
  if (!cursor) throw new SyntaxError(`rel="${rel}" has no cursor`);
  return { results: results === "true", cursor };
}

// RFC 9111 §1.2.2: a delta-seconds too large to represent counts as 2^31 seconds.
const MAX_DELTA_SECONDS = 2 ** 31;

/**
 * When a `Retry-After` value says to try again, in epoch ms: delta-seconds, or an HTTP date in the
 * IMF-fixdate form servers send (`Sun, 06 Nov 1994 08:49:37 GMT`); `undefined` for anything else.
 */
export function retryAfterAt(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return now + Math.min(Number(text), MAX_DELTA_SECONDS) * 1000;
  // IMF-fixdate is what `toUTCString` writes, so a date that prints back as itself is one, with a
  // real day and the right weekday; ECMAScript requires `Date.parse` to read that form everywhere.
  const at = text.length === 29 ? Date.parse(text) : Number.NaN;
  return !Number.isNaN(at) && new Date(at).toUTCString() === text ? at : undefined;
}

/** A header's value when it is a non-negative integer, digits only. */
function integer(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  return text && /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/** The `X-Sentry-Rate-Limit-*` headers; `undefined` unless `Limit`, `Remaining` and `Reset` are integers. */
export function readRateLimit(headers: HeaderSource): RateLimit | undefined {
  const rateLimit: Partial<RateLimit> = {};
  for (const field of Object.keys(RATE_LIMIT_HEADERS) as (keyof typeof RATE_LIMIT_HEADERS)[]) {
    const value = integer(headers.get(RATE_LIMIT_HEADERS[field]));
    if (value !== undefined) rateLimit[field] = value;
  }
  const { limit, remaining, reset } = rateLimit;
  return limit === undefined || remaining === undefined || reset === undefined ? undefined : (rateLimit as RateLimit);
}

/**
 * When the server takes requests again, in epoch ms: `Retry-After` when it is readable (a proxy adds
 * it; it takes precedence), else for a `429` `X-Sentry-Rate-Limit-Reset` (Sentry sends no `Retry-After`).
 */
export function serverRetryAt(status: number, headers: HeaderSource, now: number): number | undefined {
  const retryAfter = headers.get("retry-after");
  const at = retryAfter == null ? undefined : retryAfterAt(retryAfter, now);
  if (at !== undefined || status !== 429) return at;
  const reset = integer(headers.get(RATE_LIMIT_HEADERS.reset));
  return reset === undefined ? undefined : reset * 1000;
}
