import { cellText, type Field, type Redact, valueAt } from "./fields.js";
import type { Formatter } from "./formats.js";

/** The widest a column gets; a longer cell is cut and ends with `…` (csv and json keep it whole). */
export const MAX_COLUMN_WIDTH = 40;
const GAP = "  ";

/**
 * Control characters from the server (a line break in a name, a terminal escape sequence) would
 * break the rows or drive the terminal; each shows as U+FFFD instead.
 */
const CONTROL = /\p{Cc}/gu;

/** Code points, not UTF-16 units, so that a cut never splits a character in two. */
function fit(text: string, width: number): string {
  const characters = Array.from(text.replace(CONTROL, "\uFFFD"));
  if (characters.length > width) return `${characters.slice(0, width - 1).join("")}…`;
  return characters.join("") + " ".repeat(width - characters.length);
}

/**
 * An aligned text table that streams: the column widths are fixed by the header and the first rows
 * to arrive (at most `MAX_COLUMN_WIDTH` each), so later rows are written as they come and never
 * reflow what is already printed.
 */
export function tableFormatter(fields: readonly Field[], redact: Redact): Formatter {
  let widths: number[] | undefined;
  const line = (cells: string[], columnWidths: number[]) =>
    `${cells
      .map((cell, i) => fit(cell, columnWidths[i] as number))
      .join(GAP)
      .trimEnd()}\n`;
  const head = (columnWidths: number[]) =>
    line(
      fields.map(({ name }) => name),
      columnWidths,
    ) +
    line(
      columnWidths.map((width) => "-".repeat(width)),
      columnWidths,
    );
  return {
    start: () => "",
    rows(records) {
      const rows = records.map((record) => fields.map(({ path }) => cellText(valueAt(record, path), redact)));
      let text = "";
      if (widths === undefined) {
        if (rows.length === 0) return "";
        widths = fields.map(({ name }, i) =>
          Math.min(
            MAX_COLUMN_WIDTH,
            Math.max(Array.from(name).length, ...rows.map((row) => Array.from(row[i] as string).length)),
          ),
        );
        text = head(widths);
      }
      for (const row of rows) text += line(row, widths);
      return text;
    },
    // A table with no rows still names its columns.
    end: () => (widths === undefined ? head(fields.map(({ name }) => Math.min(MAX_COLUMN_WIDTH, name.length))) : ""),
  };
}
