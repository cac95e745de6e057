import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createSeedData, type MockServer, startMockServer } from "@sentry-org-api/contract";
import type { OrganizationMember, Repository } from "@sentry-org-api/types";
import { VERSION } from "@sentry-org-api/types/protocol";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type CliRun, expectBuilt, runCli, TOKEN } from "./run-cli.js";

const MEMBER_FIELDS =
  "id,email,name,user.id,user.has2fa,orgRole,pending,expired,flags.sso:linked,inviteStatus,dateCreated";

let mock: MockServer;
beforeAll(async () => {
  expectBuilt();
  mock = await startMockServer({ token: TOKEN });
});
afterAll(() => mock.close());

const audit = (command: string, ...args: string[]) =>
  runCli([command, "--org", "acme", "--base-url", mock.url, ...args]);

/** The JSON array a run printed; fails the test with what it printed on stderr otherwise. */
function jsonOf<T>(run: CliRun): T[] {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T[];
}

describe("members: each filter gives the rows a full walk filtered here gives", () => {
  let everyone: OrganizationMember[];
  beforeAll(async () => {
    everyone = jsonOf(await audit("members", "--format", "json", "--fields", MEMBER_FIELDS));
  });

  test("the full walk has every seed member, over three pages", () => {
    expect(everyone).toHaveLength(250);
    expect(new Set(everyone.map((member) => member.id)).size).toBe(250);
  });

  const cases: [string, string[], (member: OrganizationMember) => boolean][] = [
    ["--role owner", ["--role", "owner"], (member) => member.orgRole === "owner"],
    ["--role manager", ["--role", "manager"], (member) => member.orgRole === "manager"],
    ["--pending", ["--pending"], (member) => member.pending],
    ["--expired", ["--expired"], (member) => member.expired],
    // The mock counts an invitation (no user yet) as without 2FA.
    ["--no-2fa", ["--no-2fa"], (member) => member.user?.has2fa !== true],
    ["--no-sso", ["--no-sso"], (member) => !member.flags["sso:linked"]],
    ["--query (free text)", ["--query", "patel"], (member) => /patel/i.test(`${member.name} ${member.email}`)],
    [
      "--no-2fa --no-sso --role member --query isInvited:false",
      ["--no-2fa", "--no-sso", "--role", "member", "--query", "isInvited:false"],
      (member) => member.orgRole === "member" && !member.pending && !member.user?.has2fa && !member.flags["sso:linked"],
    ],
  ];
  test.each(cases)("%s", async (_, flags, matches) => {
    const expected = everyone.filter(matches);
    // Neither nobody nor everybody: the filter has to do something.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everyone.length);
    const found = jsonOf(await audit("members", ...flags, "--format", "json", "--fields", MEMBER_FIELDS));
    expect(found).toEqual(expected);
  });
});

describe("repos: each filter gives the rows a full walk filtered here gives", () => {
  const fields = "id,name,status,provider.id,provider.name,integrationId,url";
  let active: Repository[];
  let inactive: Repository[];
  beforeAll(async () => {
    active = jsonOf(await audit("repos", "--format", "json", "--fields", fields));
    inactive = jsonOf(await audit("repos", "--status", "deleted", "--format", "json", "--fields", fields));
  });

  test("--status: active by default, deleted gives the others", () => {
    expect(active).toHaveLength(120);
    expect(active.every((repository) => repository.status === "active")).toBe(true);
    expect(inactive.map((repository) => repository.status)).toEqual([
      "disabled",
      "pending_deletion",
      "deletion_in_progress",
      "disabled",
    ]);
  });

  const cases: [string, string[], (repository: Repository) => boolean][] = [
    ["--provider gitlab", ["--provider", "gitlab"], (repository) => repository.provider.id === "integrations:gitlab"],
    [
      "--provider integrations:GitHub",
      ["--provider", "integrations:GitHub"],
      (repository) => repository.provider.id === "integrations:github",
    ],
    ["--provider unknown", ["--provider", "unknown"], (repository) => repository.provider.id === "unknown"],
  ];
  test.each(cases)("%s", async (_, flags, matches) => {
    const expected = active.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(active.length);
    expect(jsonOf(await audit("repos", ...flags, "--format", "json", "--fields", fields))).toEqual(expected);
  });

  test("--status deleted --provider bitbucket combines Sentry's filter and this one", async () => {
    const expected = inactive.filter((repository) => repository.provider.id === "integrations:bitbucket");
    expect(expected).toHaveLength(1);
    const found = jsonOf(
      await audit("repos", "--status", "deleted", "--provider", "bitbucket", "--format", "json", "--fields", fields),
    );
    expect(found).toEqual(expected);
  });

  test("a settings field asks Sentry for the settings", async () => {
    const [first] = jsonOf(await audit("repos", "--format", "json", "--fields", "name,settings.enabledCodeReview"));
    expect(first).toEqual({ name: "acme/service-000", settings: { enabledCodeReview: true } });
  });
});

