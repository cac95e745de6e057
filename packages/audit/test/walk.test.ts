import { Writable } from "node:stream";
import type { Page } from "@sentry-org-api/client";
import { describe, expect, test } from "vitest";
import { chooseFields, MEMBER_COLUMNS } from "../src/fields.js";
import { FORMATTERS } from "../src/formats.js";
import { Output } from "../src/output.js";
import type { Progress } from "../src/progress.js";
import { PageLimitError, walk } from "../src/walk.js";

const page = (items: unknown[], nextCursor: string | null) => ({ items, nextCursor }) as Page<unknown>;

/** Pages of two members each, for ever unless `last` is given; counts the pages asked for. */
function pages(last = Number.POSITIVE_INFINITY) {
  const asked = { count: 0 };
  async function* generate() {
    for (let i = 0; ; i++) {
      asked.count++;
      yield page(
        [
          { id: `${2 * i}`, expired: i % 2 === 0 },
          { id: `${2 * i + 1}`, expired: false },
        ],
        i + 1 < last ? `c${i + 1}` : null,
      );
      if (i + 1 >= last) return;
    }
  }
  return { asked, pages: generate() };
}

function sink(fail?: string) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback(fail ? Object.assign(new Error(`write ${fail}`), { code: fail }) : null);
    },
  });
  return { chunks, output: new Output(stream) };
}

function recorder() {
  const seen: number[][] = [];
  const progress: Progress = { page: (...counts) => seen.push(counts), wait() {}, done() {} };
  return { seen, progress };
}

const formatter = () => FORMATTERS.ndjson(chooseFields("id", MEMBER_COLUMNS));

describe("walk", () => {
  test("writes each page's kept rows as it comes and counts pages, items fetched and written", async () => {
    const { chunks, output } = sink();
    const { seen, progress } = recorder();
    const keep = (member: unknown) => (member as { expired: boolean }).expired;
    await walk({ ...pages(3), keep, formatter: formatter(), output, progress });
    expect(chunks).toEqual(['{"id":"0"}\n', '{"id":"4"}\n']);
    expect(seen).toEqual([
      [1, 2, 1],
      [2, 4, 1],
      [3, 6, 2],
    ]);
  });

  test("a server that never stops sending pages is stopped at maxPages with a clear error", async () => {
    const { chunks, output } = sink();
    const endless = pages();
    await expect(
      walk({ pages: endless.pages, formatter: formatter(), output, progress: recorder().progress, maxPages: 3 }),
    ).rejects.toThrow(new PageLimitError("stopped after 3 pages (6 items): the server kept sending more"));
    expect(endless.asked.count).toBe(3);
    expect(chunks).toHaveLength(3);
  });

  test("exactly maxPages pages is not too many", async () => {
    const { chunks, output } = sink();
    await walk({ ...pages(3), formatter: formatter(), output, progress: recorder().progress, maxPages: 3 });
    expect(chunks).toHaveLength(3);
  });

  test("a reader that went away stops the walk: no more pages are asked for", async () => {
    const { output } = sink("EPIPE");
    const endless = pages();
    const json = FORMATTERS.json(chooseFields("id", MEMBER_COLUMNS));
    await walk({ pages: endless.pages, formatter: json, output, progress: recorder().progress });
    expect(output.closed).toBe(true);
    expect(endless.asked.count).toBe(1);
  });
});
