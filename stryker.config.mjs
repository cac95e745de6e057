// @ts-check
import { readFileSync } from "node:fs";

// Mutation testing of one package's src against that package's own tests, from a sandbox copy of
// the repository: `npm run mutation` runs both packages; MUTATION_PACKAGE=client|contract runs one.
// Not part of `npm test`: a full run takes many minutes on two cores.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm runs the mutation tests, not turbo.
const name = process.env.MUTATION_PACKAGE;
if (name !== "client" && name !== "contract") {
  throw new Error(`MUTATION_PACKAGE must be "client" or "contract", got ${JSON.stringify(name)}`);
}
const dir = `packages/${name}`;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: npm runs the mutation tests, not turbo.
const sampleFile = process.env.MUTATION_SAMPLE_FILE;

/** @type {import("./scripts/mutation/node_modules/@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.ts", dir },
  checkers: [],
  // A sample (`npm run mutation -- contract --sample 0.1`) comes as a file of ranges: thousands of them
  // would not fit in one command-line argument.
  mutate: sampleFile ? JSON.parse(readFileSync(sampleFile, "utf8")) : [`${dir}/src/**/*.ts`],
  coverageAnalysis: "perTest",
  // A mutant in module-level code (a table, a pattern) runs every test: in the contract these were
  // 18% of the mutants and 77% of the time. They are reported as ignored, outside the score.
  ignoreStatic: true,
  // The sandbox holds the package, the root files its vitest and tsc configurations extend, and the
  // types package's shared test files.
  ignorePatterns: [
    "/*",
    "!/package.json",
    "!/tsconfig.base.json",
    "!/vitest.shared.ts",
    "!/vitest.mutation.ts",
    "!/vitest.mutation-setup.ts",
    "!/packages",
    `/packages/*`,
    `!/${dir}`,
    // The header table and the spec-copy helper that the tests of both packages share.
    "!/packages/types",
    // The contract's browser test bundles the client from its sources.
    ...(name === "contract" ? ["!/packages/client"] : []),
  ],
  // The contract's binary.test.ts starts bin/, which runs dist/: build it in the sandbox. The other CLI
  // tests call the command's main in process, where the mutants are switched on.
  buildCommand: name === "contract" ? `npx tsc -p ${dir}/tsconfig.build.json` : undefined,
  // Both cores, one test process each; each test file already runs servers of its own.
  concurrency: 2,
  // A mutant gets its tests' time (as measured in the dry run) times 1.5, plus this.
  timeoutMS: 5_000,
  // The contract's whole suite takes minutes on a busy two-core machine; Stryker's default allows 5.
  dryRunTimeoutMinutes: 20,
  thresholds: { high: name === "client" ? 85 : 75, low: 60, break: null },
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  // Mutants whose code and tests did not change keep their last result, so a package too big for
  // one sitting is measured across several runs; the file is committed.
  incremental: true,
  incrementalFile: `reports/mutation/${name}-incremental.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
