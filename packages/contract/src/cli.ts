import { parseArgs } from "node:util";
import {
  OPERATION_IDS,
  OPERATION_RATE_LIMITS,
  type OperationId,
  redactToken,
  VERSION,
} from "@sentry-org-api/types/protocol";
import { CHECK_NAMES, CHECKS, type CheckName } from "./check/catalogue.js";
import {
  type CheckReport,
  checkedBaseUrl,
  DEFAULT_MAX_REQUESTS,
  organizationProblem,
  runCheck,
} from "./check/check.js";
import { VARIABLE_NAME } from "./check/curl.js";
import { formatReport, type ReportFormat, textReport } from "./check/report.js";
import { startMockServer } from "./mock/server.js";
import { tokenProblem } from "./mock/token.js";

const USAGE = `Usage: sentry-org-api <command> [options]

Commands:
  mock     Start a mock Sentry server that behaves like the real one
  check    Verify a server against the spec

Run "sentry-org-api <command> --help" for a command's options, "sentry-org-api --version" for
the version.
`;

/** The rate the spec states for sentry.io, which the mock enforces with --rate-limit. */
const SENTRY_RATE = OPERATION_RATE_LIMITS.listOrganizationMembers;

const MOCK_USAGE = `Usage: sentry-org-api mock [options]

Starts a mock Sentry on 127.0.0.1 and prints its URL and token. Stop it with Ctrl-C.

Options:
  --port N            port to listen on (default 4010; 0 picks a free one)
  --host HOST         address to listen on (default 127.0.0.1)
  --members N         members of organization acme (default 250, at most 100000)
  --repositories N    active repositories of acme (default 120, at most 100000)
  --token-env NAME    serve the token held by this environment variable instead of the
                      default one (never printed)
  --rate-limit        answer 429 above sentry.io's rate (${SENTRY_RATE.requests} requests in ${SENTRY_RATE.windowSeconds} s) per token and
                      endpoint
  -h, --help          show this help
`;

const CHECK_USAGE = `Usage: sentry-org-api check --org SLUG [options]

Runs a conformance suite derived from the spec against a server: every documented query
parameter's enum values, bounds and examples, the values the spec rules out, missing and bad
tokens, an undocumented method, a walk of each list with its pagination invariants and the
documented filters; every answer is validated. Each check's line is printed per operation as
soon as it is decided; with --format json or junit the report goes to stdout at the end and the
progress to stderr. A failure shows a curl command that repeats it.

Options:
  --org SLUG                organization id or slug (required)
  --base-url URL            server to check, path kept: https://example.com/sentry checks
                            https://example.com/sentry/api/0/... (default: start the bundled mock)
  --token-env NAME          environment variable that holds the token (default SENTRY_TOKEN)
  --checks A,B              run only these checks (default all; see --list-checks)
  --operations X,Y          check only these operations (default all: ${OPERATION_IDS.join(", ")})
  --list-checks             print every check with what it proves, and exit
  --max-requests N          requests the run may send (default ${DEFAULT_MAX_REQUESTS}), shared so every check gets some
  --max-pages N             pages to walk in each list (default: as many as the budget allows)
  --timeout SECONDS         longest wait for one answer, body included (default 30)
  --deadline SECONDS        longest the whole run may take, rate-limit waits included (default 300);
                            checks still to do then are reported as not run
  --format text|json|junit  report format (default text)
  --trust-link-origin URL   another origin Link URLs may name, e.g. https://acme.sentry.io (repeatable)
  -h, --help                show this help

Exit status:
  0  every check holds (warnings allowed: inputs the server accepts, as Sentry does)
  1  a check found a contract violation
  2  bad usage; nothing was requested
  3  the server could not be checked: unreachable, no answer to the first request, the token
     refused, or the deadline or the request budget left a check not run (and none had failed)
`;

class UsageError extends Error {}

/** A duration flag in seconds (fractions allowed), as milliseconds. */
const duration = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 86_400)
    throw new UsageError(
      `--${name} must be a number of seconds above 0 and at most 86400, got ${JSON.stringify(value)}`,
    );
  return Math.round(n * 1000);
};

const integer = (name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
};

