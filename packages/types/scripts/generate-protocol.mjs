// Writes src/generated/protocol.ts, the protocol facts that code needs at run time, from the
// bundled spec: `node scripts/generate-protocol.mjs [--check] [output]`.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * @typedef {{ $ref: string }} Reference
 * @typedef {{ type?: string, pattern?: string, minLength?: number, maxLength?: number, minimum?: number, maximum?: number, default?: unknown }} Schema
 * @typedef {{ name: string, in: string, schema?: Schema }} Parameter
 * @typedef {{ required?: boolean, schema?: Schema }} Header
 * @typedef {{ headers?: Record<string, Header | Reference> }} ResponseObject
 * @typedef {{ requests: unknown, windowSeconds: unknown }} RateLimitExtension
 * @typedef {{ operationId: string, parameters?: (Parameter | Reference)[], responses: Record<string, ResponseObject | Reference>, security?: Record<string, string[]>[], "x-sentry-rate-limit"?: RateLimitExtension }} Operation
 * @typedef {{ parameters?: (Parameter | Reference)[], get: Operation }} PathItem
 * @typedef {{ paths: Record<string, PathItem> }} OpenApiDocument
 */

const RATE_LIMIT_PREFIX = "x-sentry-rate-limit-";
const HITS_HEADER = "x-hits";

/**
 * The source of src/generated/protocol.ts for `spec` (the bundled document) and the packages' `version`.
 * Throws when the spec states a fact two ways, since the module could then only keep one of them.
 * @param {OpenApiDocument} spec
 * @param {string} version
 */
