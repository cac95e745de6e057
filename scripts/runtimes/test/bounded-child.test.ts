import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { OutputTail, runBounded, startBounded } from "../bounded-child.mjs";

const node = process.execPath;
const limits = { timeoutMs: 20_000, maxOutputBytes: 64 * 1024 };

/** Whether a process with this pid still runs: a zombie, dead but not yet reaped, does not. */
function alive(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("OutputTail", () => {
  test("keeps the last bytes written across chunks, and says it cut", () => {
    const tail = new OutputTail(5);
    for (const chunk of ["abc", "defgh", "ij", "k"]) tail.push(Buffer.from(chunk));
    expect(tail.toString()).toBe("ghijk");
    expect(tail.cut).toBe(true);
  });

  test("keeps everything under the limit", () => {
    const tail = new OutputTail(5);
    tail.push(Buffer.from("abcde"));
    expect([tail.toString(), tail.cut]).toEqual(["abcde", false]);
  });
});

describe("runBounded", () => {
  test("a child that ends: its exit code and output", async () => {
    const result = await runBounded(node, ["-e", "console.log('out'); console.error('err'); process.exit(3)"], limits);
    expect(result).toEqual({
      exitCode: 3,
      signal: null,
      timedOut: false,
      stdout: "out\n",
      stderr: "err\n",
      cut: false,
    });
  });

  test("a child past its deadline is killed with the processes it started", async () => {
    const script = `
      const { spawn } = require("node:child_process");
      const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "inherit" });
      console.log(grandchild.pid);
      setInterval(() => {}, 1000);`;
    const result = await runBounded(node, ["-e", script], { ...limits, timeoutMs: 1_000 });
    expect(result).toMatchObject({ timedOut: true, signal: "SIGKILL", exitCode: null });
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(false);
  });

  test("a child that prints without end keeps only the last maxOutputBytes, and says it cut", async () => {
    const script = "for (let i = 0; i < 1000; i++) process.stdout.write('x'.repeat(1000)); process.stdout.write('END')";
    const result = await runBounded(node, ["-e", script], { ...limits, maxOutputBytes: 1024 });
    expect(result.stdout).toHaveLength(1024);
    expect(result.stdout.endsWith("xxEND")).toBe(true);
    expect([result.cut, result.exitCode]).toEqual([true, 0]);
  });

  test("a binary that does not exist is a result with the reason, not a throw", async () => {
    const result = await runBounded("/nonexistent/runtime", ["--version"], limits);
    expect(result.error).toBe("spawn /nonexistent/runtime ENOENT");
    expect(result.exitCode).toBeNull();
  });
});

describe("startBounded's stop", () => {
  test("kills a child that ignores SIGTERM", async () => {
    const script = "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)";
    const server = startBounded(node, ["-e", script], limits);
    await new Promise((resolve) => server.child.stdout?.once("data", resolve));
    const result = await server.stop();
    expect(result).toMatchObject({ signal: "SIGKILL", timedOut: false });
    expect(alive(server.child.pid ?? 0)).toBe(false);
  });
});