/** A comma-separated list of names, each one of `known`. */
function names<T extends string>(flag: string, value: string | undefined, known: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  const given = value.split(",").map((name) => name.trim());
  const unknown = given.find((name) => !(known as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new UsageError(`--${flag} has an unknown name ${JSON.stringify(unknown)}; known: ${known.join(", ")}`);
  return given as T[];
}

const listChecks = () => {
  const width = Math.max(...CHECK_NAMES.map((name) => name.length));
  return CHECKS.map(({ name, proves }) => `${name.padEnd(width)}  ${proves}\n`).join("");
};

async function mock(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      members: { type: "string" },
      repositories: { type: "string" },
      "token-env": { type: "string" },
      "rate-limit": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(MOCK_USAGE);
    return 0;
  }
  const tokenEnv = tokenVariableName(values["token-env"]);
  const server = await startMockServer({
    port: integer("port", values.port, 0, 65_535) ?? 4010,
    host: values.host ?? "127.0.0.1",
    members: integer("members", values.members, 0, 100_000),
    repositories: integer("repositories", values.repositories, 0, 100_000),
    token: tokenEnv === undefined ? undefined : tokenFromEnv(tokenEnv),
    rateLimit: values["rate-limit"] ?? false,
  });
  // The user's own token may be a real secret: name its variable instead of printing it.
  const token = tokenEnv === undefined ? server.token : `$${tokenEnv}`;
  process.stdout.write(
    `Mock Sentry listening on ${server.url}\nToken: ${tokenEnv === undefined ? token : `the value of ${token}`}\nTry: curl -H "Authorization: Bearer ${token}" ${server.url}/api/0/organizations/acme/members/\n`,
  );
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await server.close();
  return 0;
}

/** The --token-env name, which the `curl` lines and the mock's banner print as `$NAME` for a shell. */
function tokenVariableName(name: string | undefined): string | undefined {
  if (name !== undefined && !VARIABLE_NAME.test(name))
    throw new UsageError(
      `--token-env must be an environment variable name matching ${VARIABLE_NAME.source}, got ${JSON.stringify(name)}`,
    );
  return name;
}

function tokenFromEnv(name: string): string {
  const token = process.env[name];
  if (token === undefined)
    throw new UsageError(`the token is read from the environment variable ${name}, which is not set`);
  const problem = tokenProblem(token);
  if (problem) throw new UsageError(`the token in the environment variable ${name} ${problem}`);
  return token;
}

async function check(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: "string" },
      "base-url": { type: "string" },
      "token-env": { type: "string" },
      "max-pages": { type: "string" },
      "max-requests": { type: "string" },
      checks: { type: "string" },
      operations: { type: "string" },
      "list-checks": { type: "boolean" },
      timeout: { type: "string" },
      deadline: { type: "string" },
      format: { type: "string" },
      "trust-link-origin": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (values["list-checks"]) {
    process.stdout.write(listChecks());
    return 0;
  }
  if (!values.org) throw new UsageError("--org is required");
  const orgProblem = organizationProblem(values.org);
  if (orgProblem) throw new UsageError(`--org ${orgProblem}, got ${JSON.stringify(values.org)}`);
  const format = (values.format ?? "text") as ReportFormat;
  if (!["text", "json", "junit"].includes(format))
    throw new UsageError(`--format must be text, json or junit, got ${JSON.stringify(values.format)}`);
  const maxPages = integer("max-pages", values["max-pages"], 1, 1000);
  const maxRequests = integer("max-requests", values["max-requests"], 1, 100_000);
  const checks = names<CheckName>("checks", values.checks, CHECK_NAMES);
  const operations = names<OperationId>("operations", values.operations, OPERATION_IDS);
  const timeoutMs = duration("timeout", values.timeout) ?? 30_000;
  const deadlineMs = duration("deadline", values.deadline) ?? 300_000;
  const trustedLinkOrigins = values["trust-link-origin"]?.map((origin) => parseOrigin("--trust-link-origin", origin));
  const tokenEnv = tokenVariableName(values["token-env"]) ?? "SENTRY_TOKEN";

  let baseUrl = values["base-url"];
  let token: string;
  let tokenSource: string | undefined;
  let tokenVariable: string | undefined;
  let mockServer: Awaited<ReturnType<typeof startMockServer>> | undefined;
  if (baseUrl === undefined) {
    mockServer = await startMockServer();
    baseUrl = mockServer.url;
    token = mockServer.token;
  } else {
    parseOrigin("--base-url", baseUrl);
    if (/[?#]/.test(baseUrl)) throw new UsageError("--base-url must not have a query or a fragment");
    tokenSource = `the token in ${tokenEnv}`;
    tokenVariable = tokenEnv;
    // A token no server issues (a line break, a space) would fail in the request or redact the report's words.
    token = tokenFromEnv(tokenEnv);
  }
  // Progress is the text report as it grows: on stdout when it is the report, else on stderr.
  const progress = format === "text" ? process.stdout : process.stderr;
  const colour = progress.isTTY === true && !process.env.NO_COLOR;
  const redact = redactToken(token, "[redacted]");
  const say = (text: string) => progress.write(redact(text));
  say(textReport.header(checkedBaseUrl(baseUrl), values.org));
  try {
    const report = await runCheck({
      baseUrl,
      token,
      tokenSource,
      tokenVariable,
      org: values.org,
      maxPages,
      maxRequests,
      checks,
      operations,
      trustedLinkOrigins,
      timeoutMs,
      deadlineMs,
      onProgress: (event) =>
        say(event.type === "check" ? textReport.check(event.check, colour) : textReport.wait(event)),
    });
    say(textReport.footer(report, colour));
    if (format !== "text") process.stdout.write(formatReport(report, format, { secret: token }));
    return exitStatus(report);
  } finally {
    await mockServer?.close();
  }
}

/**
 * 0 every check holds, 1 a contract violation, 3 the server could not be (fully) checked; 2 is bad usage.
 * An unreachable server or a refused token stops the run at its first request, so no check failed then.
 */
const exitStatus = (report: CheckReport) => (report.failed > 0 ? 1 : report.notRun > 0 ? 3 : 0);

function parseOrigin(flag: string, value: string) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${flag} must be an http(s) URL, got ${JSON.stringify(value)}`);
  if (url.username || url.password)
    throw new UsageError(`${flag} must not carry credentials; put the token in the environment`);
  return url.origin;
}

async function main(argv: string[]) {
  const [command, ...args] = argv;
  try {
    if (command === "mock") return await mock(args);
    if (command === "check") return await check(args);
    if (command === "--version" || command === "-v") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || command === "--help" || command === "-h") {
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) {
      process.stderr.write(`sentry-org-api: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(
      `sentry-org-api: ${(error as Error).message}\n${command === "check" ? CHECK_USAGE : command === "mock" ? MOCK_USAGE : USAGE}`,
    );
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
