import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ChildResult } from "../bounded-child.mjs";
import { childProblem, smokeOutcome, vitestOutcome } from "../results.mjs";

const ended: ChildResult = { exitCode: 0, signal: null, timedOut: false, stdout: "", stderr: "", cut: false };

describe("childProblem", () => {
  test("none for a child that exited 0, even with its output cut", () => {
    expect(childProblem({ ...ended, cut: true }, 1_000)).toBeUndefined();
  });

  test.each([
    [{ error: "spawn /x ENOENT", exitCode: null }, "cannot start: spawn /x ENOENT"],
    [{ timedOut: true, signal: "SIGKILL", exitCode: null }, "killed after 60 s"],
    [{ signal: "SIGSEGV", exitCode: null }, "killed by SIGSEGV"],
    [{ exitCode: 1 }, "exited with code 1"],
  ] as const)("%o: %s", (outcome, problem) => {
    expect(childProblem({ ...ended, ...outcome }, 60_000)).toBe(problem);
  });
});

describe("smokeOutcome", () => {
  test("counts the cases, and names each failed one with why", () => {
    const report = {
      cases: [
        { name: "a", ok: true },
        { name: "b", ok: false, detail: "Error: 249 members" },
      ],
    };
    expect(smokeOutcome(JSON.stringify(report))).toEqual({
      passed: 1,
      failed: 1,
      failures: ["b: Error: 249 members"],
    });
  });

  test("output that is not JSON is a problem quoting its start", () => {
    expect(smokeOutcome("Segmentation fault\n").problem).toBe('no JSON report: "Segmentation fault\\n"');
  });

  test("a report without cases is a problem, not a pass", () => {
    expect(smokeOutcome('{"cases":[]}')).toEqual({
      passed: 0,
      failed: 0,
      failures: [],
      problem: "the report has no cases",
    });
  });
});

describe("vitestOutcome", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "runtimes-results-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const written = async (name: string, report: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(report));
    return path;
  };

  test("the counts and the names of the failed tests", async () => {
    const path = await written("failed.json", {
      numTotalTests: 3,
      numPassedTests: 2,
      numFailedTests: 1,
      testResults: [
        { name: "a.test.ts", status: "failed", assertionResults: [{ status: "passed", fullName: "x" }] },
        { name: "b.test.ts", status: "failed", assertionResults: [{ status: "failed", fullName: "y walks" }] },
      ],
    });
    expect(await vitestOutcome(path)).toEqual({ passed: 2, failed: 1, failures: ["y walks"] });
  });

  test("a test file that failed to load is a problem, with its message", async () => {
    const path = await written("load.json", {
      numTotalTests: 1,
      numPassedTests: 1,
      numFailedTests: 0,
      testResults: [
        { name: "a.test.ts", status: "passed", assertionResults: [{ status: "passed", fullName: "x" }] },
        { name: "b.test.ts", status: "failed", message: "Cannot find module", assertionResults: [] },
      ],
    });
    expect(await vitestOutcome(path)).toEqual({
      passed: 1,
      failed: 0,
      failures: ["b.test.ts: Cannot find module"],
      problem: "a test file failed to load",
    });
  });

  test("skipped tests are a problem: the file ran less than it holds", async () => {
    const path = await written("skipped.json", { numTotalTests: 3, numPassedTests: 2, numFailedTests: 0 });
    expect((await vitestOutcome(path)).problem).toBe("1 tests did not run");
  });

  test("no report is a problem", async () => {
    const { problem } = await vitestOutcome(join(dir, "missing.json"));
    expect(problem).toMatch(/^no vitest report: Error: ENOENT: no such file or directory/);
  });
});
