import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSeedData, runCheck } from "../src/index.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(packageDir, "bin", "sentry-org-api.js");

/** Shaped like a Sentry user token (`sntryu_` and 64 hex digits): longer than the report's 60-character excerpts. */
const TOKEN = "sntryu_4f0c9e2b7a6d18535be1c0f97d2a4e6b8c1f3a5d7e9b0c2d4f6a8e0b1c3d5e7f9a";

const REPOSITORY_STATUSES = "200, 400, 401, 403, 404, 429, 500";

/**
 * A server that imitates Sentry's three paths but breaks the contract. The organization slug picks the variant:
 * - `broken`: the organization's `id` is a JSON number and `slug` is missing; every members page has no
 *   rel="previous" and a next URL on http://evil.example; the repositories list answers an undocumented 418;
 * - `loop`: members page 2 hands out page 1's next cursor again;
 * - `ratelimit`: every answer sends X-Sentry-Rate-Limit-Remaining "1.5"; members has two pages;
 * - `echo`: the organization answers; each list answers a 401 whose JSON body is cut off right after echoing
 *   the caller's token (a 401 on the first request would stop the check before any body is shown);
 * - anything else: a correct answer.
 */
async function startBrokenSentry() {
  const seed = createSeedData({ members: 3, repositories: 3 })[0];
  if (!seed) throw new Error("createSeedData returned no organization");
  const requests: { path: string; authorization: string | undefined }[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://placeholder.invalid");
    requests.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    const origin = `http://${req.headers.host}`;
    const match = /^\/api\/0\/organizations\/([^/]+)\/(?:(members|repos)\/)?$/.exec(url.pathname);
    const variant = match?.[1];
    const list = match?.[2];
    const rateLimit: Record<string, string> = variant === "ratelimit" ? { [RATE_LIMIT_HEADERS.remaining]: "1.5" } : {};
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...rateLimit, ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (!match) return send(404, { detail: "The requested resource does not exist" });
    if (variant === "echo" && list !== undefined) {
      const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
      return send(401, `{"detail":"Invalid token ${token}`);
    }

    const page = Number(url.searchParams.get("cursor")?.split(":")[1] ?? "0");
    const link = (path: string, next: { cursor: string; results: boolean; host?: string }, previous = true) => {
      const base = (host: string) => `${host}/api/0/organizations/${variant}/${path}/?&cursor=`;
      const parts = previous
        ? [`<${base(origin)}100:${Math.max(0, page - 1)}:1>; rel="previous"; results="${page > 0}"; cursor="100:0:1"`]
        : [];
      parts.push(
        `<${base(next.host ?? origin)}${next.cursor}>; rel="next"; results="${next.results}"; cursor="${next.cursor}"`,
      );
      return parts.join(", ");
    };

    if (list === undefined) {
      if (variant === "broken") {
        const { slug: _slug, ...withoutSlug } = seed.organization;
        return send(200, { ...withoutSlug, id: 42 });
      }
      return send(200, seed.organization);
    }
    if (list === "members") {
      if (variant === "broken") {
        const next = { cursor: `100:${page + 1}:0`, results: true, host: "http://evil.example" };
        return send(200, seed.members, { link: link("members", next, false) });
      }
      if (variant === "loop")
        return send(200, seed.members, { link: link("members", { cursor: "100:1:0", results: true }) });
      if (variant === "ratelimit") {
        return send(200, seed.members, { link: link("members", { cursor: `100:${page + 1}:0`, results: page === 0 }) });
      }
      return send(200, seed.members, { link: link("members", { cursor: "100:1:0", results: false }) });
    }
    if (variant === "broken") return send(418, { detail: "I'm a teapot" });
    return send(200, seed.repositories, {
      link: link("repos", { cursor: "100:1:0", results: false }),
      "x-hits": String(seed.repositories.length),
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCheckCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const base: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "SYSTEMROOT", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, "check", ...args],
      { cwd: packageDir, env: { ...base, ...env }, timeout: 30_000, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new Error(`sentry-org-api check did not exit by itself (${error.message}): ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** The lines under "Violations:" in a text report. */
const violationLines = (text: string) => {
  const all = text.split("\n");
  const start = all.indexOf("Violations:");
  if (start === -1) return [];
  const end = all.indexOf("", start);
  return all.slice(start + 1, end === -1 ? undefined : end);
};
/** The URL of an organization on the imitation, as the report shows it. */
const api = (org: string) => `${sentry.url}/api/0/organizations/${org}`;
const checkLines = (text: string) => text.split("\n").filter((line) => /^[✓✗] /.test(line));
const summaryLine = (text: string) => text.trimEnd().split("\n").at(-1);

let sentry: Awaited<ReturnType<typeof startBrokenSentry>>;
beforeAll(async () => {
  if (!existsSync(join(packageDir, "dist", "cli.js"))) {
    throw new Error("dist/cli.js is missing: run `npx tsc -p tsconfig.build.json` in packages/contract first");
  }
  sentry = await startBrokenSentry();
});
afterAll(() => sentry.close());

const check = (org: string, ...more: string[]) =>
  runCheckCli(["--org", org, "--base-url", sentry.url, "--token-env", "BROKEN_TOKEN", ...more], {
    BROKEN_TOKEN: TOKEN,
  });

describe("the check command against a broken server", () => {
  test("the imitation answers correctly for a well-behaved organization", async () => {
    const run = await check("acme");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(summaryLine(run.stdout)).toBe("3 checks: 3 passed, 0 failed");
  });

  test("names every violation of the broken organization, grouped across pages, and exits 1", async () => {
    const before = sentry.requests.length;
    const run = await check("broken");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(checkLines(run.stdout)).toEqual([
      `✗ getOrganization: GET ${api("broken")}/ → 200 (2 violations)`,
      `✗ listOrganizationMembers page 1: GET ${api("broken")}/members/ → 200 (2 violations)`,
      `✗ listOrganizationMembers page 2: GET ${api("broken")}/members/?cursor=100%3A1%3A0 → 200 (2 violations)`,
      `✗ listOrganizationMembers page 3: GET ${api("broken")}/members/?cursor=100%3A2%3A0 → 200 (2 violations)`,
      `✗ listOrganizationRepositories page 1: GET ${api("broken")}/repos/ → 418 (2 violations)`,
    ]);
    const expected = [
      "  getOrganization body/id: must be string",
      "  getOrganization body: must have required property 'slug'",
      '  listOrganizationMembers header Link: has no rel="previous" (×3)',
      `  listOrganizationMembers header Link: rel="next" points at http://evil.example, not the request's origin ${sentry.url} (×3)`,
      `  listOrganizationRepositories status: expected 200, got 418 ("I'm a teapot")`,
      `  listOrganizationRepositories status: 418 is not documented (documented: ${REPOSITORY_STATUSES})`,
    ];
    const listed = violationLines(run.stdout);
    expect(listed).toHaveLength(expected.length);
    expect(listed).toEqual(expect.arrayContaining(expected));
    expect(summaryLine(run.stdout)).toBe("5 checks: 0 passed, 5 failed");

    // The next cursor was followed on the server's own origin, never on the URL it advertised, always with the token.
    expect(sentry.requests.slice(before)).toEqual(
      [
        "/api/0/organizations/broken/",
        "/api/0/organizations/broken/members/",
        "/api/0/organizations/broken/members/?cursor=100%3A1%3A0",
        "/api/0/organizations/broken/members/?cursor=100%3A2%3A0",
        "/api/0/organizations/broken/repos/",
      ].map((path) => ({ path, authorization: `Bearer ${TOKEN}` })),
    );
    expect(run.stdout).not.toContain(TOKEN);
  });

  test("--trust-link-origin accepts the other origin but still reports the missing rel=previous", async () => {
    const run = await check("broken", "--trust-link-origin", "http://evil.example");
    expect(run.code).toBe(1);
    const listed = violationLines(run.stdout);
    expect(listed).toContain('  listOrganizationMembers header Link: has no rel="previous" (×3)');
    expect(listed.filter((line) => line.includes("evil.example"))).toEqual([]);
    expect(summaryLine(run.stdout)).toBe("5 checks: 0 passed, 5 failed");
  });

  test("JUnit output marks each failing check with its violations, escaped", async () => {
    const run = await check("broken", "--format", "junit");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('<testsuites tests="5" failures="5">');
    expect(run.stdout.match(/<failure /g)).toHaveLength(5);
    expect(run.stdout).toContain(
      `<failure message="GET ${api("broken")}/repos/ → 418">listOrganizationRepositories status: expected 200, got 418 (&quot;I&apos;m a teapot&quot;)\n`,
    );
    expect(run.stdout).toContain("listOrganizationMembers header Link: has no rel=&quot;previous&quot;\n");
    expect(run.stdout).toContain("getOrganization body: must have required property &apos;slug&apos;");
  });

  test("a next cursor that repeats an earlier one is a violation and stops the walk", async () => {
    const before = sentry.requests.length;
    const run = await check("loop");
    expect(run.code).toBe(1);
    expect(checkLines(run.stdout)).toEqual([
      `✓ getOrganization: GET ${api("loop")}/ → 200`,
      `✓ listOrganizationMembers page 1: GET ${api("loop")}/members/ → 200`,
      `✗ listOrganizationMembers page 2: GET ${api("loop")}/members/?cursor=100%3A1%3A0 → 200 (1 violation)`,
      `✓ listOrganizationRepositories page 1: GET ${api("loop")}/repos/ → 200`,
    ]);
    expect(violationLines(run.stdout)).toEqual([
      '  listOrganizationMembers header Link: next cursor "100:1:0" repeats an earlier one',
    ]);
    expect(summaryLine(run.stdout)).toBe("4 checks: 3 passed, 1 failed");
    expect(sentry.requests.slice(before).filter((request) => request.path.includes("/members/"))).toHaveLength(2);
  });

  test("a non-integer X-Sentry-Rate-Limit-Remaining is named on every operation, counted across pages", async () => {
    const run = await check("ratelimit");
    expect(run.code).toBe(1);
    expect(violationLines(run.stdout)).toEqual([
      '  getOrganization header X-Sentry-Rate-Limit-Remaining: "1.5" is not an integer',
      '  listOrganizationMembers header X-Sentry-Rate-Limit-Remaining: "1.5" is not an integer (×2)',
      '  listOrganizationRepositories header X-Sentry-Rate-Limit-Remaining: "1.5" is not an integer',
    ]);
    expect(summaryLine(run.stdout)).toBe("4 checks: 0 passed, 4 failed");
  });

  test("a short token the server echoes is shown as [redacted] in every format", async () => {
    const short = "short-secret-9f8e7d";
    for (const format of ["text", "json", "junit"]) {
      const run = await runCheckCli(["--org", "echo", "--base-url", sentry.url, "--format", format], {
        SENTRY_TOKEN: short,
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Invalid token [redacted]");
      expect(run.stdout).not.toContain(short);
      expect(run.stderr).not.toContain(short);
    }
  });

  test("a token the server echoes in a cut-off body is redacted, not printed in part", async () => {
    const run = await check("echo");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("  listOrganizationMembers body: is not valid JSON (");
    expect(summaryLine(run.stdout)).toBe("3 checks: 1 passed, 2 failed");
    // No 16-character piece of the token may reach the output, whole or cut short by an excerpt.
    const pieces = Array.from({ length: TOKEN.length - 15 }, (_, i) => TOKEN.slice(i, i + 16));
    const leaked = pieces.find((piece) => run.stdout.includes(piece) || run.stderr.includes(piece));
    expect(leaked, `the output holds part of the token:\n${run.stdout}`).toBeUndefined();
  });
});

describe("runCheck against a broken server", () => {
  test("reports each check with its structured violations", async () => {
    const report = await runCheck({ baseUrl: sentry.url, token: TOKEN, org: "broken", maxPages: 2 });
    expect(report).toMatchObject({ baseUrl: sentry.url, org: "broken", passed: 0, failed: 4 });
    expect(report.checks.map((check) => [check.name, check.ok, check.summary])).toEqual([
      ["getOrganization", false, `GET ${api("broken")}/ → 200`],
      ["listOrganizationMembers page 1", false, `GET ${api("broken")}/members/ → 200`],
      ["listOrganizationMembers page 2", false, `GET ${api("broken")}/members/?cursor=100%3A1%3A0 → 200`],
      ["listOrganizationRepositories page 1", false, `GET ${api("broken")}/repos/ → 418`],
    ]);
    const [organization, membersPage1, , repositories] = report.checks;
    expect(organization?.violations).toHaveLength(2);
    expect(organization?.violations).toEqual(
      expect.arrayContaining([
        { operation: "getOrganization", place: "body/id", message: "must be string" },
        { operation: "getOrganization", place: "body", message: "must have required property 'slug'" },
      ]),
    );
    expect(membersPage1?.violations).toEqual([
      { operation: "listOrganizationMembers", place: "header Link", message: 'has no rel="previous"' },
      {
        operation: "listOrganizationMembers",
        place: "header Link",
        message: `rel="next" points at http://evil.example, not the request's origin ${sentry.url}`,
      },
    ]);
    expect(repositories?.violations).toEqual([
      { operation: "listOrganizationRepositories", place: "status", message: `expected 200, got 418 ("I'm a teapot")` },
      {
        operation: "listOrganizationRepositories",
        place: "status",
        message: `418 is not documented (documented: ${REPOSITORY_STATUSES})`,
      },
    ]);
  });

  test("trustedLinkOrigins drops the foreign-origin violation only", async () => {
    const report = await runCheck({
      baseUrl: sentry.url,
      token: TOKEN,
      org: "broken",
      maxPages: 1,
      trustedLinkOrigins: ["http://evil.example"],
    });
    expect(report.checks[1]?.violations).toEqual([
      { operation: "listOrganizationMembers", place: "header Link", message: 'has no rel="previous"' },
    ]);
  });

  test("a server that is not listening stops the run at its first request, naming the reason, not a crash", async () => {
    const closed = await startBrokenSentry();
    await closed.close();
    const { port } = new URL(closed.url);
    const report = await runCheck({ baseUrl: closed.url, token: TOKEN, org: "acme" });
    expect(report).toMatchObject({ passed: 0, failed: 0, notRun: 3 });
    expect(report.stopped).toEqual({
      reason: "unreachable",
      message: `no answer from 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(report.checks.map((check) => [check.name, check.outcome, check.summary])).toEqual([
      ["getOrganization", "not run", `GET ${closed.url}/api/0/organizations/acme/ → no answer`],
      ["listOrganizationMembers page 1", "not run", "not run"],
      ["listOrganizationRepositories page 1", "not run", "not run"],
    ]);
  });
});
