import { type RateLimit, SentryApiError } from "./errors.js";

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; `null` on the last page. */
  nextCursor: string | null;
  /** The cursor of the previous page; `null` on the first page. */
  prevCursor: string | null;
  /** The total count (capped at 1000), when the server sends `X-Hits`. */
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

/**
 * The `cursor` of a `Link` relation; `null` when its `results` is not `"true"`; `undefined` when
 * the relation or its cursor is missing, which Sentry never sends.
 */
export function linkCursor(link: string | null, rel: "next" | "previous"): string | null | undefined {
  for (const part of link?.split(",") ?? []) {
    if (part.includes(`rel="${rel}"`)) {
      return part.includes('results="true"') ? /cursor="([^"]+)"/.exec(part)?.[1] : null;
    }
  }
  return undefined;
}

export function createPaginator<T>(
  operation: string,
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  firstCursor: string | undefined,
  /** Removes the token from the URL the error carries: a hostile cursor could hold anything. */
  scrub: (text: string) => string,
): Paginator<T> {
  async function* pages() {
    let cursor = firstCursor;
    const seen = new Set(cursor === undefined ? [] : [cursor]);
    for (;;) {
      const page = await fetchPage(cursor);
      yield page;
      if (page.nextCursor === null) return;
      if (seen.has(page.nextCursor)) {
        const { url } = page.response;
        throw new SentryApiError("invalid_response", `${operation}: the next cursor repeats; stopping`, {
          status: page.response.status,
          request: { method: "GET", url: scrub(url) },
        });
      }
      seen.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }
  return {
    pages,
    // A plain iterator rather than `yield*` over the pages: an async generator costs per item.
    [Symbol.asyncIterator]() {
      const source = pages();
      let items: T[] = [];
      let index = 0;
      return {
        next(): Promise<IteratorResult<T>> {
          if (index < items.length) return Promise.resolve({ done: false, value: items[index++] as T });
          return source.next().then((page) => {
            if (page.done) return page;
            ({ items } = page.value);
            index = 0;
            return this.next();
          });
        },
        async return(): Promise<IteratorResult<T>> {
          await source.return(undefined);
          return { done: true, value: undefined };
        },
      };
    },
    async toArray({ maxItems = 10_000 } = {}) {
      if (!Number.isInteger(maxItems) || maxItems < 1)
        throw new TypeError(`maxItems must be a positive integer, got ${maxItems}`);
      const items: T[] = [];
      for await (const page of pages()) {
        if (
          items.length + page.items.length > maxItems ||
          (items.length + page.items.length === maxItems && page.nextCursor)
        ) {
          throw new RangeError(`${operation}: more than ${maxItems} items; raise maxItems or iterate with for await`);
        }
        items.push(...page.items);
      }
      return items;
    },
  };
}
