import { describe, expect, test } from "vitest";
import { createProgress } from "../src/progress.js";

function terminal(isTTY = true) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe("the progress line", () => {
  test("rewrites one line: pages, items fetched and written, and the rate-limit waits with their length", () => {
    const stream = terminal();
    const progress = createProgress(stream, {}, "members");
    progress.page(1, 100, 3);
    progress.wait({ operation: "listMembers", attempt: 1, delayMs: 800, reason: "paced" });
    progress.page(2, 200, 5);
    progress.wait({ operation: "listMembers", attempt: 2, delayMs: 1300, reason: 429 });
    progress.wait({ operation: "listMembers", attempt: 3, delayMs: 400, reason: 503 });
    progress.done();
    expect(stream.written).toEqual([
      "\r\x1b[Kmembers: page 1, 100 fetched, 3 written",
      "\r\x1b[Kmembers: page 1, 100 fetched, 3 written; rate-limit waits: 1, 0.8 s in all (waiting 0.8 s for the rate limit)",
      "\r\x1b[Kmembers: page 2, 200 fetched, 5 written; rate-limit waits: 1, 0.8 s in all",
      "\r\x1b[Kmembers: page 2, 200 fetched, 5 written; rate-limit waits: 2, 2.1 s in all (waiting 1.3 s for the rate limit)",
      "\r\x1b[Kmembers: page 2, 200 fetched, 5 written; rate-limit waits: 2, 2.1 s in all (waiting 0.4 s to retry after 503)",
      "\n",
    ]);
  });

  test("ends no line it never started", () => {
    const stream = terminal();
    createProgress(stream, {}, "members").done();
    expect(stream.written).toEqual([]);
  });

  test.each([
    ["not a terminal", terminal(false), {}],
    ["in CI", terminal(), { CI: "true" }],
  ])("is silent %s", (_, stream, env) => {
    const progress = createProgress(stream, env, "repositories");
    progress.page(1, 100, 100);
    progress.wait({ operation: "listRepositories", attempt: 1, delayMs: 500, reason: "paced" });
    progress.done();
    expect(stream.written).toEqual([]);
  });
});
