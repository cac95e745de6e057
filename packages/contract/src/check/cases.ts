import { type OperationId, type Parameter, type Reference, resolve, spec } from "../spec.js";

/** The parts of a query parameter's schema that cases are derived from. */
interface ParameterSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  items?: ParameterSchema;
}
interface QueryParameter extends Parameter {
  schema: ParameterSchema;
  example?: unknown;
}
interface Described {
  description?: string;
}

/** Why the spec rules a value out. */
export type Defect =
  | "below-minimum"
  | "above-maximum"
  | "not-an-integer"
  | "empty"
  | "outside-enum"
  | "pattern"
  | "malformed";

/** One query parameter set to one value: the unit of the positive and negative cases. */
export interface QueryCase {
  parameter: string;
  value: string;
  /** What the value is, for the report: `the minimum`, `outside the enum`. */
  why: string;
  /** Negative cases only. */
  defect?: Defect;
}

/**
 * Inputs Sentry accepts although the spec rules them out (the wire-format reference's leniencies): a 2xx to
 * one of these negative cases is a warning, not a failure. The spec keeps the stricter rule for clients.
 */
const LENIENCIES: Partial<Record<`${string} ${Defect}`, string>> = {
  "per_page below-minimum": "Sentry serves empty pages for per_page below 1 instead of refusing it",
  "cursor empty": "Sentry reads an empty cursor as the first page (sentry-cli sends one)",
};

export const leniency = (c: QueryCase) => (c.defect ? LENIENCIES[`${c.parameter} ${c.defect}`] : undefined);

const pathItemOf = (operation: OperationId) => {
  const item = Object.values(spec.paths).find((candidate) => candidate.get.operationId === operation);
  if (!item) throw new Error(`the spec has no operation ${operation}`);
  return item;
};

/** The operation's query parameters, as the bundled spec documents them now. */
export function queryParameters(operation: OperationId): QueryParameter[] {
  const { get } = pathItemOf(operation) as { get: { parameters?: (QueryParameter | Reference)[] } };
  return (get.parameters ?? []).map((p) => resolve<QueryParameter>(p)).filter((p) => p.in === "query");
}

/**
 * The parameters whose invalid values the operation's `400` names (`The \`cursor\` or \`per_page\` parameter is
 * invalid.`): only for these does the spec promise a rejection. None when no `400` is documented.
 */
export function rejectedParameters(operation: OperationId): Set<string> {
  const badRequest = pathItemOf(operation).get.responses["400"];
  if (!badRequest) return new Set();
  const { description = "" } = resolve<Described>(badRequest as Described | Reference);
  const named = new Set([...description.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string));
  return new Set(
    queryParameters(operation)
      .map((p) => p.name)
      .filter((name) => named.has(name)),
  );
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** Every enum value (of the parameter, or of its array's items), the numeric bounds and the example. */
export function positiveCases(operation: OperationId): QueryCase[] {
  const cases: QueryCase[] = [];
  for (const { name, schema, example } of queryParameters(operation)) {
    const add = (value: unknown, why: string) => {
      if (!cases.some((c) => c.parameter === name && c.value === text(value)))
        cases.push({ parameter: name, value: text(value), why });
    };
    for (const value of schema.enum ?? schema.items?.enum ?? []) add(value, "an enum value");
    if (schema.minimum !== undefined) add(schema.minimum, "the minimum");
    if (schema.maximum !== undefined) add(schema.maximum, "the maximum");
    if (example !== undefined) add(example, "the example");
  }
  return cases;
}

/** A value `pattern` does not match, from a few that differ in kind. */
const outsidePattern = (pattern: string) =>
  ["x", "0", "-", "x y"].find((candidate) => !new RegExp(pattern, "u").test(candidate));

/**
 * Values the schema of each parameter the `400` names rules out: out of range, not an integer, empty, outside
 * the enum or the pattern; an opaque string (the cursor) gets a malformed one.
 */
export function negativeCases(operation: OperationId): QueryCase[] {
  const rejected = rejectedParameters(operation);
  const cases: QueryCase[] = [];
  for (const { name, schema } of queryParameters(operation)) {
    if (!rejected.has(name)) continue;
    const add = (value: string, why: string, defect: Defect) => cases.push({ parameter: name, value, why, defect });
    if (schema.type === "integer") {
      if (schema.minimum !== undefined)
        add(String(schema.minimum - 1), `below the minimum ${schema.minimum}`, "below-minimum");
      if (schema.maximum !== undefined)
        add(String(schema.maximum + 1), `above the maximum ${schema.maximum}`, "above-maximum");
      add("abc", "not an integer", "not-an-integer");
      continue;
    }
    if ((schema.minLength ?? 0) > 0) add("", `shorter than ${schema.minLength} character`, "empty");
    const outside = schema.pattern === undefined ? undefined : outsidePattern(schema.pattern);
    if (schema.enum) add("not-a-documented-value", "outside the enum", "outside-enum");
    else if (outside !== undefined) add(outside, `outside the pattern ${schema.pattern}`, "pattern");
    else add("malformed", "malformed", "malformed");
  }
  return cases;
}
