// The smoke bundle as a module worker in workerd: a generated config, a socket on 127.0.0.1 whose free
// port workerd picks and reports on its control pipe, one request, then the server is stopped.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startBounded } from "./bounded-child.mjs";

/** The control pipe's messages are one short JSON line each; more without a newline is not one. */
const MAX_CONTROL_LINE = 4096;

/** @param {string} moduleName */
const config = (moduleName) => `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "smoke", worker = .smoke)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "smoke")],
);

const smoke :Workerd.Worker = (
  modules = [(name = "${moduleName}", esModule = embed "${moduleName}")],
  compatibilityDate = "2026-11-17",
);
`;

/**
 * Resolves with the port of the `http` socket once workerd listens; rejects if it ends first, its
 * control pipe says something else, or it is not listening within `timeoutMs`.
 * @param {import("node:stream").Readable} control
 * @param {Promise<import("./bounded-child.mjs").ChildResult>} ended
 * @param {number} timeoutMs
 * @returns {Promise<number>}
 */
function listening(control, ended, timeoutMs) {
  return new Promise((resolve, reject) => {
    let line = "";
    const onData = (/** @type {Buffer} */ chunk) => {
      line += chunk.toString("utf8");
      const end = line.indexOf("\n");
      if (end === -1) {
        if (line.length > MAX_CONTROL_LINE) done(new Error("workerd's control pipe sent a line too long"));
        return;
      }
      let message;
      try {
        message = JSON.parse(line.slice(0, end));
      } catch {}
      if (message?.event === "listen" && message.socket === "http" && Number.isInteger(message.port)) {
        done(undefined, message.port);
      } else {
        done(new Error(`workerd's control pipe sent ${JSON.stringify(line.slice(0, 200))}`));
      }
    };
    let waiting = true;
    const late = () => new Error(`workerd not listening after ${timeoutMs / 1000} s`);
    ended.then((result) => {
      if (!waiting) return;
      // The child's own deadline is the same as this one: whichever fires first, the reason is the same.
      if (result.timedOut) done(late());
      else done(new Error(result.error ? `cannot start: ${result.error}` : "workerd ended before it listened"));
    });
    const timer = setTimeout(() => done(late()), timeoutMs);
    /**
     * @param {Error | undefined} error
     * @param {number} [port]
     */
    function done(error, port = 0) {
      waiting = false;
      clearTimeout(timer);
      control.off("data", onData);
      if (error) reject(error);
      else resolve(port);
    }
    control.on("data", onData);
  });
}

/**
 * The body as text; rejects past `limit` bytes.
 * @param {Response} response
 * @param {number} limit
 */
async function boundedText(response, limit) {
  /** @type {Uint8Array[]} */
  const chunks = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    bytes += read.value.length;
    if (bytes > limit) {
      await reader?.cancel();
      throw new Error(`workerd's answer is over ${limit} bytes`);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Serves `dir/moduleName` with workerd and fetches its answer once, all within `timeoutMs`.
 * @param {string} workerd the binary
 * @param {string} dir holds the bundle; the config is written beside it
 * @param {string} moduleName
 * @param {{ timeoutMs: number, maxOutputBytes: number, env: NodeJS.ProcessEnv }} limits
 * @returns {Promise<{ body?: string, problem?: string, result: import("./bounded-child.mjs").ChildResult }>}
 */
export async function fetchFromWorkerd(workerd, dir, moduleName, { timeoutMs, maxOutputBytes, env }) {
  const configPath = join(dir, "workerd.capnp");
  await writeFile(configPath, config(moduleName));
  const started = Date.now();
  const server = startBounded(workerd, ["serve", configPath, "--control-fd=3"], {
    timeoutMs,
    maxOutputBytes,
    env,
    cwd: dir,
    extraPipes: 1,
  });
  /** @type {string | undefined} */
  let body;
  /** @type {string | undefined} */
  let problem;
  try {
    const control = /** @type {import("node:stream").Readable} */ (server.child.stdio[3]);
    const port = await listening(control, server.done, timeoutMs);
    const answer = await fetch(`http://127.0.0.1:${port}/`, {
      signal: AbortSignal.timeout(Math.max(1, timeoutMs - (Date.now() - started))),
    });
    body = await boundedText(answer, maxOutputBytes);
    if (!answer.ok) problem = `workerd answered ${answer.status}: ${body.slice(0, 200)}`;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const result = await server.stop();
  return { body, problem, result };
}
