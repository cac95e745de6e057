import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// Apart from spec.ts, so that the mock, which reads the spec but validates nothing, bundles without Ajv.
/** Ajv over the bundled document (or a tiny one in tests), so that a JSON pointer into it is a compilable schema. */
export function createSpecAjv(options: { allErrors: boolean }, document: object = bundled) {
  const ajv = new Ajv2020({ ...options, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  // The document around the schemas is not JSON Schema; these keys only carry schemas and data.
  ajv.addVocabulary(["openapi", "info", "servers", "tags", "paths", "components", "example"]);
  ajv.addSchema(document, "spec");
  return ajv;
}
