import { describe, expect, test } from "vitest";
import { createAjv, pointer, spec } from "./load-spec.js";

const ajv = createAjv();

type Found = { where: string; schemaRef: string; value: unknown };

/** Every example in the document, paired with the schema it illustrates. */
function collectExamples(): Found[] {
  const found: Found[] = [];
  const resolve = (node: { $ref?: string }) =>
    node.$ref
      ? node.$ref
          .split("/")
          .slice(1)
          .reduce((n: any, k) => n[k.replaceAll("~1", "/")], spec)
      : node;
  const exampleValues = (holder: any) => [
    ...(holder.example === undefined ? [] : [holder.example]),
    ...Object.values(holder.examples ?? {}).map((e: any) => resolve(e).value),
  ];
  const visitSchemaHolder = (holder: any, base: string[]) => {
    for (const value of exampleValues(holder)) {
      found.push({ where: base.join(" "), schemaRef: pointer(...base, "schema"), value });
    }
  };
  for (const [name, schema] of Object.entries<any>(spec.components.schemas)) {
    for (const value of schema.examples ?? []) {
      found.push({ where: `schema ${name}`, schemaRef: pointer("components", "schemas", name), value });
    }
  }
  for (const kind of ["parameters", "headers"]) {
    for (const [name, holder] of Object.entries<any>(spec.components[kind])) {
      visitSchemaHolder(holder, ["components", kind, name]);
    }
  }
  for (const [name, response] of Object.entries<any>(spec.components.responses)) {
    for (const type of Object.keys(response.content)) {
      visitSchemaHolder(response.content[type], ["components", "responses", name, "content", type]);
    }
  }
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const [status, response] of Object.entries<any>(item.get.responses)) {
      for (const type of Object.keys(response.content ?? {})) {
        visitSchemaHolder(response.content[type], ["paths", path, "get", "responses", status, "content", type]);
      }
    }
  }
  return found;
}

const examples = collectExamples();

describe("every example in the spec", () => {
  test("every response carries at least one example", () => {
    const responseTargets = [
      ...Object.keys(spec.components.responses).map((name) => `components responses ${name}`),
      ...Object.keys(spec.paths).map((path) => `paths ${path} get responses 200`),
    ];
    for (const target of responseTargets) {
      expect(
        examples.some((e) => e.where.startsWith(target)),
        target,
      ).toBe(true);
    }
  });

  test.each(examples.map((e) => [e.where, e] as const))("%s validates against its schema", (_, example) => {
    const validate = ajv.getSchema(example.schemaRef) ?? ajv.compile({ $ref: example.schemaRef });
    expect(validate(example.value), JSON.stringify(validate.errors)).toBe(true);
  });
});
