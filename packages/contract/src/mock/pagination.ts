import { PER_PAGE } from "@sentry-org-api/types/protocol";

/** Where a page starts, from Sentry's cursor `<size>:<page>:<0|1>`. */
export interface Cursor {
  size: number;
  page: number;
}

/** A list page's `Link`, kept without its origin, which is each request's own. */
export interface PageLinks {
  target: string;
  previous: Relation;
  next: Relation;
}
interface Relation {
  cursor: string;
  results: boolean;
}

/** The page size a query asks for, within the spec's bounds, or the 400 message Sentry gives. */
export function readPerPage(query: URLSearchParams): number | { error: string } {
  const text = query.get("per_page");
  if (text === null) return PER_PAGE.default;
  if (!/^\d{1,9}$/.test(text)) return { error: "Invalid per_page parameter." };
  const perPage = Number(text);
  if (perPage > PER_PAGE.maximum) return { error: `Invalid per_page value. Cannot exceed ${PER_PAGE.maximum}.` };
  if (perPage < PER_PAGE.minimum) {
    return { error: `Invalid per_page value. Cannot be less than ${PER_PAGE.minimum}.` };
  }
  return perPage;
}

/** The page a query's cursor names (a missing or empty one is the first), or the 400 message Sentry gives. */
export function readCursor(query: URLSearchParams, perPage: number): Cursor | { error: string } {
  const text = query.get("cursor");
  if (text === null || text === "") return { size: perPage, page: 0 };
  const cursor = parseCursor(text);
  if (!cursor) return { error: "Invalid cursor parameter." };
  if (cursor.page < 0) return { error: "Pagination offset cannot be negative" };
  return cursor;
}

/** `<size>:<page>:<0|1>`; the page may be negative (page 1's previous), which the caller refuses as Sentry does. */
function parseCursor(text: string): Cursor | undefined {
  const parts = text.split(":");
  if (parts.length !== 3 || !/^\d{1,9}$/.test(parts[0] as string) || !/^-?\d{1,9}$/.test(parts[1] as string)) {
    return undefined;
  }
  if (!/^[01]$/.test(parts[2] as string)) return undefined;
  const size = Number(parts[0]);
  return size >= PER_PAGE.minimum && size <= PER_PAGE.maximum ? { size, page: Number(parts[1]) } : undefined;
}

/** The links of the page at `cursor` on `path`, keeping the query's other parameters, as Sentry does. */
export function pageLinks(path: string, query: URLSearchParams, cursor: Cursor, perPage: number, total: number) {
  const offset = cursor.page * cursor.size;
  const others = [...query].filter(([name]) => name !== "cursor");
  // Page 1's previous cursor points before the start, as Sentry's does: `<per_page>:-1:1`.
  return {
    target: `${path}?${new URLSearchParams(others).toString()}&cursor=`,
    previous: { cursor: `${perPage}:${cursor.page - 1}:1`, results: offset > 0 },
    next: { cursor: `${perPage}:${Math.floor(offset / perPage) + 1}:0`, results: offset + perPage < total },
  } satisfies PageLinks;
}

/** The `Link` header on the request's `origin` (`next` on `nextOrigin` for the foreign-next-link fault). */
export function linkHeader({ target, previous, next }: PageLinks, origin: string, nextOrigin = origin): string {
  return (
    `<${origin}${target}${previous.cursor}>; rel="previous"; results="${previous.results}"; cursor="${previous.cursor}", ` +
    `<${nextOrigin}${target}${next.cursor}>; rel="next"; results="${next.results}"; cursor="${next.cursor}"`
  );
}
