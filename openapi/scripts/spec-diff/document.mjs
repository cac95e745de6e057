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

/** @param {unknown} a @param {unknown} b */
export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

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
 * `node` with its `$ref` chain followed inside `doc`; keys beside a `$ref` (OpenAPI 3.1 allows them)
 * override the target's. Returns the refs followed, so that a recursive schema can be recognised.
 * @param {Node} doc @param {Node} node
 * @returns {{ node: Node, refs: string[] }}
 */
export function resolve(doc, node) {
  /** @type {string[]} */
  const refs = [];
  let current = node;
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