export function generateProtocol(spec, version) {
  /** @type {<T extends object>(node: T | Reference) => T} */
  const resolve = (node) => {
    if (!("$ref" in node)) return node;
    /** @type {any} */
    let target = spec;
    for (const key of node.$ref.split("/").slice(1)) target = target[key.replaceAll("~1", "/").replaceAll("~0", "~")];
    if (target === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
    return target;
  };

  const operations = Object.entries(spec.paths).map(([path, item]) => ({
    path,
    operation: item.get,
    parameters: [...(item.parameters ?? []), ...(item.get.parameters ?? [])].map(resolve),
    responses: Object.entries(item.get.responses).map(
      ([status, response]) => /** @type {const} */ ([status, resolve(response)]),
    ),
  }));
  const paginated = operations.filter(({ responses }) =>
    Object.keys(responses.find(([status]) => status === "200")?.[1].headers ?? {}).some(
      (name) => name.toLowerCase() === "link",
    ),
  );

  /** @type {Record<string, object>} */
  const pathParameters = {};
  for (const { parameters } of operations) {
    for (const { name, in: location, schema = {} } of parameters) {
      if (location !== "path") continue;
      const { pattern, minLength, maxLength } = schema;
      if (pattern === undefined) throw new Error(`path parameter ${name} has no pattern`);
      // Compiled as JSON Schema validators compile it; `String` gives a literal with `/` escaped.
      const rule = { pattern: new Raw(String(new RegExp(pattern, "u"))), minLength, maxLength };
      pathParameters[name] = agree(`path parameter ${name}`, pathParameters[name], rule);
    }
  }

  /** @type {object | undefined} */
  let perPage;
  for (const { operation, parameters } of paginated) {
    const schema = parameters.find((parameter) => parameter.name === "per_page" && parameter.in === "query")?.schema;
    if (!schema) throw new Error(`${operation.operationId} paginates but has no per_page`);
    const { minimum, maximum } = schema;
    perPage = agree("per_page", perPage, { minimum, maximum, default: schema.default });
  }

  /** @type {Record<string, string>} */
  const rateLimitHeaders = {};
  /** @type {number | undefined} */
  let hitsMaximum;
  /** @type {Record<string, Record<string, Record<string, boolean>>>} */
  const responseHeaders = {};
  for (const { operation, responses } of operations) {
    /** @type {Record<string, Record<string, boolean>>} */
    const byStatus = {};
    for (const [status, response] of responses) {
      /** @type {Record<string, boolean>} */
      const headers = {};
      for (const [name, header] of Object.entries(response.headers ?? {})) {
        const lowerCase = name.toLowerCase();
        headers[lowerCase] = resolve(header).required === true;
        if (lowerCase === HITS_HEADER)
          hitsMaximum = agree("X-Hits maximum", hitsMaximum, resolve(header).schema?.maximum);
        if (lowerCase.startsWith(RATE_LIMIT_PREFIX)) {
          rateLimitHeaders[camelCase(name.slice(RATE_LIMIT_PREFIX.length))] = lowerCase;
        }
      }
      byStatus[status] = headers;
    }
    responseHeaders[operation.operationId] = byStatus;
  }

  /** @type {Record<string, { requests: number, windowSeconds: number }>} */
  const rateLimits = {};
  for (const { operation } of operations) {
    const limit = operation["x-sentry-rate-limit"];
    if (limit === undefined) continue;
    const { requests, windowSeconds } = limit;
    if (!isPositiveInteger(requests) || !isPositiveInteger(windowSeconds)) {
      throw new Error(
        `${operation.operationId}: x-sentry-rate-limit needs positive integers requests and windowSeconds`,
      );
    }
    rateLimits[operation.operationId] = { requests, windowSeconds };
  }

  if (!isPositiveInteger(hitsMaximum))
    throw new Error("X-Hits needs an integer schema maximum: the count Sentry stops at");
  const operationScopes = Object.fromEntries(
    operations.map(({ operation }) => [
      operation.operationId,
      [...new Set((operation.security ?? []).flatMap((requirement) => Object.values(requirement).flat()))],
    ]),
  );
  const operationPaths = Object.fromEntries(operations.map(({ path, operation }) => [operation.operationId, path]));
  const paginatedIds = paginated.map(({ operation }) => operation.operationId);
  return [
    "// Generated by scripts/generate-protocol.mjs from the bundled spec (openapi/dist/openapi.json): do",
    "// not edit. `npm run generate` rewrites it; `npm run check:generated` fails when it is stale.",
    "",
    "/** The version of every sentry-org-api package. */",
    constant("VERSION", version, ";"),
    "",
    "/** The client's User-Agent product token. */",
    constant("USER_AGENT", `sentry-org-api/${version}`, ";"),
    "",
    "/** Every operation in the spec. */",
    constant("OPERATION_IDS", Object.keys(operationPaths)),
    "export type OperationId = (typeof OPERATION_IDS)[number];",
    "",
    "/** Each operation's path template. */",
    constant("OPERATION_PATHS", operationPaths, " as const satisfies Record<OperationId, string>;"),
    "",
    "/** The operations whose `200` documents a `Link` header: they are paged with `cursor` and `per_page`. */",
    constant("PAGINATED_OPERATIONS", paginatedIds, " as const satisfies readonly OperationId[];"),
    "export type PaginatedOperationId = (typeof PAGINATED_OPERATIONS)[number];",
    "",
    "/** The paths of the paginated operations. */",
    constant(
      "PAGINATED_PATHS",
      paginated.map(({ path }) => path),
    ),
    "export type PaginatedPath = (typeof PAGINATED_PATHS)[number];",
    "",
    "/** The rules of each path parameter; `pattern` has the `u` flag, as JSON Schema validators compile it. */",
    constant("PATH_PARAMETERS", pathParameters),
    "",
    "/** The `per_page` query parameter of every paginated operation. */",
    constant("PER_PAGE", perPage ?? {}),
    "",
    "/** The rate-limit headers, lower-case, by the field they fill. */",
    constant("RATE_LIMIT_HEADERS", rateLimitHeaders),
    "",
    "/** The `X-Hits` header: the total a list matches, counted up to `maximum`. */",
    constant("X_HITS", { header: HITS_HEADER, maximum: hitsMaximum }),
    "",
    "/** The headers each answer documents (lower-case), by operation and status: `true` when required. */",
    constant(
      "RESPONSE_HEADERS",
      responseHeaders,
      " as const satisfies Record<OperationId, Record<string, Record<string, boolean>>>;",
    ),
    "",
    "/** The token scopes each operation accepts, any one of them, least privilege first as the spec lists them. */",
    constant("OPERATION_SCOPES", operationScopes, " as const satisfies Record<OperationId, readonly string[]>;"),
    "",
    "/** The request rate sentry.io allows, for operations whose spec states it (`x-sentry-rate-limit`). */",
    constant(
      "OPERATION_RATE_LIMITS",
      rateLimits,
      " as const satisfies Partial<Record<OperationId, { requests: number; windowSeconds: number }>>;",
    ),
    "",
  ].join("\n");
}

/** Source text that `literal` writes as it is. */
class Raw {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

const LINE_WIDTH = 120;

/**
 * `value` as TypeScript source, laid out as biome lays it out: on one line when it fits, else one
 * entry a line (biome joins arrays that fit, and keeps objects as they are written).
 * @param {unknown} value
 * @param {string} indent of the line the value starts on
 * @param {number} around characters on that line besides the value
 * @returns {string}
 */
function literal(value, indent = "", around = 0) {
  if (value instanceof Raw) return value.text;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((item) => literal(item, inner, inner.length + 1))
    : Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => {
          const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
          return `${name}: ${literal(item, inner, inner.length + name.length + 3)}`;
        });
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{ ", " }"];
  const oneLine = entries.length === 0 ? open.trim() + close.trim() : `${open}${entries.join(", ")}${close}`;
  if (!oneLine.includes("\n") && around + oneLine.length <= LINE_WIDTH) return oneLine;
  return `${open.trim()}\n${entries.map((entry) => `${inner}${entry},`).join("\n")}\n${indent}${close.trim()}`;
}

/**
 * `export const name = value` and what follows it on the line.
 * @param {string} name
 * @param {unknown} value
 * @param {string} rest
 */
function constant(name, value, rest = " as const;") {
  const start = `export const ${name} = `;
  return `${start}${literal(value, "", start.length + rest.length)}${rest}`;
}

/**
 * The rule, unless another operation already stated a different one.
 * @template T
 * @param {string} what
 * @param {T | undefined} previous
 * @param {T} rule
 */
function agree(what, previous, rule) {
  if (previous !== undefined && literal(previous) !== literal(rule)) {
    throw new Error(`${what} differs between operations: ${literal(previous)} and ${literal(rule)}`);
  }
  return rule;
}

/** @param {string} name `ConcurrentLimit` → `concurrentLimit` */
const camelCase = (name) =>
  name
    .split("-")
    .map((word, index) => (index === 0 ? word.charAt(0).toLowerCase() : word.charAt(0).toUpperCase()) + word.slice(1))
    .join("");

/** @param {unknown} value @returns {value is number} */
const isPositiveInteger = (value) => Number.isInteger(value) && /** @type {number} */ (value) > 0;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const output = args.find((arg) => arg !== "--check") ?? "src/generated/protocol.ts";
  const packageDir = new URL("../", import.meta.url);
  const spec = JSON.parse(await readFile(new URL("../../openapi/dist/openapi.json", packageDir), "utf8"));
  const { version } = JSON.parse(await readFile(new URL("package.json", packageDir), "utf8"));
  const source = generateProtocol(spec, version);
  if (!check) {
    await writeFile(output, source);
  } else if ((await readFile(output, "utf8").catch(() => "")) !== source) {
    console.error(`${output} is stale: run \`npm run generate\` after changing the spec or the version`);
    process.exitCode = 1;
  }
}
