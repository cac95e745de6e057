// What every comparison shares: the two documents, $ref resolution, and the list of changes found.
import { SpecDiffError } from "./error.mjs";

/**
 * @typedef {"breaking" | "non-breaking" | "annotation"} Kind
 * @typedef {{ kind: Kind, rule: string, where: string, change: string }} Change
 * @typedef {"request" | "response"} Direction
 * @typedef {"widened" | "narrowed" | "changed"} Effect
 * @typedef {Record<string, any>} Node
 */

/** Keys that only document: a change to them never changes what is sent or accepted. */
const ANNOTATION_KEYS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "deprecated",
  "externalDocs",
  "tags",
  "$comment",
]);

/** @param {string} key */
const isAnnotationKey = (key) => ANNOTATION_KEYS.has(key) || key.startsWith("x-");

/**
 * What a change that widens or narrows the accepted values means for a client: the server must accept
 * at least what it accepted (requests) and send at most what it sent (responses).
 * @param {Direction} direction
 * @param {Effect} effect
 * @returns {Kind}
 */
export function judge(direction, effect) {
  if (effect === "changed") return "breaking";
  return (direction === "request") === (effect === "widened") ? "non-breaking" : "breaking";
}

/**
 * `value` as JSON with every object's keys sorted: in JSON Schema, as in JSON, key order means nothing.
 * @param {unknown} value
 */
export const canonical = (value) =>
  JSON.stringify(value, (_, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );

/** @param {unknown} a @param {unknown} b */
export const same = (a, b) => canonical(a) === canonical(b);

/** Longer values are cut: a table cell is no place for a whole object. */
const MAX_SHOWN_LENGTH = 60;

/** @param {unknown} value */
export function show(value) {
  const text = value === undefined ? "none" : JSON.stringify(value);
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;
}

export class Comparison {
  /** @type {Change[]} */
  changes = [];
  /**
   * The schema pairs reached through a $ref that were compared already, by direction: a component
   * reached again (a recursive schema meeting itself, or one reached through several branches) is
   * compared once, since comparing it at every reach grows exponentially with the nesting.
   * @type {Set<string>}
   */
  comparedSchemas = new Set();

  /** @param {Node} base @param {Node} head */
  constructor(base, head) {
    this.base = base;
    this.head = head;
  }

  /** @param {Kind} kind @param {string} rule @param {string} where @param {string} change */
  report(kind, rule, where, change) {
    this.changes.push({ kind, rule, where, change });
  }

  /**
   * Reports an annotation for each documenting key that differs, and, for keys that no rule looked at,
   * a breaking "unclassified" change: the gate should stop on what the classifier does not understand.
   * @param {Node} a @param {Node} b @param {string} where @param {Set<string>} handled
   */
  reportRest(a, b, where, handled) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (handled.has(key) || same(a[key], b[key])) continue;
      if (isAnnotationKey(key)) this.report("annotation", "annotation", where, `${key} changed`);
      else this.report("breaking", "unclassified", where, `${key}: ${show(a[key])} → ${show(b[key])}`);
    }
  }
}

/**
 * `node`, which must be an object: a null or a list where a schema, path item or media type belongs is
 * a mistake in the document, told with where it is rather than as a TypeError further on.
 * @param {unknown} node @param {string} where
 * @returns {Node}
 */
export function objectAt(node, where) {
  if (node === null || typeof node !== "object" || Array.isArray(node)) {
    throw new SpecDiffError(`${where}: expected an object, found ${show(node)}`);
  }
  return /** @type {Node} */ (node);
}

/**
 * `node` (at `where`) with its `$ref` chain followed inside `doc`; keys beside a `$ref` (OpenAPI 3.1
 * allows them) override the target's. Returns the refs followed, so that a recursive schema can be recognised.
 * @param {Node} doc @param {unknown} node @param {string} where
 * @returns {{ node: Node, refs: string[] }}
 */
export function resolve(doc, node, where) {
  /** @type {string[]} */
  const refs = [];
  let current = objectAt(node, where);
  while (typeof current.$ref === "string") {
    if (refs.includes(current.$ref)) throw new SpecDiffError(`$ref ${current.$ref} refers to itself`);
    refs.push(current.$ref);
    const { $ref, ...siblings } = current;
    current = { ...pointTo(doc, $ref), ...siblings };
  }
  return { node: current, refs };
}

/** @param {Node} doc @param {string} ref */
function pointTo(doc, ref) {
  if (!ref.startsWith("#/")) throw new SpecDiffError(`$ref ${ref} points outside the bundled document`);
  /** @type {any} */
  let target = doc;
  for (const key of ref.slice(2).split("/")) {
    target = target?.[key.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  if (target === null || typeof target !== "object") throw new SpecDiffError(`$ref ${ref} does not resolve`);
  return target;
}
