import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockServer, startMockServer } from "@sentry-org-api/contract";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bin, cliEnv, expectBuilt, packageDir, TOKEN } from "./run-cli.js";

/** sentry.io's 40 a second would make the walk of 1,000 pages wait: this test is about memory. */
const NO_PACING = { listOrganizationMembers: 1_000_000 };

let dir: string;
beforeAll(() => {
  expectBuilt();
  dir = mkdtempSync(join(tmpdir(), "sentry-org-audit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Export {
  code: number | null;
  stderr: string;
  lines: number;
  /** Peak RSS of the command's process, in KiB, as GNU time reports it. */
  peakKiB: number;
}

/** Exports every member of `mock`'s acme as CSV under GNU time, counting the lines as they are read. */
function exportMembers(mock: MockServer): Promise<Export> {
  const timeFile = join(dir, `time-${Date.now()}`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      "/usr/bin/time",
      [
        "-f",
        "%M",
        "-o",
        timeFile,
        process.execPath,
        bin,
        "members",
        "--org",
        "acme",
        "--base-url",
        mock.url,
        "--format",
        "csv",
      ],
      { cwd: packageDir, env: cliEnv({ SENTRY_TOKEN: TOKEN }) },
    );
    let lines = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) lines++;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stderr, lines, peakKiB: Number(readFileSync(timeFile, "utf8").trim().split("\n").at(-1)) }),
    );
  });
}

describe("a 100,000-member export streams with flat memory", () => {
  const mocks: MockServer[] = [];
  afterAll(() => Promise.all(mocks.map((mock) => mock.close())));

  test("its peak RSS is within twice a 1,000-member export's", async () => {
    const small = await startMockServer({ token: TOKEN, members: 1_000, rateLimit: NO_PACING });
    const large = await startMockServer({ token: TOKEN, members: 100_000, rateLimit: NO_PACING });
    mocks.push(small, large);
    const thousand = await exportMembers(small);
    const hundredThousand = await exportMembers(large);
    for (const [run, members] of [
      [thousand, 1_000],
      [hundredThousand, 100_000],
    ] as const) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.lines).toBe(members + 1);
    }
    const ratio = hundredThousand.peakKiB / thousand.peakKiB;
    console.log(
      `peak RSS: 1,000 members ${Math.round(thousand.peakKiB / 1024)} MiB, 100,000 members ${Math.round(hundredThousand.peakKiB / 1024)} MiB (×${ratio.toFixed(2)})`,
    );
    // Streaming measures ×1.2–1.5 (the garbage collector lets the heap grow some way under a fast
    // walk on a busy machine); holding the pages until the end measures ×2.4, as the members stay alive.
    expect(ratio).toBeLessThan(2);
  }, 300_000);
});

describe("a reader that stops early (| head)", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ token: TOKEN, members: 100_000, rateLimit: NO_PACING });
  });
  afterAll(() => mock.close());

  test("ends the command quietly with exit 0", async () => {
    const child = spawn(
      process.execPath,
      [bin, "members", "--org", "acme", "--base-url", mock.url, "--format", "ndjson"],
      {
        cwd: packageDir,
        env: cliEnv({ SENTRY_TOKEN: TOKEN }),
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Read the first rows, then go away as head does.
    const first = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(JSON.parse(first.split("\n")[0] as string)).toMatchObject({ id: "1000" });
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
