// A uniform random sample of a package's mutants, for a package too slow to test whole in one sitting
// (the contract's ~4,000 mutants take hours on two cores): `npm run mutation -- contract --sample 0.25`.
// Run on Node 22 (Stryker's instrumenter needs it): `node sample.mjs <src dir> <fraction> <seed>` prints the
// sample as Stryker `--mutate` ranges (JSON). `estimate` reads the score and its 95% interval off the run's
// JSON report.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Mutants at one place in the source: the sampling unit, since a --mutate range selects them all. */
const placeOf = (file, { start, end }) => `${file}:${start.line + 1}:${start.column}-${end.line + 1}:${end.column}`;

/** Deterministic for a seed, so that a sample can be tested again after its survivors are dealt with. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The places of every mutant of the package's sources, and a random `fraction` of them. */
export async function sample(srcDir, fraction, seed) {
  // Named by a variable so that tsc, which checks the scripts on machines where `npm run mutation` never
  // installed Stryker, does not look for it.
  const instrumenterModule = "@stryker-mutator/instrumenter";
  const { Instrumenter } = await import(instrumenterModule);
  const quiet = () => {};
  const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet, trace: quiet, isDebugEnabled: () => false };
  const files = readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(srcDir, name));
  const { mutants } = await new Instrumenter(logger).instrument(
    files.map((name) => ({ name, mutate: true, content: readFileSync(name, "utf8") })),
    { plugins: null, excludedMutations: [], ignorers: [] },
  );
  const places = [...new Set(mutants.map((mutant) => placeOf(mutant.fileName, mutant.location)))].sort();
  const next = random(seed);
  for (let i = places.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [places[i], places[j]] = [places[j], places[i]];
  }
  return { total: places.length, sampled: places.slice(0, Math.round(places.length * fraction)) };
}

/** The place of a mutant in a JSON report, whose lines and columns count from 1 (the instrumenter's from 0). */
const reportedPlace = (file, { start, end }) =>
  placeOf(file, {
    start: { line: start.line - 1, column: start.column - 1 },
    end: { line: end.line - 1, column: end.column - 1 },
  });

/**
 * The score of the sampled mutants (detected: killed or timed out; valid: those plus survived and not
 * covered) and a 95% interval for the whole package's, by the ratio estimator over sampled places. A range
 * also selects the mutants nested in it (a function's body holds its statements'): those were tested too,
 * but only the mutants at the sampled places themselves count, or big blocks would weigh more.
 */
export function estimate(report, sampled, total) {
  const places = new Map();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      const place = reportedPlace(file, mutant.location);
      if (!sampled.has(place)) continue;
      const detected = mutant.status === "Killed" || mutant.status === "Timeout";
      const valid = detected || mutant.status === "Survived" || mutant.status === "NoCoverage";
      const unit = places.get(place) ?? { detected: 0, valid: 0, mutants: [] };
      unit.detected += Number(detected);
      unit.valid += Number(valid);
      unit.mutants.push({ file, ...mutant });
      places.set(place, unit);
    }
  }
  const units = [...places.values()].filter((unit) => unit.valid > 0);
  const n = units.length;
  const detected = units.reduce((sum, unit) => sum + unit.detected, 0);
  const valid = units.reduce((sum, unit) => sum + unit.valid, 0);
  const score = detected / valid;
  const meanValid = valid / n;
  const spread = units.reduce((sum, unit) => sum + (unit.detected - score * unit.valid) ** 2, 0) / (n - 1);
  const margin = 1.96 * Math.sqrt(((1 - sampled.size / total) * spread) / (n * meanValid ** 2));
  const survivors = units.flatMap((unit) =>
    unit.mutants.filter((m) => m.status === "Survived" || m.status === "NoCoverage"),
  );
  const low = Math.max(0, score - margin);
  const high = Math.min(1, score + margin);
  return { found: places.size, detected, valid, score, low, high, survivors };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [srcDir, fraction, seed] = process.argv.slice(2);
  const { total, sampled } = await sample(srcDir, Number(fraction), Number(seed));
  process.stdout.write(JSON.stringify({ total, sampled }));
}
