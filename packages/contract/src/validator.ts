import type { ErrorObject, ValidateFunction } from "ajv";
import { parseLinkHeader } from "./link-header.js";
import { createSpecAjv, locationOf, type OperationId, resolve, spec, specPointer } from "./spec.js";

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
}

export interface ResponseValidator {
  /** Checks a response against the spec. Never throws: every problem is a violation. */
  validateResponse(response: ResponseToValidate): ValidationResult;
}

interface CompiledSchema {
  /** Stops at the first error: the fast path for valid bodies. */
  check: ValidateFunction;
  /** Every error in an invalid value; compiled on first use. */
  explain: (value: unknown) => ErrorObject[];
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

const headerValue = (headers: ResponseToValidate["headers"], name: string): string | undefined => {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value.join(", ") : value;
  }
  return undefined;
};

const describeAjvError = (error: ErrorObject) =>
  error.keyword === "enum"
    ? `${error.message}: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`
    : (error.message ?? "is invalid");

const firstError = (schema: CompiledSchema, value: unknown) => {
  const [error] = schema.explain(value);
  return error ? describeAjvError(error) : "is invalid";
};

const excerpt = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

export function createValidator(options: ValidatorOptions = {}): ResponseValidator {
  const checkAjv = createSpecAjv({ allErrors: false });
  const explainAjv = createSpecAjv({ allErrors: true });
  const trustedLinkOrigins = new Set(options.trustedLinkOrigins?.map((origin) => new URL(origin).origin));

  const compile = (pointer: string): CompiledSchema => {
    let explain: ValidateFunction | undefined;
    return {
      check: checkAjv.compile({ $ref: pointer }),
      explain: (value) => {
        explain ??= explainAjv.compile({ $ref: pointer });
        explain(value);
        return explain.errors ?? [];
      },
    };
  };

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
          schema: compile(
            specPointer(...locationOf(parameterRef, ["paths", path, "parameters", String(index)]), "schema"),
          ),
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
        contentTypes.set(mediaType, compile(specPointer(...where, "content", mediaType, "schema")));
      }
      const headers = Object.entries(response.headers ?? {}).map(([name, headerRef]) => {
        const header = resolve(headerRef);
        return {
          name,
          required: header.required === true,
          type: name === "Link" ? "link" : header.schema.type === "integer" ? "integer" : "string",
          schema: compile(specPointer(...locationOf(headerRef, [...where, "headers", name]), "schema")),
        } satisfies CompiledHeader;
      });
      responses.set(Number(status), { contentTypes, headers });
    }
    return { operationId: operation.operationId, segments, pathParameters, responses };
  });

  function validateResponse(response: ResponseToValidate): ValidationResult {
    const violations: Violation[] = [];
    let operationName = `${String(response.method).toUpperCase()} ${String(response.url)}`;
    let matched: CompiledOperation | undefined;
    const report = (place: string, message: string) => violations.push({ operation: operationName, place, message });
    try {
      const requestUrl = new URL(response.url, "http://relative.invalid");
      operationName = `${String(response.method).toUpperCase()} ${requestUrl.pathname}`;
      const segments = requestUrl.pathname.split("/");
      matched =
        response.method.toUpperCase() === "GET"
          ? operations.find(
              (op) =>
                op.segments.length === segments.length &&
                op.segments.every((segment, i) => op.pathParameters.has(i) || segment === segments[i]),
            )
          : undefined;
      if (!matched) {
        report("path", `no documented operation for ${operationName}`);
        return { valid: false, operation: undefined, violations };
      }
      operationName = matched.operationId;
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
      const documented = matched.responses.get(response.status);
      if (!documented) {
        const statuses = [...matched.responses.keys()].join(", ");
        report("status", `${response.status} is not documented (documented: ${statuses})`);
        return { valid: false, operation: matched.operationId, violations };
      }
      checkHeaders(documented, response, requestUrl, report);
      checkBody(documented, response, report);
    } catch (error) {
      report("validator", `could not check the response: ${(error as Error)?.message ?? String(error)}`);
    }
    return { valid: violations.length === 0, operation: matched?.operationId, violations: dedupe(violations) };
  }

  function checkHeaders(
    documented: CompiledResponse,
    response: ResponseToValidate,
    requestUrl: URL,
    report: (place: string, message: string) => void,
  ) {
    for (const header of documented.headers) {
      const value = headerValue(response.headers, header.name);
      const place = `header ${header.name}`;
      if (value === undefined) {
        if (header.required) report(place, "is missing");
        continue;
      }
      if (header.type === "link") {
        checkLink(value, requestUrl, (message) => report(place, message));
      } else if (header.type === "integer") {
        if (!/^-?\d{1,16}$/.test(value.trim())) report(place, `${excerpt(value)} is not an integer`);
        else if (!header.schema.check(Number(value)))
          report(place, `${value} ${firstError(header.schema, Number(value))}`);
      } else if (!header.schema.check(value)) {
        report(place, `${excerpt(value)} ${firstError(header.schema, value)}`);
      }
    }
  }

  function checkLink(value: string, requestUrl: URL, report: (message: string) => void) {
    let relations: ReturnType<typeof parseLinkHeader>;
    try {
      relations = parseLinkHeader(value);
    } catch (error) {
      report(`is malformed: ${(error as Error).message}`);
      return;
    }
    const requestOrigin = requestUrl.origin === "http://relative.invalid" ? undefined : requestUrl.origin;
    for (const rel of ["previous", "next"]) {
      const relation = relations.find((candidate) => candidate.params.rel === rel);
      if (!relation) {
        report(`has no rel="${rel}"`);
        continue;
      }
      const { results, cursor } = relation.params;
      if (results !== "true" && results !== "false") report(`rel="${rel}" has no results="true|false"`);
      if (!cursor) report(`rel="${rel}" has no cursor`);
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
    response: ResponseToValidate,
    report: (place: string, message: string) => void,
  ) {
    if (documented.contentTypes.size === 0) return;
    const contentType = headerValue(response.headers, "content-type");
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
    let schema = mediaType === undefined ? undefined : documented.contentTypes.get(mediaType);
    if (!schema) {
      const expected = [...documented.contentTypes.keys()].join(", ");
      report(
        "header Content-Type",
        `${contentType === undefined ? "is missing" : excerpt(contentType)}; expected ${expected}`,
      );
      schema = documented.contentTypes.values().next().value as CompiledSchema;
    }
    let body: unknown;
    if (typeof response.body !== "string") {
      report("body", `is a ${typeof response.body}, expected the raw response text`);
      return;
    }
    try {
      body = JSON.parse(response.body);
    } catch (error) {
      if (mediaType?.includes("json") !== false) {
        report(
          "body",
          response.body === ""
            ? "is empty"
            : `is not valid JSON (${(error as Error).message}): ${excerpt(response.body)}`,
        );
        return;
      }
      body = response.body;
    }
    if (schema.check(body)) return;
    for (const error of schema.explain(body)) {
      report(`body${error.instancePath}`, describeAjvError(error));
    }
  }

  return { validateResponse };
}

function dedupe(violations: Violation[]) {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.place}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
