// The matrix's report: one row per runtime and suite, then what went wrong in the failing rows.

/** The lines of a failing child's output shown under the table. */
const OUTPUT_LINES = 40;

/**
 * @typedef {object} Row
 * @property {string} runtime
 * @property {string} version as the binary prints it
 * @property {string} suite
 * @property {number} passed
 * @property {number} failed
 * @property {number} ms
 * @property {string[]} failures
 * @property {string} [problem]
 * @property {string} [output] the end of what the child printed, shown when the row fails
 */

/** @param {Row} row */
export const rowFails = (row) => row.problem !== undefined || row.failed > 0 || row.passed === 0;

/**
 * @param {string[][]} lines
 * @returns {string[]}
 */
function columns(lines) {
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((cells) => cells[i]?.length ?? 0))) ?? [];
  return lines.map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/** @param {Row[]} rows */
export function formatMatrix(rows) {
  const table = columns([
    ["runtime", "version", "suite", "passed", "failed", "time", "result"],
    ...rows.map((row) => [
      row.runtime,
      row.version,
      row.suite,
      String(row.passed),
      String(row.failed),
      `${(row.ms / 1000).toFixed(1)} s`,
      rowFails(row) ? `FAIL${row.problem ? `: ${row.problem}` : ""}` : "pass",
    ]),
  ]);
  const details = rows.filter(rowFails).flatMap((row) => [
    "",
    `${row.runtime} ${row.suite}: ${row.problem ?? `${row.failed} failed`}`,
    ...row.failures.map((failure) => `  ✗ ${failure}`),
    ...(row.output
      ? row.output
          .trimEnd()
          .split("\n")
          .slice(-OUTPUT_LINES)
          .map((line) => `  | ${line}`)
      : []),
  ]);
  const failing = rows.filter(rowFails).length;
  return [...table, ...details, "", `runtimes: ${rows.length - failing} passed, ${failing} failed`].join("\n");
}
