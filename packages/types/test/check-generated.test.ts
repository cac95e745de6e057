import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const packageDir = new URL("..", import.meta.url).pathname;
const committed = join(packageDir, "src/schema.ts");

// The drift check of the types is `npm run generate:schema -- --check`; run that same command against a copy.
async function checkGenerated(output: string) {
  const { scripts } = JSON.parse(await readFile(join(packageDir, "package.json"), "utf8"));
  const command = `${scripts["generate:schema"].replace("-o src/schema.ts", `-o ${output}`)} --check`;
  return run("sh", ["-c", command], {
    cwd: packageDir,
    env: { ...process.env, PATH: `${join(packageDir, "../../node_modules/.bin")}:${process.env.PATH}` },
  }).then(
    () => ({ exitCode: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => ({ exitCode: error.code, stderr: error.stderr }),
  );
}

describe("check:generated", () => {
  const dir = mkdtemp(join(tmpdir(), "types-drift-"));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  test("passes on the committed schema", async () => {
    const copy = join(await dir, "current.ts");
    await copyFile(committed, copy);
    expect(await checkGenerated(copy)).toEqual({ exitCode: 0, stderr: "" });
  });

  test("fails on a stale copy", async () => {
    const stale = join(await dir, "stale.ts");
    const source = await readFile(committed, "utf8");
    await writeFile(stale, source.replace("isEarlyAdopter: boolean;", "isEarlyAdopter: string;"));
    const result = await checkGenerated(stale);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Generated types are not up-to-date");
  });
});
