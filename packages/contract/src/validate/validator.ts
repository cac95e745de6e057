import { findRelation, type LinkRelation, pageLink, parseLink } from "@sentry-org-api/types/protocol";
import type { ValidateFunction } from "ajv";
import { locationOf, type OperationId, resolve, spec, specPointer } from "../spec.js";
import { type BodyExplainer, createBodyExplainer } from "./body-explainer.js";
import { createSpecAjv } from "./spec-ajv.js";

/** A response as received: the raw body text, before any parsing. */
export interface ResponseToValidate {
  method: string;
  /** The request URL: absolute, or a path with its query. */
  url: string;
  status: number;
  headers: Headers | Record<string, string | string[] | undefined>;
  body: string;
}

export interface Violation {
  /** The operationId, or `METHOD path` when no operation matches. */
  operation: string;
  /** Where: `path`, `status`, `header Link`, `body`, `body/3/user/id`, ... */
  place: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  operation: OperationId | undefined;
  violations: Violation[];
}

export interface ValidatorOptions {
  /**
   * Origins besides the request's that `Link` URLs may name. sentry.io can answer with its
   * customer domain (`https://acme.sentry.io`) when called on `https://sentry.io`.
   */
  trustedLinkOrigins?: string[];
  /** A body of more bytes (UTF-8) than this is one violation, and is not parsed. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Violations listed per response; one closing violation counts the rest. Default 50. */
  maxViolations?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_VIOLATIONS = 50;

export interface ResponseValidator {
  /** Checks a response against the spec. Never throws: every problem is a violation. */
  validateResponse(response: ResponseToValidate): ValidationResult;
}

interface CompiledSchema {
  /** Stops at the first error: the fast path for valid values. */
  check: ValidateFunction;
  /** Where the schema sits in the spec, for the explainer. */
  location: string[];
}

interface CompiledHeader {
  name: string;
  required: boolean;
  type: "link" | "integer" | "string";
  schema: CompiledSchema;
}

interface CompiledResponse {
  contentTypes: Map<string, CompiledSchema>;
  headers: CompiledHeader[];
}

interface CompiledOperation {
  operationId: OperationId;
  segments: string[];
  pathParameters: Map<number, { name: string; schema: CompiledSchema }>;
  responses: Map<number, CompiledResponse>;
}

interface CompiledSpec {
  operations: CompiledOperation[];
  explainer: BodyExplainer;
}

const RELATIVE_BASE = "http://relative.invalid";
const OPTION_NAMES = ["trustedLinkOrigins", "maxBodyBytes", "maxViolations"];

const excerpt = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

const describeValue = (value: unknown) =>
  value === null || value === undefined
    ? String(value)
    : Array.isArray(value)
      ? "an array"
      : typeof value === "object"
        ? "an object"
        : `a ${typeof value}`;

const count = (n: number) => n.toLocaleString("en-US");

/** UTF-8 takes 1 to 3 bytes per UTF-16 unit, so the length alone settles most bodies without encoding them. */
const exceedsBytes = (text: string, limit: number) =>
  text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text, "utf8") > limit);

