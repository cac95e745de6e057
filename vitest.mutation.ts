// The vitest configuration of mutation runs (stryker.config.mjs), for either package.
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import shared from "./vitest.shared.js";

/**
 * Stryker stops a mutant's run at its first failing test, so the small files (the unit tests) go first,
 * before the files that start servers and run the whole conformance suite.
 */
class SmallestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sizes = new Map(files.map((file) => [file, statSync(file.moduleId).size]));
    return [...files].sort((a, b) => (sizes.get(a) ?? 0) - (sizes.get(b) ?? 0));
  }
}

export default mergeConfig(shared, {
  test: {
    // One worker for every test file: starting a worker per file per mutant took most of the time.
    isolate: false,
    setupFiles: [fileURLToPath(new URL("./vitest.mutation-setup.ts", import.meta.url))],
    sequence: { sequencer: SmallestFirst },
  },
});
