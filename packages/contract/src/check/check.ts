import {
  OPERATION_IDS,
  OPERATION_SCOPES,
  PAGINATED_OPERATIONS,
  PATH_PARAMETERS,
  PER_PAGE,
  RESPONSE_HEADERS,
  X_HITS,
} from "@sentry-org-api/types/protocol";
import { tokenProblem } from "../mock/token.js";
import { type OperationId, ORGANIZATION_PARAMETER } from "../spec.js";
import { createValidator } from "../validate/validator.js";
import { clip } from "./bounded-text.js";
import { splitBudget } from "./budget.js";
import { leniency, negativeCases, positiveCases, type QueryCase } from "./cases.js";
import { CHECK_NAMES, type CheckName } from "./catalogue.js";
import { filterBreach, filtersOf } from "./checks/filters.js";
import { hitsHeaderCap, idList, judgePageSize, type Page, readPage, sameIds } from "./checks/pagination.js";
import { judgeResponse, RESPONSE_CHECKS } from "./checks/responses.js";
import { variableNameProblem } from "./curl.js";
import { FirstSeen } from "./first-seen.js";
import { operationPath } from "./pages.js";
import type { RateLimitWait } from "./rate-limit-wait.js";
import { type CaseRequest, createRequester, type Exchange, Stop, type StopReason, serverDetail } from "./requester.js";
import { type CheckResult, type Judgement, Verdicts } from "./verdicts.js";

export type { CheckResult, Finding } from "./verdicts.js";
export type { StopReason };

export interface CheckOptions {
  /** The server's base URL, such as `https://sentry.io` or `https://example.com/sentry` (the path is kept). */
  baseUrl: string;
  token: string;
  /** Organization id or slug. */
  org: string;
  /** Requests the whole run may send (default 200), shared so that every selected check gets some. */
  maxRequests?: number;
  /** Pages to walk in each list (default: as many as the request budget allows). */
  maxPages?: number;
  /** The checks to run (default all), by name: see `CHECKS`. */
  checks?: CheckName[];
  /** The operations to check (default all). */
  operations?: OperationId[];
  /** Origins besides `baseUrl` that `Link` URLs may name (sentry.io's customer domains). */
  trustedLinkOrigins?: string[];
  /** Longest wait for one answer, body included (default 30 s). */
  timeoutMs?: number;
  /** Longest the whole run may take, rate-limit waits included (default 300 s). */
  deadlineMs?: number;
  /** Where the token came from, named in the advice when the server refuses it (`the environment variable X`). */
  tokenSource?: string;
  /** The variable the reproducing `curl` commands read the token from (default `SENTRY_TOKEN`). */
  tokenVariable?: string;
  /** Told of each check as soon as it is decided, and of each wait longer than 2 s before it starts. */
  onProgress?: (event: CheckProgress) => void;
  fetch?: typeof fetch;
}

export type CheckProgress = { type: "check"; check: CheckResult } | ({ type: "wait" } & RateLimitWait);

export interface CheckReport {
  /** The base URL with its path, without a trailing slash. */
  baseUrl: string;
  org: string;
  /** One result per check and operation. */
  checks: CheckResult[];
  passed: number;
  failed: number;
  notRun: number;
  /** Distinct warnings across the checks: inputs the server accepted that the spec rules out, as Sentry does. */
  warnings: number;
  /** Requests sent, retries included, and how long the run took. */
  requests: number;
  durationMs: number;
  /** Why the run ended before its last check; the checks from there on are `not run`. */
  stopped?: { reason: StopReason; message: string };
}

export const DEFAULT_MAX_REQUESTS = 200;

/** Shaped like a slug and never a real organization's: the negative case for an unknown organization. */
const UNKNOWN_ORGANIZATION = "sentry-org-api-check-no-such-organization";

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
const neededScopes = () => [...new Set(Object.values(OPERATION_SCOPES).map(([least]) => least))];

const PAGINATED: ReadonlySet<OperationId> = new Set(PAGINATED_OPERATIONS);

/** Whether `check` means anything for `operation`: pagination for lists, X-Hits where documented, filters where known. */
export function appliesTo(check: CheckName, operation: OperationId): boolean {
  if (check === "x_hits_total") return hitsHeaderCap(operation) !== undefined;
  if (check === "filter_holds") return filtersOf(operation).length > 0;
  if (check.startsWith("pagination_") || check === "cursor_stable") return PAGINATED.has(operation);
  return true;
}

