import { type OperationId, type PageLink, PER_PAGE, RESPONSE_HEADERS, X_HITS } from "@sentry-org-api/types/protocol";
import { nextPage, pageRelation } from "../pages.js";
import type { Exchange } from "../requester.js";
import type { Judgement } from "../verdicts.js";

/** A list answer read as a page: its items' ids and its relations (`undefined` when `Link` does not say). */
export interface Page {
  exchange: Exchange;
  ids: (string | undefined)[];
  items: unknown[];
  next?: PageLink;
  previous?: PageLink;
  /** The cursors as the server wrote them, to send back: `next` and `previous` show them scrubbed of the token. */
  cursors: { next?: string; previous?: string };
}

/** The page a `200` with a JSON array is; `undefined` for any other answer (the response checks say why). */
export function readPage(exchange: Exchange): Page | undefined {
  const { answer, json } = exchange;
  if (answer?.status !== 200 || !Array.isArray(json)) return undefined;
  const link = answer.headers.get("link");
  return {
    exchange,
    items: json,
    ids: json.map((item) =>
      typeof item === "object" && item !== null && typeof item.id === "string" ? (item.id as string) : undefined,
    ),
    next: nextPage(link),
    previous: pageRelation(link, "previous"),
    cursors: {
      next: nextPage(exchange.linkAsSent ?? null)?.cursor,
      previous: pageRelation(exchange.linkAsSent ?? null, "previous")?.cursor,
    },
  };
}

/** The `per_page` a request asked for, or the spec's default; `undefined` for a value the spec rules out. */
export function askedPageSize(path: string): number | undefined {
  const text = new URL(path, "http://placeholder.invalid").searchParams.get("per_page");
  if (text === null) return PER_PAGE.default;
  const size = Number(text);
  return /^\d+$/.test(text) && size >= PER_PAGE.minimum && size <= PER_PAGE.maximum ? size : undefined;
}

const EXPECTED_SIZE = "at most per_page items, exactly per_page when another page follows";

/** pagination_page_size on one page. */
export function judgePageSize(page: Page): Judgement[] {
  const size = askedPageSize(page.exchange.request.path);
  if (size === undefined) return [];
  const count = page.items.length;
  if (count > size)
    return [{ expected: EXPECTED_SIZE, place: "body", message: `holds ${count} items, more than per_page ${size}` }];
  if (page.next?.results && count !== size)
    return [
      {
        expected: EXPECTED_SIZE,
        place: "body",
        message: `holds ${count} items, not per_page ${size}, but its next says results="true"`,
      },
    ];
  return [];
}

/** The cap the spec puts on `X-Hits` for `operation`'s pages; `undefined` when its `200` documents no `X-Hits`. */
export const hitsHeaderCap = (operation: OperationId): number | undefined =>
  X_HITS.header in RESPONSE_HEADERS[operation]["200"] ? X_HITS.maximum : undefined;

/** Ids in the order a page lists them, for comparing two answers that should be the same page. */
export const sameIds = (a: Page, b: Page) => a.ids.length === b.ids.length && a.ids.every((id, i) => id === b.ids[i]);

/** A short list of ids for a message. */
export const idList = (page: Page) => {
  const shown = page.ids.slice(0, 5).map((id) => JSON.stringify(id ?? null));
  return `[${shown.join(", ")}${page.ids.length > 5 ? `, … (${page.ids.length})` : ""}]`;
};
