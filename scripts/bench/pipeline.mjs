// 5. Pipeline: a cold `npm run build` with turbo's cache and every output removed, then a cached one.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { format, median } from "./harness.mjs";

const root = new URL("../../", import.meta.url).pathname;
const OUTPUTS = [
  ".turbo",
  "openapi/dist",
  "packages/types/dist",
  "packages/contract/dist",
  "packages/client/dist",
  "packages/docs/dist",
];

function timedBuild() {
  const start = performance.now();
  execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "ignore" });
  return (performance.now() - start) / 1000;
}

export async function run({ quick }) {
  let cold;
  if (!quick) {
    for (const output of OUTPUTS) rmSync(`${root}${output}`, { recursive: true, force: true });
    cold = timedBuild();
  }
  timedBuild();
  const cached = median(Array.from({ length: quick ? 1 : 5 }, timedBuild));
  return {
    title: "5. Pipeline (npm run build: lint, bundle, generate, build, docs)",
    rows: [{ measure: "cached npm run build, seconds of wall time", value: cached, target: 1, better: "lower" }],
    details: [
      cold === undefined
        ? `cached: ${format(cached)} s (the quick run skips the cold build)`
        : `cold, after removing .turbo and every dist/: ${format(cold, 1)} s; cached: ${format(cached)} s (median of 5)`,
    ],
  };
}
