import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import type { OperationId, PATH_PARAMETERS } from "@sentry-org-api/types/protocol";

/** The parts of the bundled document this package reads. */
export interface OpenApiDocument {
  paths: Record<string, PathItem>;
}
export interface Reference {
  $ref: string;
}
export interface PathItem {
  parameters: (Parameter | Reference)[];
  get: Operation;
}
export interface Parameter {
  name: string;
  in: string;
}
export interface Operation {
  operationId: OperationId;
  responses: Record<string, ResponseObject | Reference>;
}
export interface ResponseObject {
  content?: Record<string, unknown>;
  headers?: Record<string, HeaderObject | Reference>;
}
export interface HeaderObject {
  required?: boolean;
  schema: { type?: string };
}

export const spec = bundled as unknown as OpenApiDocument;

/** Follows a local `$ref` (`#/components/...`) to what it names. */
export function resolve<T extends object>(node: T | Reference): T {
  if (!("$ref" in node)) return node;
  let target: unknown = bundled;
  for (const key of locationOf(node, [])) target = (target as Record<string, unknown>)[key];
  return target as T;
}

export type { OperationId };

/** The path parameter that names the organization; typed, so that a spec renaming it fails to compile here. */
export const ORGANIZATION_PARAMETER: keyof typeof PATH_PARAMETERS = "organization_id_or_slug";

/** Where a node sits in the document: its `$ref` target when it is a reference, else `fallback`. */
export const locationOf = (node: object, fallback: string[]): string[] =>
  "$ref" in node && typeof node.$ref === "string"
    ? node.$ref
        .split("/")
        .slice(1)
        .map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~"))
    : fallback;

export const specPointer = (...segments: string[]) =>
  `spec#/${segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
