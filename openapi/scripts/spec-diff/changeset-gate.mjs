// Breaking spec changes must ship as a major release (minor while a package is 0.x): the pending
// changesets, or a version already bumped by `changeset version`, must say so.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { SpecDiffError } from "./error.mjs";

/**
 * @typedef {"patch" | "minor" | "major"} Bump
 * @typedef {{ name: string, baseVersion: string | undefined, headVersion: string | undefined }} GatedPackage
 */

const BUMPS = /** @type {const} */ (["patch", "minor", "major"]);
/** A changeset is a few lines; anything bigger is not one. */
const MAX_CHANGESET_BYTES = 64 * 1024;
const MAX_CHANGESETS = 1000;

/**
 * The bump each package gets from the pending changesets in `dir` (the highest one wins).
 * @param {string} dir
 * @returns {Promise<Map<string, Bump>>}
 */
export async function pendingBumps(dir) {
  const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(".md") && name !== "README.md");
  if (names.length > MAX_CHANGESETS)
    throw new SpecDiffError(`${dir} holds ${names.length} changesets, more than ${MAX_CHANGESETS}`);
  /** @type {Map<string, Bump>} */
  const bumps = new Map();
  for (const name of names.sort()) {
    const file = join(dir, name);
    if ((await stat(file)).size > MAX_CHANGESET_BYTES) {
      throw new SpecDiffError(`changeset ${name} is larger than ${MAX_CHANGESET_BYTES} bytes`);
    }
    for (const [pkg, bump] of Object.entries(frontMatter(name, await readFile(file, "utf8")))) {
      const current = bumps.get(pkg);
      if (current === undefined || BUMPS.indexOf(bump) > BUMPS.indexOf(current)) bumps.set(pkg, bump);
    }
  }
  return bumps;
}

/**
 * The `package: bump` lines between a changeset's `---` fences.
 * @param {string} name @param {string} text
 * @returns {Record<string, Bump>}
 */
function frontMatter(name, text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (match === null) throw new SpecDiffError(`changeset ${name} has no front matter between --- lines`);
  /** @type {unknown} */
  let releases;
  try {
    releases = parse(match[1] ?? "") ?? {};
  } catch {
    throw new SpecDiffError(`changeset ${name}: its front matter is not YAML`);
  }
  if (typeof releases !== "object" || releases === null || Array.isArray(releases)) {
    throw new SpecDiffError(`changeset ${name}: its front matter is not a list of package: bump lines`);
  }
  /** @type {Record<string, Bump>} */
  const bumps = {};
  for (const [pkg, bump] of Object.entries(releases)) {
    // `none` is changesets' way to list a package without releasing it.
    if (bump === "none") continue;
    if (!BUMPS.includes(bump))
      throw new SpecDiffError(
        `changeset ${name}: ${pkg} has bump ${JSON.stringify(bump)}, not patch, minor, major or none`,
      );
    bumps[pkg] = bump;
  }
  return bumps;
}

/**
 * The bumps with changesets' `fixed` groups applied: packages in one group are released together,
 * so a bump of one is a bump of every package the group's patterns (`*` wildcards) name.
 * @param {Map<string, Bump>} bumps
 * @param {string[][]} fixed
 * @param {string[]} names every package the gate asks about
 */
export function withFixedGroups(bumps, fixed, names) {
  const result = new Map(bumps);
  for (const patterns of fixed) {
    const matchers = patterns.map((pattern) => new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`));
    /** @param {string} name */
    const members = (name) => matchers.some((matcher) => matcher.test(name));
    const group = [...bumps].filter(([name]) => members(name)).map(([, bump]) => bump);
    if (group.length === 0) continue;
    const highest = group.reduce((a, b) => (BUMPS.indexOf(b) > BUMPS.indexOf(a) ? b : a));
    for (const name of names.filter(members)) result.set(name, highest);
  }
  return result;
}

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** @param {string} version @returns {Bump} what a breaking change needs on `version` */
const requiredBump = (version) => (Number(version.split(".")[0]) >= 1 ? "major" : "minor");

/**
 * The bump from `base` to `head` already written to package.json, as `changeset version` does.
 * @param {string | undefined} base @param {string | undefined} head
 * @returns {Bump | undefined}
 */
export function appliedBump(base, head) {
  if (base === undefined || head === undefined) return undefined;
  const before = base.split(/[.-]/).map(Number);
  const after = head.split(/[.-]/).map(Number);
  for (const [index, bump] of /** @type {const} */ ([
    [0, "major"],
    [1, "minor"],
    [2, "patch"],
  ])) {
    const was = before[index] ?? 0;
    const is = after[index] ?? 0;
    if (is !== was) return is > was ? bump : undefined;
  }
  return undefined;
}

/**
 * Whether the breaking changes are released as they must be, with one line per package.
 * @param {number} breaking @param {GatedPackage[]} packages @param {Map<string, Bump>} pending
 * @returns {{ ok: boolean, lines: string[] }}
 */
export function checkChangesets(breaking, packages, pending) {
  if (breaking === 0) return { ok: true, lines: ["changeset gate: no breaking change, no bump needed"] };
  const lines = [];
  let ok = true;
  for (const { name, baseVersion, headVersion } of packages) {
    const version = baseVersion ?? headVersion ?? "0.0.0";
    const needed = requiredBump(version);
    const given = [pending.get(name), appliedBump(baseVersion, headVersion)]
      .filter((bump) => bump !== undefined)
      .sort((x, y) => BUMPS.indexOf(y) - BUMPS.indexOf(x))[0];
    const enough = given !== undefined && BUMPS.indexOf(given) >= BUMPS.indexOf(needed);
    ok &&= enough;
    lines.push(
      `changeset gate: ${name} ${version} needs a ${needed} bump for ${breaking} breaking change${breaking === 1 ? "" : "s"}: ` +
        (enough ? `has ${given}` : `has ${given ?? "none"}; add one with \`npx changeset\``),
    );
  }
  return { ok, lines };
}
