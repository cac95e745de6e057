import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { VERSION } from "@sentry-org-api/types/protocol";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { main } from "../src/cli/main.js";
import { type MockServer, startMockServer } from "../src/index.js";
import { type CliRun, runCli, startCli } from "./cli-run.js";

/** A token the test mock accepts, with every read scope the three operations need; never printed. */
const TOKEN = "cli-test-token-7f3c9a1e5b2d4c6f8a0e1b3d5f7a9c2e4b6d8f0a1c3e5a7b";

const TOP_USAGE = "Usage: sentry-org-api <command> [options]";
const CHECK_USAGE = "Usage: sentry-org-api check --org SLUG [options]";
const MOCK_USAGE = "Usage: sentry-org-api mock [options]";

const lines = (text: string) => text.split("\n");
/** The check lines of a text report: `✓ name: summary` or `✗ name: summary (N violations)`. */
const checkLines = (text: string) => lines(text).filter((line) => /^[✓✗] /.test(line));
const summaryLine = (text: string) => lines(text.trimEnd()).at(-1);

/** The checks the suite runs on each operation, in the order it reports them. */
const GENERAL_CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
  "positive_data_acceptance",
  "negative_data_rejection",
  "unsupported_method",
  "ignored_auth",
];
const CHECK_RESULTS = [
  ...GENERAL_CHECKS.map((check) => `${check} getOrganization`),
  ...[
    ...GENERAL_CHECKS,
    "pagination_unique_ids",
    "pagination_page_size",
    "pagination_end",
    "pagination_previous_link",
    "cursor_stable",
    "filter_holds",
  ].map((check) => `${check} listOrganizationMembers`),
  ...[
    ...GENERAL_CHECKS,
    "pagination_unique_ids",
    "pagination_page_size",
    "pagination_end",
    "pagination_previous_link",
    "x_hits_total",
    "cursor_stable",
    "filter_holds",
  ].map((check) => `${check} listOrganizationRepositories`),
];
/** The mock passes every check; the empty cursor it accepts, as Sentry does, is a warning on each list. */
const PASSING_SUMMARY = /^40 checks: 40 passed, 0 failed, 2 warnings \(\d+ requests in \d+\.\d s\)$/;
const checkName = (line: string) => line.slice(2, line.indexOf(":"));

