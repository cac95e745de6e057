import { describe, expect, test } from "vitest";
import { diffSpecs } from "../scripts/spec-diff/classify.mjs";
import { SpecDiffError } from "../scripts/spec-diff/error.mjs";
import { formatTable, summarize } from "../scripts/spec-diff/table.mjs";
import { spec } from "./load-spec.js";

type Doc = Record<string, any>;
type Edit = (doc: Doc) => void;

const OP = "GET /things/";
const BODY = `${OP} · response 200 · application/json body`;

/** A tiny spec: one list operation with three query parameters, and a Thing with a nullable owner. */
function api(edit?: Edit): Doc {
  const doc: Doc = {
    openapi: "3.1.1",
    info: { title: "things", version: "1.0.0" },
    servers: [{ url: "https://example.test" }],
    paths: {
      "/things/": {
        get: {
          operationId: "listThings",
          security: [{ bearerAuth: ["thing:read"] }],
          parameters: [
            { name: "per_page", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 100 } },
            { name: "query", in: "query", schema: { type: "string", maxLength: 50 } },
            { name: "expand", in: "query", schema: { type: "string", enum: ["owner", "tags"] } },
          ],
          responses: {
            "200": {
              description: "A page of things.",
              headers: { Link: { required: true, schema: { type: "string" } } },
              content: {
                "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Thing" } } },
              },
            },
            "404": { description: "No such organization." },
          },
        },
      },
    },
    components: {
      schemas: {
        Id: { type: "string", pattern: "^[0-9]+$", description: "An id." },
        Thing: {
          type: "object",
          required: ["id", "name", "status", "owner"],
          properties: {
            id: { $ref: "#/components/schemas/Id" },
            name: { type: "string", maxLength: 200 },
            status: { type: "string", enum: ["active", "hidden"] },
            owner: { oneOf: [{ $ref: "#/components/schemas/Owner" }, { type: "null" }] },
            note: { type: ["string", "null"] },
            parts: { type: "array", items: { $ref: "#/components/schemas/Thing" } },
          },
        },
        Owner: { type: "object", required: ["email"], properties: { email: { type: "string" } } },
      },
    },
  };
  edit?.(doc);
  return doc;
}

const operation = (doc: Doc) => doc.paths["/things/"].get;
const parameter = (doc: Doc, name: string) => operation(doc).parameters.find((p: Doc) => p.name === name);
const thing = (doc: Doc) => doc.components.schemas.Thing;
const unrequire = (doc: Doc, name: string) => {
  thing(doc).required = thing(doc).required.filter((n: string) => n !== name);
};

/** The changes from the tiny spec to its edited copy, as [kind, rule, where, change]. */
const changes = (edit: Edit) => diffSpecs(api(), api(edit)).map((c) => [c.kind, c.rule, c.where, c.change]);

