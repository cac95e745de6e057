import type { RetryInfo } from "@sentry-org-api/client";

/** What the audit reports as it walks; a no-op unless someone is watching a terminal. */
export interface Progress {
  page(pages: number, fetched: number, written: number): void;
  /** Before a wait of the client's: for the rate limit (`paced`, 429) or before a retry. */
  wait(info: RetryInfo): void;
  /** Ends the line, so that what follows starts on its own. */
  done(): void;
}

const NO_PROGRESS: Progress = { page() {}, wait() {}, done() {} };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One line on `stream`, rewritten in place: pages, items fetched and written, and the rate-limit
 * waits so far. Only on a terminal, and not in CI (whose logs are not terminals, though some say
 * they are): a pipe or a file gets nothing.
 */
export function createProgress(
  stream: { isTTY?: boolean; write(text: string): unknown },
  env: NodeJS.ProcessEnv,
  noun: string,
): Progress {
  if (stream.isTTY !== true || env.CI) return NO_PROGRESS;
  let counts = `${noun}: page 0, 0 fetched, 0 written`;
  let rateLimitWaits = 0;
  let rateLimitMs = 0;
  let shown = false;
  const show = (now = "") => {
    const waits = rateLimitWaits ? `; rate-limit waits: ${rateLimitWaits}, ${seconds(rateLimitMs)} in all` : "";
    // \r and "erase to end of line": the new line may be shorter than the old one.
    stream.write(`\r\x1b[K${counts}${waits}${now}`);
    shown = true;
  };
  return {
    page(pages, fetched, written) {
      counts = `${noun}: page ${pages}, ${fetched} fetched, ${written} written`;
      show();
    },
    wait({ reason, delayMs }) {
      const rateLimit = reason === "paced" || reason === 429;
      if (rateLimit) {
        rateLimitWaits++;
        rateLimitMs += delayMs;
      }
      show(` (waiting ${seconds(delayMs)} ${rateLimit ? "for the rate limit" : `to retry after ${reason}`})`);
    },
    done() {
      if (shown) stream.write("\n");
    },
  };
}
