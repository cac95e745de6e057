// What the tests of the sentry-org-api command share. They run its `main` in this process, so that
// mutation testing sees the code they cover; `binary.test.ts` starts the real binary.
import { main } from "../src/cli/main.js";

/** How a run of the command ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A run of the command still going, watched as it prints. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  /** Settles once `stream` has printed `text`; rejects if the command ends first. */
  printed(stream: "stdout" | "stderr", text: string): Promise<void>;
  /** What Ctrl-C does to a command that runs until stopped. */
  stop(): void;
  ended: Promise<CliRun>;
}

/**
 * Starts `sentry-org-api <args>` with `env` as its whole environment and stdout and stderr captured;
 * `isTTY` makes the streams look like a terminal.
 */
export function startCli(args: string[], env: Record<string, string> = {}, { isTTY = false } = {}): RunningCli {
  const text = { stdout: "", stderr: "" };
  const watchers = new Set<() => void>();
  const stream = (name: "stdout" | "stderr") => ({
    isTTY,
    write(chunk: string) {
      text[name] += chunk;
      for (const watcher of watchers) watcher();
      return true;
    },
  });
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let finished = false;
  const ended = main(args, {
    stdout: stream("stdout"),
    stderr: stream("stderr"),
    env,
    untilStopped: () => stopped,
  }).then((code) => {
    finished = true;
    for (const watcher of watchers) watcher();
    return { code, ...text };
  });
  return {
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    printed: (name, expected) =>
      new Promise((resolve, reject) => {
        const watcher = () => {
          if (text[name].includes(expected)) resolve();
          else if (finished) reject(new Error(`ended before printing ${JSON.stringify(expected)}: ${text[name]}`));
          else return;
          watchers.delete(watcher);
        };
        watchers.add(watcher);
        watcher();
      }),
    stop,
    ended,
  };
}

/** Runs the command to its end. */
export const runCli = (args: string[], env: Record<string, string> = {}) => startCli(args, env).ended;
