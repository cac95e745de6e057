// What a suite's run comes to: the counts of a matrix row, or the problem that kept it from counting.
import { readFile, stat } from "node:fs/promises";

/** A vitest JSON report of the client's suite is tens of KiB; far more is not one. */
const MAX_VITEST_REPORT_BYTES = 16 * 1024 * 1024;

/**
 * @typedef {object} Outcome
 * @property {number} passed
 * @property {number} failed
 * @property {string[]} failures each failed case's name, and why when known
 * @property {string} [problem] why the suite gave no trustworthy counts: the row fails whatever they say
 */

/**
 * The problem with a child's run, if any: it could not start, ran out of time, died of a signal or
 * exited with another code than 0.
 * @param {import("./bounded-child.mjs").ChildResult} result
 * @param {number} timeoutMs
 */
export function childProblem(result, timeoutMs) {
  if (result.error !== undefined) return `cannot start: ${result.error}`;
  if (result.timedOut) return `killed after ${timeoutMs / 1000} s`;
  if (result.signal !== null) return `killed by ${result.signal}`;
  if (result.exitCode !== 0) return `exited with code ${result.exitCode}`;
  return undefined;
}

/**
 * Reads the smoke suite's JSON report, `{ cases: [{ name, ok, detail? }] }`.
 * @param {string} text
 * @returns {Outcome}
 */
export function smokeOutcome(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { passed: 0, failed: 0, failures: [], problem: `no JSON report: ${JSON.stringify(text.slice(0, 200))}` };
  }
  const cases = report?.cases;
  if (!Array.isArray(cases) || cases.length === 0 || !cases.every((c) => typeof c?.name === "string")) {
    return { passed: 0, failed: 0, failures: [], problem: "the report has no cases" };
  }
  const failed = cases.filter((c) => c.ok !== true);
  return {
    passed: cases.length - failed.length,
    failed: failed.length,
    failures: failed.map((c) => `${c.name}: ${c.detail ?? "failed"}`),
  };
}

/**
 * Reads the report vitest's JSON reporter wrote to `path`.
 * @param {string} path
 * @returns {Promise<Outcome>}
 */
export async function vitestOutcome(path) {
  let report;
  try {
    const { size } = await stat(path);
    if (size > MAX_VITEST_REPORT_BYTES) throw new Error(`${size} bytes, over ${MAX_VITEST_REPORT_BYTES}`);
    report = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    return { passed: 0, failed: 0, failures: [], problem: `no vitest report: ${String(error)}` };
  }
  const { numPassedTests, numFailedTests, numTotalTests, testResults } = report;
  if (![numPassedTests, numFailedTests, numTotalTests].every(Number.isInteger)) {
    return { passed: 0, failed: 0, failures: [], problem: "the vitest report has no counts" };
  }
  /** @type {string[]} */
  const failures = [];
  for (const file of Array.isArray(testResults) ? testResults : []) {
    for (const test of Array.isArray(file?.assertionResults) ? file.assertionResults : []) {
      if (test?.status === "failed") failures.push(String(test.fullName));
    }
    // A file that failed to load counts no test: its message is the only trace of it.
    if (file?.status === "failed" && !file.assertionResults?.length) failures.push(`${file.name}: ${file.message}`);
  }
  // Skipped or todo tests would mean a file ran less than it holds; the project allows none.
  const unrun = numTotalTests - numPassedTests - numFailedTests;
  const loadFailed = failures.length > numFailedTests;
  return {
    passed: numPassedTests,
    failed: numFailedTests,
    failures,
    ...(unrun > 0 && { problem: `${unrun} tests did not run` }),
    ...(loadFailed && { problem: "a test file failed to load" }),
  };
}
