import type { Page } from "@sentry-org-api/client";
import type { Formatter } from "./formats.js";
import type { Output } from "./output.js";
import type { Progress } from "./progress.js";

/**
 * The most pages one audit walks: 10 million items at 100 a page, far beyond any organization, but
 * a server that keeps sending new cursors cannot keep the command running for ever.
 */
export const MAX_PAGES = 100_000;

export class PageLimitError extends Error {}

export interface Walk<T> {
  pages: AsyncIterable<Page<T>>;
  /** The filter Sentry has no search key for; every record when absent. */
  keep?: ((record: unknown) => boolean) | undefined;
  formatter: Formatter;
  output: Output;
  progress: Progress;
  maxPages?: number;
}

/**
 * Writes each page's rows as the page arrives. Stops early and quietly when the reader goes away,
 * and with a `PageLimitError` after `maxPages` pages when there are still more. Nothing is written
 * before the first page arrives; a walk that fails after it still ends its output (the JSON array
 * closed), so that what was written can be read.
 */
export async function walk<T>({ pages, keep, formatter, output, progress, maxPages = MAX_PAGES }: Walk<T>) {
  let count = 0;
  let fetched = 0;
  let written = 0;
  try {
    for await (const page of pages) {
      const rows = keep ? page.items.filter(keep) : page.items;
      count++;
      fetched += page.items.length;
      written += rows.length;
      await output.write((count === 1 ? formatter.start() : "") + formatter.rows(rows));
      progress.page(count, fetched, written);
      if (output.closed) return;
      if (page.nextCursor !== null && count >= maxPages)
        throw new PageLimitError(`stopped after ${maxPages} pages (${fetched} items): the server kept sending more`);
    }
  } catch (error) {
    if (count > 0 && !output.closed) await output.write(formatter.end());
    throw error;
  }
  await output.write((count === 0 ? formatter.start() : "") + formatter.end());
}
