import { createSentryClient, type Paginator, SentryApiError, type SentryClient } from "@sentry-org-api/client";
import { PATH_PARAMETERS, redactToken } from "@sentry-org-api/types/protocol";
import { chooseFields, type Field, type FieldCatalogue } from "./fields.js";
import { FORMATS, FORMATTERS, type Format } from "./formats.js";
import { Output } from "./output.js";
import { createProgress } from "./progress.js";
import { walk } from "./walk.js";

/** Bad usage, found before any request: exit 2 with the command's help. */
export class UsageError extends Error {}

/** The options every audit command takes; `parseArgs` rejects any other. */
export const COMMON_OPTIONS = {
  org: { type: "string" },
  "base-url": { type: "string" },
  "token-env": { type: "string" },
  format: { type: "string" },
  fields: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const COMMON_HELP = `  --org SLUG            organization id or slug (required)
  --base-url URL        Sentry to ask: a regional host, a self-hosted Sentry (path kept) or a mock
                        (default https://sentry.io)
  --token-env NAME      environment variable that holds the token (default SENTRY_TOKEN); the
                        token is never taken from a flag, so it stays out of shell history
  --format FORMAT       table (default), csv, json (one array) or ndjson (one object a line)
  --fields a,b,c        columns, as dotted paths with Sentry's property names`;

export const OUTPUT_HELP = `Output:
  Rows are written as each page arrives. table: columns as wide as the header and the first
  page need, at most 40 characters (longer cells end with …), control characters shown as �.
  csv: RFC 4180 (CRLF, quoted cells); a cell starting with = + - @, a tab or a carriage return
  gets a leading ' so that spreadsheets do not run it as a formula. json and ndjson: each record
  cut down to the chosen fields in Sentry's own nesting, null where a value is absent.
  On a terminal, a progress line on stderr counts pages, items and rate-limit waits.

Exit status:
  0  done (also when the reader stops early, as with | head)
  1  the server answered with an error (its message is printed), or an answer was unusable
  2  bad usage; nothing was requested
  3  the server could not be reached, or did not answer in time`;

/** `items` joined with ", " in lines of at most 100 characters, each after `indent` spaces. */
/** A command's fields for its help: the default ones first, then the rest. */
export const fieldsHelp = ({ all, defaults }: { all: readonly string[]; defaults: readonly string[] }) =>
  `${wrappedList(defaults, 2)}\n${wrappedList(
    all.filter((field) => !defaults.includes(field)),
    2,
  )}`;

export function wrappedList(items: readonly string[], indent: number): string {
  const lines = [""];
  for (const [i, item] of items.entries()) {
    const text = i < items.length - 1 ? `${item}, ` : item;
    if (indent + (lines.at(-1) as string).length + text.trimEnd().length > 100) lines.push("");
    lines[lines.length - 1] += text;
  }
  return lines.map((line) => " ".repeat(indent) + line.trimEnd()).join("\n");
}

interface CommonValues {
  org?: string | undefined;
  "base-url"?: string | undefined;
  "token-env"?: string | undefined;
  format?: string | undefined;
  fields?: string | undefined;
}

/** What every audit needs, checked. */
export interface AuditSettings {
  org: string;
  baseUrl: string;
  tokenEnv: string;
  token: string;
  format: Format;
  fields: Field[];
}

const ORGANIZATION = PATH_PARAMETERS.organization_id_or_slug;

/** Checks the common options and reads the token; throws a `UsageError` before any request. */
export function auditSettings(values: CommonValues, catalogue: FieldCatalogue): AuditSettings {
  const { org } = values;
  if (org === undefined) throw new UsageError("--org is required");
  if (org.length < ORGANIZATION.minLength || org.length > ORGANIZATION.maxLength || !ORGANIZATION.pattern.test(org))
    throw new UsageError(
      `--org must be an organization id or slug: ${ORGANIZATION.minLength} to ${ORGANIZATION.maxLength} letters, digits, "-" or "_", got ${JSON.stringify(org)}`,
    );
  const format = (values.format ?? "table") as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be ${FORMATS.join(", ")}, got ${JSON.stringify(values.format)}`);
  let fields: Field[];
  try {
    fields = chooseFields(values.fields, catalogue);
  } catch (error) {
    throw new UsageError(`--fields: ${(error as Error).message}`);
  }
  const baseUrl = values["base-url"] ?? "https://sentry.io";
  checkBaseUrl(baseUrl);
  const tokenEnv = values["token-env"] ?? "SENTRY_TOKEN";
  // The name goes into messages and could be pasted into a shell: only a name a shell can set.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
    throw new UsageError(
      `--token-env must be an environment variable name: letters, digits and "_", not starting with a digit, got ${JSON.stringify(tokenEnv)}`,
    );
  const token = process.env[tokenEnv];
  if (!token) throw new UsageError(`the token is read from the environment variable ${tokenEnv}, which is not set`);
  return { org, baseUrl, tokenEnv, token, format, fields };
}

function checkBaseUrl(value: string) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--base-url must be an http(s) URL, got ${JSON.stringify(value)}`);
  if (url.username || url.password)
    throw new UsageError("--base-url must not carry credentials; put the token in the environment");
  if (url.search || url.hash || /[?#]/.test(value))
    throw new UsageError("--base-url must not have a query or a fragment");
}

export interface AuditPlan<T> {
  /** What the progress line counts: "members". */
  noun: string;
  /** What to tell a user whose token is refused: "listing members needs the scope member:read". */
  scopeHint: string;
  list(client: SentryClient): Paginator<T>;
  keep?: ((record: unknown) => boolean) | undefined;
}

/** Runs one audit to the end: 0, or 1 (the server's error) or 3 (no answer) with a line on stderr. */
export async function runAudit<T>(settings: AuditSettings, plan: AuditPlan<T>): Promise<number> {
  const { token, tokenEnv, baseUrl, format, fields } = settings;
  const progress = createProgress(process.stderr, process.env, plan.noun);
  let client: SentryClient;
  try {
    client = createSentryClient({ token, baseUrl, onRetry: (info) => progress.wait(info) });
  } catch {
    // baseUrl is checked already, so only the token can be refused; the client's message would not show it either.
    throw new UsageError(
      `the token in ${tokenEnv} is not a token: 1 to 1024 printable ASCII characters without quotes or backslashes`,
    );
  }
  // The client keeps the token out of its errors; this also covers any other error's text, and
  // every value the server sends that is written out.
  const redact = redactToken(token, "[REDACTED]");
  try {
    const output = new Output(process.stdout);
    await walk({
      pages: plan.list(client).pages(),
      keep: plan.keep,
      formatter: FORMATTERS[format](fields, redact),
      output,
      progress,
    });
    progress.done();
    return 0;
  } catch (error) {
    progress.done();
    const unreachable = error instanceof SentryApiError && (error.kind === "network" || error.kind === "timeout");
    const refused = error instanceof SentryApiError && (error.kind === "authentication" || error.kind === "permission");
    const message = [
      `sentry-org-audit: ${unreachable ? "no answer from the server: " : ""}${(error as Error).message}`,
      ...(refused ? [`Check the token in ${tokenEnv}: ${plan.scopeHint}`] : []),
    ];
    process.stderr.write(redact(`${message.join("\n")}\n`));
    return unreachable ? 3 : 1;
  }
}
