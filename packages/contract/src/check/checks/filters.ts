import type { OperationId } from "@sentry-org-api/types/protocol";
import { queryParameters } from "../cases.js";

/**
 * A filter the spec documents as an equality: with `parameter` set to `value`, every item must satisfy
 * `holds`. The value may come from the unfiltered first page (an address to search for).
 */
interface Filter {
  operation: OperationId;
  parameter: string;
  value(firstPage: readonly unknown[]): string | undefined;
  /** What every item must satisfy, for the report. */
  rule(value: string): string;
  holds(item: Record<string, unknown>, value: string): boolean;
}

/** An address that fits in a query and a report: a hostile page's 10 kB "email" is not searched for. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

const FILTERS: Filter[] = [
  {
    operation: "listOrganizationRepositories",
    parameter: "status",
    value: () => "active",
    rule: () => 'status is "active"',
    holds: (item) => item.status === "active",
  },
  {
    operation: "listOrganizationRepositories",
    parameter: "status",
    value: () => "deleted",
    rule: () => 'status is not "active"',
    holds: (item) => item.status !== "active",
  },
  {
    operation: "listOrganizationMembers",
    parameter: "query",
    value: (page) => {
      const email = page
        .map((item) => (typeof item === "object" && item !== null ? (item as { email?: unknown }).email : undefined))
        .find((candidate): candidate is string => typeof candidate === "string" && EMAIL.test(candidate));
      return email && `email:${email}`;
    },
    rule: (value) => `email is ${value.slice("email:".length)}`,
    holds: (item, value) =>
      typeof item.email === "string" && item.email.toLowerCase() === value.slice("email:".length).toLowerCase(),
  },
  {
    operation: "listOrganizationMembers",
    parameter: "query",
    value: () => "isInvited:true",
    rule: () => "user is null",
    holds: (item) => item.user === null,
  },
];

/** The filters of `operation` whose parameter the spec still documents, with a value its enum allows. */
export function filtersOf(operation: OperationId): Filter[] {
  const parameters = queryParameters(operation);
  return FILTERS.filter((filter) => {
    if (filter.operation !== operation) return false;
    const parameter = parameters.find((p) => p.name === filter.parameter);
    const allowed = parameter?.schema.enum;
    return parameter !== undefined && (allowed === undefined || allowed.includes(filter.value([])));
  });
}

/** The first item the filter does not hold for, as a judgement's message. */
export function filterBreach(filter: Filter, value: string, items: readonly unknown[]): string | undefined {
  const index = items.findIndex(
    (item) => typeof item !== "object" || item === null || !filter.holds(item as Record<string, unknown>, value),
  );
  if (index === -1) return undefined;
  return `item ${index} does not satisfy ${filter.rule(value)} (${items.length} items returned)`;
}
