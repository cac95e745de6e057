import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const SPEC_FILES = ["openapi.yaml", "redocly.yaml", "package.json", "paths", "components", "scripts"];
const workDirs: string[] = [];
afterAll(() => Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

// The test's git must not see the repository this suite runs in, nor the user's settings.
const gitEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_"))),
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "test",
  GIT_AUTHOR_EMAIL: "test@example.test",
  GIT_COMMITTER_NAME: "test",
  GIT_COMMITTER_EMAIL: "test@example.test",
};

/** A git repository holding this spec package (and the types package's version), committed once. */
async function makeRepo(branch: string) {
  const dir = await mkdtemp(join(tmpdir(), "spec-diff-repo-"));
  workDirs.push(dir);
  for (const name of SPEC_FILES)
    await cp(join(repoRoot, "openapi", name), join(dir, "openapi", name), { recursive: true });
  await mkdir(join(dir, "packages/types"), { recursive: true });
  await cp(join(repoRoot, "packages/types/package.json"), join(dir, "packages/types/package.json"));
  await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, ".gitignore"), "node_modules\n");
  const git = (...args: string[]) => run("git", args, { cwd: dir, env: gitEnv });
  await git("init", "--quiet", "--initial-branch", branch);
  await git("add", ".");
  await git("commit", "--quiet", "--no-gpg-sign", "-m", "spec");
  return { dir, git };
}

/** Edits one of the spec's files in place; the edit must change it. */
async function edit(dir: string, file: string, change: (text: string) => string) {
  const path = join(dir, "openapi", file);
  const before = await readFile(path, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(path, after);
}

/** Drops `email` from the members' schema and lowers `per_page`'s maximum: two breaking changes. */
async function breakTheSpec(dir: string) {
  await edit(dir, "components/schemas/OrganizationMember.yaml", (text) =>
    text.replace("  - email\n", "").replace(/ {2}email:\n(?: {4}.*\n)+/, ""),
  );
  await edit(dir, "components/parameters/PerPage.yaml", (text) => text.replace("maximum: 100", "maximum: 50"));
}

async function specDiff(dir: string, ...args: string[]) {
  const script = join(dir, "openapi/scripts/spec-diff.mjs");
  return run(process.execPath, [script, ...args], { cwd: dir, env: gitEnv }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const MEMBERS = "GET /api/0/organizations/{organization_id_or_slug}/members/";
const REPOS = "GET /api/0/organizations/{organization_id_or_slug}/repos/";

describe("npm run spec:diff", () => {
  test("against the release tag, a breaking edit prints its table and fails the gate without a changeset", async () => {
    const { dir, git } = await makeRepo("main");
    await git("tag", "@sentry-org-api/spec@0.1.0");
    const commit = (await git("rev-parse", "--short=12", "HEAD")).stdout.trim();
    await breakTheSpec(dir);

    const { code, stdout } = await specDiff(dir);

    expect(stdout.split("\n")).toEqual([
      `spec diff: latest release tag @sentry-org-api/spec@0.1.0 (${commit}) → working tree`,
      "| kind     | rule                | where                                                                                                      | change           |",
      "| -------- | ------------------- | ---------------------------------------------------------------------------------------------------------- | ---------------- |",
      `| breaking | constraint-narrowed | ${MEMBERS} · parameter query per_page                     | maximum 100 → 50 |`,
      `| breaking | field-removed       | ${MEMBERS} · response 200 · application/json body[].email | removed          |`,
      `| breaking | constraint-narrowed | ${REPOS} · parameter query per_page                       | maximum 100 → 50 |`,
      "3 breaking, 0 non-breaking, 0 annotation",
      "changeset gate: @sentry-org-api/spec 0.1.0 needs a minor bump for 3 breaking changes: has none; add one with `npx changeset`",
      "changeset gate: @sentry-org-api/types 0.1.0 needs a minor bump for 3 breaking changes: has none; add one with `npx changeset`",
      "",
    ]);
    expect(code).toBe(1);
  });

  test("the same edit passes once a changeset gives the spec and the types a minor bump", async () => {
    const { dir, git } = await makeRepo("main");
    await git("tag", "@sentry-org-api/spec@0.1.0");
    await breakTheSpec(dir);
    await mkdir(join(dir, ".changeset"));
    await writeFile(
      join(dir, ".changeset/members-without-email.md"),
      '---\n"@sentry-org-api/spec": minor\n"@sentry-org-api/types": minor\n---\n\nMembers no longer carry an email.\n',
    );

    const { code, stdout } = await specDiff(dir);

    expect(stdout).toContain("3 breaking, 0 non-breaking, 0 annotation\n");
    expect(stdout).toContain(
      "changeset gate: @sentry-org-api/spec 0.1.0 needs a minor bump for 3 breaking changes: has minor\n" +
        "changeset gate: @sentry-org-api/types 0.1.0 needs a minor bump for 3 breaking changes: has minor\n",
    );
    expect(code).toBe(0);
  });

  test("without a tag, a branch compares with its merge base with main", async () => {
    const { dir, git } = await makeRepo("main");
    const mainCommit = (await git("rev-parse", "--short=12", "HEAD")).stdout.trim();
    await git("switch", "--quiet", "-c", "feature");
    await edit(dir, "components/parameters/PerPage.yaml", (text) => text.replace("maximum: 100", "maximum: 200"));
    await git("commit", "--quiet", "--no-gpg-sign", "-am", "wider per_page");

    const { code, stdout } = await specDiff(dir);

    expect(stdout.split("\n")[0]).toBe(`spec diff: merge base with main (${mainCommit}) → working tree`);
    expect(stdout).toContain(
      `| non-breaking | constraint-widened | ${MEMBERS} · parameter query per_page | maximum 100 → 200 |`,
    );
    expect(stdout).toContain(
      "0 breaking, 2 non-breaking, 0 annotation\nchangeset gate: no breaking change, no bump needed\n",
    );
    expect(code).toBe(0);
  });

  test("with no release tag and no main, says there is nothing to compare against", async () => {
    const { dir } = await makeRepo("trunk");
    expect(await specDiff(dir)).toMatchObject({
      code: 2,
      stdout: "",
      stderr:
        "spec diff: nothing to compare against: no tag matches @sentry-org-api/spec@* and there is no branch main. Pass --base <git ref>.\n",
    });
  });

  test("a spec Redocly cannot bundle is named with Redocly's reason", async () => {
    const { dir } = await makeRepo("main");
    await edit(dir, "openapi.yaml", (text) =>
      text.replace("$ref: paths/organization.yaml", "$ref: paths/missing.yaml"),
    );
    expect(await specDiff(dir)).toMatchObject({
      code: 2,
      stdout: "",
      stderr: `spec diff: redocly bundle failed in openapi: Can't resolve $ref: ENOENT: no such file or directory '${dir}/openapi/paths/missing.yaml'\n`,
    });
  });

  test.each([
    [["--base", "no-such-ref"], "spec diff: no-such-ref is not a commit in this repository\n"],
    [["--bsae", "main"], "spec diff: unknown argument --bsae\nusage: npm run spec:diff -- [--base <git ref>]\n"],
    [["--base"], "spec diff: --base needs a git ref\nusage: npm run spec:diff -- [--base <git ref>]\n"],
  ])("refuses %j with exit code 2", async (args, stderr) => {
    const { dir } = await makeRepo("main");
    expect(await specDiff(dir, ...args)).toMatchObject({ code: 2, stdout: "", stderr });
  });
});
