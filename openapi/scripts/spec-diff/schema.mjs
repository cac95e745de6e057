// Compares two JSON Schemas (OpenAPI 3.1) in a request or a response, one rule per function.
import { canonical, judge, resolve, same, show } from "./document.mjs";
import { SpecDiffError } from "./error.mjs";

/**
 * @typedef {import("./document.mjs").Comparison} Comparison
 * @typedef {import("./document.mjs").Direction} Direction
 * @typedef {import("./document.mjs").Effect} Effect
 * @typedef {import("./document.mjs").Node} Node
 * @typedef {{ schema: Node, nullable: boolean, refs: string[] }} SchemaView
 * @typedef {{ comparison: Comparison, direction: Direction, where: string, depth: number }} Place
 */

/** Deeper than this, the documents are not the hand-written spec this tool is for. */
const MAX_SCHEMA_DEPTH = 64;

const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
const EXTRA_RULES = ["pattern", "multipleOf", "format"];
const COMPOSITIONS = ["oneOf", "anyOf", "allOf"];
const HANDLED = new Set([
  "type",
  "enum",
  "const",
  "default",
  "properties",
  "required",
  "additionalProperties",
  "items",
  ...UPPER_BOUNDS,
  ...LOWER_BOUNDS,
  ...EXTRA_RULES,
  ...COMPOSITIONS,
]);

/**
 * Reports every difference between schema `a` (base) and `b` (head) at `where`.
 * @param {Comparison} comparison @param {Direction} direction @param {string} where
 * @param {Node | undefined} a @param {Node | undefined} b
 */
export function compareSchema(comparison, direction, where, a, b) {
  compareAt({ comparison, direction, where, depth: 0 }, a ?? {}, b ?? {});
}

/** @param {Place} place @param {unknown} aNode @param {unknown} bNode */
function compareAt(place, aNode, bNode) {
  if (place.depth > MAX_SCHEMA_DEPTH) {
    throw new SpecDiffError(`schemas nest deeper than ${MAX_SCHEMA_DEPTH} levels at ${place.where}`);
  }
  const a = view(place.comparison.base, aNode, place.where);
  const b = view(place.comparison.head, bNode, place.where);
  if (a.refs.length > 0 || b.refs.length > 0) {
    // The nodes as written, $refs unfollowed: small, and they name the schemas compared.
    const pair = canonical([place.direction, aNode, bNode]);
    if (place.comparison.comparedSchemas.has(pair)) return;
    place.comparison.comparedSchemas.add(pair);
  }
  for (const rule of RULES) rule(place, a, b);
  place.comparison.reportRest(a.schema, b.schema, place.where, HANDLED);
}

/**
 * The schema with its refs followed and "may be null" taken out: `type: [T, "null"]` and
 * `oneOf: [X, {type: "null"}]` both read as X that is nullable, so that only the nullable rule sees it.
 * @param {Node} doc @param {unknown} node @param {string} where
 * @returns {SchemaView}
 */
function view(doc, node, where) {
  // JSON Schema's boolean schemas: true accepts anything, false nothing.
  const written = node === true ? {} : node === false ? { not: {} } : node;
  const { node: resolved, refs } = resolve(doc, written, where);
  let schema = resolved;
  let nullable = false;
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    nullable = true;
    const rest = schema.type.filter((/** @type {string} */ t) => t !== "null");
    schema = { ...schema, type: rest.length === 1 ? rest[0] : rest };
  }
  for (const key of ["oneOf", "anyOf"]) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    const at = (/** @type {number} */ i) => `${where}<${key} ${i}>`;
    const rest = branches.filter((branch, i) => resolve(doc, branch, at(i)).node.type !== "null");
    if (rest.length === branches.length) continue;
    nullable = true;
    const { [key]: _, ...outer } = schema;
    if (rest.length === 1) {
      const branch = resolve(doc, rest[0], at(branches.indexOf(rest[0])));
      refs.push(...branch.refs);
      schema = { ...branch.node, ...outer };
    } else {
      schema = { ...outer, [key]: rest };
    }
  }
  return { schema, nullable, refs };
}

