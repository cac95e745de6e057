import { stringify } from "csv-stringify/sync";
import { cellText, type Field, project, type Redact, scrubbing, valueAt } from "./fields.js";
import { tableFormatter } from "./table.js";

export const FORMATS = ["table", "csv", "json", "ndjson"] as const;
export type Format = (typeof FORMATS)[number];

/** Turns records into output text a page at a time, so that nothing but the current page is held. */
export interface Formatter {
  /** What comes before the first row. */
  start(): string;
  /** The text of one page's records (possibly none). */
  rows(records: readonly unknown[]): string;
  /** What comes after the last row. */
  end(): string;
}

/**
 * RFC 4180: CRLF line ends, a cell with a comma, quote or line break quoted. A cell starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that a spreadsheet shows it
 * as text instead of running it as a formula (CSV injection). csv-stringify quotes only a cell with
 * its own CRLF in it: most readers also end a row at a bare LF or CR, and would read what follows as
 * a new row whose first cell escaped the formula check.
 */
const csv = (rows: string[][]) =>
  stringify(rows, { record_delimiter: "windows", escape_formulas: true, quoted_match: /[\r\n]/ });

function csvFormatter(fields: readonly Field[], redact: Redact): Formatter {
  return {
    start: () => csv([fields.map(({ name }) => name)]),
    rows: (records) => csv(records.map((record) => fields.map(({ path }) => cellText(valueAt(record, path), redact)))),
    end: () => "",
  };
}

/** One JSON array, written an element at a time. */
function jsonFormatter(fields: readonly Field[], redact: Redact): Formatter {
  let empty = true;
  return {
    start: () => "[",
    rows: (records) =>
      records
        .map((record) => {
          const separator = empty ? "\n" : ",\n";
          empty = false;
          return separator + JSON.stringify(project(record, fields), scrubbing(redact));
        })
        .join(""),
    end: () => (empty ? "]\n" : "\n]\n"),
  };
}

function ndjsonFormatter(fields: readonly Field[], redact: Redact): Formatter {
  return {
    start: () => "",
    rows: (records) =>
      records.map((record) => `${JSON.stringify(project(record, fields), scrubbing(redact))}\n`).join(""),
    end: () => "",
  };
}

/** Each format's formatter for the chosen columns; every value written goes through `redact` first. */
export const FORMATTERS: Record<Format, (fields: readonly Field[], redact: Redact) => Formatter> = {
  table: tableFormatter,
  csv: csvFormatter,
  json: jsonFormatter,
  ndjson: ndjsonFormatter,
};
