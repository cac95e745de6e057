import type {
  ListOrganizationMembersQuery,
  ListOrganizationRepositoriesQuery,
  Organization,
  OrganizationMember,
  Repository,
} from "@sentry-org-api/types";
import {
  OPERATION_PATHS,
  PATH_PARAMETERS,
  type PaginatedPath,
  PER_PAGE,
  readRateLimit,
  USER_AGENT,
} from "@sentry-org-api/types/protocol";
import { answerError } from "./answer-error.js";
import { readText } from "./body.js";
import { SentryApiError } from "./errors.js";
import { createPaginator, type Paginator } from "./paginator.js";
import { createRedactor, scrubbedCopy } from "./redaction.js";
import { createRetrying, type RetryInfo } from "./retrying-fetch.js";
import { setTransport } from "./transport.js";

export interface SentryClientOptions {
  /** A Sentry auth token; sent only as `Authorization: Bearer` and only to `baseUrl`'s origin. */
  token: string;
  /** Default `https://sentry.io`; a regional host, a self-hosted Sentry or a mock. */
  baseUrl?: string | undefined;
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Per attempt; default 30,000. */
  timeoutMs?: number | undefined;
  /** Default 2. */
  maxRetries?: number | undefined;
  /**
   * The longest wait the server may impose (a rate-limit reset, `Retry-After`); a longer one is not
   * waited for: the call fails. Backoff has its own cap of 8 s. Default 60,000.
   */
  maxRetryDelayMs?: number | undefined;
  /** Requests in flight at once, across all calls of this client; the others queue. Default 8. */
  maxConcurrency?: number | undefined;
  /** Called before every wait: a retry's, or a pacing wait while the rate limit is used up. */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /**
   * The longest body read, in bytes: a longer one is stopped while it streams and the call fails
   * with `invalid_response`. Default 33,554,432 (32 MiB).
   */
  maxResponseBytes?: number | undefined;
  /** Appended to the `User-Agent`. */
  userAgent?: string | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Per attempt, for this call; default the client's. */
  timeoutMs?: number | undefined;
  /** For this call; default the client's. */
  maxRetries?: number | undefined;
}

export interface GetOrganizationOptions extends CallOptions {
  /** `false` leaves out `teams` and `projects`. Default `true`. */
  detailed?: boolean | undefined;
  /** `true` adds `features` and `extraOptions`. */
  includeFeatureFlags?: boolean | undefined;
}

export interface ListOptions extends CallOptions {
  /** Within the spec's `per_page` bounds (`PER_PAGE` of `@sentry-org-api/types/protocol`); default the server's. */
  perPage?: number | undefined;
  /** Start from this cursor (a page's `nextCursor`). */
  cursor?: string | undefined;
}

export interface ListMembersOptions extends ListOptions {
  /** Sentry search syntax: free text, `email:`, `role:`, `isInvited:true`, ... */
  query?: string | undefined;
  expand?: ListOrganizationMembersQuery["expand"] | undefined;
}

export interface ListRepositoriesOptions extends ListOptions {
  /** Case-insensitive substring of the name. */
  query?: string | undefined;
  status?: ListOrganizationRepositoriesQuery["status"] | undefined;
  integrationId?: string | undefined;
  expand?: ListOrganizationRepositoriesQuery["expand"] | undefined;
}

export interface SentryClient {
  getOrganization(organizationIdOrSlug: string, options?: GetOrganizationOptions): Promise<Organization>;
  listMembers(organizationIdOrSlug: string, options?: ListMembersOptions): Paginator<OrganizationMember>;
  listRepositories(organizationIdOrSlug: string, options?: ListRepositoriesOptions): Paginator<Repository>;
}

const ORGANIZATION_ID_OR_SLUG = PATH_PARAMETERS.organization_id_or_slug;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The integer options, each with the least and the most it may be. */
const RANGES = {
  // setTimeout fires at once for delays above 2^31 - 1 ms.
  timeoutMs: [1, MAX_TIMER_MS],
  maxRetries: [0, 10],
  maxRetryDelayMs: [0, MAX_TIMER_MS],
  maxConcurrency: [1, 1000],
  /** Well below the longest string a JavaScript engine makes (V8: 2^29 - 24 characters). */
  maxResponseBytes: [1, 256 * 1024 * 1024],
  perPage: [PER_PAGE.minimum, PER_PAGE.maximum],
} as const;