describe("spec diff: breaking changes", () => {
  test.each<[string, Edit, string[][]]>([
    ["a removed operation", (doc) => delete doc.paths["/things/"], [["breaking", "operation-removed", OP, "removed"]]],
    [
      "a removed parameter",
      (doc) => operation(doc).parameters.pop(),
      [["breaking", "parameter-removed", `${OP} · parameter query expand`, "removed"]],
    ],
    [
      "a removed response field",
      (doc) => {
        delete thing(doc).properties.name;
        unrequire(doc, "name");
      },
      [["breaking", "field-removed", `${BODY}[].name`, "removed"]],
    ],
    [
      "a removed enum value in a response",
      (doc) => thing(doc).properties.status.enum.pop(),
      [["breaking", "enum-value-removed", `${BODY}[].status`, '"hidden" removed']],
    ],
    [
      "a removed enum value in a request",
      (doc) => parameter(doc, "expand").schema.enum.pop(),
      [["breaking", "enum-value-removed", `${OP} · parameter query expand`, '"tags" removed']],
    ],
    [
      "an added enum value in a response, which reaches code that handles each known value",
      (doc) => thing(doc).properties.status.enum.push("archived"),
      [["breaking", "enum-value-added", `${BODY}[].status`, '"archived" added']],
    ],
    [
      "a changed type in a response",
      (doc) => {
        thing(doc).properties.name.type = "integer";
      },
      [["breaking", "type-changed", `${BODY}[].name`, 'type "string" → "integer"']],
    ],
    [
      "a changed type in a request",
      (doc) => {
        parameter(doc, "query").schema.type = "integer";
      },
      [["breaking", "type-changed", `${OP} · parameter query query`, 'type "string" → "integer"']],
    ],
    [
      "a response field that became optional",
      (doc) => unrequire(doc, "name"),
      [["breaking", "field-became-optional", `${BODY}[].name`, "now optional"]],
    ],
    [
      'a response field that became nullable through a type array with "null"',
      (doc) => {
        thing(doc).properties.name.type = ["string", "null"];
      },
      [["breaking", "became-nullable", `${BODY}[].name`, "may now be null"]],
    ],
    [
      "a response field that became nullable through oneOf with a null branch",
      (doc) => {
        thing(doc).properties.name = { oneOf: [{ type: "string", maxLength: 200 }, { type: "null" }] };
      },
      [["breaking", "became-nullable", `${BODY}[].name`, "may now be null"]],
    ],
    [
      "a new required parameter",
      (doc) =>
        operation(doc).parameters.push({ name: "team", in: "query", required: true, schema: { type: "string" } }),
      [["breaking", "required-parameter-added", `${OP} · parameter query team`, "added, required"]],
    ],
    [
      "a parameter that became required",
      (doc) => {
        parameter(doc, "query").required = true;
      },
      [["breaking", "parameter-became-required", `${OP} · parameter query query`, "now required"]],
    ],
    [
      "a lower maximum in a request",
      (doc) => {
        parameter(doc, "per_page").schema.maximum = 50;
      },
      [["breaking", "constraint-narrowed", `${OP} · parameter query per_page`, "maximum 100 → 50"]],
    ],
    [
      "a higher minimum in a request",
      (doc) => {
        parameter(doc, "per_page").schema.minimum = 10;
      },
      [["breaking", "constraint-narrowed", `${OP} · parameter query per_page`, "minimum 1 → 10"]],
    ],
    [
      "a shorter maxLength in a request",
      (doc) => {
        parameter(doc, "query").schema.maxLength = 20;
      },
      [["breaking", "constraint-narrowed", `${OP} · parameter query query`, "maxLength 50 → 20"]],
    ],
    [
      "a new pattern in a request",
      (doc) => {
        parameter(doc, "query").schema.pattern = "^[a-z]+$";
      },
      [["breaking", "constraint-narrowed", `${OP} · parameter query query`, 'pattern none → "^[a-z]+$"']],
    ],
    [
      "a wider constraint in a response, which a client checking the old one rejects",
      (doc) => {
        thing(doc).properties.name.maxLength = 500;
      },
      [["breaking", "constraint-widened", `${BODY}[].name`, "maxLength 200 → 500"]],
    ],
    [
      "a changed request default",
      (doc) => {
        parameter(doc, "per_page").schema.default = 25;
      },
      [["breaking", "default-changed", `${OP} · parameter query per_page`, "default 100 → 25"]],
    ],
    [
      "a changed operationId, which generated types are keyed by",
      (doc) => {
        operation(doc).operationId = "listAllThings";
      },
      [["breaking", "operation-id-changed", OP, "operationId listThings → listAllThings"]],
    ],
    [
      "a removed response header",
      (doc) => delete operation(doc).responses["200"].headers.Link,
      [["breaking", "header-removed", `${OP} · response 200 · header link`, "removed"]],
    ],
    [
      "a removed success response",
      (doc) => delete operation(doc).responses["200"],
      [["breaking", "response-removed", `${OP} · response 200`, "removed"]],
    ],
    [
      "a removed security alternative",
      (doc) => {
        operation(doc).security = [{ bearerAuth: ["thing:admin"] }];
      },
      [
        ["breaking", "security-requirement-removed", OP, '{"bearerAuth":["thing:read"]} removed'],
        ["non-breaking", "security-requirement-added", OP, '{"bearerAuth":["thing:admin"]} added'],
      ],
    ],
    [
      "a change the classifier has no rule for, its long value cut",
      (doc) => {
        doc.webhooks = { thingCreated: { post: { description: "x".repeat(80) } } };
      },
      [
        [
          "breaking",
          "unclassified",
          "document",
          // The first 59 characters of the value's JSON, then an ellipsis.
          `webhooks: none → {"thingCreated":{"post":{"description":"${"x".repeat(19)}…`,
        ],
      ],
    ],
    [
      "a change the classifier has no rule for",
      (doc) => {
        parameter(doc, "expand").style = "pipeDelimited";
      },
      [["breaking", "unclassified", `${OP} · parameter query expand`, 'style: none → "pipeDelimited"']],
    ],
  ])("%s", (_, edit, expected) => {
    expect(changes(edit)).toEqual(expected);
  });
});

