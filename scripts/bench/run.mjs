// npm run bench [-- --quick]: every benchmark on loopback, a table, and (full runs) BENCHMARKS.md.
// The quick run checks that the harness works and enforces the size budget; it asserts no speed.
import { fork } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { cpus, type as osType, release, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { gzippedSizes, SIZE_BUDGET_BYTES } from "./bundle-size.mjs";
import { format } from "./harness.mjs";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const quick = values.quick;
const root = new URL("../../", import.meta.url);

// The pipeline runs first: its cold build rebuilds the packages the other benchmarks load.
const BENCHMARKS = [
  "pipeline",
  "bundle-size",
  "validation",
  "client-overhead",
  "pagination",
  "mock-server",
  "mock-scale",
  "mock-in-process",
];

/** Each benchmark runs in a fresh process, so that none inherits another's heap, timers or JIT state. */
function runIsolated(name) {
  const child = fork(new URL("run-one.mjs", import.meta.url), [name, ...(quick ? ["--quick"] : [])]);
  return new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`benchmark ${name} exited with ${code} before reporting`)));
  });
}

const results = [];
for (const name of BENCHMARKS) {
  process.stdout.write(`running ${name}${quick ? " (quick)" : ""}...\n`);
  results.push(await runIsolated(name));
}

// Shown in the order of the issue, whatever order they ran in.
results.sort((a, b) => Number.parseInt(a.title, 10) - Number.parseInt(b.title, 10));

const verdict = (row) =>
  row.target === undefined
    ? ""
    : (row.better === "higher" ? row.value >= row.target : row.value <= row.target)
      ? "met"
      : "not met";
const targetText = (row) => (row.target === undefined ? "" : `${row.better === "higher" ? "≥" : "≤"} ${row.target}`);
const lines = [
  "| benchmark | measure | result | target | |",
  "| --- | --- | --- | --- | --- |",
  ...results.flatMap((result) =>
    result.rows.map(
      (row) =>
        `| ${result.title.split(" (")[0]} | ${row.measure} | ${format(row.value, row.digits ?? 2)} | ${targetText(row)} | ${verdict(row)} |`,
    ),
  ),
];
process.stdout.write(`\n${lines.join("\n")}\n\n`);
for (const result of results)
  process.stdout.write(`${result.title}\n${result.details.map((d) => `  ${d}`).join("\n")}\n`);

if (quick) {
  // Sizes do not vary between runs or machines, so unlike the speeds this one is enforced.
  const ours = (await gzippedSizes())["@sentry-org-api/client"];
  if (ours > SIZE_BUDGET_BYTES) {
    process.stderr.write(
      `bench: the client bundle is ${ours} bytes gzipped, over its budget of ${SIZE_BUDGET_BYTES}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    `\nbench --quick: every benchmark ran; client bundle ${ours} bytes gzipped, within ${SIZE_BUDGET_BYTES}\n`,
  );
} else {
  const versionOf = async (name) =>
    JSON.parse(await readFile(new URL(`node_modules/${name}/package.json`, root), "utf8")).version;
  const peers = [
    "openapi-fetch",
    "@sentry/api",
    "axios",
    "@stoplight/prism-cli",
    "autocannon",
    "ajv",
    "esbuild",
    "turbo",
    "@redocly/cli",
  ];
  const versions = await Promise.all(peers.map(async (name) => `${name} ${await versionOf(name)}`));
  const markdown = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Absolute numbers depend on the machine; the
targets are ratios measured in one run. Each benchmark runs its contenders alternately, in several rounds after a
warm-up, and reports medians. Servers run in their own processes on 127.0.0.1.

## Results

${lines.join("\n")}

${results.map((result) => `### ${result.title}\n\n${result.details.map((d) => `- ${d}`).join("\n")}`).join("\n\n")}

## Machine

- ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB memory
- ${osType()} ${release()}, Node ${process.version}

## Versions

${versions.map((v) => `- ${v}`).join("\n")}

## Commands

\`\`\`sh
npm ci && npm run build
npm run bench              # everything; rewrites this file
npm run bench -- --quick   # a short run, as part of npm test: checks the harness and the size budget
\`\`\`

The scripts are in \`scripts/bench/\`, one file per benchmark.
`;
  await writeFile(new URL("BENCHMARKS.md", root), markdown);
  process.stdout.write("\nBENCHMARKS.md rewritten\n");
}
