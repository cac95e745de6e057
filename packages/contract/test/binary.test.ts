// The installed binary, started as a user starts it: what only a real process shows (the bin link to
// dist/, the exit status, signals, process.env, a pipe that is not a terminal). Everything else about
// the commands is tested in process (cli.test.ts and the others that use cli-run.ts).
import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "@sentry-org-api/types/protocol";
import { afterEach, beforeAll, expect, test } from "vitest";
import { DEFAULT_MOCK_TOKEN } from "../src/index.js";
import type { CliRun } from "./cli-run.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(packageDir, "bin", "sentry-org-api.js");
/** The user's own token, which the mock must serve and never print. */
const USER_TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/** The environment a user's shell would pass, without any token or colour setting inherited from this one. */
function cliEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "SYSTEMROOT", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

function runBinary(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: packageDir, env: cliEnv({}), timeout: 30_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`sentry-org-api ${args.join(" ")} did not exit by itself (${error.message}): ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(() => {
  if (!existsSync(join(packageDir, "dist", "cli.js"))) {
    throw new Error("dist/cli.js is missing: run `npx tsc -p tsconfig.build.json` in packages/contract first");
  }
});

test("--version prints the packages' version and exits 0", async () => {
  expect(await runBinary(["--version"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
});

test("the exit status is the report's, and a report on a pipe has no ANSI escapes", async () => {
  const failing = await runBinary(["check", "--org", "no-such-org", "--operations", "getOrganization"]);
  expect(failing.code).toBe(1);
  expect(failing.stdout).toMatch(/\n9 checks: \d+ passed, \d+ failed/);
  expect(failing.stdout).not.toContain("\u001b[");
  const usage = await runBinary(["check"]);
  expect(usage.code).toBe(2);
  expect(usage.stderr.split("\n")[0]).toBe("sentry-org-api: --org is required");
});

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
});

test("mock serves the token from the environment and exits 0 on SIGTERM, without printing the token", async () => {
  child = spawn(process.execPath, [bin, "mock", "--port", "0", "--token-env", "MY_MOCK_TOKEN"], {
    cwd: packageDir,
    env: cliEnv({ MY_MOCK_TOKEN: USER_TOKEN }),
  });
  const proc = child;
  let printed = "";
  const banner = new Promise<void>((resolve, reject) => {
    proc.stdout.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
      if (printed.includes("/members/\n")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`mock exited with ${code} before its banner: ${printed}`)));
  });
  await banner;
  const url = printed.match(/^Mock Sentry listening on (http:\/\/127\.0\.0\.1:\d+)\n/)?.[1];
  expect(url).toBeDefined();
  const status = async (token: string) => {
    const response = await fetch(`${url}/api/0/organizations/acme/`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    return response.status;
  };
  expect(await status(USER_TOKEN)).toBe(200);
  expect(await status(DEFAULT_MOCK_TOKEN)).toBe(401);

  const exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
  proc.kill("SIGTERM");
  expect(await exited).toEqual({ code: 0, signal: null });
  expect(printed).not.toContain(USER_TOKEN);
});
