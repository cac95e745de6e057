// The vitest configuration of mutation runs (stryker.config.mjs), for either package. Stryker switches
// mutants on at run time, so one module graph can serve every test file: re-importing each file's
// modules (the spec, Ajv's compiled schemas) for every mutant took most of a run's time.
import { mergeConfig } from "vitest/config";
import shared from "./vitest.shared.js";

export default mergeConfig(shared, { test: { isolate: false } });
