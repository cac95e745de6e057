// The header table, with its long headers built: for this package's test, and for the client's
// and the contract's, which run the same rows through their own code.
import { readFileSync } from "node:fs";
import type { LinkRelation, PageLink, RateLimit } from "../src/protocol.js";

type Text = string | (string | { repeat: string; times: number })[];

export interface LinkCase {
  name: string;
  header: string;
  /** The parse error, when the header is malformed. */
  error?: string;
  relations?: LinkRelation[];
  next?: PageLink | { error: string };
  previous?: PageLink | { error: string };
}

interface Table {
  link: (Omit<LinkCase, "header"> & { header: Text })[];
  retryAfter: { name: string; value: string; now: number; at: number | null }[];
  rateLimit: { name: string; headers: Record<string, string>; rateLimit: RateLimit | null }[];
  retryAt: { name: string; status: number; headers: Record<string, string>; now: number; at: number | null }[];
}

const table: Table = JSON.parse(readFileSync(new URL("header-cases.json", import.meta.url), "utf8"));

const build = (text: Text) =>
  typeof text === "string"
    ? text
    : text.map((part) => (typeof part === "string" ? part : part.repeat.repeat(part.times))).join("");

export const linkCases: LinkCase[] = table.link.map((row) => ({ ...row, header: build(row.header) }));
export const { retryAfter: retryAfterCases, rateLimit: rateLimitCases, retryAt: retryAtCases } = table;
