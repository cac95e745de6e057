import { describe, expect, test } from "vitest";
import { formatMatrix, type Row, rowFails } from "../matrix.mjs";

const passing: Row = { runtime: "bun", version: "1.4.4", suite: "smoke", passed: 5, failed: 0, ms: 312, failures: [] };

describe("rowFails", () => {
  test.each([
    ["passing", passing, false],
    ["a failed case", { ...passing, passed: 4, failed: 1 }, true],
    ["a problem with every case passed", { ...passing, problem: "exited with code 1" }, true],
    ["no case run", { ...passing, passed: 0 }, true],
  ] as const)("%s", (_, row, fails) => {
    expect(rowFails(row)).toBe(fails);
  });
});

describe("formatMatrix", () => {
  test("aligned columns and the closing count", () => {
    expect(
      formatMatrix([passing, { ...passing, runtime: "workerd", version: "workerd 2026-11-17", ms: 1_049 }]),
    ).toBe(`runtime  version             suite  passed  failed  time   result
bun      1.4.4               smoke  5       0       0.3 s  pass
workerd  workerd 2026-11-17  smoke  5       0       1.0 s  pass

runtimes: 2 passed, 0 failed`);
  });

  test("a failing row: its problem in the table, then its failures and the end of its output", () => {
    const output = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join("\n");
    const failing: Row = {
      ...passing,
      runtime: "deno",
      passed: 0,
      failed: 0,
      problem: "cannot start: spawn /x ENOENT",
      failures: ["walks: Error: 249 members"],
      output,
    };
    const lines = formatMatrix([passing, failing]).split("\n");
    expect(lines[2]).toBe("deno     1.4.4    smoke  0       0       0.3 s  FAIL: cannot start: spawn /x ENOENT");
    expect(lines.slice(4, 7)).toEqual([
      "deno smoke: cannot start: spawn /x ENOENT",
      "  ✗ walks: Error: 249 members",
      "  | line 11",
    ]);
    expect(lines.filter((line) => line.startsWith("  | "))).toHaveLength(40);
    expect(lines.at(-1)).toBe("runtimes: 1 passed, 1 failed");
  });
});
