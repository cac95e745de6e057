import { PAGINATED_OPERATIONS, PATH_PARAMETERS, redactToken } from "@sentry-org-api/types/protocol";
import { ORGANIZATION_PARAMETER, spec } from "../spec.js";
import { createValidator, DEFAULT_MAX_BODY_BYTES, type Violation } from "../validate/validator.js";
import { nextPage, operationPath } from "./pages.js";
import { type RateLimitWait, rateLimitWait } from "./rate-limit-wait.js";
import { type BoundedAnswer, getBounded, RequestFailure, seconds } from "./request.js";

export interface CheckOptions {
  /** The server's base URL, such as `https://sentry.io` or `https://example.com/sentry` (the path is kept). */
  baseUrl: string;
  token: string;
  /** Organization id or slug. */
  org: string;
  /** Pages to walk in each list (default 3). */
  maxPages?: number;
  /** Origins besides `baseUrl` that `Link` URLs may name (sentry.io's customer domains). */
  trustedLinkOrigins?: string[];
  /** Longest wait for one answer, body included (default 30 s). */
  timeoutMs?: number;
  /** Longest the whole run may take, rate-limit waits included (default 300 s). */
  deadlineMs?: number;
  /** Where the token came from, named in the advice when the server refuses it (`the environment variable X`). */
  tokenSource?: string;
  /** Told of each check as soon as it is decided, and of each wait longer than 2 s before it starts. */
  onProgress?: (event: CheckProgress) => void;
  fetch?: typeof fetch;
}

export type CheckProgress =
  | { type: "check"; check: CheckResult }
  | { type: "wait"; ms: number; reason: "Retry-After" | "X-Sentry-Rate-Limit-Reset" };

export interface CheckResult {
  /** What was checked, such as `listOrganizationMembers page 2`. */
  name: string;
  /** `not run`: the run stopped before the check could be decided (see `CheckReport.stopped`). */
  outcome: "passed" | "failed" | "not run";
  ok: boolean;
  /** What was requested and answered, such as `GET https://sentry.io/api/0/organizations/acme/members/ → 200`. */
  summary: string;
  violations: Violation[];
}

export interface CheckReport {
  /** The base URL with its path, without a trailing slash. */
  baseUrl: string;
  org: string;
  checks: CheckResult[];
  passed: number;
  failed: number;
  notRun: number;
  /** Why the run ended before its last check; the checks from there on are `not run`. */
  stopped?: { reason: StopReason; message: string };
}

/**
 * `unreachable`, `no-answer` (timeout) and `token-refused` are about the first request: the server could not
 * be checked at all. `deadline`: the run's time was up, or a rate-limit wait would have outlasted it.
 */
export type StopReason = "unreachable" | "no-answer" | "token-refused" | "deadline";

/** Longer waits are announced before they start. */
const ANNOUNCED_WAIT_MS = 2000;
/** Retries of a 429 that says when to come back. */
const MAX_RATE_LIMIT_RETRIES = 3;
/** Server text in a violation (a place naming the server's keys, an excerpt) is cut here; a `detail` shorter, to fit. */
const MAX_TEXT = 200;
const MAX_DETAIL = 150;

/** Ends the run early; `summary` describes the request it interrupted, if any. */
class Stop extends Error {
  constructor(
    readonly reason: StopReason,
    message: string,
    readonly summary = "not run",
  ) {
    super(message);
  }
}

/** Why `org` cannot be an organization id or slug, by the spec's rule (a value outside it would change the path, as `..` does); undefined when it can. */
export function organizationProblem(org: string): string | undefined {
  const { pattern, minLength, maxLength } = PATH_PARAMETERS[ORGANIZATION_PARAMETER];
  const fits = org.length >= minLength && org.length <= maxLength && pattern.test(org);
  return fits ? undefined : `must match ${pattern.source} and have ${minLength} to ${maxLength} characters`;
}

/** The base URL as the report names it: origin and path, without a trailing slash (query and fragment dropped). */
export function checkedBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The least scope of each operation, from the spec: what a token needs to be checked. */
const neededScopes = () => [
  ...new Set(Object.values(spec.paths).flatMap((item) => Object.values(item.get.security[0] ?? {})[0] ?? [])),
];

