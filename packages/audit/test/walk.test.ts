import { Writable } from "node:stream";
import type { Page } from "@sentry-org-api/client";
import { describe, expect, test } from "vitest";
import { chooseFields, MEMBER_COLUMNS } from "../src/fields.js";
import { FORMATTERS, type Format } from "../src/formats.js";
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

const unchanged = (text: string) => text;
const formatter = (format: Format = "ndjson") => FORMATTERS[format](chooseFields("id", MEMBER_COLUMNS), unchanged);

/** The first `pages` pages of two members each, then the server's error. */
async function* failingAfter(pages: number) {
  for (let i = 0; i < pages; i++) yield page([{ id: `${2 * i}` }, { id: `${2 * i + 1}` }], `c${i + 1}`);
  throw new Error("listMembers failed with 500: boom");
}

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
    await walk({ pages: endless.pages, formatter: formatter("json"), output, progress: recorder().progress });
    expect(output.closed).toBe(true);
    expect(endless.asked.count).toBe(1);
  });

  test.each(["table", "csv", "json", "ndjson"] as const)(
    "%s: nothing is written when the first request fails, not even a header",
    async (format) => {
      const { chunks, output } = sink();
      await expect(
        walk({ pages: failingAfter(0), formatter: formatter(format), output, progress: recorder().progress }),
      ).rejects.toThrow("listMembers failed with 500: boom");
      expect(chunks).toEqual([]);
    },
  );

  test("a walk that fails partway still closes the JSON array and ends the line", async () => {
    const { chunks, output } = sink();
    await expect(
      walk({ pages: failingAfter(1), formatter: formatter("json"), output, progress: recorder().progress }),
    ).rejects.toThrow("listMembers failed with 500: boom");
    expect(chunks.join("")).toBe('[\n{"id":"0"},\n{"id":"1"}\n]\n');
  });

  test("the csv header comes with the first page", async () => {
    const { chunks, output } = sink();
    await walk({ ...pages(2), formatter: formatter("csv"), output, progress: recorder().progress });
    expect(chunks).toEqual(["id\r\n0\r\n1\r\n", "2\r\n3\r\n"]);
  });
});
