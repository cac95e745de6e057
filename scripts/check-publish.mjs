// Publishes every public package with `npm publish --dry-run` and checks what would reach the
// registry: no warning but the expected "not logged in", every file the manifest points at, the
// license, readme and changelog, and nothing from the tests or the sources maps. Run by `npm test`
// after the build. The registry is a closed local port, so nothing leaves the machine.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const OFFLINE = ["--registry", "http://127.0.0.1:9/", "--fetch-retries=0", "--no-audit", "--no-fund"];
/** The one warning a dry run gives without a login; any other is a defect of the manifest. */
const EXPECTED_WARNING = /^npm warn publish This command requires you to be logged in/;
const ALWAYS = ["package.json", "README.md", "LICENSE", "CHANGELOG.md"];
const NEVER = [/^test\//, /\.map$/, /\.tsbuildinfo$/, /(^|\/)\.turbo\//];
const MAX_PACKED_BYTES = 1024 * 1024;

/** @param {unknown} node @returns {string[]} every path a manifest field points at */
const targets = (node) =>
  typeof node === "string"
    ? [node.replace(/^\.\//, "")]
    : node && typeof node === "object"
      ? Object.values(node).flatMap(targets)
      : [];

const workspaces = JSON.parse(
  spawnSync("npm", ["query", ".workspace"], { cwd: root, encoding: "utf8", maxBuffer: 16 * 2 ** 20 }).stdout,
);
const problems = [];
const rows = [];
for (const { name, location, private: isPrivate } of workspaces) {
  if (isPrivate) continue;
  const run = spawnSync("npm", ["publish", "--dry-run", "--json", "-w", name, ...OFFLINE], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 16 * 2 ** 20,
  });
  if (run.status !== 0) {
    problems.push(`${name}: npm publish --dry-run exited ${run.status ?? run.signal}: ${run.stderr.slice(-2000)}`);
    continue;
  }
  for (const line of run.stderr.split("\n").filter((text) => text.startsWith("npm warn"))) {
    if (!EXPECTED_WARNING.test(line)) problems.push(`${name}: ${line}`);
  }
  const report = JSON.parse(run.stdout)[name];
  const files = new Set(report.files.map((/** @type {{ path: string }} */ file) => file.path));
  const manifest = JSON.parse(readFileSync(`${root}${location}/package.json`, "utf8"));
  const wanted = [...ALWAYS, ...targets(manifest.exports), ...targets(manifest.bin)];
  for (const path of wanted) if (!files.has(path)) problems.push(`${name}: the tarball lacks ${path}`);
  for (const path of files)
    if (NEVER.some((pattern) => pattern.test(path))) problems.push(`${name}: the tarball holds ${path}`);
  if (report.size > MAX_PACKED_BYTES) problems.push(`${name}: ${report.size} bytes packed, above ${MAX_PACKED_BYTES}`);
  rows.push(
    `${name.padEnd(26)} ${String(files.size).padStart(5)} files ${kB(report.size)} packed ${kB(report.unpackedSize)} unpacked`,
  );
}

/** @param {number} bytes */
function kB(bytes) {
  return `${(bytes / 1000).toFixed(1).padStart(7)} kB`;
}

process.stdout.write(`npm publish --dry-run\n${rows.join("\n")}\n`);
if (problems.length > 0) {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(1);
}