/** Throws a `TypeError` naming the option unless `ok`; the value is shown only where it cannot be a secret. */
function expect(ok: unknown, name: string, expected: string, ...shown: unknown[]) {
  if (!ok) {
    const got = shown.map((value) => `, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    throw new TypeError(`${name} must be ${expected}${got.join("")}`);
  }
}

/** Checks the named integer options; `undefined` keeps the default. */
function expectInRange(options: object, ...names: (keyof typeof RANGES)[]) {
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    const [min, max] = RANGES[name];
    expect(
      value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max),
      name,
      `an integer from ${min} to ${max}`,
      value,
    );
  }
}

/** The checks every call makes before any request: the organization and the limits it sets for itself. */
function expectCall(organizationIdOrSlug: unknown, options: CallOptions) {
  const { pattern, minLength, maxLength } = ORGANIZATION_ID_OR_SLUG;
  // The pattern admits only ASCII, so a matching string's length counts its code points, as JSON Schema does.
  expect(
    typeof organizationIdOrSlug === "string" &&
      organizationIdOrSlug.length >= minLength &&
      organizationIdOrSlug.length <= maxLength &&
      pattern.test(organizationIdOrSlug),
    "organization_id_or_slug",
    `an id or slug (${minLength} to ${maxLength} characters matching ${pattern})`,
    // Enough of a long value to see that it is too long, and no more.
    typeof organizationIdOrSlug === "string" ? organizationIdOrSlug.slice(0, maxLength + 10) : organizationIdOrSlug,
  );
  expectInRange(options, "timeoutMs", "maxRetries");
  const { signal } = options;
  expect(signal === undefined || typeof signal?.addEventListener === "function", "signal", "an AbortSignal");
}

type Query = Record<string, string | number | readonly string[] | undefined>;

/**
 * The query string openapi-fetch's default serializer builds for these flat queries: arrays as
 * repeated keys, `undefined` left out, values as `encodeURIComponent` writes them. Not
 * URLSearchParams, which writes a space as `+` and so differs from what `openapi-fetch` sends.
 */
const queryString = (query: Query) =>
  Object.entries(query)
    .flatMap(([name, value]) =>
      value === undefined ? [] : [value].flat().map((item) => `${name}=${encodeURIComponent(item)}`),
    )
    .join("&");

/** The top level the spec promises for an organization; the rest is trusted to the server. */
const isOrganization = (body: unknown): body is Organization =>
  typeof (body as Organization | null)?.id === "string" && typeof (body as Organization).slug === "string";

export function createSentryClient(options: SentryClientOptions): SentryClient {
  const {
    token,
    timeoutMs = 30_000,
    maxRetries = 2,
    maxRetryDelayMs = 60_000,
    maxConcurrency = 8,
    onRetry,
    maxResponseBytes = 32 * 1024 * 1024,
    userAgent = "",
  } = options;
  // No Sentry token holds anything else. Headers would refuse other characters with an error that
  // quotes the value, escaped quotes and backslashes would be more forms to redact, and the
  // redaction pattern grows with the token.
  expect(
    typeof token === "string" && /^[!-~]{1,1024}$/.test(token) && !/["'\\]/.test(token),
    "token",
    "1 to 1024 printable ASCII characters without quotes or backslashes",
  );
  let base: URL | undefined;
  try {
    base = new URL(options.baseUrl ?? "https://sentry.io");
  } catch {}
  expect(
    base && /^https?:$/.test(base.protocol) && !base.username && !base.password && !base.search && !base.hash,
    "baseUrl",
    "an absolute http(s) URL without credentials, query or fragment",
  );
  expectInRange(options, "timeoutMs", "maxRetries", "maxRetryDelayMs", "maxConcurrency", "maxResponseBytes");
  for (const name of ["onRetry", "fetch"] as const) {
    expect(!options[name] || typeof options[name] === "function", name, "a function");
  }
  expect(
    typeof userAgent === "string" && /^[ -~]*$/.test(userAgent),
    "userAgent",
    "a string of printable ASCII",
    userAgent,
  );

  const { origin, href } = base as URL;
  /** Server text can echo anything sent, so the token is scrubbed from everything an error carries. */
  const redactor = createRedactor(token);
  const { scrub } = redactor;
  const retrying = createRetrying({
    fetch: options.fetch ?? ((request) => fetch(request)),
    timeoutMs,
    maxRetries,
    maxRetryDelayMs,
    maxConcurrency,
    onRetry,
    origin,
    authorization: `Bearer ${token}`,
    scrub,
  });
  const baseUrl = href.replace(/\/$/, "");
  const headers = { "user-agent": `${USER_AGENT} ${userAgent}`.trim() };

  /** One request of a method: every way it can fail ends as a `SentryApiError`, or the caller's abort reason. */
  async function call<T>(
    operation: string,
    path: string,
    /** Checked by `expectCall` to need no encoding. */
    organizationIdOrSlug: string,
    query: Query,
    { signal, timeoutMs, maxRetries }: CallOptions,
    expected: { what: string; is: (data: unknown) => data is T },
  ) {
    let request: Request | undefined;
    let response: Response | undefined;
    const target = () => ({ method: "GET", url: scrub(request?.url ?? "") });
    try {
      const search = queryString(query);
      // Never openapi-fetch here: it would read a non-2xx body whole, with no limit.
      // A function, so that no `$` pattern in the replacement is ever expanded.
      const pathname = path.replace("{organization_id_or_slug}", () => organizationIdOrSlug);
      request = new retrying.Request(`${baseUrl}${pathname}${search && "?"}${search}`, {
        headers,
        redirect: "manual",
        signal: signal ?? null,
      });
      response = await retrying.fetch(request, { operation, timeoutMs, maxRetries });
      if (!response.ok) throw await answerError(operation, response, target(), redactor, signal);
      const { status, headers: responseHeaders } = response;
      const invalid = (problem: string) =>
        new SentryApiError("invalid_response", `${operation}: ${problem}`, {
          status,
          request: target(),
          rateLimit: readRateLimit(responseHeaders),
        });
      const text = await readText(response, maxResponseBytes);
      if (text === undefined) throw invalid(`${status} body is longer than maxResponseBytes (${maxResponseBytes})`);
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw invalid(`${status} body is not JSON`);
      }
      if (!expected.is(data)) throw invalid(`${status} body is not ${expected.what}`);
      return { data, response, invalid };
    } catch (failure) {
      // The timeout's own error and the caller's abort reason pass as they are; anything else, such
      // as a body that broke off, is a network error.
      if (failure instanceof SentryApiError || signal?.aborted) throw failure;
      const what = response ? `the ${response.status} answer broke off: ${failure}` : String(failure);
      throw new SentryApiError("network", scrub(`${operation}: ${what}`), {
        status: response?.status ?? 0,
        request: target(),
        cause: scrubbedCopy(failure, scrub),
      });
    } finally {
      if (response) retrying.settle(response);
    }
  }

  function list<T>(
    operation: string,
    path: PaginatedPath,
    organizationIdOrSlug: string,
    query: Query,
    options: ListOptions,
  ): Paginator<T> {
    expectCall(organizationIdOrSlug, options);
    expectInRange(options, "perPage");
    const { perPage, cursor } = options;
    expect(cursor === undefined || (typeof cursor === "string" && cursor), "cursor", "a non-empty string");
    return createPaginator<T>(
      operation,
      (cursor) =>
        call(operation, path, organizationIdOrSlug, { ...query, per_page: perPage, cursor }, options, {
          what: "a list",
          is: (body): body is T[] => Array.isArray(body),
        }),
      cursor,
    );
  }

  const client: SentryClient = {
    async getOrganization(organizationIdOrSlug, options = {}) {
      const { detailed, includeFeatureFlags } = options;
      expectCall(organizationIdOrSlug, options);
      const { data } = await call(
        "getOrganization",
        OPERATION_PATHS.getOrganization,
        organizationIdOrSlug,
        {
          ...(detailed === false && { detailed: "0" }),
          ...(includeFeatureFlags && { include_feature_flags: "1" }),
        },
        options,
        { what: "an organization (an object with string id and slug)", is: isOrganization },
      );
      return data;
    },
    listMembers(organizationIdOrSlug, options = {}) {
      const { query, expand } = options;
      return list(
        "listMembers",
        OPERATION_PATHS.listOrganizationMembers,
        organizationIdOrSlug,
        { query, expand },
        options,
      );
    },
    listRepositories(organizationIdOrSlug, options = {}) {
      const { query, status, integrationId, expand } = options;
      return list(
        "listRepositories",
        OPERATION_PATHS.listOrganizationRepositories,
        organizationIdOrSlug,
        { query, status, integration_id: integrationId, expand },
        options,
      );
    },
  };
  setTransport(client, { baseUrl, headers, retrying });
  return client;
}
