// The explainer on tiny documents, each with the schema it needs: where a finding is placed, how the
// applicators are followed, and that the work stays bounded by the document, not by the value.
import { describe, expect, test, vi } from "vitest";
import { createBodyExplainer } from "../src/validate/body-explainer.js";
import { createSpecAjv } from "../src/validate/spec-ajv.js";

/** An explainer over a document whose only schema is `schema`, and the Ajv it checks with. */
function explainerOf(schema: Record<string, unknown>) {
  const document = { components: { schemas: { Tested: schema } } };
  const checkAjv = createSpecAjv({ allErrors: false }, document);
  const explainer = createBodyExplainer(document, checkAjv, createSpecAjv({ allErrors: true }, document));
  const explain = (value: unknown, limit = 10) => explainer.explain(["components", "schemas", "Tested"], value, limit);
  return { explain, checkAjv };
}

describe("places", () => {
  test("a property name with ~ or / is escaped in the JSON pointer", () => {
    const { explain } = explainerOf({
      type: "object",
      properties: { "a~b": { type: "integer" }, "c/d": { type: "integer" } },
    });
    expect(explain({ "a~b": "x", "c/d": "y" }).listed).toEqual([
      { place: "/a~0b", message: "must be integer" },
      { place: "/c~1d", message: "must be integer" },
    ]);
  });

  test("an array where an object with properties is expected is one finding, its items are not read as properties", () => {
    const { explain } = explainerOf({ type: "object", properties: { "0": { type: "string" } } });
    expect(explain([5])).toEqual({ listed: [{ place: "", message: "must be object" }], unlisted: 0 });
    expect(explain(null)).toEqual({ listed: [{ place: "", message: "must be object" }], unlisted: 0 });
  });

  test("an array against a schema without items is one finding", () => {
    const { explain } = explainerOf({ type: "object" });
    expect(explain([1, 2])).toEqual({ listed: [{ place: "", message: "must be object" }], unlisted: 0 });
  });
});

describe("applicators", () => {
  test("a failing allOf branch is explained", () => {
    const { explain } = explainerOf({
      allOf: [{ type: "object" }, { type: "object", properties: { id: { type: "string" } }, required: ["id"] }],
    });
    expect(explain({}).listed).toEqual([{ place: "", message: "must have required property 'id'" }]);
  });

  test("anyOf with every branch failing explains each branch, then says none matched", () => {
    const { explain } = explainerOf({ anyOf: [{ type: "string" }, { type: "integer" }] });
    expect(explain(true).listed).toEqual([
      { place: "", message: "must be string" },
      { place: "", message: "must be integer" },
      { place: "", message: "must match a schema in anyOf" },
    ]);
  });

  test("a schema with an applicator the walk does not split is explained whole by Ajv", () => {
    // Split, the walk would hold the first item to `items` too, which prefixItems exempts.
    const { explain } = explainerOf({ type: "array", prefixItems: [{ type: "string" }], minItems: 1, items: false });
    expect(explain([5]).listed).toEqual([{ place: "/0", message: "must be string" }]);
  });

  test("unevaluatedProperties sees the properties an allOf branch evaluates", () => {
    const { explain } = explainerOf({
      allOf: [{ type: "object", properties: { b: { type: "string" } } }],
      type: "object",
      properties: { a: { type: "integer" } },
      unevaluatedProperties: false,
    });
    expect(explain({ a: "x", b: "ok" }).listed).toEqual([{ place: "/a", message: "must be integer" }]);
  });

  test("an applicator given as a boolean does not stop the walk from splitting", () => {
    const { explain } = explainerOf({
      type: "array",
      items: {
        type: "object",
        properties: { x: { type: "integer" }, y: { type: "integer" } },
        additionalProperties: false,
      },
    });
    // Split, each part left unexplained counts once: item 0's y, then item 1 (Ajv whole would count 3).
    expect(
      explain(
        [
          { x: "a", y: "b" },
          { x: "c", y: "d" },
        ],
        1,
      ),
    ).toEqual({
      listed: [{ place: "/0/x", message: "must be integer" }],
      unlisted: 2,
    });
  });

  test("unevaluatedItems is explained whole too", () => {
    const { explain } = explainerOf({
      type: "array",
      allOf: [{ type: "array", prefixItems: [{ type: "string" }], minItems: 1, maxItems: 1 }],
      unevaluatedItems: false,
    });
    expect(explain(["a", "b"]).listed).toEqual([{ place: "", message: "must NOT have more than 1 items" }]);
  });
});

test("each schema location is compiled once, however many items fail", () => {
  const { explain, checkAjv } = explainerOf({
    type: "array",
    items: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
  });
  const compile = vi.spyOn(checkAjv, "compile");
  const value = Array.from({ length: 50 }, () => ({}));
  expect(explain(value, 100).listed).toHaveLength(50);
  expect(explain(value, 100).listed).toHaveLength(50);
  // The list's schema and its items' schema.
  expect(compile).toHaveBeenCalledTimes(2);
});