describe("spec diff: non-breaking changes and annotations", () => {
  test.each<[string, Edit, string[][]]>([
    [
      "an added operation",
      (doc) => {
        doc.paths["/things/{id}/"] = { get: { operationId: "getThing", responses: {} } };
      },
      [["non-breaking", "operation-added", "GET /things/{id}/", "added"]],
    ],
    [
      "an added optional parameter",
      (doc) => operation(doc).parameters.push({ name: "team", in: "query", schema: { type: "string" } }),
      [["non-breaking", "optional-parameter-added", `${OP} · parameter query team`, "added, optional"]],
    ],
    [
      "an added response field",
      (doc) => {
        thing(doc).properties.color = { type: "string" };
      },
      [["non-breaking", "field-added", `${BODY}[].color`, "added"]],
    ],
    [
      "an added enum value in a request",
      (doc) => parameter(doc, "expand").schema.enum.push("parts"),
      [["non-breaking", "enum-value-added", `${OP} · parameter query expand`, '"parts" added']],
    ],
    [
      "a widened request constraint",
      (doc) => {
        parameter(doc, "per_page").schema.maximum = 200;
      },
      [["non-breaking", "constraint-widened", `${OP} · parameter query per_page`, "maximum 100 → 200"]],
    ],
    [
      "a request type that accepts more",
      (doc) => {
        parameter(doc, "per_page").schema.type = "number";
      },
      [["non-breaking", "type-changed", `${OP} · parameter query per_page`, 'type "integer" → "number"']],
    ],
    [
      "a response field that is no longer nullable",
      (doc) => {
        thing(doc).properties.note.type = "string";
      },
      [["non-breaking", "no-longer-nullable", `${BODY}[].note`, "is no longer null"]],
    ],
    [
      "a narrower response constraint",
      (doc) => {
        thing(doc).properties.name.maxLength = 100;
      },
      [["non-breaking", "constraint-narrowed", `${BODY}[].name`, "maxLength 200 → 100"]],
    ],
    [
      "an added error response and a removed one",
      (doc) => {
        const { responses } = operation(doc);
        responses["429"] = { description: "Rate limited." };
        delete responses["404"];
      },
      [
        ["non-breaking", "response-removed", `${OP} · response 404`, "removed"],
        ["non-breaking", "response-added", `${OP} · response 429`, "added"],
      ],
    ],
    [
      "a changed description",
      (doc) => {
        operation(doc).responses["200"].description = "One page.";
      },
      [["annotation", "annotation", `${OP} · response 200`, "description changed"]],
    ],
    [
      "a description beside a $ref, which OpenAPI 3.1 allows",
      (doc) => {
        thing(doc).properties.id = { $ref: "#/components/schemas/Id", description: "The thing's id." };
      },
      [["annotation", "annotation", `${BODY}[].id`, "description changed"]],
    ],
    [
      "a new title and version of the document",
      (doc) => {
        doc.info = { title: "Things API", version: "2.0.0" };
      },
      [["annotation", "annotation", "document", "info changed"]],
    ],
    [
      "a changed extension",
      (doc) => {
        operation(doc)["x-rate-limit"] = { requests: 40 };
      },
      [["annotation", "annotation", OP, "x-rate-limit changed"]],
    ],
    [
      "a change inside a schema that contains itself, reported at the level it happens",
      (doc) => {
        thing(doc).properties.parts.maxItems = 10;
      },
      [["non-breaking", "constraint-narrowed", `${BODY}[].parts`, "maxItems none → 10"]],
    ],
  ])("%s", (_, edit, expected) => {
    expect(changes(edit)).toEqual(expected);
  });

  test("a parameter that became optional", () => {
    const required = api((doc) => {
      parameter(doc, "query").required = true;
    });
    expect(diffSpecs(required, api()).map((c) => [c.kind, c.rule, c.where, c.change])).toEqual([
      ["non-breaking", "parameter-became-optional", `${OP} · parameter query query`, "now optional"],
    ]);
  });

  test("the same document has no changes, the real spec included", () => {
    expect(diffSpecs(api(), api())).toEqual([]);
    expect(diffSpecs(spec, structuredClone(spec))).toEqual([]);
  });

  test("breaking changes come first", () => {
    const kinds = diffSpecs(
      api(),
      api((doc) => {
        operation(doc).description = "Lists things.";
        thing(doc).properties.color = { type: "string" };
        delete thing(doc).properties.note;
      }),
    ).map((c) => c.kind);
    expect(kinds).toEqual(["breaking", "non-breaking", "annotation"]);
  });
});

