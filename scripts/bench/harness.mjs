// Shared pieces of the benchmarks: alternating rounds with medians, child servers, and formatting.
import { fork } from "node:child_process";

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Runs every contender once per round, in alternating order (reversed every other round) so that
 * none always runs first or last, after `warmup` rounds that are not counted. `measure(run)` returns
 * one number per run; the result is each contender's median.
 */
export async function alternate(contenders, { rounds, warmup }, measure) {
  const names = Object.keys(contenders);
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const value = await measure(contenders[name], name);
      if (round >= warmup) samples[name].push(value);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

/** Time per call, in microseconds, of `count` calls made `concurrency` at a time. */
export async function timePerCall(call, { count, concurrency }) {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await call();
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ((performance.now() - start) * 1000) / count;
}

/** Starts `servers.mjs KIND ...args` in its own process and resolves to its URL and a stop function. */
export async function startChildServer(kind, ...args) {
  const child = fork(new URL("servers.mjs", import.meta.url), [kind, ...args.map(String)], { stdio: "inherit" });
  const url = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`server ${kind} exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve).kill() : resolve(undefined))),
  };
}

export const ratio = (value, baseline) => value / baseline;
export const format = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
