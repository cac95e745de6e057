import { readFile } from "node:fs/promises";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const specUrl = new URL("../dist/openapi.json", import.meta.url);
export const spec = JSON.parse(await readFile(specUrl, "utf8"));

/** Ajv over the bundled document, so a JSON pointer into it is a compilable schema. */
export function createAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  // The document around the schemas is not JSON Schema; these keys only carry schemas and data.
  ajv.addVocabulary(["openapi", "info", "servers", "tags", "paths", "components", "example"]);
  ajv.addSchema(spec, "spec");
  return ajv;
}

export const pointer = (...segments: string[]) =>
  `spec#/${segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
