// The changes as a Markdown table, so that the output can be pasted into a pull request as it is.

/** @typedef {import("./document.mjs").Change} Change */

const COLUMNS = /** @type {const} */ (["kind", "rule", "where", "change"]);
/** More rows than anyone reads in a pull request; breaking changes come first, so they are the ones shown. */
const MAX_ROWS = 500;

/** @param {Change[]} changes @returns {string} */
export function formatTable(changes) {
  const cell = (/** @type {string} */ text) => text.replaceAll("|", "\\|");
  const rows = changes.slice(0, MAX_ROWS).map((change) => COLUMNS.map((column) => cell(change[column])));
  const widths = COLUMNS.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (/** @type {readonly string[]} */ cells) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const table = [line(COLUMNS), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const left = changes.length - rows.length;
  if (left > 0) table.push(`… and ${left} more changes, left out: the table stops at ${MAX_ROWS} rows`);
  return table.join("\n");
}

/** @param {Change[]} changes @returns {string} e.g. "2 breaking, 1 non-breaking, 0 annotation" */
export function summarize(changes) {
  const count = (/** @type {string} */ kind) => changes.filter((change) => change.kind === kind).length;
  return ["breaking", "non-breaking", "annotation"].map((kind) => `${count(kind)} ${kind}`).join(", ");
}
