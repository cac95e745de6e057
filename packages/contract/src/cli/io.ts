/**
 * What a command reads from and writes to the world. The `sentry-org-api` binary passes the process's
 * own; tests pass strings and a promise they settle, so the commands run in the test's process.
 */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Settles when the user asks a command that runs until stopped (`mock`) to stop: Ctrl-C or SIGTERM. */
  untilStopped(): Promise<void>;
}

/** The part of a `process.stdout` the commands use: `isTTY` decides whether the text report is coloured. */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}
