import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CheckName } from "../src/check/catalogue.js";
import { createSeedData, runCheck } from "../src/index.js";
import { runCli } from "./cli-run.js";

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

const runCheckCli = (args: string[], env: Record<string, string>) => runCli(["check", ...args], env);

/** The checks this file is about: the validator's judgement of every answer, and the end of a walk. */
const CHECKS: CheckName[] = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
  "pagination_end",
];

/** The lines under "Failures:" in a text report: a title, then its indented lines, per finding. */
const failureLines = (text: string) => {
  const all = text.split("\n");
  const start = all.indexOf("Failures:");
  if (start === -1) return [];
  const end = all.indexOf("", start);
  return all.slice(start + 1, end === -1 ? undefined : end);
};
/** The URL of an organization on the imitation, as the report shows it. */
const api = (org: string) => `${sentry.url}/api/0/organizations/${org}`;
const curl = (url: string) => `      curl -i -H "Authorization: Bearer $BROKEN_TOKEN" '${url}'`;
const failedLines = (text: string) => text.split("\n").filter((line) => line.startsWith("✗ "));
const summaryLine = (text: string) => text.trimEnd().split("\n").at(-1);

let sentry: Awaited<ReturnType<typeof startBrokenSentry>>;
beforeAll(async () => {
  sentry = await startBrokenSentry();
});
afterAll(() => sentry.close());

const check = (org: string, ...more: string[]) =>
  runCheckCli(
    [
      ...["--org", org, "--base-url", sentry.url, "--token-env", "BROKEN_TOKEN"],
      ...["--checks", CHECKS.join(","), "--max-pages", "3", ...more],
    ],
    { BROKEN_TOKEN: TOKEN },
  );