describe("check without --base-url runs against the bundled mock", () => {
  test("prints one line per check and operation, the warnings with a curl each and a summary, and exits 0", async () => {
    const run = await runCli(["check", "--org", "acme"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const url = lines(run.stdout)[0]?.match(/^Checking (http:\/\/127\.0\.0\.1:\d+) for organization "acme"$/)?.[1];
    expect(url).toBeDefined();
    const checks = checkLines(run.stdout);
    expect(checks.map(checkName)).toEqual(CHECK_RESULTS);
    expect(checks.every((line) => line.startsWith("✓ "))).toBe(true);
    expect(checks).toContain("✓ ignored_auth listOrganizationMembers: 2 answers");
    expect(checks).toContain("✓ pagination_unique_ids listOrganizationMembers: 3 answers");
    expect(run.stdout).not.toContain("Failures:");
    expect(run.stdout).toContain(
      [
        "Warnings:",
        "  negative_data_rejection listOrganizationMembers, cursor= (shorter than 1 character)",
        "      expected 400; got 200",
        "      at status: Sentry reads an empty cursor as the first page (sentry-cli sends one)",
        `      curl -i -H "Authorization: Bearer $SENTRY_TOKEN" '${url}/api/0/organizations/acme/members/?cursor='`,
      ].join("\n"),
    );
    expect(summaryLine(run.stdout)).toMatch(PASSING_SUMMARY);
  });

  test("--max-pages 1 walks only the first page of each list, and says X-Hits was not compared", async () => {
    const run = await runCli(["check", "--org", "acme", "--max-pages", "1"]);
    expect(run.code).toBe(0);
    const checks = checkLines(run.stdout);
    expect(checks).toContain("✓ pagination_unique_ids listOrganizationMembers: 1 answer");
    expect(checks).toContain("✓ pagination_unique_ids listOrganizationRepositories: 1 answer");
    expect(checks).toContain("✓ x_hits_total listOrganizationRepositories: 1 answer (1 warning)");
    expect(run.stdout).toContain(
      "      at header X-Hits: not compared: the walk stopped after 1 pages, before the last\n",
    );
  });

  test("--format json prints the report as JSON, one result per check and operation", async () => {
    const run = await runCli(["check", "--org", "acme", "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ org: "acme", passed: 40, failed: 0, notRun: 0, warnings: 2 });
    expect(report.requests).toBeGreaterThan(40);
    expect(report.requests).toBeLessThanOrEqual(200);
    expect(report.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(report).not.toHaveProperty("stopped");
    expect(report.checks.map((check: { name: string }) => check.name)).toEqual(CHECK_RESULTS);
    expect(report.checks[7]).toEqual({
      name: "unsupported_method getOrganization",
      check: "unsupported_method",
      operation: "getOrganization",
      outcome: "passed",
      ok: true,
      summary: "1 answer",
      failures: [],
      warnings: [],
      unlisted: { failures: 0, warnings: 0 },
    });
    expect(report.checks[15].warnings).toEqual([
      {
        case: "cursor= (shorter than 1 character)",
        expected: "400",
        status: 200,
        place: "status",
        message: "Sentry reads an empty cursor as the first page (sentry-cli sends one)",
        curl: `curl -i -H "Authorization: Bearer $SENTRY_TOKEN" '${report.baseUrl}/api/0/organizations/acme/members/?cursor='`,
        count: 1,
      },
    ]);
  });

  test("--format junit prints a JUnit XML report, one test case per check and operation", async () => {
    const run = await runCli(["check", "--org", "acme", "--format", "junit"]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(run.stdout).toContain('<testsuites tests="40" failures="0">');
    expect(run.stdout.match(/<testcase /g)).toHaveLength(40);
    expect(run.stdout).toContain(
      '<testcase classname="sentry-org-api.check.pagination_end" name="pagination_end listOrganizationMembers"></testcase>',
    );
    expect(run.stdout).toContain(
      "<system-out>negative_data_rejection listOrganizationRepositories, cursor= (shorter than 1 character)\n  expected 400; got 200\n",
    );
    expect(run.stdout).not.toContain("<failure");
    expect(run.stdout.trimEnd().endsWith("</testsuites>")).toBe(true);
  });

  test("--checks and --operations select what runs", async () => {
    const run = await runCli([
      "check",
      "--org",
      "acme",
      "--checks",
      "ignored_auth,cursor_stable",
      "--operations",
      "getOrganization,listOrganizationMembers",
      "--format",
      "json",
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.checks.map((check: { name: string }) => check.name)).toEqual([
      "ignored_auth getOrganization",
      "ignored_auth listOrganizationMembers",
      "cursor_stable listOrganizationMembers",
    ]);
    // Each operation's first page and two auth cases; the members' other pages, and page 2 again.
    expect(report.requests).toBe(3 + 3 + 2 + 1);
  });

  test("--max-requests splits a small budget so every selected check gets a request", async () => {
    const run = await runCli(["check", "--org", "acme", "--max-requests", "30", "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.requests).toBeLessThanOrEqual(30);
    expect(report.notRun).toBe(0);
    expect(run.code).toBe(0);
  });

  test("a budget too small for every check reports the starved ones as not run, and exits 3", async () => {
    const run = await runCli(["check", "--org", "acme", "--max-requests", "5"]);
    expect(run.code).toBe(3);
    expect(checkLines(run.stdout).filter((line) => line.startsWith("✗ "))).toEqual([]);
    expect(run.stdout).toContain(
      "○ ignored_auth listOrganizationRepositories: not run: the budget of 5 requests left none for it\n",
    );
    expect(summaryLine(run.stdout)).toMatch(/^40 checks: \d+ passed, 0 failed, \d+ not run.* \(5 requests in /);
  });

  test("--list-checks prints every check with what it proves, before any request", async () => {
    const run = await runCli(["check", "--list-checks"]);
    expect(run.code).toBe(0);
    const listed = lines(run.stdout.trimEnd());
    expect(listed.map((line) => line.split(/\s+/)[0])).toEqual([
      ...GENERAL_CHECKS,
      "pagination_unique_ids",
      "pagination_page_size",
      "pagination_end",
      "pagination_previous_link",
      "x_hits_total",
      "cursor_stable",
      "filter_holds",
    ]);
    expect(listed).toContain(
      "ignored_auth                  a request without a token and one with a bad token get 401",
    );
  });
});

describe("check --base-url against a mock the test started", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({
      tokens: { [TOKEN]: ["org:read", "member:read"], "org-only-token-5e1d": ["org:read"] },
    });
  });
  afterAll(() => mock.close());

  const expectNoToken = (run: CliRun, token = TOKEN) => {
    expect(run.stdout).not.toContain(token);
    expect(run.stderr).not.toContain(token);
  };

  test("reads the token from SENTRY_TOKEN by default, passes and never prints the token", async () => {
    const run = await runCli(["check", "--org", "acme", "--base-url", mock.url], { SENTRY_TOKEN: TOKEN });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toBe(`Checking ${mock.url} for organization "acme"`);
    expect(checkLines(run.stdout).map(checkName)).toEqual(CHECK_RESULTS);
    expect(summaryLine(run.stdout)).toMatch(PASSING_SUMMARY);
    expectNoToken(run);
  });

  test("reads the token from the variable --token-env names", async () => {
    const run = await runCli(["check", "--org", "acme", "--base-url", mock.url, "--token-env", "MY_TOKEN"], {
      MY_TOKEN: TOKEN,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(summaryLine(run.stdout)).toMatch(PASSING_SUMMARY);
    // The curl commands read the token from the variable it came from.
    expect(run.stdout).toContain(`curl -i -H "Authorization: Bearer $MY_TOKEN" '${mock.url}/api/0/organizations/acme/`);
    expectNoToken(run);
  });

  test("keeps the token out of the JSON and JUnit reports too", async () => {
    for (const format of ["json", "junit"]) {
      const run = await runCli(["check", "--org", "acme", "--base-url", mock.url, "--format", format], {
        SENTRY_TOKEN: TOKEN,
      });
      expect(run.code).toBe(0);
      expectNoToken(run);
    }
  });

  test("a token the server rejects stops the check with exit 3, the server's detail and what to check", async () => {
    const rejected = "rejected-token-0b9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    const run = await runCli(["check", "--org", "acme", "--base-url", mock.url], { SENTRY_TOKEN: rejected });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(3);
    expect(lines(run.stdout).slice(1, 41)).toEqual(CHECK_RESULTS.map((name) => `○ ${name}: not run`));
    expect(lines(run.stdout).slice(41)).toEqual([
      "",
      'Stopped: the server refused the token: 401 "Invalid token". Check the token in SENTRY_TOKEN: it must be one ' +
        "this server issued, not expired or revoked, with the scopes org:read and member:read",
      expect.stringMatching(/^40 checks: 0 passed, 0 failed, 40 not run \(1 request in \d+\.\d s\)$/),
      "",
    ]);
    expectNoToken(run, rejected);
  });

  test("a token without member:read fails on the members list with a 403", async () => {
    const run = await runCli(["check", "--org", "acme", "--base-url", mock.url], {
      SENTRY_TOKEN: "org-only-token-5e1d",
    });
    expect(run.code).toBe(1);
    expect(checkLines(run.stdout).filter((line) => line.startsWith("✗ "))).toEqual([
      "✗ positive_data_acceptance listOrganizationMembers: 7 of 7 answers failed",
      "✗ negative_data_rejection listOrganizationMembers: 5 of 6 answers failed",
      "✗ filter_holds listOrganizationMembers: 1 of 1 answer failed",
    ]);
    expect(run.stdout).toContain(
      [
        "  positive_data_acceptance listOrganizationMembers, no parameters",
        "      expected 200; got 403",
        '      excerpt "You do not have permission to perform this action."',
        `      curl -i -H "Authorization: Bearer $SENTRY_TOKEN" '${mock.url}/api/0/organizations/acme/members/'`,
      ].join("\n"),
    );
  });

  test("an unknown organization fails with the 404s", async () => {
    const run = await runCli(["check", "--org", "no-such-org", "--base-url", mock.url], { SENTRY_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      [
        "  positive_data_acceptance getOrganization, no parameters",
        "      expected 200; got 404",
        '      excerpt "The requested resource does not exist"',
      ].join("\n"),
    );
    expect(checkLines(run.stdout)).toContain(
      "✗ positive_data_acceptance listOrganizationRepositories: 10 of 10 answers failed",
    );
  });
});

describe.concurrent("bad usage exits 2 with the reason and the usage on stderr", () => {
  test.for<[string, string[], Record<string, string>, string, string]>([
    ["a missing --org", ["check"], {}, "--org is required", CHECK_USAGE],
    ["an empty --org", ["check", "--org", ""], {}, "--org is required", CHECK_USAGE],
    [
      "an unknown --format",
      ["check", "--org", "acme", "--format", "xml"],
      {},
      '--format must be text, json or junit, got "xml"',
      CHECK_USAGE,
    ],
    [
      "--max-pages 0",
      ["check", "--org", "acme", "--max-pages", "0"],
      {},
      '--max-pages must be an integer from 1 to 1000, got "0"',
      CHECK_USAGE,
    ],
    [
      "a fractional --max-pages",
      ["check", "--org", "acme", "--max-pages", "1.5"],
      {},
      '--max-pages must be an integer from 1 to 1000, got "1.5"',
      CHECK_USAGE,
    ],
    [
      "an ftp --base-url",
      ["check", "--org", "acme", "--base-url", "ftp://x"],
      { SENTRY_TOKEN: TOKEN },
      '--base-url must be an http(s) URL, got "ftp://x"',
      CHECK_USAGE,
    ],
    [
      "a --base-url that is not a URL",
      ["check", "--org", "acme", "--base-url", "sentry.io"],
      { SENTRY_TOKEN: TOKEN },
      '--base-url must be an absolute http(s) URL, got "sentry.io"',
      CHECK_USAGE,
    ],
    [
      "a --base-url with credentials",
      ["check", "--org", "acme", "--base-url", "http://someone:hunter2secret@127.0.0.1:9"],
      { SENTRY_TOKEN: TOKEN },
      "--base-url must not carry credentials; put the token in the environment",
      CHECK_USAGE,
    ],
    [
      "a --base-url while SENTRY_TOKEN is unset",
      ["check", "--org", "acme", "--base-url", "http://127.0.0.1:9"],
      {},
      "the token is read from the environment variable SENTRY_TOKEN, which is not set",
      CHECK_USAGE,
    ],
    [
      "a --base-url while the --token-env variable is unset",
      ["check", "--org", "acme", "--base-url", "http://127.0.0.1:9", "--token-env", "MY_TOKEN"],
      { SENTRY_TOKEN: TOKEN },
      "the token is read from the environment variable MY_TOKEN, which is not set",
      CHECK_USAGE,
    ],
    [
      "a token with a line break, which no server issued",
      ["check", "--org", "acme", "--base-url", "http://127.0.0.1:9"],
      { SENTRY_TOKEN: `${TOKEN}\nx` },
      "the token in the environment variable SENTRY_TOKEN must hold only visible ASCII characters, without whitespace, quotes or backslashes",
      CHECK_USAGE,
    ],
    [
      "a token over 512 characters",
      ["check", "--org", "acme", "--base-url", "http://127.0.0.1:9"],
      { SENTRY_TOKEN: TOKEN.repeat(10).slice(0, 513) },
      "the token in the environment variable SENTRY_TOKEN must be 16 to 512 characters long, is 513",
      CHECK_USAGE,
    ],
    [
      "a --token-env that is not a variable name",
      ["check", "--org", "acme", "--base-url", "http://127.0.0.1:9", "--token-env", "MY-TOK"],
      { "MY-TOK": TOKEN },
      '--token-env must be an environment variable name matching ^[A-Za-z_][A-Za-z0-9_]*$, got "MY-TOK"',
      CHECK_USAGE,
    ],
    [
      "a --token-env that would run a command in the curl lines",
      ["check", "--org", "acme", "--token-env", "A$(id)"],
      {},
      '--token-env must be an environment variable name matching ^[A-Za-z_][A-Za-z0-9_]*$, got "A$(id)"',
      CHECK_USAGE,
    ],
    [
      "mock --token-env that is not a variable name",
      ["mock", "--port", "0", "--token-env", "1TOKEN"],
      { "1TOKEN": TOKEN },
      '--token-env must be an environment variable name matching ^[A-Za-z_][A-Za-z0-9_]*$, got "1TOKEN"',
      MOCK_USAGE,
    ],
    [
      "an ftp --trust-link-origin",
      ["check", "--org", "acme", "--trust-link-origin", "ftp://acme.sentry.io"],
      {},
      '--trust-link-origin must be an http(s) URL, got "ftp://acme.sentry.io"',
      CHECK_USAGE,
    ],
    [
      "--timeout 0",
      ["check", "--org", "acme", "--timeout", "0"],
      {},
      '--timeout must be a number of seconds above 0 and at most 86400, got "0"',
      CHECK_USAGE,
    ],
    [
      "a --deadline that is not a number",
      ["check", "--org", "acme", "--deadline", "5m"],
      {},
      '--deadline must be a number of seconds above 0 and at most 86400, got "5m"',
      CHECK_USAGE,
    ],
    [
      "a --deadline over a day",
      ["check", "--org", "acme", "--deadline", "86401"],
      {},
      '--deadline must be a number of seconds above 0 and at most 86400, got "86401"',
      CHECK_USAGE,
    ],
    [
      "an unknown check",
      ["check", "--org", "acme", "--checks", "ignored_auth,no_such_check"],
      {},
      '--checks has an unknown name "no_such_check"; known: not_a_server_error, status_code_conformance, ' +
        "content_type_conformance, response_headers_conformance, response_schema_conformance, " +
        "positive_data_acceptance, negative_data_rejection, unsupported_method, ignored_auth, pagination_unique_ids, " +
        "pagination_page_size, pagination_end, pagination_previous_link, x_hits_total, cursor_stable, filter_holds",
      CHECK_USAGE,
    ],
    [
      "an unknown operation",
      ["check", "--org", "acme", "--operations", "listOrganizationTeams"],
      {},
      '--operations has an unknown name "listOrganizationTeams"; known: getOrganization, listOrganizationMembers, ' +
        "listOrganizationRepositories",
      CHECK_USAGE,
    ],
    [
      "--max-requests 0",
      ["check", "--org", "acme", "--max-requests", "0"],
      {},
      '--max-requests must be an integer from 1 to 100000, got "0"',
      CHECK_USAGE,
    ],
    ["an unknown flag of check", ["check", "--org", "acme", "--bogus"], {}, "Unknown option '--bogus'", CHECK_USAGE],
    [
      "a positional argument to check",
      ["check", "--org", "acme", "extra"],
      {},
      "Unexpected argument 'extra'. This command does not take positional arguments",
      CHECK_USAGE,
    ],
    ["an unknown command", ["frobnicate"], {}, 'unknown command "frobnicate"', TOP_USAGE],
    ["an unknown flag of mock", ["mock", "--bogus"], {}, "Unknown option '--bogus'", MOCK_USAGE],
    [
      "mock --members 100001",
      ["mock", "--members", "100001"],
      {},
      '--members must be an integer from 0 to 100000, got "100001"',
      MOCK_USAGE,
    ],
    [
      "mock --port 65536",
      ["mock", "--port", "65536"],
      {},
      '--port must be an integer from 0 to 65535, got "65536"',
      MOCK_USAGE,
    ],
    // Each number flag at its largest is accepted: the first refusal is the later --base-url.
    [
      "every number flag at its largest, then a --base-url with a query",
      [
        "check",
        "--org",
        "acme",
        "--max-pages",
        "1000",
        "--max-requests",
        "100000",
        "--timeout",
        "86400",
        "--deadline",
        "86400",
        "--base-url",
        "http://127.0.0.1:9/?region=us",
      ],
      {},
      "--base-url must not have a query or a fragment",
      CHECK_USAGE,
    ],
  ])("%s", async ([, args, env, message, usage], { expect }) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)[0]).toBe(`sentry-org-api: ${message}`);
    expect(lines(run.stderr)[1]).toBe(usage);
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stderr).not.toContain("hunter2secret");
  });

  test("no command prints the usage and exits 2", async ({ expect }) => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toContain(TOP_USAGE);
    expect(`${run.stdout}${run.stderr}`).toContain("  check    Verify a server against the spec");
  });
});

describe("check refuses a token too short to scrub from its report", () => {
  let requests = 0;
  const server = createServer((_, response) => {
    requests++;
    response.writeHead(401, { "content-type": "application/json" }).end('{"detail":"Invalid token"}');
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test("15 characters: exit 2 before any request, without printing the token", async () => {
    requests = 0;
    const run = await runCli(["check", "--org", "acme", "--base-url", url], { SENTRY_TOKEN: "short-secret-15" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr).slice(0, 2)).toEqual([
      "sentry-org-api: the token in the environment variable SENTRY_TOKEN must be 16 to 512 characters long, is 15",
      CHECK_USAGE,
    ]);
    expect(run.stderr).not.toContain("short-secret-15");
    expect(requests).toBe(0);
  });

  test("16 characters are enough: the server is asked", async () => {
    requests = 0;
    const run = await runCli(["check", "--org", "acme", "--base-url", url], { SENTRY_TOKEN: "short-secret-016" });
    expect(run.code).toBe(3);
    expect(requests).toBeGreaterThan(0);
  });
});

test("a failure without an error code, such as a stdout that throws, is one line on stderr and exit 1", async () => {
  let stderr = "";
  const code = await main(["--version"], {
    stdout: {
      write() {
        throw new Error("stdout is closed");
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    untilStopped: () => Promise.resolve(),
  });
  expect({ code, stderr }).toEqual({ code: 1, stderr: "sentry-org-api: stdout is closed\n" });
});

test("--version prints the packages' version and exits 0", async () => {
  const run = await runCli(["--version"]);
  expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
});

describe.concurrent("--help prints the usage and exits 0", () => {
  test.for<[string, string[], string, string]>([
    ["the top level", ["--help"], TOP_USAGE, "  mock     Start a mock Sentry server that behaves like the real one"],
    ["the top level (-h)", ["-h"], TOP_USAGE, "  check    Verify a server against the spec"],
    [
      "check",
      ["check", "--help"],
      CHECK_USAGE,
      "  --token-env NAME          environment variable that holds the token",
    ],
    ["check (-h, even without --org)", ["check", "-h"], CHECK_USAGE, "  --org SLUG"],
    [
      "check: the timeout's default",
      ["check", "--help"],
      CHECK_USAGE,
      "  --timeout SECONDS         longest wait for one answer, body included (default 30)",
    ],
    [
      "check: the deadline's default",
      ["check", "--help"],
      CHECK_USAGE,
      "  --deadline SECONDS        longest the whole run may take, rate-limit waits included (default 300)",
    ],
    [
      "check: the exit status",
      ["check", "--help"],
      CHECK_USAGE,
      "  3  the server could not be checked: unreachable, no answer to the first request, the token",
    ],
    ["mock", ["mock", "--help"], MOCK_USAGE, "  --members N         members of organization acme"],
  ])("%s", async ([, args, usage, option], { expect }) => {
    const run = await runCli(args);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(lines(run.stdout)[0]).toBe(usage);
    expect(run.stdout).toContain(option);
  });
});

describe("mock", () => {
  test("--port 0 serves the organization with the printed token, and stops when asked", async () => {
    const run = startCli(["mock", "--port", "0"]);
    await run.printed("stdout", "/members/\n");
    const [listening, tokenLine, tryLine] = lines(run.stdout());
    const url = listening?.match(/^Mock Sentry listening on (http:\/\/127\.0\.0\.1:\d+)$/)?.[1];
    const token = tokenLine?.match(/^Token: (\S+)$/)?.[1];
    expect(url).toBeDefined();
    expect(token).toBeDefined();
    expect(tryLine).toBe(`Try: curl -H "Authorization: Bearer ${token}" ${url}/api/0/organizations/acme/members/`);

    const response = await fetch(`${url}/api/0/organizations/acme/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ slug: "acme" });
    const anonymous = await fetch(`${url}/api/0/organizations/acme/`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();

    run.stop();
    expect(await run.ended).toMatchObject({ code: 0, stderr: "" });
    await expect(fetch(`${url}/api/0/organizations/acme/`)).rejects.toThrow("fetch failed");
  });

  test("a port already in use is a failure of the run, not of the usage: exit 1 without the usage text", async () => {
    const taken = await startMockServer({ port: 0 });
    try {
      const port = new URL(taken.url).port;
      const run = await runCli(["mock", "--port", port]);
      expect(run).toEqual({
        code: 1,
        stdout: "",
        stderr: `sentry-org-api: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
      });
    } finally {
      await taken.close();
    }
  });

  test("--host is where it listens and what it prints", async () => {
    // Another loopback address than the default (Linux answers on all of 127.0.0.0/8).
    const run = startCli(["mock", "--port", "0", "--host", "127.0.0.2"]);
    await run.printed("stdout", "/members/\n");
    const url = lines(run.stdout())[0]?.match(/^Mock Sentry listening on (http:\/\/127\.0\.0\.2:\d+)$/)?.[1];
    expect(url).toBeDefined();
    const response = await fetch(`${url}/api/0/organizations/acme/`);
    expect(response.status).toBe(401);
    await response.body?.cancel();
    run.stop();
    expect((await run.ended).code).toBe(0);
  });

  test("--members, --repositories and --rate-limit shape what it serves", async () => {
    const run = startCli(["mock", "--port", "0", "--members", "3", "--repositories", "0", "--rate-limit"]);
    await run.printed("stdout", "/members/\n");
    const url = run.stdout().match(/listening on (\S+)/)?.[1];
    const token = run.stdout().match(/Token: (\S+)/)?.[1];
    const get = (path: string) =>
      fetch(`${url}/api/0/organizations/acme/${path}`, { headers: { authorization: `Bearer ${token}` } });
    const members = await get("members/");
    expect(await members.json()).toHaveLength(3);
    expect(members.headers.get("x-sentry-rate-limit-limit")).toBe("40");
    expect(await (await get("repos/")).json()).toEqual([]);
    run.stop();
    expect((await run.ended).code).toBe(0);
  });
});

describe("colour", () => {
  test("a report written to a pipe (not a TTY) has no ANSI escapes, passing or failing", async () => {
    const passing = await runCli(["check", "--org", "acme"]);
    const failing = await runCli(["check", "--org", "no-such-org"]);
    expect(passing.code).toBe(0);
    expect(failing.code).toBe(1);
    for (const run of [passing, failing]) {
      expect(run.stdout).not.toContain("\u001b[");
      expect(run.stderr).not.toContain("\u001b[");
    }
  });

  test("a report on a terminal is coloured, unless NO_COLOR is set", async () => {
    const args = ["check", "--org", "acme", "--checks", "ignored_auth", "--operations", "getOrganization"];
    const coloured = await startCli(args, {}, { isTTY: true }).ended;
    expect(coloured.stdout).toContain("\u001b[32m✓\u001b[39m ignored_auth getOrganization: 2 answers\n");
    const plain = await startCli(args, { NO_COLOR: "1" }, { isTTY: true }).ended;
    expect(plain.stdout).toContain("\n✓ ignored_auth getOrganization: 2 answers\n");
    expect(plain.stdout).not.toContain("\u001b[");
  });
});