describe("spec diff: the same thing reached many ways", () => {
  test("a component reached through two allOf branches at each of 16 levels is compared once", () => {
    const LEVELS = 16;
    const chain =
      (leaf: Doc): Edit =>
      (doc) => {
        operation(doc).responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/L0" };
        for (let i = 0; i < LEVELS; i++) {
          const next = { $ref: `#/components/schemas/L${i + 1}` };
          doc.components.schemas[`L${i}`] = { allOf: [next, { ...next }] };
        }
        doc.components.schemas[`L${LEVELS}`] = leaf;
      };
    // Compared at every reach, this is 2^16 changes.
    const found = diffSpecs(api(chain({ type: "string" })), api(chain({ type: "integer" })));
    expect(found.map((c) => [c.kind, c.rule, c.where, c.change])).toEqual([
      ["breaking", "type-changed", `${BODY}${"<allOf 0>".repeat(LEVELS)}`, 'type "string" → "integer"'],
    ]);
  });

  test("a component used in a request and in a response is compared in each", () => {
    const edit =
      (type: string): Edit =>
      (doc) => {
        parameter(doc, "query").schema = { $ref: "#/components/schemas/Id" };
        thing(doc).properties.id = { $ref: "#/components/schemas/Id" };
        doc.components.schemas.Id.type = type;
      };
    expect(diffSpecs(api(edit("string")), api(edit("integer"))).map((c) => [c.kind, c.where])).toEqual([
      ["breaking", `${OP} · parameter query query`],
      ["breaking", `${BODY}[].id`],
    ]);
  });

  test("a boolean schema reads as {} (true) or { not: {} } (false), whose change is unclassified", () => {
    const edit =
      (value: boolean): Edit =>
      (doc) => {
        thing(doc).properties.name = value;
      };
    expect(diffSpecs(api(edit(true)), api(edit(false))).map((c) => [c.kind, c.rule, c.where, c.change])).toEqual([
      ["breaking", "unclassified", `${BODY}[].name`, "not: none → {}"],
    ]);
  });

  test("values that differ only in key order are the same", () => {
    const edit =
      (value: Doc): Edit =>
      (doc) => {
        thing(doc).properties.status = { type: "object", enum: [value], default: value };
      };
    expect(diffSpecs(api(edit({ a: 1, b: { c: 2, d: 3 } })), api(edit({ b: { d: 3, c: 2 }, a: 1 })))).toEqual([]);
  });
});

