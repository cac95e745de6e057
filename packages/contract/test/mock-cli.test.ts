import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { DEFAULT_MOCK_TOKEN } from "../src/index.js";
import { cliEnv } from "./cli-env.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(packageDir, "bin", "sentry-org-api.js");
const MOCK_USAGE = "Usage: sentry-org-api mock [options]";
/** The user's own token, which the command must serve and never print. */
const USER_TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/** Runs a command that is expected to exit by itself. */
const runCli = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: packageDir, env: cliEnv(env), timeout: 30_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(new Error(`did not exit by itself: ${stderr}`));
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });

/** Resolves with the first `count` lines the child prints, or rejects if it exits or stays silent. */
const firstLines = (proc: ChildProcessWithoutNullStreams, count: number) =>
  new Promise<string[]>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no ${count} lines within 15 s: ${text}`)), 15_000);
    proc.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const got = text.split("\n");
      if (got.length > count) {
        clearTimeout(timer);
        resolve(got.slice(0, count));
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`mock exited with ${code} before printing ${count} lines: ${text}`));
    });
  });

describe("mock --token-env", () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    child = undefined;
  });

  test("serves the token from that variable instead of the default one, and prints only the variable's name", async () => {
    child = spawn(process.execPath, [bin, "mock", "--port", "0", "--token-env", "MY_MOCK_TOKEN"], {
      cwd: packageDir,
      env: cliEnv({ MY_MOCK_TOKEN: USER_TOKEN }),
    });
    let printed = "";
    child.stdout.on("data", (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    });
    const [listening, tokenLine, tryLine] = await firstLines(child, 3);
    const url = listening?.match(/^Mock Sentry listening on (http:\/\/127\.0\.0\.1:\d+)$/)?.[1];
    expect(url).toBeDefined();
    expect(tokenLine).toBe("Token: the value of $MY_MOCK_TOKEN");
    expect(tryLine).toBe(
      `Try: curl -H "Authorization: Bearer $MY_MOCK_TOKEN" ${url}/api/0/organizations/acme/members/`,
    );

    const status = async (token: string) => {
      const response = await fetch(`${url}/api/0/organizations/acme/`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      return response.status;
    };
    expect(await status(USER_TOKEN)).toBe(200);
    expect(await status(DEFAULT_MOCK_TOKEN)).toBe(401);

    const exited = new Promise((resolve) => child?.once("exit", (code, signal) => resolve({ code, signal })));
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(printed).not.toContain(USER_TOKEN);
  });

  test.each<[string, Record<string, string>, string]>([
    ["an unset variable", {}, "the token is read from the environment variable MY_MOCK_TOKEN, which is not set"],
    [
      "an empty variable",
      { MY_MOCK_TOKEN: "" },
      "the token in the environment variable MY_MOCK_TOKEN must be 1 to 512 characters long, is 0",
    ],
    [
      "a token with a space",
      { MY_MOCK_TOKEN: `${USER_TOKEN} trailing-secret` },
      "the token in the environment variable MY_MOCK_TOKEN must hold only visible ASCII characters, without whitespace, quotes or backslashes",
    ],
    [
      "a token with a quote",
      { MY_MOCK_TOKEN: `${USER_TOKEN}"` },
      "the token in the environment variable MY_MOCK_TOKEN must hold only visible ASCII characters, without whitespace, quotes or backslashes",
    ],
  ])("%s exits 2 before listening, without printing the token", async (_, env, message) => {
    const run = await runCli(["mock", "--port", "0", "--token-env", "MY_MOCK_TOKEN"], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n").slice(0, 2)).toEqual([`sentry-org-api: ${message}`, MOCK_USAGE]);
    expect(run.stderr).not.toContain(USER_TOKEN);
  });

  test("--repositories above 100000 exits 2", async () => {
    const run = await runCli(["mock", "--repositories", "100001"], {});
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      'sentry-org-api: --repositories must be an integer from 0 to 100000, got "100001"',
    );
  });
});
