import type { ErrorObject, ValidateFunction } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { locationOf, specPointer } from "../spec.js";

/** One reason a value fails its schema; `place` is a JSON pointer into the value, `""` for the value itself. */
export interface Finding {
  place: string;
  message: string;
}

export interface Explanation {
  /** The first findings in document order, at most the limit given. */
  listed: Finding[];
  /** A lower bound on the findings not listed: each invalid part left unexplained counts once. */
  unlisted: number;
}

export interface BodyExplainer {
  /**
   * Why `value` fails the schema at `location` (path segments into the spec). Call it only for a value
   * that fails: it assumes so. Costs time linear in the value, whatever the value holds.
   */
  explain(location: string[], value: unknown, limit: number): Explanation;
}

/**
 * Ajv's all-errors mode is quadratic on invalid lists: each call into a referenced schema appends its
 * errors with `vErrors.concat(...)`, copying every error found so far. So the explainer never hands Ajv
 * a list: it splits schemas at these keywords and walks the value itself, asking Ajv only about each
 * node's own keywords (type, required, enum, format...), and a cheap stop-at-first-error check tells it
 * which parts fail.
 */
const SPLIT_KEYWORDS = new Set(["$ref", "allOf", "anyOf", "oneOf", "properties", "items"]);

/** Keywords holding schemas that the walk does not split; a node with one is explained whole by Ajv. */
const UNSPLIT_APPLICATORS = new Set([
  "additionalProperties",
  "contains",
  "dependentSchemas",
  "else",
  "if",
  "not",
  "patternProperties",
  "prefixItems",
  "propertyNames",
  "then",
]);

/**
 * Keywords that read what every sibling applicator evaluated: split from its `allOf` or `properties`, even
 * `unevaluatedProperties: false` would see evaluated names as unevaluated. A node with one is explained whole.
 */
const SIBLING_READERS = new Set(["unevaluatedItems", "unevaluatedProperties"]);

interface SchemaNode {
  /** Stops at the first error. */
  check: ValidateFunction;
  /** Every error of the node's own keywords (of the whole node when it cannot be split). */
  own: ValidateFunction;
  ref: string[] | undefined;
  allOf: string[][];
  anyOf: string[][];
  oneOf: string[][];
  properties: Map<string, string[]>;
  items: string[] | undefined;
}

type Schema = boolean | Record<string, unknown>;

export const describeAjvError = (error: ErrorObject) =>
  error.keyword === "enum"
    ? `${error.message}: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`
    : (error.message ?? "is invalid");

const escapePointer = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function schemaAt(document: object, location: string[]): Schema {
  let node: unknown = document;
  for (const key of location) node = (node as Record<string, unknown>)[key];
  return node as Schema;
}

/** `document` is the spec, or a tiny one in tests; both Ajvs hold it as `spec` (see `createSpecAjv`). */
export function createBodyExplainer(document: object, checkAjv: Ajv2020, explainAjv: Ajv2020): BodyExplainer {
  // One node per schema location in the spec, so the cache is bounded by the spec's size.
  const nodes = new Map<string, SchemaNode>();

  const nodeAt = (location: string[]): SchemaNode => {
    const pointer = specPointer(...location);
    let node = nodes.get(pointer);
    if (!node) {
      node = compileNode(location, pointer);
      nodes.set(pointer, node);
    }
    return node;
  };

  const compileNode = (location: string[], pointer: string): SchemaNode => {
    const schema = schemaAt(document, location);
    const check = checkAjv.compile({ $ref: pointer });
    const splittable =
      typeof schema === "object" &&
      !Object.entries(schema).some(
        ([keyword, value]) =>
          SIBLING_READERS.has(keyword) || (UNSPLIT_APPLICATORS.has(keyword) && typeof value === "object"),
      );
    if (!splittable) {
      const whole = explainAjv.compile({ $ref: pointer });
      return {
        check,
        own: whole,
        ref: undefined,
        allOf: [],
        anyOf: [],
        oneOf: [],
        properties: new Map(),
        items: undefined,
      };
    }
    const own: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (!SPLIT_KEYWORDS.has(keyword)) own[keyword] = value;
    }
    const properties = new Map<string, string[]>();
    if (isPlainObject(schema.properties)) {
      // Kept as `true` so that keywords such as `additionalProperties: false` still see the names.
      const names: Record<string, true> = {};
      for (const name of Object.keys(schema.properties)) {
        names[name] = true;
        properties.set(name, [...location, "properties", name]);
      }
      own.properties = names;
    }
    const branches = (keyword: "allOf" | "anyOf" | "oneOf") =>
      ((schema[keyword] as unknown[] | undefined) ?? []).map((_, index) => [...location, keyword, String(index)]);
    return {
      check,
      own: explainAjv.compile(own),
      ref: typeof schema.$ref === "string" ? locationOf({ $ref: schema.$ref }, []) : undefined,
      allOf: branches("allOf"),
      anyOf: branches("anyOf"),
      oneOf: branches("oneOf"),
      properties,
      items: schema.items === undefined ? undefined : [...location, "items"],
    };
  };

  function explain(location: string[], value: unknown, limit: number): Explanation {
    const listed: Finding[] = [];
    const seen = new Set<string>();
    let unlisted = 0;
    const full = () => listed.length >= limit;

    const add = (place: string, message: string) => {
      if (full()) {
        unlisted++;
        return;
      }
      // Branches of oneOf and anyOf can repeat the same complaint about the same place.
      const key = `${place}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      listed.push({ place, message });
    };

    /** Explains a value known to fail `node`; once the list is full, only counts. */
    const visit = (node: SchemaNode, value: unknown, place: string) => {
      if (full()) {
        unlisted++;
        return;
      }
      node.own(value);
      for (const error of node.own.errors ?? []) add(place + error.instancePath, describeAjvError(error));
      const failing = (location: string[]) => {
        const part = nodeAt(location);
        return part.check(value) ? undefined : part;
      };
      for (const location of node.ref ? [node.ref, ...node.allOf] : node.allOf) {
        const part = failing(location);
        if (part) visit(part, value, place);
      }
      if (node.anyOf.length > 0) {
        const failed = node.anyOf.map(failing);
        if (failed.every((part) => part !== undefined)) {
          for (const part of failed) visit(part as SchemaNode, value, place);
          add(place, "must match a schema in anyOf");
        }
      }
      if (node.oneOf.length > 0) {
        const failed = node.oneOf.map(failing);
        const passing = failed.filter((part) => part === undefined).length;
        if (passing === 0) for (const part of failed) visit(part as SchemaNode, value, place);
        if (passing !== 1) add(place, "must match exactly one schema in oneOf");
      }
      if (node.properties.size > 0 && isPlainObject(value)) {
        // The value's own key order is its document order.
        for (const key of Object.keys(value)) {
          const location = node.properties.get(key);
          if (location === undefined) continue;
          const part = nodeAt(location);
          if (!part.check(value[key])) visit(part, value[key], `${place}/${escapePointer(key)}`);
        }
      }
      if (node.items && Array.isArray(value)) {
        const part = nodeAt(node.items);
        for (let index = 0; index < value.length; index++) {
          if (!part.check(value[index])) visit(part, value[index], `${place}/${index}`);
        }
      }
    };

    visit(nodeAt(location), value, "");
    return { listed, unlisted };
  }

  return { explain };
}
