// What the tests that start the sentry-org-audit command share.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const packageDir = fileURLToPath(new URL("..", import.meta.url));
export const bin = join(packageDir, "bin", "sentry-org-audit.js");

/** A token the tests' mocks accept; never printed. */
export const TOKEN = "audit-test-token-4b8e1f0c9d2a7e5b3c6f8a1d0e9b2c4f6a8d1e3b5c7f9a0";

/** How a run of the command ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would pass, without any token, CI or colour setting inherited from this one. */
export function cliEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Fails early with what to do when the command has not been built. */
export function expectBuilt() {
  if (!existsSync(join(packageDir, "dist", "cli.js")))
    throw new Error("dist/cli.js is missing: run `npx tsc -p tsconfig.build.json` in packages/audit first");
}

/** Runs the command as a user would, stdout and stderr piped, and returns its exit code and both streams. */
export function runCli(args: string[], env: Record<string, string> = { SENTRY_TOKEN: TOKEN }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: packageDir, env: cliEnv(env), timeout: 60_000, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`sentry-org-audit ${args.join(" ")} did not exit by itself (${error.message}): ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