/** A header as given (a string, or an array of them, when well formed); `undefined` when absent. */
function rawHeader(headers: object, name: string): unknown {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** The violations of one response, each named after the operation as far as it is known yet. */
class ViolationList {
  operation = "(unknown operation)";
  operationId: OperationId | undefined;
  readonly items: Violation[] = [];
  add(place: string, message: string) {
    this.items.push({ operation: this.operation, place, message });
  }
}

let compiled: CompiledSpec | undefined;

/** Compiling the spec takes about half a second, so every validator in the process shares one. */
function compiledSpec(): CompiledSpec {
  if (compiled) return compiled;
  const checkAjv = createSpecAjv({ allErrors: false });
  const explainer = createBodyExplainer(spec, checkAjv, createSpecAjv({ allErrors: true }));
  const compile = (location: string[]): CompiledSchema => ({
    check: checkAjv.compile({ $ref: specPointer(...location) }),
    location,
  });

  const operations: CompiledOperation[] = Object.entries(spec.paths).map(([path, item]) => {
    const operation = item.get;
    const segments = path.split("/");
    const pathParameters = new Map<number, { name: string; schema: CompiledSchema }>();
    for (const [index, parameterRef] of item.parameters.entries()) {
      const parameter = resolve(parameterRef);
      const position = segments.indexOf(`{${parameter.name}}`);
      if (parameter.in === "path" && position !== -1) {
        pathParameters.set(position, {
          name: parameter.name,
          schema: compile([...locationOf(parameterRef, ["paths", path, "parameters", String(index)]), "schema"]),
        });
      }
    }
    const responses = new Map<number, CompiledResponse>();
    for (const [status, responseRef] of Object.entries(operation.responses)) {
      const response = resolve(responseRef);
      const base = ["paths", path, "get", "responses", status];
      const where = locationOf(responseRef, base);
      const contentTypes = new Map<string, CompiledSchema>();
      for (const mediaType of Object.keys(response.content ?? {})) {
        contentTypes.set(mediaType, compile([...where, "content", mediaType, "schema"]));
      }
      const headers = Object.entries(response.headers ?? {}).map(([name, headerRef]) => {
        const header = resolve(headerRef);
        return {
          name,
          required: header.required === true,
          type: name === "Link" ? "link" : header.schema.type === "integer" ? "integer" : "string",
          schema: compile([...locationOf(headerRef, [...where, "headers", name]), "schema"]),
        } satisfies CompiledHeader;
      });
      responses.set(Number(status), { contentTypes, headers });
    }
    return { operationId: operation.operationId, segments, pathParameters, responses };
  });
  compiled = { operations, explainer };
  return compiled;
}

/** Rejects options a typo or a wrong type would otherwise quietly ignore. */
function checkOptions(options: unknown): Required<ValidatorOptions> {
  const fail = (message: string): never => {
    throw new TypeError(`invalid validator options: ${message}`);
  };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return fail(`expected an object, got ${describeValue(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.includes(name)) fail(`unknown option "${name}" (known: ${OPTION_NAMES.join(", ")})`);
  }
  const given = options as ValidatorOptions;
  const origins = given.trustedLinkOrigins ?? [];
  if (!Array.isArray(origins)) fail(`trustedLinkOrigins is ${describeValue(origins)}, expected an array of origins`);
  const trustedLinkOrigins = origins.map((origin: unknown) => {
    const parsed = typeof origin === "string" && URL.canParse(origin) ? new URL(origin) : undefined;
    // Any other scheme has the opaque origin "null", which would trust every data: or file: URL.
    if (parsed?.protocol !== "http:" && parsed?.protocol !== "https:") {
      return fail(
        `trustedLinkOrigins has ${typeof origin === "string" ? excerpt(origin) : describeValue(origin)}, expected an http(s) origin such as "https://acme.sentry.io"`,
      );
    }
    return parsed.origin;
  });
  const positiveInteger = (name: "maxBodyBytes" | "maxViolations", fallback: number) => {
    const value = given[name] ?? fallback;
    if (!Number.isSafeInteger(value) || value < 1) {
      fail(`${name} is ${typeof value === "number" ? value : describeValue(value)}, expected a positive integer`);
    }
    return value;
  };
  return {
    trustedLinkOrigins,
    maxBodyBytes: positiveInteger("maxBodyBytes", DEFAULT_MAX_BODY_BYTES),
    maxViolations: positiveInteger("maxViolations", DEFAULT_MAX_VIOLATIONS),
  };
}

/**
 * A validator for responses of the spec's operations. Throws a TypeError for invalid options; the
 * compiled spec is shared, so creating more validators is cheap.
 */
export function createValidator(options: ValidatorOptions = {}): ResponseValidator {
  const { maxBodyBytes, maxViolations, ...checked } = checkOptions(options);
  const trustedLinkOrigins = new Set(checked.trustedLinkOrigins);
  const { operations, explainer } = compiledSpec();

  const firstError = (schema: CompiledSchema, value: unknown) =>
    explainer.explain(schema.location, value, 1).listed[0]?.message ?? "is invalid";

  function validateResponse(response: ResponseToValidate): ValidationResult {
    const violations = new ViolationList();
    try {
      checkResponse(response as unknown, violations);
    } catch (error) {
      // What was thrown may be anything, even an object without a way to become a string.
      const reason = error instanceof Error ? error.message : typeof error === "string" ? error : "a non-Error value";
      violations.add("validator", `could not check the response: ${reason}`);
    }
    return { valid: violations.items.length === 0, operation: violations.operationId, violations: violations.items };
  }

  function checkResponse(response: unknown, violations: ViolationList) {
    const report = violations.add.bind(violations);
    if (typeof response !== "object" || response === null) {
      report(
        "response",
        `is ${describeValue(response)}, expected an object with method, url, status, headers and body`,
      );
      return;
    }
    const { method, url, status, headers, body } = response as Record<string, unknown>;
    if (typeof method !== "string") report("method", `is ${describeValue(method)}, expected a string such as "GET"`);
    if (typeof url !== "string") report("url", `is ${describeValue(url)}, expected a string`);
    if (typeof method !== "string" || typeof url !== "string") return;
    if (!URL.canParse(url, RELATIVE_BASE)) {
      report("url", `${excerpt(url)} is not a URL or a path`);
      return;
    }
    const requestUrl = new URL(url, RELATIVE_BASE);
    const operationName = `${method.toUpperCase()} ${requestUrl.pathname}`;
    violations.operation = operationName;
    const segments = requestUrl.pathname.split("/");
    const matched =
      method.toUpperCase() === "GET"
        ? operations.find(
            (op) =>
              op.segments.length === segments.length &&
              op.segments.every((segment, i) => op.pathParameters.has(i) || segment === segments[i]),
          )
        : undefined;
    if (!matched) {
      report("path", `no documented operation for ${operationName}`);
      return;
    }
    violations.operation = matched.operationId;
    violations.operationId = matched.operationId;
    for (const [position, parameter] of matched.pathParameters) {
      let value: string;
      try {
        value = decodeURIComponent(segments[position] ?? "");
      } catch {
        report(`path ${parameter.name}`, "is not valid percent-encoding");
        continue;
      }
      if (!parameter.schema.check(value)) {
        report(`path ${parameter.name}`, `${excerpt(value)} ${firstError(parameter.schema, value)}`);
      }
    }
    if (typeof status !== "number" || !Number.isInteger(status)) {
      report("status", `is ${typeof status === "number" ? status : describeValue(status)}, expected an integer`);
      return;
    }
    const documented = matched.responses.get(status);
    if (!documented) {
      const statuses = [...matched.responses.keys()].join(", ");
      report("status", `${status} is not documented (documented: ${statuses})`);
      return;
    }
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
      report("headers", `are ${describeValue(headers)}, expected a Headers or a record of header values`);
      return;
    }
    /** A header's text; `undefined` when absent, `null` when present but not text (reported). */
    const header = (name: string): string | undefined | null => {
      const value = rawHeader(headers, name);
      if (value === undefined || typeof value === "string") return value;
      if (Array.isArray(value) && value.every((part) => typeof part === "string")) return value.join(", ");
      report(`header ${name}`, `is ${describeValue(value)}, expected a string or an array of strings`);
      return null;
    };
    checkHeaders(documented, header, requestUrl, report);
    checkBody(documented, header("Content-Type"), body, violations);
  }

  function checkHeaders(
    documented: CompiledResponse,
    header: (name: string) => string | undefined | null,
    requestUrl: URL,
    report: (place: string, message: string) => void,
  ) {
    for (const { name, required, type, schema } of documented.headers) {
      const value = header(name);
      const place = `header ${name}`;
      if (value === null) continue;
      if (value === undefined) {
        if (required) report(place, "is missing");
        continue;
      }
      if (type === "link") {
        checkLink(value, requestUrl, (message) => report(place, message));
      } else if (type === "integer") {
        if (!/^-?\d{1,16}$/.test(value.trim())) report(place, `${excerpt(value)} is not an integer`);
        else if (!schema.check(Number(value))) report(place, `${value} ${firstError(schema, Number(value))}`);
      } else if (!schema.check(value)) {
        report(place, `${excerpt(value)} ${firstError(schema, value)}`);
      }
    }
  }

  /** Reads the header as the client does, so that a `Link` passing here is one the client can page with. */
  function checkLink(value: string, requestUrl: URL, report: (message: string) => void) {
    let relations: LinkRelation[];
    try {
      relations = parseLink(value);
    } catch (error) {
      report(`is malformed: ${(error as Error).message}`);
      return;
    }
    const requestOrigin = requestUrl.origin === RELATIVE_BASE ? undefined : requestUrl.origin;
    for (const rel of ["previous", "next"] as const) {
      try {
        pageLink(relations, rel);
      } catch (error) {
        report((error as Error).message);
      }
      const relation = findRelation(relations, rel);
      if (!relation) continue;
      let origin: string;
      try {
        origin = new URL(relation.url).origin;
      } catch {
        report(`rel="${rel}" URL ${excerpt(relation.url)} is not an absolute URL`);
        continue;
      }
      if (requestOrigin && origin !== requestOrigin && !trustedLinkOrigins.has(origin)) {
        report(`rel="${rel}" points at ${origin}, not the request's origin ${requestOrigin}`);
      }
    }
  }

  function checkBody(
    documented: CompiledResponse,
    contentType: string | undefined | null,
    body: unknown,
    violations: ViolationList,
  ) {
    const report = violations.add.bind(violations);
    if (documented.contentTypes.size === 0) return;
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
    let schema = mediaType === undefined ? undefined : documented.contentTypes.get(mediaType);
    if (!schema) {
      const expected = [...documented.contentTypes.keys()].join(", ");
      if (contentType !== null) {
        report(
          "header Content-Type",
          `${contentType === undefined ? "is missing" : excerpt(contentType)}; expected ${expected}`,
        );
      }
      schema = documented.contentTypes.values().next().value as CompiledSchema;
    }
    if (typeof body !== "string") {
      report("body", `is ${describeValue(body)}, expected the raw response text`);
      return;
    }
    if (exceedsBytes(body, maxBodyBytes)) {
      report("body", `is over ${count(maxBodyBytes)} bytes (maxBodyBytes), so it was not parsed`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      if (mediaType?.includes("json") !== false) {
        report("body", body === "" ? "is empty" : `is not valid JSON (${(error as Error).message}): ${excerpt(body)}`);
        return;
      }
      parsed = body;
    }
    if (schema.check(parsed)) return;
    const { listed, unlisted } = explainer.explain(
      schema.location,
      parsed,
      Math.max(0, maxViolations - violations.items.length),
    );
    for (const finding of listed) report(`body${finding.place}`, finding.message);
    if (unlisted > 0) {
      report(
        "body",
        `and at least ${count(unlisted)} more violations, not listed (the list stops at ${maxViolations})`,
      );
    }
  }

  return { validateResponse };
}
