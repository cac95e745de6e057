import { parseLinkHeader } from "./link-header.js";
import { createValidator, type Violation } from "./validator.js";

export interface CheckOptions {
  /** The server's origin, such as `https://sentry.io`. */
  baseUrl: string;
  token: string;
  /** Organization id or slug. */
  org: string;
  /** Pages to walk in each list (default 3). */
  maxPages?: number;
  /** Origins besides `baseUrl` that `Link` URLs may name (sentry.io's customer domains). */
  trustedLinkOrigins?: string[];
  /** Longest wait for a rate-limit window to reset before the check gives up (default 60 s). */
  maxRateLimitWaitMs?: number;
  fetch?: typeof fetch;
}

export interface CheckResult {
  /** What was checked, such as `listOrganizationMembers page 2`. */
  name: string;
  ok: boolean;
  /** What was requested and answered, such as `GET /api/0/organizations/acme/members/ → 200`. */
  summary: string;
  violations: Violation[];
}

export interface CheckReport {
  baseUrl: string;
  org: string;
  checks: CheckResult[];
  passed: number;
  failed: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

const LISTS = [
  ["listOrganizationMembers", "members/"],
  ["listOrganizationRepositories", "repos/"],
] as const;

/** Calls the three operations on a live server, walks the lists by their cursors and validates every answer. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const fetchImpl = options.fetch ?? fetch;
  const maxPages = options.maxPages ?? 3;
  const maxWait = options.maxRateLimitWaitMs ?? 60_000;
  const base = new URL(options.baseUrl);
  const validator = createValidator({ trustedLinkOrigins: options.trustedLinkOrigins });
  const orgPath = `/api/0/organizations/${encodeURIComponent(options.org)}/`;
  const checks: CheckResult[] = [];
  const redact = (text: string) => text.replaceAll(options.token, "[redacted]");

  const get = async (pathAndQuery: string) => {
    const url = new URL(pathAndQuery, base).toString();
    for (let attempt = 0; ; attempt++) {
      const response = await fetchImpl(url, {
        headers: { authorization: `Bearer ${options.token}` },
        redirect: "manual",
        // A server that stops answering must not hang the check (in CI, say).
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // The server may echo the token; scrub it before any excerpt of a body or header is made from it.
      const body = redact(await response.text());
      const headers = new Headers();
      for (const [name, value] of response.headers) headers.set(name, redact(value));
      const wait = rateLimitWait(response);
      if (response.status === 429 && attempt < 3 && wait !== undefined && wait <= maxWait) {
        await sleep(wait);
        continue;
      }
      if (wait !== undefined && response.headers.get("x-sentry-rate-limit-remaining") === "0" && wait <= maxWait) {
        await sleep(wait);
      }
      const result = validator.validateResponse({
        method: "GET",
        url,
        status: response.status,
        headers,
        body,
      });
      return { url, response, result };
    }
  };

  const record = (name: string, url: string, status: number | string, violations: Violation[]) => {
    checks.push({
      name,
      ok: violations.length === 0,
      summary: `GET ${new URL(url).pathname}${new URL(url).search} → ${status}`,
      violations,
    });
  };

  const expectOk = (operation: string, status: number): Violation[] =>
    status === 200 ? [] : [{ operation, place: "status", message: `expected 200, got ${status}` }];

  const attempt = async (name: string, url: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      record(name, url, "no answer", [{ operation: name, place: "request", message: (error as Error).message }]);
    }
  };

  await attempt("getOrganization", new URL(orgPath, base).toString(), async () => {
    const { url, response, result } = await get(orgPath);
    record("getOrganization", url, response.status, [
      ...expectOk("getOrganization", response.status),
      ...result.violations,
    ]);
  });

  for (const [operation, suffix] of LISTS) {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let ended = false;
    let page = 1;
    for (; page <= maxPages && !ended; page++) {
      const pathAndQuery = `${orgPath}${suffix}${cursor === undefined ? "" : `?cursor=${encodeURIComponent(cursor)}`}`;
      const name = `${operation} page ${page}`;
      let next: { results?: string; cursor?: string } | undefined;
      await attempt(name, new URL(pathAndQuery, base).toString(), async () => {
        const { url, response, result } = await get(pathAndQuery);
        const violations = [...expectOk(operation, response.status), ...result.violations];
        try {
          next = parseLinkHeader(response.headers.get("link") ?? "").find((r) => r.params.rel === "next")?.params;
        } catch {
          // The validator already reported the malformed header.
        }
        if (next?.results === "true" && next.cursor !== undefined && seen.has(next.cursor)) {
          violations.push({
            operation,
            place: "header Link",
            message: `next cursor ${JSON.stringify(next.cursor)} repeats an earlier one`,
          });
        }
        record(name, url, response.status, violations);
      });
      if (next?.results !== "true" || next.cursor === undefined || seen.has(next.cursor)) {
        ended = true;
      } else {
        seen.add(next.cursor);
        cursor = next.cursor;
      }
    }
  }

  const failed = checks.filter((check) => !check.ok).length;
  return { baseUrl: base.origin, org: options.org, checks, passed: checks.length - failed, failed };
}

/** How long to wait before the rate-limit window reopens: `Retry-After` when a proxy sent one, else `X-Sentry-Rate-Limit-Reset`. */
function rateLimitWait(response: Response): number | undefined {
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
  const reset = response.headers.get("x-sentry-rate-limit-reset");
  if (reset === null || !/^\d+$/.test(reset.trim())) return undefined;
  return Math.max(0, Number(reset) * 1000 - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
