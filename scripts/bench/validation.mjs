// 4. Validation: a 100-member page through our validator and through a bare compiled Ajv validator.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createSeedData, createValidator } from "@sentry-org-api/contract";
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
    "x-sentry-rate-limit-limit": "40",
    "x-sentry-rate-limit-remaining": "39",
    "x-sentry-rate-limit-reset": "1732831200",
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
  return {
    title: "4. Validation (a 100-member page with its headers, parsed from text)",
    rows: [
      {
        measure: "our validator : bare compiled Ajv",
        value: medians["our validator"] / medians["bare Ajv"],
        target: 1.5,
        better: "lower",
      },
    ],
    details: [
      `per page: our validator ${format(medians["our validator"], 0)} µs (path, status, content type, Link and rate-limit headers, body); bare Ajv ${format(medians["bare Ajv"], 0)} µs (JSON.parse and the body schema)`,
    ],
  };
}
