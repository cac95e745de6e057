// npm run mutation [-- client|contract]: StrykerJS over a package's src, against that package's tests.
// Stryker 10 refuses Node below 22, so it runs on the Node 22 that scripts/runtimes pins (an npm
// package with the binary inside; `npm run mutation` installs it). Not part of `npm test`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PACKAGES = ["client", "contract"];
const root = fileURLToPath(new URL("../../", import.meta.url));
const node22 = `${root}scripts/runtimes/node_modules/node22/bin/node`;
const stryker = `${root}scripts/mutation/node_modules/@stryker-mutator/core/bin/stryker.js`;

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !PACKAGES.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`mutation: unknown package ${unknown.join(", ")}; choose from ${PACKAGES.join(", ")}\n`);
  process.exit(2);
}
for (const name of chosen.length > 0 ? chosen : PACKAGES) {
  const run = spawnSync(node22, [stryker, "run"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, MUTATION_PACKAGE: name },
  });
  if (run.error) throw run.error;
  if (run.status !== 0) process.exit(run.status ?? 1);
}
