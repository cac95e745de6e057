import { parseArgs } from "node:util";
import { runCheck } from "./check.js";
import { startMockServer } from "./mock/server.js";
import { formatReport, type ReportFormat } from "./report.js";

const USAGE = `Usage: sentry-org-api <command> [options]

Commands:
  mock     Start a mock Sentry server that behaves like the real one
  check    Verify a server against the spec

Run "sentry-org-api <command> --help" for a command's options.
`;

const MOCK_USAGE = `Usage: sentry-org-api mock [options]

Starts a mock Sentry on 127.0.0.1 and prints its URL and token. Stop it with Ctrl-C.

Options:
  --port N            port to listen on (default 4010; 0 picks a free one)
  --host HOST         address to listen on (default 127.0.0.1)
  --members N         members of organization acme (default 250, at most 100000)
  --repositories N    active repositories of acme (default 120)
  --rate-limit        answer 429 above 40 requests a second per token and endpoint
  -h, --help          show this help
`;

const CHECK_USAGE = `Usage: sentry-org-api check --org SLUG [options]

Calls the three operations, walks the lists by their Link cursors and validates every answer
against the spec. Exit status: 0 when every check holds, 1 when one fails, 2 for bad usage.

Options:
  --org SLUG                organization id or slug (required)
  --base-url URL            server to check (default: start the bundled mock and check it)
  --token-env NAME          environment variable that holds the token (default SENTRY_TOKEN)
  --max-pages N             pages to walk in each list (default 3)
  --format text|json|junit  report format (default text)
  --trust-link-origin URL   another origin Link URLs may name, e.g. https://acme.sentry.io (repeatable)
  -h, --help                show this help
`;

class UsageError extends Error {}

const integer = (name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
};

async function mock(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      members: { type: "string" },
      repositories: { type: "string" },
      "rate-limit": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(MOCK_USAGE);
    return 0;
  }
  const server = await startMockServer({
    port: integer("port", values.port, 0, 65_535) ?? 4010,
    host: values.host ?? "127.0.0.1",
    members: integer("members", values.members, 0, 100_000),
    repositories: integer("repositories", values.repositories, 0),
    rateLimit: values["rate-limit"] ?? false,
  });
  process.stdout.write(
    `Mock Sentry listening on ${server.url}\nToken: ${server.token}\nTry: curl -H "Authorization: Bearer ${server.token}" ${server.url}/api/0/organizations/acme/members/\n`,
  );
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await server.close();
  return 0;
}

async function check(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: "string" },
      "base-url": { type: "string" },
      "token-env": { type: "string" },
      "max-pages": { type: "string" },
      format: { type: "string" },
      "trust-link-origin": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (!values.org) throw new UsageError("--org is required");
  const format = (values.format ?? "text") as ReportFormat;
  if (!["text", "json", "junit"].includes(format))
    throw new UsageError(`--format must be text, json or junit, got ${JSON.stringify(values.format)}`);
  const maxPages = integer("max-pages", values["max-pages"], 1, 1000) ?? 3;
  const trustedLinkOrigins = values["trust-link-origin"]?.map((origin) => parseOrigin("--trust-link-origin", origin));

  let baseUrl = values["base-url"];
  let token: string;
  let mockServer: Awaited<ReturnType<typeof startMockServer>> | undefined;
  if (baseUrl === undefined) {
    mockServer = await startMockServer();
    baseUrl = mockServer.url;
    token = mockServer.token;
  } else {
    parseOrigin("--base-url", baseUrl);
    const tokenEnv = values["token-env"] ?? "SENTRY_TOKEN";
    const fromEnv = process.env[tokenEnv];
    if (!fromEnv) throw new UsageError(`the token is read from the environment variable ${tokenEnv}, which is not set`);
    token = fromEnv;
  }
  try {
    const report = await runCheck({ baseUrl, token, org: values.org, maxPages, trustedLinkOrigins });
    const colour = format === "text" && process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(formatReport(report, format, { colour, secret: token }));
    return report.failed === 0 ? 0 : 1;
  } finally {
    await mockServer?.close();
  }
}

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
