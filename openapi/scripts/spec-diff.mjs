// `npm run spec:diff -- [--base <git ref>]`: classifies each change between the spec at a base and the
// working tree's as breaking or not for a client, prints them as a table, and fails (exit 1) when a
// breaking change has no matching changeset. Exit 2: nothing could be compared.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  bundleAt,
  bundleWorkingTree,
  commitOf,
  defaultBase,
  git,
  RELEASE_TAG_PATTERN,
  versionOf,
} from "./spec-diff/bundle.mjs";
import { checkChangesets, pendingBumps, withFixedGroups } from "./spec-diff/changeset-gate.mjs";
import { diffSpecs } from "./spec-diff/classify.mjs";
import { SpecDiffError } from "./spec-diff/error.mjs";
import { formatTable, summarize } from "./spec-diff/table.mjs";

/**
 * The published packages a spec change reaches as it is: the spec itself, and the types generated from it.
 * Folders are relative to the spec package.
 */
const GATED_PACKAGES = [
  { name: "@sentry-org-api/spec", dir: "." },
  { name: "@sentry-org-api/types", dir: "../packages/types" },
];
const USAGE = "usage: npm run spec:diff -- [--base <git ref>]";

/** @param {string[]} args @returns {Promise<number>} the exit code */
async function main(args) {
  const given = baseArgument(args);
  const base = given === undefined ? await defaultBase() : { ref: given, label: `--base ${given}` };
  if (base === undefined) {
    throw new SpecDiffError(
      `nothing to compare against: no tag matches ${RELEASE_TAG_PATTERN} and there is no branch main. Pass --base <git ref>.`,
    );
  }
  const commit = await commitOf(base.ref);
  const [before, after] = await Promise.all([bundleAt(commit), bundleWorkingTree()]);
  const changes = diffSpecs(before, after);

  console.log(`spec diff: ${base.label} (${commit.slice(0, 12)}) → working tree`);
  console.log(changes.length === 0 ? "no changes" : `${formatTable(changes)}\n${summarize(changes)}`);

  const packages = await Promise.all(
    GATED_PACKAGES.map(async ({ name, dir }) => ({
      name,
      baseVersion: await versionOf(dir, commit),
      headVersion: await versionOf(dir),
    })),
  );
  const root = (await git("rev-parse", "--show-toplevel")).trim();
  const breaking = changes.filter((change) => change.kind === "breaking").length;
  const fixed = await fixedGroups(join(root, ".changeset", "config.json"));
  const pending = withFixedGroups(
    await pendingBumps(join(root, ".changeset")),
    fixed,
    packages.map(({ name }) => name),
  );
  const gate = checkChangesets(breaking, packages, pending);
  for (const line of gate.lines) console.log(line);
  return gate.ok ? 0 : 1;
}

/**
 * The `fixed` groups of the changesets configuration, if there is one.
 * @param {string} file
 * @returns {Promise<string[][]>}
 */
async function fixedGroups(file) {
  const text = await readFile(file, "utf8").catch(() => "{}");
  /** @type {unknown} */
  let fixed;
  try {
    fixed = JSON.parse(text).fixed ?? [];
  } catch {
    throw new SpecDiffError(`${file} is not JSON`);
  }
  if (
    !Array.isArray(fixed) ||
    !fixed.every((group) => Array.isArray(group) && group.every((p) => typeof p === "string"))
  )
    throw new SpecDiffError(`${file}: "fixed" must be a list of lists of package names`);
  return fixed;
}

/**
 * The value of `--base`, if given. Parsed leniently so that a mistake gets this command's own words.
 * @param {string[]} args
 */
function baseArgument(args) {
  const { values, tokens } = parseArgs({ args, options: { base: { type: "string" } }, strict: false, tokens: true });
  const stray = tokens.find((token) => token.kind !== "option" || token.name !== "base");
  if (stray !== undefined) {
    const text = stray.kind === "positional" ? stray.value : stray.kind === "option" ? stray.rawName : "--";
    throw new SpecDiffError(`unknown argument ${text}\n${USAGE}`);
  }
  if (values.base !== undefined && typeof values.base !== "string")
    throw new SpecDiffError(`--base needs a git ref\n${USAGE}`);
  return values.base;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Expected failures are one line; anything else keeps its stack for a bug report.
  console.error(error instanceof SpecDiffError ? `spec diff: ${error.message}` : error);
  process.exitCode = 2;
}