describe("formats", () => {
  test("csv round-trips through a CSV parser and holds the same rows as json", async () => {
    const csv = await audit("members", "--format", "csv", "--fields", "id,email,user.has2fa,flags.sso:linked,user.id");
    expect(csv.code).toBe(0);
    expect(csv.stdout.split("\r\n")[0]).toBe("id,email,user.has2fa,flags.sso:linked,user.id");
    const rows: string[][] = parse(csv.stdout);
    const json = jsonOf<OrganizationMember>(
      await audit("members", "--format", "json", "--fields", "id,email,user.has2fa,flags.sso:linked,user.id"),
    );
    expect(rows.slice(1)).toEqual(
      json.map((member) => [
        member.id,
        member.email,
        member.user ? String(member.user.has2fa) : "",
        String(member.flags["sso:linked"]),
        member.user?.id ?? "",
      ]),
    );
  });

  test("ndjson is one object a line, the same objects as json", async () => {
    const ndjson = await audit("members", "--pending", "--format", "ndjson", "--fields", "email,user.name,expired");
    expect(ndjson.code).toBe(0);
    const lines = ndjson.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(10);
    expect(JSON.parse(lines[0] as string)).toEqual({ email: "kai.patel.24@acme.example", user: null, expired: false });
    const json = jsonOf(await audit("members", "--pending", "--format", "json", "--fields", "email,user.name,expired"));
    expect(lines.map((line) => JSON.parse(line))).toEqual(json);
  });

  test("json with no rows is an empty array; a table with no rows still names its columns", async () => {
    const none = ["--query", "nobody-matches-this"];
    expect(jsonOf(await audit("members", ...none, "--format", "json"))).toEqual([]);
    const table = await audit("members", ...none, "--fields", "id,email");
    expect(table.stdout).toBe("id  email\n--  -----\n");
  });

  test("table: aligned columns, widths from the header and the first page", async () => {
    const run = await audit("members", "--role", "owner", "--fields", "id,name,user.has2fa,flags.sso:linked");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "id    name      user.has2fa  flags.sso:linked",
        "----  --------  -----------  ----------------",
        "1000  Jane Doe  true         true",
        "1001  Raj Doe   false        false",
        "1002  Ana Doe   false        false",
        "",
      ].join("\n"),
    );
  });
});

describe("a server whose data is hostile", () => {
  let hostile: MockServer;
  const names = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturned",
    'Quote "this", comma',
    "Line\nbreak",
    "\u001b[31mred\u001b[0m",
  ];
  beforeAll(async () => {
    // acme with one member for each hostile name, in order.
    const [acme] = createSeedData({ members: names.length, repositories: 0 });
    if (!acme) throw new Error("the seed has no acme");
    const members = acme.members.map((member, i) => ({ ...member, name: names[i] as string }));
    hostile = await startMockServer({ token: TOKEN, organizations: [{ ...acme, members }] });
  });
  afterAll(() => hostile.close());

  const hostileAudit = (...args: string[]) =>
    runCli(["members", "--org", "acme", "--base-url", hostile.url, "--fields", "id,name", ...args]);

  test("csv escapes formula cells with a leading ' and quotes line breaks, and round-trips", async () => {
    const run = await hostileAudit("--format", "csv");
    expect(run.code).toBe(0);
    const rows: string[][] = parse(run.stdout);
    expect(rows.map((row) => row[1])).toEqual([
      "name",
      '\'=HYPERLINK("http://evil.example","click")',
      "'+1+2",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTabbed",
      "'\rReturned",
      'Quote "this", comma',
      "Line\nbreak",
      "\u001b[31mred\u001b[0m",
    ]);
  });

  test("json keeps the values as the server sent them", async () => {
    const rows = jsonOf<{ name: string }>(await hostileAudit("--format", "json"));
    expect(rows.map((row) => row.name)).toEqual(names);
  });

  test("table shows control characters as U+FFFD, one line a row, and cuts what is wider than 40", async () => {
    const run = await hostileAudit();
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "id    name",
        "----  ----------------------------------------",
        '1000  =HYPERLINK("http://evil.example","click…',
        "1001  +1+2",
        "1002  -2+3",
        "1003  @SUM(A1)",
        "1004  \uFFFDTabbed",
        "1005  \uFFFDReturned",
        '1006  Quote "this", comma',
        "1007  Line\uFFFDbreak",
        "1008  \uFFFD[31mred\uFFFD[0m",
        "",
      ].join("\n"),
    );
  });
});

