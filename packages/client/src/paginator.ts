import { type LinkRelation, pageLink, parseLink, readRateLimit, X_HITS } from "@sentry-org-api/types/protocol";
import type { RateLimit, SentryApiError } from "./errors.js";

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; `null` on the last page. */
  nextCursor: string | null;
  /** The cursor of the previous page; `null` on the first page. */
  prevCursor: string | null;
  /** The total count (capped at `X_HITS.maximum`), when the server sends `X-Hits` with a count in it. */
  hits: number | undefined;
  rateLimit: RateLimit | undefined;
  response: Response;
}

export interface Paginator<T> extends AsyncIterable<T> {
  /** Page by page, fetched lazily: only the current page is held. */
  pages(): AsyncIterableIterator<Page<T>>;
  /**
   * Every item, in order. Throws a `RangeError` rather than truncate when there are more than
   * `maxItems` (default 10,000): raise it, or iterate.
   */
  toArray(options?: { maxItems?: number }): Promise<T[]>;
}

/** The cursor of the page `rel` names; `null` when that page has no items. Throws as `pageLink` does. */
function pageCursor(relations: LinkRelation[], rel: "next" | "previous"): string | null {
  const { results, cursor } = pageLink(relations, rel);
  return results ? cursor : null;
}

/** The relations of a page's `Link`, or the `invalid_response` error that says what is wrong with it. */
function linkRelations(link: string | null, invalid: (problem: string) => SentryApiError): LinkRelation[] {
  // Sentry sends Link on every page; without it a walk would end early without a word.
  if (link === null) throw invalid("the answer has no Link header");
  try {
    return parseLink(link);
  } catch (error) {
    throw invalid(`the Link header is malformed: ${(error as SyntaxError).message}`);
  }
}

/**
 * The previous page's cursor, `null` also when `rel="previous"` is unusable: a walk needs only
 * `next`, and the validator reports a broken `previous` to whoever runs the server.
 */
function previousCursor(relations: LinkRelation[]): string | null {
  try {
    return pageCursor(relations, "previous");
  } catch {
    return null;
  }
}

/** Sentry's cursors are a few dozen characters; a walk remembers recent ones to stop a loop. */
const MAX_CURSOR_LENGTH = 1024;
/**
 * How many of the latest cursors a walk remembers to notice a loop: memory stays bounded on an
 * endless walk, and a loop through more pages than this would still be stopped by `maxItems`.
 */
const REMEMBERED_CURSORS = 1000;

/** A list's answer, checked to be an array; `invalid` makes an `invalid_response` error about it. */
export interface ListAnswer<T> {
  data: T[];
  response: Response;
  invalid: (problem: string) => SentryApiError;
}

/**
 * Walks a list by its `Link` headers. A page without a usable `rel="next"`, or whose next cursor is
 * too long or was seen lately, ends the walk with `invalid_response`.
 */
export function createPaginator<T>(
  operation: string,
  fetchList: (cursor: string | undefined) => Promise<ListAnswer<T>>,
  firstCursor: string | undefined,
): Paginator<T> {
  async function* pages() {
    let cursor = firstCursor;
    const seen = new Set(cursor === undefined ? [] : [cursor]);
    for (;;) {
      const { data: items, response, invalid } = await fetchList(cursor);
      const relations = linkRelations(response.headers.get("link"), invalid);
      const hits = response.headers.get(X_HITS.header);
      let nextCursor: string | null;
      try {
        nextCursor = pageCursor(relations, "next");
      } catch (error) {
        throw invalid(`the Link header ${(error as SyntaxError).message}`);
      }
      if (nextCursor !== null && nextCursor.length > MAX_CURSOR_LENGTH) {
        throw invalid(`the next cursor is longer than ${MAX_CURSOR_LENGTH} characters`);
      }
      yield {
        items,
        nextCursor,
        prevCursor: previousCursor(relations),
        hits: hits !== null && /^\d+$/.test(hits) ? Number(hits) : undefined,
        rateLimit: readRateLimit(response.headers),
        response,
      };
      if (nextCursor === null) return;
      if (seen.has(nextCursor)) throw invalid("the next cursor repeats; stopping");
      seen.add(nextCursor);
      if (seen.size > REMEMBERED_CURSORS) seen.delete(seen.values().next().value as string);
      cursor = nextCursor;
    }
  }
  return {
    pages,
    // An async generator queues overlapping next() calls itself, in order, none lost or repeated.
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
    async toArray({ maxItems = 10_000 } = {}) {
      if (!Number.isInteger(maxItems) || maxItems < 1)
        throw new TypeError(`maxItems must be a positive integer, got ${maxItems}`);
      const items: T[] = [];
      for await (const page of pages()) {
        items.push(...page.items);
        // Exactly `maxItems` with more to come would be a truncated answer too.
        if (items.length > maxItems || (items.length === maxItems && page.nextCursor)) {
          throw new RangeError(`${operation}: more than ${maxItems} items; raise maxItems or iterate with for await`);
        }
      }
      return items;
    },
  };
}
