// Child processes that cannot hang the matrix or grow its memory: each runs in its own process group,
// killed whole (vitest's workers too) at its deadline or when the matrix itself is stopped, and keeps
// only the last bytes of what it prints.
import { spawn } from "node:child_process";

/** After a child exits, how long its pipes may stay open (held by a straggler) before they are cut. */
const PIPE_GRACE_MS = 1_000;
/** How long `stop` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 2_000;

/**
 * @typedef {object} ChildResult
 * @property {number | null} exitCode
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut killed at its deadline
 * @property {string} stdout the last `maxOutputBytes` of it
 * @property {string} stderr the last `maxOutputBytes` of it
 * @property {boolean} cut some output was dropped to stay within `maxOutputBytes`
 * @property {string} [error] why it could not be started
 */

/**
 * @typedef {object} BoundedOptions
 * @property {number} timeoutMs
 * @property {number} maxOutputBytes per stream
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 * @property {number} [extraPipes] pipes after stdio's three, as `child.stdio[3]` and on
 */

/** The last `limit` bytes written to it. */
export class OutputTail {
  /** @type {Buffer[]} */
  #chunks = [];
  #bytes = 0;
  cut = false;

  /** @param {number} limit */
  constructor(limit) {
    this.limit = limit;
  }

  /** @param {Buffer} chunk */
  push(chunk) {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    // Compacts only at twice the limit, so a chatty child costs amortised constant work per byte.
    if (this.#bytes > 2 * this.limit) this.#compact();
  }

  #compact() {
    if (this.#bytes <= this.limit) return;
    const kept = Buffer.concat(this.#chunks).subarray(this.#bytes - this.limit);
    this.#chunks = [kept];
    this.#bytes = kept.length;
    this.cut = true;
  }

  toString() {
    this.#compact();
    return Buffer.concat(this.#chunks).toString("utf8");
  }
}

/** The process groups still running, which `stopAll` kills. */
const live = new Set();

/**
 * @param {number | undefined} pid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Starts `command` in its own process group.
 * @param {string} command
 * @param {string[]} args
 * @param {BoundedOptions} options
 */
export function startBounded(command, args, { timeoutMs, maxOutputBytes, cwd, env, extraPipes = 0 }) {
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", ...Array(extraPipes).fill("pipe")],
  });
  const stdout = new OutputTail(maxOutputBytes);
  const stderr = new OutputTail(maxOutputBytes);
  child.stdout?.on("data", (chunk) => stdout.push(chunk));
  child.stderr?.on("data", (chunk) => stderr.push(chunk));
  live.add(child.pid);

  let timedOut = false;
  /** @type {(result: ChildResult) => void} */
  let settle = () => {};
  /** @type {Promise<ChildResult>} */
  const done = new Promise((resolve) => {
    settle = resolve;
  });
  /** @param {Partial<ChildResult>} outcome */
  const finish = (outcome) => {
    clearTimeout(deadline);
    clearTimeout(pipeGrace);
    live.delete(child.pid);
    for (const stream of child.stdio) stream?.destroy();
    settle({
      exitCode: null,
      signal: null,
      timedOut,
      stdout: stdout.toString(),
      stderr: stderr.toString(),
      cut: stdout.cut || stderr.cut,
      ...outcome,
    });
  };
  const deadline = setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid, "SIGKILL");
  }, timeoutMs);
  /** @type {NodeJS.Timeout | undefined} */
  let pipeGrace;
  child.once("error", (error) => finish({ error: error.message }));
  child.once("exit", (exitCode, signal) => {
    // A grandchild that escaped the group may hold the pipes open: 'close' would never come.
    pipeGrace = setTimeout(() => finish({ exitCode, signal }), PIPE_GRACE_MS);
    child.once("close", () => finish({ exitCode, signal }));
  });

  /** SIGTERM to the group, then SIGKILL if it is still there after a grace period; resolves with its result. */
  const stop = () => {
    signalGroup(child.pid, "SIGTERM");
    const kill = setTimeout(() => signalGroup(child.pid, "SIGKILL"), STOP_GRACE_MS);
    return done.finally(() => clearTimeout(kill));
  };
  return { child, done, stop };
}

/**
 * Runs `command` to its end or its deadline.
 * @param {string} command
 * @param {string[]} args
 * @param {BoundedOptions} options
 */
export const runBounded = (command, args, options) => startBounded(command, args, options).done;

/** Kills every child still running, for a matrix that is itself being stopped. */
export function stopAll() {
  for (const pid of live) signalGroup(pid, "SIGKILL");
}