/** The operation's documented 2xx statuses: what a positive case must get. */
const successStatuses = (operation: OperationId) =>
  Object.keys(RESPONSE_HEADERS[operation])
    .filter((status) => status.startsWith("2"))
    .map(Number);

const withQuery = (path: string, query: [string, string][]) =>
  query.length === 0 ? path : `${path}?${new URLSearchParams(query).toString()}`;

/** A family of cases: what it may ask for, and how to run within the requests the budget gives it. */
interface Family {
  /** The checks that judge nothing if this family gets no request. */
  owners: CheckName[];
  demand: number;
  run(allowance: number): Promise<void>;
}

/**
 * Runs the conformance suite on a live server: cases derived from the bundled spec (every documented query
 * parameter's enum values, bounds and examples, and the values it rules out), authentication and method
 * cases, a walk of every list with its invariants, and the documented filters. Every answer is validated.
 * Bounded by `maxRequests`, a time limit per request and a deadline. Throws only for options the spec rules
 * out (an `org` outside the slug rule, an unknown check or operation) and a `tokenVariable` that is not a
 * variable name.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  // A token that short would be redacted out of every word of the report that holds it.
  const tokenIssue = tokenProblem(options.token);
  if (tokenIssue) throw new TypeError(`token ${tokenIssue}`);
  const orgProblem = organizationProblem(options.org);
  if (orgProblem) throw new TypeError(`org ${orgProblem}, got ${JSON.stringify(options.org)}`);
  const unknownCheck = options.checks?.find((name) => !CHECK_NAMES.includes(name));
  if (unknownCheck)
    throw new TypeError(`unknown check ${JSON.stringify(unknownCheck)} (known: ${CHECK_NAMES.join(", ")})`);
  const unknownOperation = options.operations?.find((name) => !(OPERATION_IDS as readonly string[]).includes(name));
  if (unknownOperation)
    throw new TypeError(`unknown operation ${JSON.stringify(unknownOperation)} (known: ${OPERATION_IDS.join(", ")})`);

  const variableIssue = options.tokenVariable === undefined ? undefined : variableNameProblem(options.tokenVariable);
  if (variableIssue) throw new TypeError(`tokenVariable ${variableIssue}`);

  const startedAt = Date.now();
  const maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const selected = new Set(options.checks ?? CHECK_NAMES);
  const operations = OPERATION_IDS.filter((operation) => options.operations?.includes(operation) ?? true);
  const baseUrl = checkedBaseUrl(options.baseUrl);
  const { origin } = new URL(baseUrl);
  const validator = createValidator({ trustedLinkOrigins: options.trustedLinkOrigins });
  const verdicts = new Verdicts();
  const requester = createRequester({
    baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 30_000,
    deadlineMs: options.deadlineMs ?? 300_000,
    maxRequests,
    tokenSource: options.tokenSource,
    tokenVariable: options.tokenVariable ?? "SENTRY_TOKEN",
    neededScopes: neededScopes(),
    fetch: options.fetch ?? fetch,
    onWait: (wait) => options.onProgress?.({ type: "wait", ...wait }),
  });
  const checks: CheckResult[] = [];
  const decide = (check: CheckResult) => {
    checks.push(check);
    options.onProgress?.({ type: "check", check });
  };
  const wanted = (check: CheckName) => selected.has(check);
  const wantsResponses = RESPONSE_CHECKS.some(wanted);

  /** Sends a request and judges its answer by every response check. */
  const send = async (request: CaseRequest) => {
    const exchange = await requester.send(request);
    judgeResponse(exchange, origin, selected, validator, verdicts);
    return exchange;
  };
  /** Judges `exchange` by `check`, when selected. */
  const judge = (check: CheckName, exchange: Exchange, failures: Judgement[], warnings: Judgement[] = []) => {
    if (wanted(check)) verdicts.judge(check, exchange, failures, warnings);
  };
  const statusJudgement = (exchange: Exchange, expected: string, accepted: number[]): Judgement[] => {
    const status = exchange.answer?.status;
    if (status !== undefined && accepted.includes(status)) return [];
    const detail = serverDetail(exchange.json);
    return [
      {
        expected,
        place: status === undefined ? "request" : "status",
        message: status === undefined ? (exchange.failure ?? "no answer") : "",
        ...(detail !== undefined && { excerpt: detail }),
      },
    ];
  };

  /** The cases of one operation, in the order they run. */
  function familiesOf(operation: OperationId): Family[] {
    const path = operationPath(operation, options.org);
    const get = (label: string, query: [string, string][] = []): CaseRequest => ({
      operation,
      method: "GET",
      path: withQuery(path, query),
      credentials: "token",
      label,
    });
    const success = successStatuses(operation);
    const expectedSuccess = success.join(" or ");
    const paginated = PAGINATED.has(operation);
    const pageSize = (page: Page | undefined) => {
      if (page) judge("pagination_page_size", page.exchange, judgePageSize(page));
    };
    // Only the first two pages are kept, and counts of the rest: a walk may be thousands of large pages.
    const pages: Page[] = [];
    const walked = { pages: 0, items: 0 };
    let walkComplete = false;
    const families: (Family | false)[] = [];

    const walksOn =
      paginated &&
      (wantsResponses ||
        ["pagination_unique_ids", "pagination_page_size", "pagination_end", "x_hits_total"].some((c) =>
          wanted(c as CheckName),
        ) ||
        wanted("pagination_previous_link") ||
        wanted("cursor_stable"));
    families.push({
      owners: [...RESPONSE_CHECKS, "pagination_unique_ids", "pagination_page_size", "pagination_end", "x_hits_total"],
      demand: walksOn ? (options.maxPages ?? Number.POSITIVE_INFINITY) : 1,
      async run(allowance) {
        const seenIds = new FirstSeen();
        const seenCursors = new FirstSeen();
        let cursor: string | undefined;
        for (let number = 1; number <= allowance; number++) {
          const exchange = await send(
            get(number === 1 ? "no parameters" : `page ${number}`, cursor ? [["cursor", cursor]] : []),
          );
          if (number === 1)
            judge("positive_data_acceptance", exchange, statusJudgement(exchange, expectedSuccess, success));
          const page = paginated ? readPage(exchange) : undefined;
          if (!page) return;
          if (pages.length < 2) pages.push(page);
          walked.pages++;
          walked.items += page.items.length;
          pageSize(page);
          const repeated = page.ids.flatMap((id) => {
            const seenOn = id === undefined ? undefined : seenIds.pageOf(id);
            return seenOn === undefined ? [] : [`id ${clip(JSON.stringify(id))} was already on page ${seenOn}`];
          });
          for (const id of page.ids) if (id !== undefined) seenIds.add(id, number);
          judge(
            "pagination_unique_ids",
            exchange,
            repeated.slice(0, 1).map((message) => ({
              expected: "ids not seen on an earlier page",
              place: "body",
              message: repeated.length > 1 ? `${message} (and ${repeated.length - 1} more)` : message,
            })),
          );
          const { next } = page;
          if (!next) return;
          const endProblems: string[] = [];
          // The walk reaches a page only through a next with results="true".
          if (number > 1 && page.items.length === 0)
            endProblems.push(`page ${number} is empty, but page ${number - 1}'s next said results="true"`);
          const loops = next.results && seenCursors.pageOf(next.cursor) !== undefined;
          if (loops) endProblems.push(`next cursor ${clip(JSON.stringify(next.cursor))} repeats an earlier one`);
          judge(
            "pagination_end",
            exchange,
            endProblems.map((message) => ({
              expected: 'results="false" exactly at the end',
              place: "header Link",
              message,
            })),
          );
          if (!next.results) {
            walkComplete = true;
            return;
          }
          if (loops) return;
          seenCursors.add(next.cursor, number);
          cursor = page.cursors.next;
        }
      },
    });

    families.push(
      wanted("ignored_auth") && {
        owners: ["ignored_auth"],
        demand: 2,
        async run(allowance) {
          const cases: CaseRequest[] = [
            { ...get("no token"), credentials: "none" },
            { ...get("a token no server issued"), credentials: "invalid" },
          ];
          for (const request of cases.slice(0, allowance)) {
            const exchange = await send(request);
            judge("ignored_auth", exchange, statusJudgement(exchange, "401", [401]));
          }
        },
      },
    );

    families.push(
      wanted("unsupported_method") && {
        owners: ["unsupported_method"],
        demand: 1,
        async run(allowance) {
          if (allowance < 1) return;
          const exchange = await send({ ...get("POST, which the path does not document"), method: "POST" });
          judge("unsupported_method", exchange, statusJudgement(exchange, "405", [405]));
        },
      },
    );

    /** Answers to plain GETs, by path: the page-size case is often a positive case already sent. */
    const answered = new Map<string, Exchange>();
    const sendOnce = async (request: CaseRequest) => {
      const known = answered.get(request.path);
      if (known) return known;
      const exchange = await send(request);
      answered.set(request.path, exchange);
      return exchange;
    };
    const label = (c: QueryCase) => `${c.parameter}=${c.value} (${c.why})`;

    const positive = positiveCases(operation);
    families.push(
      (wanted("positive_data_acceptance") || wantsResponses) && {
        owners: ["positive_data_acceptance"],
        demand: positive.length,
        async run(allowance) {
          for (const c of positive.slice(0, allowance)) {
            const exchange = await sendOnce(get(label(c), [[c.parameter, c.value]]));
            judge("positive_data_acceptance", exchange, statusJudgement(exchange, expectedSuccess, success));
            if (paginated) pageSize(readPage(exchange));
          }
        },
      },
    );

    const negative = negativeCases(operation);
    families.push(
      (wanted("negative_data_rejection") || wantsResponses) && {
        owners: ["negative_data_rejection"],
        demand: negative.length + 1,
        async run(allowance) {
          const unknown: CaseRequest = {
            ...get(`an unknown organization (${UNKNOWN_ORGANIZATION})`),
            path: operationPath(operation, UNKNOWN_ORGANIZATION),
          };
          const cases = [undefined, ...negative].slice(0, allowance);
          for (const c of cases) {
            const exchange = await send(c ? get(label(c), [[c.parameter, c.value]]) : unknown);
            const expected = c ? "400" : "404 (or 403)";
            const failures = statusJudgement(exchange, expected, c ? [400] : [404, 403]);
            const status = exchange.answer?.status ?? 0;
            const lenient = c && status >= 200 && status < 300 ? leniency(c) : undefined;
            if (lenient) {
              const warning = { expected, place: "status", message: lenient };
              judge("negative_data_rejection", exchange, [], [warning]);
            } else judge("negative_data_rejection", exchange, failures);
          }
        },
      },
    );

    families.push(
      paginated &&
        wanted("pagination_page_size") && {
          owners: ["pagination_page_size"],
          demand: 1,
          async run(allowance) {
            if (allowance < 1) return;
            const size = String(PER_PAGE.minimum);
            const exchange = await sendOnce(get(`per_page=${size} (the minimum)`, [["per_page", size]]));
            pageSize(readPage(exchange));
          },
        },
    );

    families.push(
      paginated &&
        wanted("pagination_previous_link") && {
          owners: ["pagination_previous_link"],
          demand: 1,
          async run(allowance) {
            const [first, second] = pages;
            if (!first) return;
            const expected = 'page 1: previous with results="false"; page 2: a previous cursor that gives page 1';
            const firstProblem =
              first.previous === undefined
                ? [] // The response checks report a Link without rel="previous".
                : first.previous.results
                  ? [{ expected, place: "header Link", message: 'page 1\'s previous says results="true"' }]
                  : [];
            judge("pagination_previous_link", first.exchange, firstProblem);
            if (!second?.previous || allowance < 1) return;
            if (!second.previous.results) {
              const message = 'page 2\'s previous says results="false"';
              judge("pagination_previous_link", second.exchange, [{ expected, place: "header Link", message }]);
              return;
            }
            const exchange = await send(
              get("page 2's previous link", [["cursor", second.cursors.previous ?? second.previous.cursor]]),
            );
            const back = readPage(exchange);
            const failures =
              back && sameIds(back, first)
                ? []
                : [
                    {
                      expected,
                      place: "body",
                      message: back
                        ? `ids ${idList(back)}, not page 1's ${idList(first)}`
                        : `no page (status ${exchange.answer?.status ?? "none"})`,
                    },
                  ];
            judge("pagination_previous_link", exchange, failures);
          },
        },
    );

    families.push(
      paginated &&
        wanted("cursor_stable") && {
          owners: ["cursor_stable"],
          demand: 1,
          async run(allowance) {
            const page = pages[1] ?? pages[0];
            if (!page || allowance < 1) return;
            const exchange = await send({ ...page.exchange.request, label: `${page.exchange.request.label}, again` });
            const again = readPage(exchange);
            const failures =
              again && sameIds(again, page)
                ? []
                : [
                    {
                      expected: `the same page: ids ${idList(page)}`,
                      place: "body",
                      message: again ? `ids ${idList(again)}` : `no page (status ${exchange.answer?.status ?? "none"})`,
                    },
                  ];
            judge("cursor_stable", exchange, failures);
          },
        },
    );

    const filters = filtersOf(operation);
    families.push(
      wanted("filter_holds") &&
        filters.length > 0 && {
          owners: ["filter_holds"],
          demand: filters.length,
          async run(allowance) {
            for (const filter of filters.slice(0, allowance)) {
              const value = filter.value(pages[0]?.items ?? []);
              if (value === undefined) continue;
              const exchange = await send(get(`${filter.parameter}=${value}`, [[filter.parameter, value]]));
              const page = readPage(exchange);
              const breach = page ? filterBreach(filter, value, page.items) : undefined;
              const expected = `every item: ${filter.rule(value)}`;
              const failures = page
                ? breach
                  ? [{ expected, place: "body", message: breach }]
                  : []
                : statusJudgement(exchange, `200 with ${expected}`, [200]);
              judge("filter_holds", exchange, failures);
            }
          },
        },
    );

    // Known only after the walk: X-Hits against the items a complete walk found.
    families.push(
      wanted("x_hits_total") &&
        appliesTo("x_hits_total", operation) && {
          owners: [],
          demand: 0,
          async run() {
            const [first] = pages;
            if (!first) return;
            const cap = hitsHeaderCap(operation) as number;
            const hits = Number(first.exchange.answer?.headers.get(X_HITS.header) ?? Number.NaN);
            if (!Number.isInteger(hits)) return; // response_headers_conformance names a missing or bad X-Hits.
            const expected = `X-Hits equal to the ${walked.items} items walked`;
            if (!walkComplete) {
              const message = `not compared: the walk stopped after ${walked.pages} pages, before the last`;
              judge("x_hits_total", first.exchange, [], [{ expected, place: "header X-Hits", message }]);
            } else if (hits < cap && hits !== walked.items) {
              judge("x_hits_total", first.exchange, [
                { expected, place: "header X-Hits", message: `is ${hits}`, excerpt: String(hits) },
              ]);
            } else judge("x_hits_total", first.exchange, []);
          },
        },
    );
    return families.filter((family): family is Family => family !== false);
  }

  const checksOf = (operation: OperationId) => CHECK_NAMES.filter((c) => wanted(c) && appliesTo(c, operation));
  const planned = operations
    .filter((operation) => checksOf(operation).length > 0)
    .map((operation) => ({
      operation,
      families: familiesOf(operation),
    }));
  // Every operation's walk first (its first page is the baseline every check leans on), then the rest in turn.
  const order = [
    ...planned.map((_, i) => [i, 0] as const),
    ...planned.flatMap(({ families }, i) => families.slice(1).map((_, j) => [i, j + 1] as const)),
  ];
  const given = splitBudget(
    order.map(([i, j]) => planned[i]?.families[j]?.demand ?? 0),
    maxRequests,
  );
  const allowances = planned.map(({ families }) => families.map(() => 0));
  for (const [k, [i, j]] of order.entries()) (allowances[i] as number[])[j] = given[k] as number;

  let stopped: CheckReport["stopped"];
  try {
    for (const [i, { operation, families }] of planned.entries()) {
      const allowance = allowances[i] as number[];
      try {
        for (const [j, family] of families.entries()) await family.run(allowance[j] as number);
      } catch (error) {
        if (!(error instanceof Stop)) throw error;
        stopped = { reason: error.reason, message: error.message };
        for (const check of checksOf(operation)) decide(verdicts.result(check, operation, "not run"));
        for (const rest of planned.slice(i + 1))
          for (const check of checksOf(rest.operation)) decide(verdicts.result(check, rest.operation, "not run"));
        break;
      }
      const starved = new Set(
        families.flatMap((family, j) => (allowance[j] === 0 && family.demand > 0 ? family.owners : [])),
      );
      for (const check of checksOf(operation)) {
        const reason = starved.has(check)
          ? `not run: the budget of ${maxRequests} requests left none for it`
          : undefined;
        decide(verdicts.result(check, operation, reason));
      }
    }
  } finally {
    requester.close();
  }

  const count = (outcome: CheckResult["outcome"]) => checks.filter((check) => check.outcome === outcome).length;
  return {
    baseUrl,
    org: options.org,
    checks,
    passed: count("passed"),
    failed: count("failed"),
    notRun: count("not run"),
    warnings: checks.reduce((sum, check) => sum + check.warnings.length + check.unlisted.warnings, 0),
    requests: requester.sent,
    durationMs: Date.now() - startedAt,
    ...(stopped && { stopped }),
  };
}
