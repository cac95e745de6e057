/**
 * Every check `check` runs, in the order it reports them, with the one line `--list-checks` prints and the
 * README's table repeats. The names follow Schemathesis's where one fits.
 */
export const CHECKS = [
  { name: "not_a_server_error", proves: "every request gets an answer, and none is a 5xx" },
  { name: "status_code_conformance", proves: "every status is one the spec documents for the operation" },
  { name: "content_type_conformance", proves: "every body comes with the Content-Type its status documents" },
  {
    name: "response_headers_conformance",
    proves: "the documented headers (Link, X-Hits, the rate-limit headers) are present where required and well formed",
  },
  { name: "response_schema_conformance", proves: "every body validates against its status's schema" },
  {
    name: "positive_data_acceptance",
    proves: "every value the spec allows (each enum value, each bound, each example) gets a documented 2xx",
  },
  {
    name: "negative_data_rejection",
    proves:
      "values the spec rules out (out of range, wrong type, malformed cursor) and an unknown organization get the documented 4xx, never a 2xx or 5xx",
  },
  { name: "unsupported_method", proves: "a method the path does not document (POST) gets 405" },
  { name: "ignored_auth", proves: "a request without a token and one with a bad token get 401" },
  { name: "pagination_unique_ids", proves: "no item id repeats across the pages of a walk" },
  {
    name: "pagination_page_size",
    proves: "every page holds at most per_page items, and exactly per_page when another page follows",
  },
  {
    name: "pagination_end",
    proves: 'results="false" on next comes exactly at the end: no empty page after "true", no cursor that repeats',
  },
  {
    name: "pagination_previous_link",
    proves: "page 1 has no previous page, and page 2's previous cursor gives page 1 again",
  },
  { name: "x_hits_total", proves: "X-Hits equals the number of items a complete walk found, when under its cap" },
  { name: "cursor_stable", proves: "the same cursor gives the same page twice" },
  {
    name: "filter_holds",
    proves:
      "filters the spec documents as equalities hold on every item (repository status, member email:, isInvited:true)",
  },
] as const;

export type CheckName = (typeof CHECKS)[number]["name"];

export const CHECK_NAMES: readonly CheckName[] = CHECKS.map((check) => check.name);
