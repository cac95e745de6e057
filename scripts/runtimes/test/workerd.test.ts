import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fetchFromWorkerd } from "../workerd.mjs";

const fake = fileURLToPath(new URL("fake-workerd.mjs", import.meta.url));
const limits = (behaviour: string, timeoutMs = 20_000) => ({
  timeoutMs,
  maxOutputBytes: 64 * 1024,
  env: { ...process.env, FAKE_WORKERD: behaviour },
});

describe("fetchFromWorkerd", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "runtimes-workerd-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("fetches once from the port workerd reports, then stops it", async () => {
    const { body, problem, result } = await fetchFromWorkerd(fake, dir, "smoke.mjs", limits("serve"));
    expect(problem).toBeUndefined();
    expect(JSON.parse(body ?? "")).toEqual({ cases: [{ name: "served", ok: true, ms: 1 }] });
    expect(result.signal).toBe("SIGTERM");
    expect(await readFile(join(dir, "workerd.capnp"), "utf8")).toContain(
      'sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "smoke")]',
    );
  });

  test("a workerd that exits before it listens: the problem, and its stderr in the result", async () => {
    const { body, problem, result } = await fetchFromWorkerd(fake, dir, "smoke.mjs", limits("exit"));
    expect(problem).toBe("workerd ended before it listened");
    expect(body).toBeUndefined();
    expect([result.exitCode, result.stderr]).toEqual([1, "workerd.capnp:1: error: Parse error.\n"]);
  });

  test("a workerd that never listens is given up on at the deadline and killed", async () => {
    const { problem, result } = await fetchFromWorkerd(fake, dir, "smoke.mjs", limits("silent", 1_500));
    expect(problem).toBe("workerd not listening after 1.5 s");
    expect(result.signal).toBe("SIGKILL");
  });

  test("a control pipe that sends a line without end is refused, not buffered", async () => {
    const { problem, result } = await fetchFromWorkerd(fake, dir, "smoke.mjs", limits("chatter"));
    expect(problem).toBe("workerd's control pipe sent a line too long");
    expect(result.signal).toBe("SIGTERM");
  });

  test("a binary that does not exist: cannot start, at once", async () => {
    const { problem } = await fetchFromWorkerd("/nonexistent/workerd", dir, "smoke.mjs", limits("serve"));
    expect(problem).toBe("cannot start: spawn /nonexistent/workerd ENOENT");
  });
});