describe("spec diff: documents it cannot compare", () => {
  test("a schema nested deeper than 64 levels is refused", () => {
    const deep = (depth: number): Doc => (depth === 0 ? { type: "string" } : { type: "array", items: deep(depth - 1) });
    const edit: Edit = (doc) => {
      thing(doc).properties.nested = deep(70);
    };
    expect(() => diffSpecs(api(edit), api(edit))).toThrow(
      // body[] and .nested are two levels; 63 more make 65.
      `schemas nest deeper than 64 levels at ${BODY}[].nested${"[]".repeat(63)}`,
    );
  });

  test.each<[string, Edit, string]>([
    [
      "a null property schema",
      (doc) => {
        thing(doc).properties.name = null;
      },
      `${BODY}[].name: expected an object, found null`,
    ],
    [
      "a null path item",
      (doc) => {
        doc.paths["/other/"] = null;
      },
      "path /other/: expected an object, found null",
    ],
    [
      "a null allOf branch",
      (doc) => {
        thing(doc).allOf = [null];
      },
      `${BODY}[]<allOf 0>: expected an object, found null`,
    ],
    [
      "a null media type",
      (doc) => {
        operation(doc).responses["200"].content["application/json"] = null;
      },
      `${OP} · response 200 · application/json: expected an object, found null`,
    ],
  ])("%s is named in one line", (_, edit, message) => {
    const compare = () => diffSpecs(api(edit), api(edit));
    expect(compare).toThrow(new SpecDiffError(message));
    expect(compare).toThrow(SpecDiffError);
  });

  test("a $ref that does not resolve is named", () => {
    const edit: Edit = (doc) => {
      thing(doc).properties.owner.oneOf[0].$ref = "#/components/schemas/Nobody";
    };
    expect(() => changes(edit)).toThrow("$ref #/components/schemas/Nobody does not resolve");
  });
});

describe("spec diff: table", () => {
  test("prints one row per change, pipes escaped, and a count per kind", () => {
    const found = [
      { kind: "breaking" as const, rule: "field-removed", where: "GET /a/ · body.x", change: "removed" },
      { kind: "annotation" as const, rule: "annotation", where: "GET /a/", change: "description a|b" },
    ];
    expect(formatTable(found)).toBe(
      [
        "| kind       | rule          | where            | change           |",
        "| ---------- | ------------- | ---------------- | ---------------- |",
        "| breaking   | field-removed | GET /a/ · body.x | removed          |",
        "| annotation | annotation    | GET /a/          | description a\\|b |",
      ].join("\n"),
    );
    expect(summarize(found)).toBe("1 breaking, 0 non-breaking, 1 annotation");
  });

  test("stops at 500 rows and says how many changes it left out; the count per kind covers them all", () => {
    const found = Array.from({ length: 1_234 }, (_, i) => ({
      kind: "breaking" as const,
      rule: "field-removed",
      where: `GET /a/ · body.f${i}`,
      change: "removed",
    }));
    const lines = formatTable(found).split("\n");
    expect(lines).toHaveLength(2 + 500 + 1);
    expect(lines[501]).toMatch(/^\| breaking \| field-removed \| GET \/a\/ · body\.f499 +\| removed \|$/);
    expect(lines[502]).toBe("… and 734 more changes, left out: the table stops at 500 rows");
    expect(summarize(found)).toBe("1234 breaking, 0 non-breaking, 0 annotation");
  });
});
