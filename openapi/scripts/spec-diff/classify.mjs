// Classifies every difference between two bundled OpenAPI 3.1 documents as breaking, non-breaking or
// an annotation for a client: operations, then their parameters, request body and responses.
import { Comparison, objectAt, resolve, same } from "./document.mjs";
import { compareSchema } from "./schema.mjs";

/**
 * @typedef {import("./document.mjs").Change} Change
 * @typedef {import("./document.mjs").Node} Node
 */

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const KIND_ORDER = ["breaking", "non-breaking", "annotation"];

/**
 * Every change from `base` to `head`, breaking ones first. Components count where operations use them.
 * @param {Node} base @param {Node} head
 * @returns {Change[]}
 */
export function diffSpecs(base, head) {
  const comparison = new Comparison(base, head);
  compareDocument(comparison);
  return comparison.changes
    .map((change, index) => ({ change, index }))
    .sort((x, y) => KIND_ORDER.indexOf(x.change.kind) - KIND_ORDER.indexOf(y.change.kind) || x.index - y.index)
    .map(({ change }) => change);
}

/** @param {Comparison} comparison */
function compareDocument(comparison) {
  const { base, head } = comparison;
  const before = operations(base);
  const after = operations(head);
  for (const [key, operation] of before) {
    const next = after.get(key);
    if (next === undefined) comparison.report("breaking", "operation-removed", key, "removed");
    else compareOperation(comparison, key, operation, next);
  }
  for (const key of after.keys()) {
    if (!before.has(key)) comparison.report("non-breaking", "operation-added", key, "added");
  }
  compareServers(comparison, base.servers ?? [], head.servers ?? []);
  // The document's title, version, contact and format version describe it; they change no request.
  for (const key of ["openapi", "info"]) {
    if (!same(base[key], head[key])) comparison.report("annotation", "annotation", "document", `${key} changed`);
  }
  // Components are compared through the operations that use them; the document's security through each operation.
  const handled = new Set(["paths", "components", "servers", "security", "openapi", "info"]);
  comparison.reportRest(base, head, "document", handled);
}

/**
 * Each operation by "METHOD /path", with the path's parameters and the document's security folded in.
 * @param {Node} doc
 * @returns {Map<string, Node>}
 */
function operations(doc) {
  const found = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const pathItem = resolve(doc, item, `path ${path}`).node;
    for (const method of METHODS) {
      if (pathItem[method] === undefined) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const operation = objectAt(pathItem[method], key);
      const parameters = new Map();
      for (const parameter of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
        const resolved = resolve(doc, parameter, `${key} · a parameter`).node;
        parameters.set(`${resolved.in} ${resolved.name}`, resolved);
      }
      found.set(key, {
        ...operation,
        parameters,
        security: operation.security ?? doc.security ?? [],
      });
    }
  }
  return found;
}

/** @param {Comparison} comparison @param {string} where @param {Node} a @param {Node} b */
function compareOperation(comparison, where, a, b) {
  if (a.operationId !== b.operationId) {
    // Generated types name operations by id (`operations["listOrganizationMembers"]`).
    comparison.report("breaking", "operation-id-changed", where, `operationId ${a.operationId} → ${b.operationId}`);
  }
  compareParameters(comparison, where, a.parameters, b.parameters);
  compareRequestBody(comparison, where, a.requestBody, b.requestBody);
  compareResponses(comparison, where, a.responses ?? {}, b.responses ?? {});
  compareSecurity(comparison, where, a.security, b.security);
  const handled = new Set(["operationId", "parameters", "requestBody", "responses", "security"]);
  comparison.reportRest(a, b, where, handled);
}

/**
 * @param {Comparison} comparison @param {string} operation
 * @param {Map<string, Node>} before @param {Map<string, Node>} after
 */
function compareParameters(comparison, operation, before, after) {
  for (const [key, a] of before) {
    const where = `${operation} · parameter ${key}`;
    const b = after.get(key);
    if (b === undefined) {
      comparison.report("breaking", "parameter-removed", where, "removed");
      continue;
    }
    if (!a.required && b.required) comparison.report("breaking", "parameter-became-required", where, "now required");
    if (a.required && !b.required)
      comparison.report("non-breaking", "parameter-became-optional", where, "now optional");
    compareSchema(comparison, "request", where, a.schema, b.schema);
    comparison.reportRest(a, b, where, new Set(["name", "in", "required", "schema"]));
  }
  for (const [key, b] of after) {
    if (before.has(key)) continue;
    const where = `${operation} · parameter ${key}`;
    if (b.required) comparison.report("breaking", "required-parameter-added", where, "added, required");
    else comparison.report("non-breaking", "optional-parameter-added", where, "added, optional");
  }
}

/**
 * @param {Comparison} comparison @param {string} operation
 * @param {Node | undefined} aNode @param {Node | undefined} bNode
 */
