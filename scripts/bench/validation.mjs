// 4. Validation: a 100-member page through our validator and through a bare compiled Ajv validator;
// then 1 MB bodies whose every item is invalid against a valid 1 MB body, since the cost of explaining
// an invalid body must grow with its size as the cost of accepting a valid one does.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createSeedData, createValidator } from "@sentry-org-api/contract";
import { RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { alternate, format } from "./harness.mjs";

const URL_OF_PAGE = "https://us.sentry.io/api/0/organizations/acme/members/";

export async function run({ quick }) {
  const spec = JSON.parse(
    await readFile(createRequire(import.meta.url).resolve("@sentry-org-api/spec/openapi.json"), "utf8"),
  );
  const body = JSON.stringify(createSeedData({ members: 100 })[0].members);
  const headers = {
    "content-type": "application/json",
    link: `<${URL_OF_PAGE}?&cursor=100:0:1>; rel="previous"; results="false"; cursor="100:0:1", <${URL_OF_PAGE}?&cursor=100:1:0>; rel="next"; results="true"; cursor="100:1:0"`,
    [RATE_LIMIT_HEADERS.limit]: "40",
    [RATE_LIMIT_HEADERS.remaining]: "39",
    [RATE_LIMIT_HEADERS.reset]: "1732831200",
  };

  const ours = createValidator();
  // The bare baseline: the same schema, compiled once by Ajv with the same options, on the same text.
  const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addSchema(spec, "spec");
  const membersSchema =
    "spec#/paths/~1api~10~1organizations~1{organization_id_or_slug}~1members~1/get/responses/200/content/application~1json/schema";
  const bare = ajv.compile({ $ref: membersSchema });

  const contenders = {
    "our validator": () => ours.validateResponse({ method: "GET", url: URL_OF_PAGE, status: 200, headers, body }).valid,
    "bare Ajv": () => bare(JSON.parse(body)),
  };
  for (const [name, validate] of Object.entries(contenders)) {
    if (validate() !== true) throw new Error(`${name} rejects the page`);
  }
  const count = quick ? 50 : 400;
  const medians = await alternate(
    contenders,
    quick ? { rounds: 2, warmup: 1 } : { rounds: 15, warmup: 3 },
    (validate) => {
      const start = performance.now();
      for (let i = 0; i < count; i++) validate();
      return ((performance.now() - start) * 1000) / count;
    },
  );
  const large = await largeBodies({ quick, headers });
  return {
    title: "4. Validation (a 100-member page with its headers, parsed from text; 1 MB pages)",
    rows: [
      {
        measure: "our validator : bare compiled Ajv",
        value: medians["our validator"] / medians["bare Ajv"],
        target: 1.5,
        better: "lower",
      },
      ...large.rows,
    ],
    details: [
      `per page: our validator ${format(medians["our validator"], 0)} µs (path, status, content type, Link and rate-limit headers, body); bare Ajv ${format(medians["bare Ajv"], 0)} µs (JSON.parse and the body schema)`,
      ...large.details,
    ],
  };
}

/** A JSON array of `item` repeated to about `bytes` of text. */
const arrayOf = (item, bytes) => {
  const text = JSON.stringify(item);
  return `[${Array.from({ length: Math.ceil(bytes / (text.length + 1)) }, () => text).join(",")}]`;
};

async function largeBodies({ quick, headers }) {
  const validator = createValidator();
  const [member] = createSeedData({ members: 1 })[0].members;
  const bodies = {
    valid: arrayOf(member, 2 ** 20),
    // Each member breaks one rule (a numeric id, as a proxy that re-encodes ids might send).
    "invalid members": arrayOf({ ...member, id: 1001 }, 2 ** 20),
    // The most items 1 MB can hold, each breaking 13 rules: the shape that was quadratic.
    "empty objects": arrayOf({}, 2 ** 20),
  };
  const validate = (body) =>
    validator.validateResponse({ method: "GET", url: URL_OF_PAGE, status: 200, headers, body });
  for (const [name, body] of Object.entries(bodies)) {
    if (validate(body).valid !== (name === "valid")) throw new Error(`the ${name} body is judged wrongly`);
  }
  const contenders = {
    ...Object.fromEntries(Object.entries(bodies).map(([name, body]) => [name, () => validate(body)])),
    // Parsing alone sets the floor for a body of many small items.
    "JSON.parse of the empty objects": () => JSON.parse(bodies["empty objects"]),
  };
  const count = quick ? 1 : 5;
  const medians = await alternate(contenders, quick ? { rounds: 2, warmup: 1 } : { rounds: 9, warmup: 2 }, (run) => {
    const start = performance.now();
    for (let i = 0; i < count; i++) run();
    return (performance.now() - start) / count;
  });
  const empty = validate(bodies["empty objects"]).violations.at(-1)?.message;
  return {
    rows: [
      {
        measure: "1 MB of invalid members : 1 MB of valid members",
        value: medians["invalid members"] / medians.valid,
        target: 2,
        better: "lower",
      },
      {
        // No target: parsing 350,000 objects alone costs dozens of times a valid page's whole check.
        measure: "1 MB of empty objects: validating : JSON.parse alone",
        value: medians["empty objects"] / medians["JSON.parse of the empty objects"],
      },
    ],
    details: [
      `1 MB pages: valid members ${format(medians.valid, 1)} ms; every member invalid ${format(medians["invalid members"], 1)} ms; ${format(bodies["empty objects"].length / 3, 0)} empty objects ${format(medians["empty objects"], 1)} ms, of which JSON.parse ${format(medians["JSON.parse of the empty objects"], 1)} ms (50 violations listed, then "${empty}")`,
    ],
  };
}