describe("the check command against a broken server", () => {
  test("the imitation answers correctly for a well-behaved organization", async () => {
    const run = await check("acme");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(summaryLine(run.stdout)).toMatch(/^17 checks: 17 passed, 0 failed \(\d+ requests in /);
  });

  test("names every violation of the broken organization, counted across answers, with a curl, and exits 1", async () => {
    const before = sentry.requests.length;
    const run = await check("broken");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(failedLines(run.stdout)).toEqual([
      "✗ response_schema_conformance getOrganization: 5 of 6 answers failed",
      "✗ response_headers_conformance listOrganizationMembers: 14 of 15 answers failed",
      "✗ status_code_conformance listOrganizationRepositories: 15 of 16 answers failed",
    ]);
    expect(failureLines(run.stdout)).toEqual([
      "  response_schema_conformance getOrganization, no parameters (and 4 more answers)",
      "      expected a body valid against the documented schema; got 200",
      "      at body: must have required property 'slug'",
      expect.stringMatching(/^ {6}excerpt "\{\\"id\\":42,\\"name\\":\\"Acme Corp\\",.{60,}…"$/),
      curl(`${api("broken")}/`),
      "  response_schema_conformance getOrganization, no parameters (and 4 more answers)",
      "      expected a body valid against the documented schema; got 200",
      "      at body/id: must be string",
      '      excerpt "42"',
      curl(`${api("broken")}/`),
      "  response_headers_conformance listOrganizationMembers, no parameters (and 13 more answers)",
      "      expected the documented headers; got 200",
      '      at header Link: has no rel="previous"',
      `      excerpt "<http://evil.example/api/0/organizations/broken/members/?&cursor=100:1:0>; rel=\\"next\\"; results=\\"true\\"; cursor=\\"100:1:0\\""`,
      curl(`${api("broken")}/members/`),
      "  response_headers_conformance listOrganizationMembers, no parameters (and 13 more answers)",
      "      expected the documented headers; got 200",
      `      at header Link: rel="next" points at http://evil.example, not the request's origin ${sentry.url}`,
      `      excerpt "<http://evil.example/api/0/organizations/broken/members/?&cursor=100:1:0>; rel=\\"next\\"; results=\\"true\\"; cursor=\\"100:1:0\\""`,
      curl(`${api("broken")}/members/`),
      "  status_code_conformance listOrganizationRepositories, no parameters (and 14 more answers)",
      "      expected a status the spec documents; got 418",
      `      at status: 418 is not documented (documented: ${REPOSITORY_STATUSES})`,
      `      excerpt "I'm a teapot"`,
      curl(`${api("broken")}/repos/`),
    ]);
    expect(summaryLine(run.stdout)).toMatch(/^17 checks: 13 passed, 3 failed, 1 not run \(37 requests in /);

    // The walk reached page 3 by following the next cursor on the server's own origin, never the URL it
    // advertised (only the walk asks for page 3); every request carried the token.
    const sent = sentry.requests.slice(before);
    expect(sent).toContainEqual({
      path: "/api/0/organizations/broken/members/?cursor=100%3A2%3A0",
      authorization: `Bearer ${TOKEN}`,
    });
    expect(sent.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(run.stdout).not.toContain(TOKEN);
  });

  test("--trust-link-origin accepts the other origin but still reports the missing rel=previous", async () => {
    const run = await check("broken", "--trust-link-origin", "http://evil.example");
    expect(run.code).toBe(1);
    const listed = failureLines(run.stdout);
    expect(listed).toContain('      at header Link: has no rel="previous"');
    expect(listed.filter((line) => line.includes("points at"))).toEqual([]);
  });

  test("JUnit output has one test case per check and operation, each failure with its findings, escaped", async () => {
    const run = await check("broken", "--format", "junit");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('<testsuites tests="17" failures="3">');
    expect(run.stdout.match(/<testcase /g)).toHaveLength(17);
    expect(run.stdout.match(/<failure /g)).toHaveLength(3);
    expect(run.stdout).toContain(
      [
        '<testcase classname="sentry-org-api.check.status_code_conformance" name="status_code_conformance listOrganizationRepositories">',
        '      <failure message="15 of 16 answers failed">status_code_conformance listOrganizationRepositories, no parameters (and 14 more answers)',
        "  expected a status the spec documents; got 418",
        `  at status: 418 is not documented (documented: ${REPOSITORY_STATUSES})`,
        "  excerpt &quot;I&apos;m a teapot&quot;",
        `  curl -i -H &quot;Authorization: Bearer $BROKEN_TOKEN&quot; &apos;${api("broken")}/repos/&apos;</failure>`,
      ].join("\n"),
    );
    expect(run.stdout).toContain("  at header Link: has no rel=&quot;previous&quot;\n");
    expect(run.stdout).toContain("  at body: must have required property &apos;slug&apos;\n");
  });

  test("a next cursor that repeats an earlier one fails pagination_end and stops the walk", async () => {
    const run = await check("loop");
    expect(run.code).toBe(1);
    // Two pages judged: the walk stopped at the repeated cursor.
    expect(failedLines(run.stdout)).toEqual(["✗ pagination_end listOrganizationMembers: 1 of 2 answers failed"]);
    expect(failureLines(run.stdout)).toEqual([
      "  pagination_end listOrganizationMembers, page 2",
      '      expected results="false" exactly at the end; got 200',
      '      at header Link: next cursor "100:1:0" repeats an earlier one',
      curl(`${api("loop")}/members/?cursor=100%3A1%3A0`),
    ]);
  });

  test("a non-integer X-Sentry-Rate-Limit-Remaining is named on every operation, counted across answers", async () => {
    const run = await check("ratelimit");
    expect(run.code).toBe(1);
    expect(failedLines(run.stdout)).toEqual([
      "✗ response_headers_conformance getOrganization: 5 of 6 answers failed",
      "✗ response_headers_conformance listOrganizationMembers: 13 of 14 answers failed",
      "✗ response_headers_conformance listOrganizationRepositories: 15 of 16 answers failed",
    ]);
    expect(failureLines(run.stdout).filter((line) => line.includes(" at "))).toEqual(
      Array(3).fill('      at header X-Sentry-Rate-Limit-Remaining: "1.5" is not an integer'),
    );
  });

  test("a short token the server echoes is shown as [redacted] in every format", async () => {
    const short = "short-secret-9f8e7d";
    for (const format of ["text", "json", "junit"]) {
      const run = await runCheckCli(
        ["--org", "echo", "--base-url", sentry.url, "--checks", CHECKS.join(","), "--format", format],
        { SENTRY_TOKEN: short },
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("Invalid token [redacted]");
      expect(run.stdout).not.toContain(short);
      expect(run.stderr).not.toContain(short);
    }
  });

  test("a token the server echoes in a cut-off body is redacted, not printed in part", async () => {
    const run = await check("echo");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("      at body: is not valid JSON (");
    // No 16-character piece of the token may reach the output, whole or cut short by an excerpt.
    const pieces = Array.from({ length: TOKEN.length - 15 }, (_, i) => TOKEN.slice(i, i + 16));
    const leaked = pieces.find((piece) => run.stdout.includes(piece) || run.stderr.includes(piece));
    expect(leaked, `the output holds part of the token:\n${run.stdout}`).toBeUndefined();
  });
});

describe("runCheck against a broken server", () => {
  const options = { token: TOKEN, org: "broken", maxPages: 2 };

  test("reports each check and operation with its structured findings", async () => {
    const report = await runCheck({ ...options, baseUrl: sentry.url, checks: CHECKS });
    expect(report).toMatchObject({ baseUrl: sentry.url, org: "broken", failed: 3 });
    const failed = report.checks.filter((check) => !check.ok && check.outcome === "failed");
    expect(failed.map((check) => [check.name, check.summary])).toEqual([
      ["response_schema_conformance getOrganization", "5 of 6 answers failed"],
      ["response_headers_conformance listOrganizationMembers", "13 of 14 answers failed"],
      ["status_code_conformance listOrganizationRepositories", "15 of 16 answers failed"],
    ]);
    const [organization, members, repositories] = failed;
    expect(organization?.failures.map(({ place, message, count }) => ({ place, message, count }))).toEqual([
      { place: "body", message: "must have required property 'slug'", count: 5 },
      { place: "body/id", message: "must be string", count: 5 },
    ]);
    expect(members?.failures.map(({ place, message }) => ({ place, message }))).toEqual([
      { place: "header Link", message: 'has no rel="previous"' },
      {
        place: "header Link",
        message: `rel="next" points at http://evil.example, not the request's origin ${sentry.url}`,
      },
    ]);
    expect(repositories?.failures[0]).toEqual({
      case: "no parameters",
      expected: "a status the spec documents",
      status: 418,
      place: "status",
      message: `418 is not documented (documented: ${REPOSITORY_STATUSES})`,
      excerpt: "I'm a teapot",
      curl: `curl -i -H "Authorization: Bearer $SENTRY_TOKEN" '${api("broken")}/repos/'`,
      count: 15,
    });
  });

  test("trustedLinkOrigins drops the foreign-origin finding only", async () => {
    const report = await runCheck({
      ...options,
      baseUrl: sentry.url,
      checks: ["response_headers_conformance"],
      trustedLinkOrigins: ["http://evil.example"],
    });
    const members = report.checks.find((check) => check.operation === "listOrganizationMembers");
    expect(members?.failures.map((finding) => finding.message)).toEqual(['has no rel="previous"']);
  });

  test("a server that is not listening stops the run at its first request, naming the reason, not a crash", async () => {
    const closed = await startBrokenSentry();
    await closed.close();
    const { port } = new URL(closed.url);
    const report = await runCheck({ baseUrl: closed.url, token: TOKEN, org: "acme", checks: ["not_a_server_error"] });
    expect(report).toMatchObject({ passed: 0, failed: 0, notRun: 3, requests: 1 });
    expect(report.stopped).toEqual({
      reason: "unreachable",
      message: `no answer from 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    expect(report.checks.map((check) => [check.name, check.outcome, check.summary])).toEqual([
      ["not_a_server_error getOrganization", "not run", "not run"],
      ["not_a_server_error listOrganizationMembers", "not run", "not run"],
      ["not_a_server_error listOrganizationRepositories", "not run", "not run"],
    ]);
  });
});
