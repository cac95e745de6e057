// The smoke suite as one ESM file for every runtime, and the script that runs it outside workerd.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const SMOKE_MODULE = "smoke.mjs";
export const SMOKE_SCRIPT = "run-smoke.mjs";

/** Calls the module worker's fetch handler, as workerd would, and prints its JSON report. */
const script = `import worker from "./${SMOKE_MODULE}";
const answer = await worker.fetch(new Request("http://smoke/"));
console.log(await answer.text());
`;

/**
 * Writes SMOKE_MODULE and SMOKE_SCRIPT into `dir`. The neutral platform keeps Node's modules out: a
 * suite that imports one fails to bundle rather than passing on Node alone.
 * @param {string} dir
 */
export async function bundleSmoke(dir) {
  await build({
    entryPoints: [fileURLToPath(new URL("smoke.ts", import.meta.url))],
    outfile: join(dir, SMOKE_MODULE),
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  await writeFile(join(dir, SMOKE_SCRIPT), script);
}
