import { parseArgs } from "node:util";
import { OPERATION_IDS, type OperationId, redactToken } from "@sentry-org-api/types/protocol";
import { CHECK_NAMES, CHECKS, type CheckName } from "../check/catalogue.js";
import {
  type CheckReport,
  checkedBaseUrl,
  DEFAULT_MAX_REQUESTS,
  organizationProblem,
  runCheck,
} from "../check/check.js";
import { formatReport, type ReportFormat, textReport } from "../check/report.js";
import { startMockServer } from "../mock/server.js";
import { duration, integer, names, parseOrigin, tokenFromEnv, tokenVariableName, UsageError } from "./arguments.js";
import type { CliIo } from "./io.js";

export const CHECK_USAGE = `Usage: sentry-org-api check --org SLUG [options]

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

const listChecks = () => {
  const width = Math.max(...CHECK_NAMES.map((name) => name.length));
  return CHECKS.map(({ name, proves }) => `${name.padEnd(width)}  ${proves}\n`).join("");
};

export async function checkCommand(args: string[], io: CliIo) {
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
    io.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (values["list-checks"]) {
    io.stdout.write(listChecks());
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
    token = tokenFromEnv(io.env, tokenEnv);
  }
  // Progress is the text report as it grows: on stdout when it is the report, else on stderr.
  const progress = format === "text" ? io.stdout : io.stderr;
  const colour = progress.isTTY === true && !io.env.NO_COLOR;
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
    if (format !== "text") io.stdout.write(formatReport(report, format, { secret: token }));
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
