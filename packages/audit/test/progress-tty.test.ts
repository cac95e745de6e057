import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@sentry-org-api/contract";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { bin, cliEnv, expectBuilt, packageDir, runCli, TOKEN } from "./run-cli.js";

let mock: MockServer;
let dir: string;
beforeAll(async () => {
  expectBuilt();
  mock = await startMockServer({ token: TOKEN });
  dir = mkdtempSync(join(tmpdir(), "sentry-org-audit-"));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  // Pages 2 and 3 (requests 2 and 4) are each refused once with a 429 that says to come back in a
  // second: the client waits twice, however fast or slow the machine is.
  mock.resetFaults();
  for (const nth of [2, 4]) mock.injectFault({ type: "status", status: 429, retryAfter: "1" }, { nth });
});

const args = () => ["members", "--org", "acme", "--base-url", mock.url, "--format", "csv"];

/**
 * Runs the command in a pseudo-terminal (util-linux `script`), stdout sent to a file, and returns
 * what the terminal showed: stderr alone.
 */
function inTerminal(env: Record<string, string> = {}): Promise<{ code: number | null; terminal: string; csv: string }> {
  const csvFile = join(dir, "members.csv");
  const command = [process.execPath, bin, ...args()].map((word) => `'${word}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", `${command} > '${csvFile}'`, "/dev/null"], {
      cwd: packageDir,
      env: cliEnv({ SENTRY_TOKEN: TOKEN, ...env }),
    });
    let terminal = "";
    child.stdout.on("data", (chunk: Buffer) => {
      terminal += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, terminal, csv: readFileSync(csvFile, "utf8") }));
  });
}

describe("the progress line", () => {
  test("on a terminal: pages, items and the rate-limit waits with their length, on stderr", async () => {
    const { code, terminal, csv } = await inTerminal();
    expect(code).toBe(0);
    expect(csv.split("\r\n")).toHaveLength(252);
    const updates = terminal.split("\r\x1b[K");
    const waiting = (waits: number) =>
      `rate-limit waits: ${waits}, \\d\\.\\d s in all \\(waiting \\d\\.\\d s for the rate limit\\)`;
    expect(updates).toHaveLength(6);
    expect(updates[0]).toBe("");
    expect(updates[1]).toBe("members: page 1, 100 fetched, 100 written");
    expect(updates[2]).toMatch(new RegExp(`^members: page 1, 100 fetched, 100 written; ${waiting(1)}$`));
    expect(updates[3]).toMatch(/^members: page 2, 200 fetched, 200 written; rate-limit waits: 1, \d\.\d s in all$/);
    expect(updates[4]).toMatch(new RegExp(`^members: page 2, 200 fetched, 200 written; ${waiting(2)}$`));
    // The terminal turns the last "\n" into "\r\n".
    expect(updates[5]).toMatch(/^members: page 3, 250 fetched, 250 written; rate-limit waits: 2, \d\.\d s in all\r\n$/);
  });

  test("not in CI, even on a terminal", async () => {
    const { code, terminal, csv } = await inTerminal({ CI: "true" });
    expect(code).toBe(0);
    expect(terminal).toBe("");
    expect(csv.split("\r\n")).toHaveLength(252);
  });

  test("not in a pipe", async () => {
    const run = await runCli(args());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\r\n")).toHaveLength(252);
  });
});
