// npm run mutation [-- client|contract] [--sample FRACTION [--seed N]]: StrykerJS over a package's src,
// against that package's tests. Stryker 10 refuses Node below 22, so it runs on the Node 22 that
// scripts/runtimes pins (an npm package with the binary inside; `npm run mutation` installs it). Not part
// of `npm test`. With --sample, only a random fraction of the mutants (sample.mjs), and an estimate.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { estimate } from "./sample.mjs";

const PACKAGES = ["client", "contract"];
const root = fileURLToPath(new URL("../../", import.meta.url));
const node22 = `${root}scripts/runtimes/node_modules/node22/bin/node`;
const stryker = `${root}scripts/mutation/node_modules/@stryker-mutator/core/bin/stryker.js`;

/** @returns {never} */
function fail(message) {
  process.stderr.write(`mutation: ${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { sample: { type: "string" }, seed: { type: "string", default: "1" } },
  });
} catch (error) {
  fail(/** @type {Error} */ (error).message);
}
const { values, positionals: chosen } = parsed;
const unknown = chosen.filter((name) => !PACKAGES.includes(name));
if (unknown.length > 0) fail(`unknown package ${unknown.join(", ")}; choose from ${PACKAGES.join(", ")}`);
const fraction = values.sample === undefined ? undefined : Number(values.sample);
if (fraction !== undefined && !(fraction > 0 && fraction <= 1))
  fail(`--sample must be a fraction above 0 and at most 1, got ${JSON.stringify(values.sample)}`);
if (!/^\d{1,9}$/.test(values.seed))
  fail(`--seed must be an integer from 0 to 999999999, got ${JSON.stringify(values.seed)}`);
const seed = Number(values.seed);

const node22Json = (args) => {
  const run = spawnSync(node22, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${args.join(" ")} failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
};

for (const name of chosen.length > 0 ? chosen : PACKAGES) {
  const sampled =
    fraction === undefined
      ? undefined
      : node22Json([`${root}scripts/mutation/sample.mjs`, `packages/${name}/src`, String(fraction), String(seed)]);
  if (sampled && sampled.sampled.length < 2)
    fail(
      `--sample ${values.sample} picks ${sampled.sampled.length} of ${sampled.total} places; an estimate needs 2 or more`,
    );
  const sampleFile = sampled && join(mkdtempSync(join(tmpdir(), "mutation-sample-")), "mutate.json");
  if (sampleFile) writeFileSync(sampleFile, JSON.stringify(sampled.sampled));
  const run = spawnSync(node22, [stryker, "run"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, MUTATION_PACKAGE: name, ...(sampleFile && { MUTATION_SAMPLE_FILE: sampleFile }) },
  });
  if (run.error) throw run.error;
  if (run.status !== 0) process.exit(run.status ?? 1);
  if (!sampled) continue;
  const report = JSON.parse(readFileSync(`${root}reports/mutation/${name}.json`, "utf8"));
  const result = estimate(report, new Set(sampled.sampled), sampled.total);
  const percent = (value) => `${(100 * value).toFixed(1)}%`;
  process.stdout.write(
    `\n${name}: sample of ${sampled.sampled.length} of ${sampled.total} mutant places (seed ${seed}), ` +
      `${result.found} found in the report: ${result.detected} of ${result.valid} valid mutants detected, ` +
      `score ${percent(result.score)} (95% interval ${percent(result.low)} to ${percent(result.high)})\n` +
      result.survivors
        .map(
          (m) =>
            `  ${m.status} ${m.file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement ?? "")}\n`,
        )
        .join(""),
  );
}