describe("a server that echoes the token inside its records", () => {
  let echoing: MockServer;
  beforeAll(async () => {
    const [acme] = createSeedData({ members: 1, repositories: 0 });
    if (!acme) throw new Error("the seed has no acme");
    const members = acme.members.map((member) => ({ ...member, name: TOKEN, email: TOKEN.replaceAll("-", "%2D") }));
    echoing = await startMockServer({ token: TOKEN, organizations: [{ ...acme, members }] });
  });
  afterAll(() => echoing.close());

  const expected = {
    table: "id    name        email\n----  ----------  ----------\n1000  [REDACTED]  [REDACTED]\n",
    csv: "id,name,email\r\n1000,[REDACTED],[REDACTED]\r\n",
    json: '[\n{"id":"1000","name":"[REDACTED]","email":"[REDACTED]"}\n]\n',
    ndjson: '{"id":"1000","name":"[REDACTED]","email":"[REDACTED]"}\n',
  };
  test.each(Object.entries(expected))("%s: every form of it is redacted", async (format, text) => {
    const run = await runCli([
      "members",
      "--org",
      "acme",
      "--base-url",
      echoing.url,
      "--fields",
      "id,name,email",
      "--format",
      format,
    ]);
    expect(run).toEqual({ code: 0, stdout: text, stderr: "" });
  });
});

