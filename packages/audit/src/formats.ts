import { stringify } from "csv-stringify/sync";
import { cellText, type Field, project, valueAt } from "./fields.js";
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
 * as text instead of running it as a formula (CSV injection).
 */
const csv = (rows: string[][]) => stringify(rows, { record_delimiter: "windows", escape_formulas: true });

function csvFormatter(fields: readonly Field[]): Formatter {
  return {
    start: () => csv([fields.map(({ name }) => name)]),
    rows: (records) => csv(records.map((record) => fields.map(({ path }) => cellText(valueAt(record, path))))),
    end: () => "",
  };
}

/** One JSON array, written an element at a time. */
function jsonFormatter(fields: readonly Field[]): Formatter {
  let empty = true;
  return {
    start: () => "[",
    rows: (records) =>
      records
        .map((record) => {
          const separator = empty ? "\n" : ",\n";
          empty = false;
          return separator + JSON.stringify(project(record, fields));
        })
        .join(""),
    end: () => (empty ? "]\n" : "\n]\n"),
  };
}

function ndjsonFormatter(fields: readonly Field[]): Formatter {
  return {
    start: () => "",
    rows: (records) => records.map((record) => `${JSON.stringify(project(record, fields))}\n`).join(""),
    end: () => "",
  };
}

export const FORMATTERS: Record<Format, (fields: readonly Field[]) => Formatter> = {
  table: tableFormatter,
  csv: csvFormatter,
  json: jsonFormatter,
  ndjson: ndjsonFormatter,
};
