import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { generateProtocol } from "../scripts/generate-protocol.mjs";
import * as protocol from "../src/protocol.js";

const packageDir = new URL("..", import.meta.url).pathname;
const readJson = async (path: string) => JSON.parse(await readFile(join(packageDir, path), "utf8"));
const bundledSpec = await readJson("../../openapi/dist/openapi.json");
const { version } = await readJson("package.json");
const workDir = mkdtemp(join(tmpdir(), "types-protocol-"));
afterAll(async () => rm(await workDir, { recursive: true, force: true }));

/** Generates the module for an edited copy of the bundled spec, and loads it. */
async function generateFrom(edit: (spec: any) => void): Promise<typeof protocol> {
  const spec = structuredClone(bundledSpec);
  edit(spec);
  const file = join(await workDir, `protocol-${Math.random().toString(36).slice(2)}.ts`);
  await writeFile(file, generateProtocol(spec, version));
  return import(pathToFileURL(file).href);
}

describe("the generated protocol module", () => {
  test("the committed module is what the spec and the version generate", async () => {
    const committed = await readFile(join(packageDir, "src/generated/protocol.ts"), "utf8");
    expect(committed).toBe(generateProtocol(bundledSpec, version));
  });

  test("`check:generated` fails on a stale copy and names it", async () => {
    const stale = join(await workDir, "stale.ts");
    const committed = await readFile(join(packageDir, "src/generated/protocol.ts"), "utf8");
    await writeFile(stale, committed.replace("maximum: 100", "maximum: 1000"));
    const result = await promisify(execFile)("node", ["scripts/generate-protocol.mjs", "--check", stale], {
      cwd: packageDir,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${stale} is stale: run \`npm run generate\` after changing the spec or the version\n`);
  });

  test("holds the spec's facts", () => {
    expect(protocol.PATH_PARAMETERS.organization_id_or_slug).toEqual({
      pattern: /^[A-Za-z0-9_-]+$/u,
      minLength: 1,
      maxLength: 50,
    });
    expect(protocol.PER_PAGE).toEqual({ minimum: 1, maximum: 100, default: 100 });
    expect(protocol.PAGINATED_OPERATIONS).toEqual(["listOrganizationMembers", "listOrganizationRepositories"]);
    expect(protocol.RESPONSE_HEADERS.listOrganizationRepositories[200]).toMatchObject({ link: true, "x-hits": true });
    expect(protocol.RESPONSE_HEADERS.listOrganizationMembers[200]).not.toHaveProperty("x-hits");
    expect(protocol.RESPONSE_HEADERS.getOrganization[429]).toHaveProperty("retry-after", false);
    expect(protocol.OPERATION_RATE_LIMITS).toEqual({ listOrganizationMembers: { requests: 40, windowSeconds: 1 } });
    expect(protocol.USER_AGENT).toBe(`sentry-org-api/${version}`);
  });

  test("every package carries the one version", async () => {
    const names = ["openapi", "packages/types", "packages/client", "packages/contract", "packages/docs"];
    for (const name of names) {
      expect({ name, version: (await readJson(`../../${name}/package.json`)).version }).toEqual({ name, version });
    }
  });
});

describe("a spec change reaches the module", () => {
  test("per_page's maximum and a new paginated operation with its own rate limit", async () => {
    const generated = await generateFrom((spec) => {
      spec.components.parameters.PerPage.schema.maximum = 50;
      const members = spec.paths["/api/0/organizations/{organization_id_or_slug}/members/"];
      spec.paths["/api/0/organizations/{organization_id_or_slug}/teams/"] = {
        ...members,
        get: {
          ...members.get,
          operationId: "listOrganizationTeams",
          "x-sentry-rate-limit": { requests: 5, windowSeconds: 60 },
        },
      };
    });
    expect(generated.PER_PAGE).toEqual({ minimum: 1, maximum: 50, default: 100 });
    expect(generated.PAGINATED_OPERATIONS).toEqual([
      "listOrganizationMembers",
      "listOrganizationRepositories",
      "listOrganizationTeams",
    ]);
    expect(generated.PAGINATED_PATHS).toContain("/api/0/organizations/{organization_id_or_slug}/teams/");
    expect(generated.OPERATION_RATE_LIMITS).toHaveProperty("listOrganizationTeams", { requests: 5, windowSeconds: 60 });
  });

  test("a pattern with a slash still compiles to the same rule", async () => {
    const generated = await generateFrom((spec) => {
      spec.components.parameters.OrganizationIdOrSlug.schema.pattern = "^[a-z]+/[a-z]+$";
    });
    expect(generated.PATH_PARAMETERS.organization_id_or_slug.pattern.source).toBe("^[a-z]+\\/[a-z]+$");
    expect(generated.PATH_PARAMETERS.organization_id_or_slug.pattern.test("a/b")).toBe(true);
  });

  test("an operation's scopes are those its security lists, in order, once each", async () => {
    const generated = await generateFrom((spec) => {
      spec.paths["/api/0/organizations/{organization_id_or_slug}/members/"].get.security = [
        { bearerAuth: ["member:read"] },
        { bearerAuth: ["member:read", "org:admin"] },
      ];
    });
    expect(generated.OPERATION_SCOPES.listOrganizationMembers).toEqual(["member:read", "org:admin"]);
  });

  test("X-Hits counts up to the maximum its schema states", async () => {
    const generated = await generateFrom((spec) => {
      spec.components.headers.XHits.schema.maximum = 500;
    });
    expect(generated.X_HITS).toEqual({ header: "x-hits", maximum: 500 });
  });

  test("an operation whose 200 loses its Link header is no longer paginated", async () => {
    const generated = await generateFrom((spec) => {
      delete spec.paths["/api/0/organizations/{organization_id_or_slug}/repos/"].get.responses["200"].headers.Link;
    });
    expect(generated.PAGINATED_OPERATIONS).toEqual(["listOrganizationMembers"]);
  });
});

describe("a fact the spec states two ways fails the generation", () => {
  const generating = (edit: (spec: any) => void) => () => {
    const spec = structuredClone(bundledSpec);
    edit(spec);
    generateProtocol(spec, version);
  };
  const repos = (spec: any) => spec.paths["/api/0/organizations/{organization_id_or_slug}/repos/"];

  test("per_page that differs between operations", () => {
    const edit = (spec: any) => {
      repos(spec).get.parameters[1] = {
        name: "per_page",
        in: "query",
        schema: { type: "integer", minimum: 1, maximum: 50 },
      };
    };
    expect(generating(edit)).toThrow(
      new Error(
        "per_page differs between operations: { minimum: 1, maximum: 100, default: 100 } and { minimum: 1, maximum: 50 }",
      ),
    );
  });

  test("a paginated operation without per_page", () => {
    expect(generating((spec) => repos(spec).get.parameters.splice(1, 1))).toThrow(
      new Error("listOrganizationRepositories paginates but has no per_page"),
    );
  });

  test("a path parameter without a pattern", () => {
    expect(generating((spec) => delete spec.components.parameters.OrganizationIdOrSlug.schema.pattern)).toThrow(
      new Error("path parameter organization_id_or_slug has no pattern"),
    );
  });

  test("X-Hits without a maximum", () => {
    expect(generating((spec) => delete spec.components.headers.XHits.schema.maximum)).toThrow(
      new Error("X-Hits needs an integer schema maximum: the count Sentry stops at"),
    );
  });

  test("a rate limit that is not two positive integers", () => {
    const edit = (spec: any) => {
      repos(spec).get["x-sentry-rate-limit"] = { requests: 40, windowSeconds: "1" };
    };
    expect(generating(edit)).toThrow(
      new Error("listOrganizationRepositories: x-sentry-rate-limit needs positive integers requests and windowSeconds"),
    );
  });
});