function compareRequestBody(comparison, operation, aNode, bNode) {
  const where = `${operation} · request body`;
  if (aNode === undefined && bNode === undefined) return;
  if (bNode === undefined) {
    comparison.report("breaking", "request-body-removed", where, "removed");
    return;
  }
  const b = resolve(comparison.head, bNode, where).node;
  if (aNode === undefined) {
    if (b.required) comparison.report("breaking", "required-request-body-added", where, "added, required");
    else comparison.report("non-breaking", "request-body-added", where, "added, optional");
    return;
  }
  const a = resolve(comparison.base, aNode, where).node;
  if (!a.required && b.required) comparison.report("breaking", "request-body-became-required", where, "now required");
  if (a.required && !b.required)
    comparison.report("non-breaking", "request-body-became-optional", where, "now optional");
  compareContent(comparison, "request", where, a.content ?? {}, b.content ?? {});
  comparison.reportRest(a, b, where, new Set(["required", "content"]));
}

/**
 * @param {Comparison} comparison @param {string} operation
 * @param {Node} before @param {Node} after
 */
function compareResponses(comparison, operation, before, after) {
  for (const [status, aNode] of Object.entries(before)) {
    const where = `${operation} · response ${status}`;
    const bNode = after[status];
    if (bNode === undefined) {
      // A client reads its success bodies; an error status it no longer gets costs it nothing.
      const success = status.startsWith("2");
      comparison.report(success ? "breaking" : "non-breaking", "response-removed", where, "removed");
      continue;
    }
    const a = resolve(comparison.base, aNode, where).node;
    const b = resolve(comparison.head, bNode, where).node;
    compareHeaders(comparison, where, a.headers ?? {}, b.headers ?? {});
    compareContent(comparison, "response", where, a.content ?? {}, b.content ?? {});
    comparison.reportRest(a, b, where, new Set(["headers", "content"]));
  }
  for (const status of Object.keys(after)) {
    if (!(status in before)) {
      comparison.report("non-breaking", "response-added", `${operation} · response ${status}`, "added");
    }
  }
}

/**
 * @param {Comparison} comparison @param {string} response
 * @param {Node} before @param {Node} after
 */
function compareHeaders(comparison, response, before, after) {
  const byName = (/** @type {Node} */ headers) =>
    new Map(Object.entries(headers).map(([name, header]) => [name.toLowerCase(), header]));
  const a = byName(before);
  const b = byName(after);
  for (const [name, aNode] of a) {
    const where = `${response} · header ${name}`;
    const bNode = b.get(name);
    if (bNode === undefined) {
      comparison.report("breaking", "header-removed", where, "removed");
      continue;
    }
    const aHeader = resolve(comparison.base, aNode, where).node;
    const bHeader = resolve(comparison.head, bNode, where).node;
    if (aHeader.required && !bHeader.required)
      comparison.report("breaking", "header-became-optional", where, "now optional");
    if (!aHeader.required && bHeader.required)
      comparison.report("non-breaking", "header-became-required", where, "now required");
    compareSchema(comparison, "response", where, aHeader.schema, bHeader.schema);
    comparison.reportRest(aHeader, bHeader, where, new Set(["required", "schema"]));
  }
  for (const name of b.keys()) {
    if (!a.has(name)) comparison.report("non-breaking", "header-added", `${response} · header ${name}`, "added");
  }
}

/**
 * @param {Comparison} comparison @param {import("./document.mjs").Direction} direction @param {string} where
 * @param {Node} before @param {Node} after
 */
function compareContent(comparison, direction, where, before, after) {
  for (const [type, aNode] of Object.entries(before)) {
    const at = `${where} · ${type}`;
    const a = objectAt(aNode, at);
    if (after[type] === undefined) {
      comparison.report("breaking", "media-type-removed", at, "removed");
      continue;
    }
    const b = objectAt(after[type], at);
    compareSchema(comparison, direction, `${at} body`, a.schema, b.schema);
    comparison.reportRest(a, b, at, new Set(["schema"]));
  }
  for (const type of Object.keys(after)) {
    if (!(type in before)) comparison.report("non-breaking", "media-type-added", `${where} · ${type}`, "added");
  }
}

/**
 * Security is a list of alternatives: a client needs one. Losing one can lock its token out.
 * @param {Comparison} comparison @param {string} where @param {Node[]} before @param {Node[]} after
 */
function compareSecurity(comparison, where, before, after) {
  const a = before.map((requirement) => JSON.stringify(requirement));
  const b = after.map((requirement) => JSON.stringify(requirement));
  for (const requirement of a.filter((r) => !b.includes(r))) {
    comparison.report("breaking", "security-requirement-removed", where, `${requirement} removed`);
  }
  for (const requirement of b.filter((r) => !a.includes(r))) {
    comparison.report("non-breaking", "security-requirement-added", where, `${requirement} added`);
  }
}

/** @param {Comparison} comparison @param {Node[]} before @param {Node[]} after */
function compareServers(comparison, before, after) {
  const a = before.map((server) => server.url);
  const b = after.map((server) => server.url);
  for (const url of a.filter((u) => !b.includes(u)))
    comparison.report("breaking", "server-removed", "servers", `${url} removed`);
  for (const url of b.filter((u) => !a.includes(u)))
    comparison.report("non-breaking", "server-added", "servers", `${url} added`);
  // A server's description is documentation.
  if (same(a, b) && !same(before, after))
    comparison.report("annotation", "annotation", "servers", "description changed");
}