/** @param {Place} place @param {string} suffix */
const inner = (place, suffix) => ({ ...place, where: `${place.where}${suffix}`, depth: place.depth + 1 });

/** @param {Place} place @param {Effect} effect @param {string} rule @param {string} change */
function reportEffect(place, effect, rule, change) {
  place.comparison.report(judge(place.direction, effect), rule, place.where, change);
}

/** @param {unknown} type @returns {Set<string> | undefined} */
function typeSet(type) {
  if (type === undefined) return undefined;
  const types = new Set(Array.isArray(type) ? type : [type]);
  // Every integer is a number.
  if (types.has("number")) types.add("integer");
  return types;
}

/** @type {((place: Place, a: SchemaView, b: SchemaView) => void)[]} */
const RULES = [
  function typeChanged(place, a, b) {
    if (same(a.schema.type, b.schema.type)) return;
    const before = typeSet(a.schema.type);
    const after = typeSet(b.schema.type);
    const covers = (/** @type {Set<string> | undefined} */ x, /** @type {Set<string> | undefined} */ y) =>
      x === undefined || (y !== undefined && [...y].every((t) => x.has(t)));
    /** @type {Effect} */
    const effect = covers(after, before) ? "widened" : covers(before, after) ? "narrowed" : "changed";
    reportEffect(place, effect, "type-changed", `type ${show(a.schema.type)} → ${show(b.schema.type)}`);
  },

  function nullableChanged(place, a, b) {
    if (a.nullable === b.nullable) return;
    if (b.nullable) reportEffect(place, "widened", "became-nullable", "may now be null");
    else reportEffect(place, "narrowed", "no-longer-nullable", "is no longer null");
  },

  function enumChanged(place, a, b) {
    const before = enumValues(a.schema);
    const after = enumValues(b.schema);
    if (before === undefined && after === undefined) return;
    if (before === undefined || after === undefined) {
      const effect = after === undefined ? "widened" : "narrowed";
      reportEffect(
        place,
        effect,
        after === undefined ? "enum-dropped" : "enum-introduced",
        `enum ${before ?? "none"} → ${after ?? "none"}`,
      );
      return;
    }
    for (const value of before.filter((v) => !after.includes(v))) {
      // A removed value breaks both ways: clients send it, or compare against it in their types.
      place.comparison.report("breaking", "enum-value-removed", place.where, `${value} removed`);
    }
    for (const value of after.filter((v) => !before.includes(v))) {
      // In a response, a new value reaches code that handles each known value (an exhaustive switch).
      const kind = place.direction === "request" ? "non-breaking" : "breaking";
      place.comparison.report(kind, "enum-value-added", place.where, `${value} added`);
    }
  },

  function boundsChanged(place, a, b) {
    for (const [keywords, upper] of /** @type {const} */ ([
      [UPPER_BOUNDS, true],
      [LOWER_BOUNDS, false],
    ])) {
      for (const keyword of keywords) {
        const before = a.schema[keyword];
        const after = b.schema[keyword];
        if (before === after) continue;
        const limit = (/** @type {number | undefined} */ v) => v ?? (upper ? Infinity : -Infinity);
        const wider = upper ? limit(after) > limit(before) : limit(after) < limit(before);
        const effect = wider ? "widened" : "narrowed";
        reportEffect(place, effect, `constraint-${effect}`, `${keyword} ${show(before)} → ${show(after)}`);
      }
    }
  },

  function extraRuleChanged(place, a, b) {
    // A pattern, multipleOf or format only restricts: adding one narrows, removing one widens.
    for (const keyword of EXTRA_RULES) {
      const before = a.schema[keyword];
      const after = b.schema[keyword];
      if (before === after) continue;
      /** @type {Effect} */
      const effect = before === undefined ? "narrowed" : after === undefined ? "widened" : "changed";
      const rule = keyword === "format" ? "format-changed" : `constraint-${effect}`;
      reportEffect(place, effect, rule, `${keyword} ${show(before)} → ${show(after)}`);
    }
  },

  function defaultChanged(place, a, b) {
    if (same(a.schema.default, b.schema.default)) return;
    // A request default is what the server does when the client leaves the value out.
    const kind = place.direction === "request" ? "breaking" : "annotation";
    const change = `default ${show(a.schema.default)} → ${show(b.schema.default)}`;
    place.comparison.report(kind, "default-changed", place.where, change);
  },

  function propertiesChanged(place, a, b) {
    const before = a.schema.properties ?? {};
    const after = b.schema.properties ?? {};
    const requiredBefore = new Set(a.schema.required ?? []);
    const requiredAfter = new Set(b.schema.required ?? []);
    const report = place.comparison.report.bind(place.comparison);
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = inner(place, `.${name}`);
      if (!(name in after)) {
        report("breaking", "field-removed", at.where, "removed");
      } else if (!(name in before)) {
        const required = requiredAfter.has(name);
        const breaking = place.direction === "request" && required;
        report(
          breaking ? "breaking" : "non-breaking",
          required ? "required-field-added" : "field-added",
          at.where,
          "added",
        );
      } else {
        requiredChanged(at, requiredBefore.has(name), requiredAfter.has(name));
        compareAt(at, before[name], after[name]);
      }
    }
  },

  function additionalPropertiesChanged(place, a, b) {
    const before = a.schema.additionalProperties ?? true;
    const after = b.schema.additionalProperties ?? true;
    if (same(before, after)) return;
    if (typeof before === "object" && typeof after === "object") {
      compareAt(inner(place, "{*}"), before, after);
      return;
    }
    const effect = after === true || before === false ? "widened" : "narrowed";
    reportEffect(place, effect, `constraint-${effect}`, `additionalProperties ${show(before)} → ${show(after)}`);
  },

  function itemsChanged(place, a, b) {
    const before = a.schema.items;
    const after = b.schema.items;
    if (before === undefined && after === undefined) return;
    if (before !== undefined && after !== undefined) {
      compareAt(inner(place, "[]"), before, after);
      return;
    }
    const effect = after === undefined ? "widened" : "narrowed";
    reportEffect(place, effect, `constraint-${effect}`, `items ${after === undefined ? "removed" : "added"}`);
  },

  function compositionChanged(place, a, b) {
    for (const keyword of COMPOSITIONS) {
      const before = a.schema[keyword] ?? [];
      const after = b.schema[keyword] ?? [];
      for (let i = 0; i < Math.min(before.length, after.length); i++) {
        compareAt(inner(place, `<${keyword} ${i}>`), before[i], after[i]);
      }
      if (before.length === after.length) continue;
      // One more alternative widens oneOf/anyOf; one more schema to satisfy narrows allOf.
      const more = after.length > before.length;
      const effect = more === (keyword === "allOf") ? "narrowed" : "widened";
      reportEffect(place, effect, `constraint-${effect}`, `${keyword} ${before.length} → ${after.length} schemas`);
    }
  },
];

/** @param {Node} schema @returns {string[] | undefined} */
function enumValues(schema) {
  if (schema.const !== undefined) return [canonical(schema.const)];
  return Array.isArray(schema.enum) ? schema.enum.map((v) => canonical(v)) : undefined;
}

/** @param {Place} place @param {boolean} before @param {boolean} after */
function requiredChanged(place, before, after) {
  if (before === after) return;
  // An optional response field widens what a client may get; a required request field narrows what it may send.
  if (after) reportEffect(place, "narrowed", "field-became-required", "now required");
  else reportEffect(place, "widened", "field-became-optional", "now optional");
}