/** A server that counts requests and answers each with `status` and a body that echoes the token it was sent. */
async function startEchoServer(status: number) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const token = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify({ detail: `token ${token} (${encodeURIComponent(token)}) is not allowed here` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("exit status", () => {
  test("1 on an API error, with the server's message and what to check", async () => {
    const run = await runCli(["members", "--org", "acme", "--base-url", mock.url], {
      SENTRY_TOKEN: "not-a-known-token-0000",
    });
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "sentry-org-audit: listMembers failed with 401: Invalid token\n" +
        "Check the token in SENTRY_TOKEN: listing members needs the scope member:read\n",
    );
    expect(run.code).toBe(1);
  });

  test("1 for an unknown organization, with Sentry's detail", async () => {
    const run = await runCli(["repos", "--org", "no-such-org", "--base-url", mock.url]);
    expect(run.stderr).toBe(
      "sentry-org-audit: listRepositories failed with 404: The requested resource does not exist\n",
    );
    expect(run.code).toBe(1);
  });

  test("the token a server echoes back never reaches the output", async () => {
    const echo = await startEchoServer(403);
    try {
      const run = await runCli(["members", "--org", "acme", "--base-url", echo.url]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "sentry-org-audit: listMembers failed with 403: token [REDACTED] ([REDACTED]) is not allowed here\n" +
          "Check the token in SENTRY_TOKEN: listing members needs the scope member:read\n",
      );
      expect(run.stderr).not.toContain(TOKEN);
    } finally {
      await echo.close();
    }
  });

  test("3 when the server cannot be reached", async () => {
    const gone = await startEchoServer(200);
    await gone.close();
    const run = await runCli(["members", "--org", "acme", "--base-url", gone.url]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `sentry-org-audit: no answer from the server: GET ${gone.url}/api/0/organizations/acme/members/?per_page=100: TypeError: fetch failed\n`,
    );
    expect(run.code).toBe(3);
  });

  describe("2 on bad usage, before any request", () => {
    let counter: Awaited<ReturnType<typeof startEchoServer>>;
    beforeAll(async () => {
      counter = await startEchoServer(200);
    });
    afterAll(() => counter.close());

    const cases: [string, string[], Record<string, string>, string][] = [
      ["no --org", ["members"], { SENTRY_TOKEN: TOKEN }, "--org is required"],
      [
        "a slug that is not one",
        ["members", "--org", "../admin"],
        { SENTRY_TOKEN: TOKEN },
        '--org must be an organization id or slug: 1 to 50 letters, digits, "-" or "_", got "../admin"',
      ],
      [
        "an unknown format",
        ["repos", "--org", "acme", "--format", "xlsx"],
        { SENTRY_TOKEN: TOKEN },
        '--format must be table, csv, json, ndjson, got "xlsx"',
      ],
      [
        "an unknown status",
        ["repos", "--org", "acme", "--status", "disabled"],
        { SENTRY_TOKEN: TOKEN },
        '--status must be active or deleted, got "disabled"',
      ],
      [
        "a role with a space",
        ["members", "--org", "acme", "--role", "owner has2fa:true"],
        { SENTRY_TOKEN: TOKEN },
        '--role must be a role id such as owner or admin, got "owner has2fa:true"',
      ],
      [
        "an empty --query",
        ["members", "--org", "acme", "--query", " "],
        { SENTRY_TOKEN: TOKEN },
        "--query must not be empty",
      ],
      [
        "an unknown flag",
        ["members", "--org", "acme", "--token", TOKEN],
        { SENTRY_TOKEN: TOKEN },
        "Unknown option '--token'",
      ],
      [
        "no token in the environment",
        ["members", "--org", "acme"],
        {},
        "the token is read from the environment variable SENTRY_TOKEN, which is not set",
      ],
      [
        "--token-env naming an unset variable",
        ["members", "--org", "acme", "--token-env", "MY_TOKEN"],
        { SENTRY_TOKEN: TOKEN },
        "the token is read from the environment variable MY_TOKEN, which is not set",
      ],
      [
        "--token-env naming no environment variable a shell can set",
        ["members", "--org", "acme", "--token-env", "A$(id)"],
        { SENTRY_TOKEN: TOKEN },
        '--token-env must be an environment variable name: letters, digits and "_", not starting with a digit, got "A$(id)"',
      ],
      [
        "a token no Sentry token looks like",
        ["members", "--org", "acme"],
        { SENTRY_TOKEN: 'has "quotes"' },
        "the token in SENTRY_TOKEN is not a token: 1 to 1024 printable ASCII characters without quotes or backslashes",
      ],
    ];
    test.each(cases)("%s", async (_, args, env, message) => {
      const command = args[0] as string;
      const run = await runCli([...args, "--base-url", counter.url], env);
      expect(run.stderr).toBe(
        `sentry-org-audit: ${message}\nRun "sentry-org-audit ${command} --help" for its options.\n`,
      );
      expect(run.stdout).toBe("");
      expect(run.code).toBe(2);
      expect(counter.requests).toEqual([]);
      expect(run.stderr).not.toContain(TOKEN);
    });

    test("an unknown field lists the valid ones, from the generated types", async () => {
      const run = await runCli([
        "members",
        "--org",
        "acme",
        "--base-url",
        counter.url,
        "--fields",
        "email,user.emails",
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr.split("\n")[0]).toBe(
        'sentry-org-audit: --fields: unknown field "user.emails"; the fields are: id, email, name, user.id, ' +
          "user.name, user.username, user.email, user.avatarUrl, user.isActive, user.isSuspended, " +
          "user.hasPasswordAuth, user.isManaged, user.dateJoined, user.lastLogin, user.lastActive, user.has2fa, " +
          "user.isSuperuser, user.isStaff, user.experiments, user.avatar.avatarType, user.avatar.avatarUuid, " +
          "user.avatar.avatarUrl, orgRole, role, roleName, pending, expired, flags.idp:provisioned, " +
          "flags.idp:role-restricted, flags.sso:linked, flags.sso:invalid, flags.member-limit:restricted, " +
          "flags.partnership:restricted, dateCreated, inviteStatus, inviterName, externalUsers",
      );
      expect(counter.requests).toEqual([]);
    });

    test("a base URL with credentials is refused before the token is sent anywhere", async () => {
      const url = counter.url.replace("http://", "http://me:secret@");
      const run = await runCli(["members", "--org", "acme", "--base-url", url]);
      expect(run.stderr.split("\n")[0]).toBe(
        "sentry-org-audit: --base-url must not carry credentials; put the token in the environment",
      );
      expect(run.code).toBe(2);
      expect(counter.requests).toEqual([]);
    });
  });

  test("no command prints the usage and exits 2; --help exits 0", async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout.split("\n")[0]).toBe("Usage: sentry-org-audit <command> --org SLUG [options]");
    const help = await runCli(["members", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("sentry-org-audit members --org acme --no-2fa --format csv > no-2fa.csv\n");
    expect(help.stdout).toContain(
      "  --expired             invitations that have expired. Sentry has no search key for this:",
    );
  });

  test("--version prints the packages' version and exits 0", async () => {
    const run = await runCli(["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });
});