const clip = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Sentry's `detail` (a message, or `{ message }`), or a bare JSON string such as a 429's; cut short. */
function serverDetail(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const detail = typeof parsed === "object" && parsed !== null && "detail" in parsed ? parsed.detail : parsed;
  if (typeof detail === "string") return clip(detail, MAX_DETAIL);
  const message = typeof detail === "object" && detail !== null && "message" in detail ? detail.message : undefined;
  return typeof message === "string" ? clip(message, MAX_DETAIL) : undefined;
}

/**
 * Calls the three operations on a live server, walks the lists by their cursors and validates every answer,
 * within a time limit per request and for the whole run. Throws only for an `org` the spec rules out.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const orgProblem = organizationProblem(options.org);
  if (orgProblem) throw new TypeError(`org ${orgProblem}, got ${JSON.stringify(options.org)}`);
  const maxPages = options.maxPages ?? 3;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadlineMs = options.deadlineMs ?? 300_000;
  const baseUrl = checkedBaseUrl(options.baseUrl);
  const { origin } = new URL(baseUrl);
  const validator = createValidator({ trustedLinkOrigins: options.trustedLinkOrigins });
  const redact = redactToken(options.token, "[redacted]");
  const checks: CheckResult[] = [];
  const decide = (check: CheckResult) => {
    checks.push(check);
    options.onProgress?.({ type: "check", check });
  };

  const deadlineAt = Date.now() + deadlineMs;
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), deadlineMs);
  /** When the rate limit lets the next request go, and which header said so. */
  let notBefore: (RateLimitWait & { at: number }) | undefined;
  let firstAnswered = false;

  const waitForRateLimit = async () => {
    if (!notBefore) return;
    const { at, reason } = notBefore;
    const ms = at - Date.now();
    if (ms <= 0) return;
    if (at > deadlineAt) {
      const left = Math.max(0, deadlineAt - Date.now());
      throw new Stop(
        "deadline",
        `the rate-limit window reopens in ${Math.ceil(ms / 1000)} s (${reason}), after the deadline (in ${Math.ceil(left / 1000)} s)`,
      );
    }
    if (ms > ANNOUNCED_WAIT_MS) options.onProgress?.({ type: "wait", ms, reason });
    await new Promise((resolve) => setTimeout(resolve, ms));
  };

  /** The answer to `path`, after any rate-limit wait; a failed request gives its reason instead. */
  const get = async (
    path: string,
  ): Promise<
    { url: string; answer: BoundedAnswer; failure?: never } | { url: string; answer?: never; failure: string }
  > => {
    const url = `${baseUrl}${path}`;
    for (let attempt = 0; ; attempt++) {
      await waitForRateLimit();
      if (deadline.signal.aborted) throw new Stop("deadline", `the deadline of ${seconds(deadlineMs)} passed`);
      let answer: BoundedAnswer;
      try {
        answer = await getBounded(url, {
          headers: { authorization: `Bearer ${options.token}` },
          timeoutMs,
          stop: deadline.signal,
          maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
          fetch: options.fetch ?? fetch,
        });
      } catch (error) {
        if (!(error instanceof RequestFailure)) throw error;
        const message = redact(error.message);
        if (error.kind === "stopped")
          throw new Stop("deadline", `the deadline of ${seconds(deadlineMs)} passed`, `GET ${url} → no answer`);
        if (!firstAnswered)
          throw new Stop(error.kind === "timeout" ? "no-answer" : "unreachable", message, `GET ${url} → no answer`);
        return { url, failure: message };
      }
      // The server may echo the token; scrub it before any excerpt of a body or header is made from it.
      const headers = new Headers();
      for (const [name, value] of answer.headers) headers.set(name, redact(value));
      answer = { ...answer, headers, body: redact(answer.body) };
      if (!firstAnswered && answer.status === 401) {
        const detail = serverDetail(answer.body);
        throw new Stop(
          "token-refused",
          `the server refused the token: 401${detail === undefined ? "" : ` ${JSON.stringify(detail)}`}. ` +
            `Check ${options.tokenSource ?? "the token"}: it must be one this server issued, not expired or revoked, ` +
            `with the scopes ${neededScopes().join(" and ")}`,
          `GET ${url} → 401`,
        );
      }
      firstAnswered = true;
      const wait = rateLimitWait(answer.status, headers, Date.now());
      notBefore = wait && { ...wait, at: Date.now() + wait.ms };
      if (answer.status === 429 && wait && attempt < MAX_RATE_LIMIT_RETRIES) continue;
      return { url, answer };
    }
  };

  /** The validator's violations and the check's own, with the server's text cut short. */
  const judge = (operation: string, url: string, answer: BoundedAnswer): Violation[] => {
    const violations: Violation[] = [];
    if (answer.status !== 200) {
      const detail = serverDetail(answer.body);
      const message = `expected 200, got ${answer.status}${detail === undefined ? "" : ` (${JSON.stringify(detail)})`}`;
      violations.push({ operation, place: "status", message });
    }
    const result = validator.validateResponse({
      method: "GET",
      // The validator matches the spec's paths, which start at /api/: the base URL's own path is left out.
      url: `${origin}${url.slice(baseUrl.length)}`,
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
    });
    if (answer.complete) violations.push(...result.violations);
    else {
      violations.push(...result.violations.filter((v) => !v.place.startsWith("body")));
      violations.push({
        operation,
        place: "body",
        message: `is over ${DEFAULT_MAX_BODY_BYTES / 1024 / 1024} MiB; the check read no further`,
      });
    }
    return violations.map((v) => ({ operation: v.operation, place: clip(v.place), message: clip(v.message) }));
  };

  const record = (name: string, summary: string, violations: Violation[]) =>
    decide({
      name,
      outcome: violations.length === 0 ? "passed" : "failed",
      ok: violations.length === 0,
      summary,
      violations,
    });

  const recordFailure = (name: string, operation: string, url: string, failure: string) =>
    record(name, `GET ${url} → no answer`, [{ operation, place: "request", message: failure }]);

  let running = "getOrganization";
  const notStarted: string[] = PAGINATED_OPERATIONS.map((operation) => `${operation} page 1`);
  let stopped: CheckReport["stopped"];
  try {
    const organization = await get(operationPath("getOrganization", options.org));
    if (organization.answer)
      record(
        "getOrganization",
        `GET ${organization.url} → ${organization.answer.status}`,
        judge("getOrganization", organization.url, organization.answer),
      );
    else recordFailure("getOrganization", "getOrganization", organization.url, organization.failure);

    for (const operation of PAGINATED_OPERATIONS) {
      notStarted.shift();
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (let page = 1; page <= maxPages; page++) {
        running = `${operation} page ${page}`;
        const { url, answer, failure } = await get(
          `${operationPath(operation, options.org)}${cursor === undefined ? "" : `?cursor=${encodeURIComponent(cursor)}`}`,
        );
        if (!answer) {
          recordFailure(running, operation, url, failure);
          break;
        }
        const violations = judge(operation, url, answer);
        const next = nextPage(answer.headers.get("link"));
        const repeated = next !== undefined && seen.has(next.cursor);
        if (next?.results && repeated) {
          violations.push({
            operation,
            place: "header Link",
            message: `next cursor ${clip(JSON.stringify(next.cursor))} repeats an earlier one`,
          });
        }
        record(running, `GET ${url} → ${answer.status}`, violations);
        if (!next?.results || repeated) break;
        seen.add(next.cursor);
        cursor = next.cursor;
      }
    }
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    stopped = { reason: error.reason, message: error.message };
    decide({ name: running, outcome: "not run", ok: false, summary: error.summary, violations: [] });
    for (const name of notStarted) decide({ name, outcome: "not run", ok: false, summary: "not run", violations: [] });
  } finally {
    clearTimeout(deadlineTimer);
  }

  const count = (outcome: CheckResult["outcome"]) => checks.filter((check) => check.outcome === outcome).length;
  return {
    baseUrl,
    org: options.org,
    checks,
    passed: count("passed"),
    failed: count("failed"),
    notRun: count("not run"),
    ...(stopped && { stopped }),
  };
}
