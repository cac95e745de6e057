import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const specDir = new URL("..", import.meta.url).pathname;
const redocly = join(specDir, "../node_modules/.bin/redocly");
const workDirs: string[] = [];
afterAll(() => Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Lints a copy of the spec with one file edited, and returns the rules that failed. */
async function lintWithEdit(file: string, edit: (text: string) => string) {
  const dir = await mkdtemp(join(tmpdir(), "spec-lint-"));
  workDirs.push(dir);
  await cp(specDir, dir, {
    recursive: true,
    filter: (source) => !/\/(node_modules|dist|test)$/.test(source),
  });
  const target = join(dir, file);
  const original = await readFile(target, "utf8");
  const edited = edit(original);
  expect(edited).not.toBe(original);
  await writeFile(target, edited);
  const result = await promisify(execFile)(redocly, ["lint", "--format", "json"], { cwd: dir }).then(
    ({ stdout }) => ({ exitCode: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ exitCode: error.code, stdout: error.stdout }),
  );
  const problems: { ruleId: string; severity: string }[] = JSON.parse(result.stdout).problems;
  return { exitCode: result.exitCode, rules: problems.map((p) => `${p.severity} ${p.ruleId}`) };
}

describe("redocly lint enforces the house rules", () => {
  test("the spec as committed has no problems", async () => {
    expect(await lintWithEdit("openapi.yaml", (text) => `${text}\n`)).toEqual({ exitCode: 0, rules: [] });
  });

  test.each([
    [
      "an operation without its 401",
      "paths/organization.yaml",
      (text: string) => text.replace(/ {4}"401":\n.*\n/, ""),
      "rule/operation-error-responses",
    ],
    [
      "an operationId that is not camelCase",
      "paths/organization-members.yaml",
      (text: string) => text.replace("listOrganizationMembers", "list_organization_members"),
      "rule/operation-id-camel-case",
    ],
    [
      "a paginated 200 without Link",
      "paths/organization-repositories.yaml",
      (text: string) => text.replace(/ {8}Link:\n.*\n/, ""),
      "rule/paginated-response-link-header",
    ],
    [
      "a schema property without a description",
      "components/schemas/Repository.yaml",
      (text: string) => text.replace(/ {4}description: The repository's name.*\n/, ""),
      "rule/schema-property-description",
    ],
    [
      "a path parameter without a pattern",
      "components/parameters/OrganizationIdOrSlug.yaml",
      (text: string) => text.replace(/ {2}pattern: .*\n/, ""),
      "rule/path-parameter-pattern",
    ],
  ])("fails on %s and names the rule", async (_, file, edit, rule) => {
    const { exitCode, rules } = await lintWithEdit(file, edit);
    expect(exitCode).toBe(1);
    expect(rules).toEqual([`error ${rule}`]);
  });
});
