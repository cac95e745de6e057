import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { appliedBump, checkChangesets, pendingBumps, withFixedGroups } from "../scripts/spec-diff/changeset-gate.mjs";

const dirs: string[] = [];
afterEach(() => Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/** A .changeset folder holding `files` (name → text). */
async function changesetDir(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), "changesets-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const changeset = (front: string) => `---\n${front}\n---\n\nWhat changed.\n`;
const spec = (baseVersion: string, headVersion = baseVersion) => ({
  name: "@sentry-org-api/spec",
  baseVersion,
  headVersion,
});

describe("pending changesets", () => {
  test("give each package its highest bump; README.md and `none` give nothing", async () => {
    const dir = await changesetDir({
      "README.md": "# Changesets\n",
      "a.md": changeset("'@sentry-org-api/spec': minor\n'@sentry-org-api/client': none"),
      "b.md": changeset('"@sentry-org-api/spec": patch\n"@sentry-org-api/types": minor'),
      "notes.txt": "not a changeset",
    });
    expect(await pendingBumps(dir)).toEqual(
      new Map([
        ["@sentry-org-api/spec", "minor"],
        ["@sentry-org-api/types", "minor"],
      ]),
    );
  });

  test("no .changeset folder means no bumps", async () => {
    expect(await pendingBumps(join(tmpdir(), "no-such-changeset-folder"))).toEqual(new Map());
  });

  test.each([
    ["no front matter", "Just words.\n", "changeset bad.md has no front matter between --- lines"],
    [
      "an unknown bump",
      changeset('"@sentry-org-api/spec": huge'),
      'changeset bad.md: @sentry-org-api/spec has bump "huge", not patch, minor, major or none',
    ],
    [
      "front matter that is a list",
      changeset("- major"),
      "changeset bad.md: its front matter is not a list of package: bump lines",
    ],
    [
      "front matter that is not YAML",
      changeset('"@sentry-org-api/spec: [major'),
      "changeset bad.md: its front matter is not YAML",
    ],
    [
      "a file too big to be a changeset",
      changeset(`"@sentry-org-api/spec": major\n#${"x".repeat(70_000)}`),
      "changeset bad.md is larger than 65536 bytes",
    ],
  ])("refuse %s with a line naming the file", async (_, text, message) => {
    const dir = await changesetDir({ "bad.md": text });
    await expect(pendingBumps(dir)).rejects.toThrow(message);
  });
});

describe("the changeset gate", () => {
  test("passes with no breaking change whatever the changesets say", () => {
    expect(checkChangesets(0, [spec("0.1.0")], new Map())).toEqual({
      ok: true,
      lines: ["changeset gate: no breaking change, no bump needed"],
    });
  });

  test("on 0.x, fails with a patch changeset and names what is missing", () => {
    expect(checkChangesets(2, [spec("0.1.0")], new Map([["@sentry-org-api/spec", "patch"]]))).toEqual({
      ok: false,
      lines: [
        "changeset gate: @sentry-org-api/spec 0.1.0 needs a minor bump for 2 breaking changes: has patch; add one with `npx changeset`",
      ],
    });
  });

  test.each([
    ["0.1.0", "minor", true],
    ["0.1.0", "major", true],
    ["1.2.0", "minor", false],
    ["1.2.0", "major", true],
  ] as const)("on %s, a %s changeset passes: %s", (version, bump, ok) => {
    expect(checkChangesets(1, [spec(version)], new Map([["@sentry-org-api/spec", bump]])).ok).toBe(ok);
  });

  test("every gated package needs its own bump", () => {
    const types = { name: "@sentry-org-api/types", baseVersion: "0.1.0", headVersion: "0.1.0" };
    const result = checkChangesets(1, [spec("0.1.0"), types], new Map([["@sentry-org-api/spec", "minor"]]));
    expect(result).toEqual({
      ok: false,
      lines: [
        "changeset gate: @sentry-org-api/spec 0.1.0 needs a minor bump for 1 breaking change: has minor",
        "changeset gate: @sentry-org-api/types 0.1.0 needs a minor bump for 1 breaking change: has none; add one with `npx changeset`",
      ],
    });
  });

  test("a version already bumped by `changeset version` counts as the changeset", () => {
    expect(checkChangesets(1, [spec("0.1.0", "0.2.0")], new Map()).ok).toBe(true);
    expect(checkChangesets(1, [spec("0.1.0", "0.1.1")], new Map()).ok).toBe(false);
    expect(checkChangesets(1, [spec("1.4.2", "2.0.0")], new Map()).ok).toBe(true);
  });

  test.each([
    ["0.1.0", "1.0.0", "major"],
    ["0.1.0", "0.2.0", "minor"],
    ["0.1.0", "0.1.1", "patch"],
    ["0.1.0", "0.1.0", undefined],
    ["0.2.0", "0.1.5", undefined],
    [undefined, "0.1.0", undefined],
  ])("from %s to %s is a %s bump", (base, head, bump) => {
    expect(appliedBump(base, head)).toBe(bump);
  });
});

describe("fixed groups", () => {
  const names = ["@sentry-org-api/spec", "@sentry-org-api/types", "other"];

  test("a bump of one package in a group is a bump of every package the group names", () => {
    const bumps = new Map([
      ["@sentry-org-api/client", "patch"],
      ["@sentry-org-api/spec", "minor"],
    ] as const);
    expect(withFixedGroups(bumps, [["@sentry-org-api/*"]], names)).toEqual(
      new Map([
        ["@sentry-org-api/client", "patch"],
        ["@sentry-org-api/spec", "minor"],
        ["@sentry-org-api/types", "minor"],
      ]),
    );
  });

  test("packages outside every group keep only their own bump", () => {
    const bumps = new Map([["@sentry-org-api/spec", "major"]] as const);
    expect(withFixedGroups(bumps, [["@sentry-org-api/spec", "@sentry-org-api/types"]], names).get("other")).toBe(
      undefined,
    );
    expect(withFixedGroups(bumps, [], names)).toEqual(bumps);
  });
});
