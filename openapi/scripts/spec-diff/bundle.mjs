// Bundles the spec at a git ref, or in the working tree, with the package's own Redocly.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SpecDiffError } from "./error.mjs";

const run = promisify(execFile);
const specDir = fileURLToPath(new URL("../..", import.meta.url));
const redocly = join(specDir, "../node_modules/.bin/redocly");
/** Limits for what git and Redocly may print or take: the spec is a few hundred kilobytes. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const TIMEOUT_MS = 120_000;
const MAX_SPEC_FILES = 2000;
/** The spec's sources, as the build task lists them: top-level YAML, paths/ and components/. */
const isSpecSource = (/** @type {string} */ file) => /^[^/]+\.yaml$|^(paths|components)\//.test(file);
export const RELEASE_TAG_PATTERN = "@sentry-org-api/spec@*";

/**
 * Runs git in the spec's folder; its error becomes one line naming what was asked.
 * @param {string[]} args
 */
export async function git(...args) {
  try {
    const { stdout } = await run("git", args, { cwd: specDir, maxBuffer: MAX_OUTPUT_BYTES, timeout: TIMEOUT_MS });
    return stdout;
  } catch (error) {
    throw new SpecDiffError(`git ${args[0]} failed: ${reasonOf(error, (stderr) => stderr.trim().split("\n")[0])}`);
  }
}

/**
 * The base to compare with when none is given: the spec's latest release tag reachable from HEAD,
 * else the merge base with main; `undefined` when there is neither.
 * @returns {Promise<{ ref: string, label: string } | undefined>}
 */
export async function defaultBase() {
  const tag = (
    await git("describe", "--tags", "--abbrev=0", "--match", RELEASE_TAG_PATTERN, "HEAD").catch(() => "")
  ).trim();
  if (tag) return { ref: tag, label: `latest release tag ${tag}` };
  const mergeBase = (await git("merge-base", "HEAD", "main").catch(() => "")).trim();
  if (mergeBase) return { ref: mergeBase, label: "merge base with main" };
  return undefined;
}

/** @param {string} ref @returns {Promise<string>} the commit `ref` names */
export async function commitOf(ref) {
  const commit = await git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`).catch(() => "");
  if (!commit.trim()) throw new SpecDiffError(`${ref} is not a commit in this repository`);
  return commit.trim();
}

/**
 * The spec package's files at `commit`, written to a temporary folder and bundled there.
 * @param {string} commit
 */
export async function bundleAt(commit) {
  // Paths relative to the spec's folder, both in the listing and in the `<commit>:./<file>` names read.
  const listing = await git("ls-tree", "-r", "-z", "--name-only", commit, "--", ".");
  const files = listing.split("\0").filter(isSpecSource);
  if (!files.includes("openapi.yaml")) throw new SpecDiffError(`${commit.slice(0, 12)} has no spec (openapi.yaml)`);
  if (files.length > MAX_SPEC_FILES) {
    throw new SpecDiffError(`${commit.slice(0, 12)} has ${files.length} spec files, more than ${MAX_SPEC_FILES}`);
  }
  const contents = await readFilesAt(commit, files);
  const dir = await mkdtemp(join(tmpdir(), "spec-diff-"));
  try {
    for (const [file, content] of contents) {
      await mkdir(join(dir, dirname(file)), { recursive: true });
      await writeFile(join(dir, file), content);
    }
    return await bundle(dir, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The files' contents at `commit`, from one `git cat-file --batch` (a `git show` each is seconds on a
 * busy machine). It answers each request line with "<oid> blob <size>", the bytes, and a newline.
 * @param {string} commit @param {string[]} files
 * @returns {Promise<Map<string, Buffer>>}
 */
async function readFilesAt(commit, files) {
  const pending = run("git", ["cat-file", "--batch"], {
    cwd: specDir,
    encoding: "buffer",
    maxBuffer: MAX_OUTPUT_BYTES,
    timeout: TIMEOUT_MS,
  });
  pending.child.stdin?.end(files.map((file) => `${commit}:./${file}\n`).join(""));
  /** @type {Buffer} */
  let output;
  try {
    output = (await pending).stdout;
  } catch (error) {
    throw new SpecDiffError(
      `git cat-file failed: ${reasonOf(error, (stderr) => String(stderr).trim().split("\n")[0])}`,
    );
  }
  const contents = new Map();
  let at = 0;
  for (const file of files) {
    const headerEnd = output.indexOf(0x0a, at);
    const size = Number(/^\S+ blob (\d+)$/.exec(output.toString("utf8", at, headerEnd))?.[1] ?? Number.NaN);
    if (headerEnd === -1 || !Number.isSafeInteger(size)) {
      throw new SpecDiffError(`git cat-file gave no ${file} at ${commit}`);
    }
    contents.set(file, output.subarray(headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return contents;
}

/** The working tree's spec, bundled. */
export async function bundleWorkingTree() {
  const dir = await mkdtemp(join(tmpdir(), "spec-diff-"));
  try {
    return await bundle(specDir, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `redocly bundle` of `source/openapi.yaml` (with the `redocly.yaml` beside it), parsed.
 * @param {string} source @param {string} scratch
 */
async function bundle(source, scratch) {
  const output = join(scratch, "bundled.json");
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
  try {
    await run(redocly, ["bundle", "openapi.yaml", "-o", output], {
      cwd: source,
      env,
      maxBuffer: MAX_OUTPUT_BYTES,
      timeout: TIMEOUT_MS,
    });
  } catch (error) {
    // Redocly's stderr also holds notices (such as its Node 20 box): show its first problem, which
    // follows a "[1] file:line:column" line.
    const reason = reasonOf(error, (stderr) => {
      const lines = stderr.split("\n");
      const at = lines.findIndex((line) => /^\[1\] /.test(line));
      return at === -1 ? undefined : lines.slice(at + 1).find((line) => line.trim() !== "");
    });
    throw new SpecDiffError(`redocly bundle failed in ${relative(process.cwd(), source) || "."}: ${reason.trim()}`);
  }
  return JSON.parse(await readFile(output, "utf8"));
}

/**
 * One line on why a child process failed: its timeout, or what `pick` finds in its stderr, or its message.
 * @param {unknown} error @param {(stderr: string) => string | undefined} pick
 */
function reasonOf(error, pick) {
  const {
    killed,
    stderr = "",
    message,
  } = /** @type {{ killed?: boolean, stderr?: string, message: string }} */ (error);
  if (killed) return `no answer within ${TIMEOUT_MS / 1000} s`;
  return pick(stderr) || message.split("\n")[0] || "no reason given";
}

/**
 * The version in `packageDir`'s package.json at `commit`, or in the working tree; `undefined` when absent.
 * @param {string} packageDir relative to the spec package @param {string} [commit]
 */
export async function versionOf(packageDir, commit) {
  const file = join(packageDir, "package.json");
  const text =
    commit === undefined
      ? await readFile(join(specDir, file), "utf8").catch(() => undefined)
      : await git("show", `${commit}:./${file}`).catch(() => undefined);
  return text === undefined ? undefined : String(JSON.parse(text).version);
}
