import type {
  ListOrganizationMembersQuery,
  ListOrganizationRepositoriesQuery,
  Organization,
  OrganizationMember,
  paths,
  Repository,
} from "@sentry-org-api/types";
import createClient, { type Client } from "openapi-fetch";
import { kindOf, SentryApiError } from "./errors.js";
import { createPaginator, linkCursor, type Paginator } from "./paginator.js";
import { readRateLimit, serverRetryAt } from "./rate-limit.js";
import { createRetrying, mentions } from "./retrying-fetch.js";

export interface SentryClientOptions {
  /** A Sentry auth token; sent only as `Authorization: Bearer` and only to `baseUrl`'s origin. */
  token: string;
  /** Default `https://sentry.io`; a regional host, a self-hosted Sentry or a mock. */
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
  /** Per attempt; default 30,000. */
  timeoutMs?: number;
  /** Default 2. */
  maxRetries?: number;
  /** A longer wait (rate limit, `Retry-After`) is not waited for: the call fails. Default 60,000. */
  maxRetryDelayMs?: number;
  /** Appended to the `User-Agent`. */
  userAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface GetOrganizationOptions extends CallOptions {
  /** `false` leaves out `teams` and `projects`. Default `true`. */
  detailed?: boolean;
  /** `true` adds `features` and `extraOptions`. */
  includeFeatureFlags?: boolean;
}

export interface ListOptions extends CallOptions {
  /** 1 to 100; default 100. */
  perPage?: number;
  /** Start from this cursor (a page's `nextCursor`). */
  cursor?: string;
}

export interface ListMembersOptions extends ListOptions {
  /** Sentry search syntax: free text, `email:`, `role:`, `isInvited:true`, ... */
  query?: string;
  expand?: ListOrganizationMembersQuery["expand"];
}

export interface ListRepositoriesOptions extends ListOptions {
  /** Case-insensitive substring of the name. */
  query?: string;
  status?: ListOrganizationRepositoriesQuery["status"];
  integrationId?: string;
  expand?: ListOrganizationRepositoriesQuery["expand"];
}

export interface SentryClient {
  getOrganization(organizationIdOrSlug: string, options?: GetOrganizationOptions): Promise<Organization>;
  listMembers(organizationIdOrSlug: string, options?: ListMembersOptions): Paginator<OrganizationMember>;
  listRepositories(organizationIdOrSlug: string, options?: ListRepositoriesOptions): Paginator<Repository>;
  /** The openapi-fetch client, with the same base URL, auth, timeout and retries. */
  raw: Client<paths>;
}

// The spec's pattern and maxLength for organization_id_or_slug; a test keeps them equal.
const ORGANIZATION_ID_OR_SLUG = /^[A-Za-z0-9_-]{1,50}$/;
const ORGANIZATION = "/api/0/organizations/{organization_id_or_slug}/" as const;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Throws a `TypeError` naming the option unless `ok`; the value is shown only where it cannot be a secret. */
function expect(ok: unknown, name: string, expected: string, ...shown: unknown[]) {
  if (!ok) {
    const got = shown.map((value) => `, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    throw new TypeError(`${name} must be ${expected}${got.join("")}`);
  }
}

const isInteger = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function expectIdOrSlug(value: unknown) {
  expect(
    typeof value === "string" && ORGANIZATION_ID_OR_SLUG.test(value),
    "organization_id_or_slug",
    'an id or slug (1 to 50 letters, digits, "-" or "_")',
    typeof value === "string" ? value.slice(0, 60) : value,
  );
}

export function createSentryClient(options: SentryClientOptions): SentryClient {
  const { token, timeoutMs = 30_000, maxRetries = 2, maxRetryDelayMs = 60_000, userAgent = "" } = options;
  // Printable ASCII only: anything else is refused by Headers with an error that quotes the value.
  expect(typeof token === "string" && /^[!-~]+$/.test(token), "token", "a non-empty string of printable ASCII");
  let base: URL | undefined;
  try {
    base = new URL(options.baseUrl ?? "https://sentry.io");
  } catch {}
  expect(
    base && /^https?:$/.test(base.protocol) && !base.username && !base.password,
    "baseUrl",
    "an absolute http(s) URL without credentials",
  );
  // setTimeout fires at once for delays above 2^31 - 1 ms.
  expect(isInteger(timeoutMs, 1, MAX_TIMER_MS), "timeoutMs", `an integer from 1 to ${MAX_TIMER_MS}`, timeoutMs);
  expect(isInteger(maxRetries, 0, 10), "maxRetries", "an integer from 0 to 10", maxRetries);
  expect(
    isInteger(maxRetryDelayMs, 0, MAX_TIMER_MS),
    "maxRetryDelayMs",
    `an integer from 0 to ${MAX_TIMER_MS}`,
    maxRetryDelayMs,
  );
  expect(!options.fetch || typeof options.fetch === "function", "fetch", "a function");
  expect(
    typeof userAgent === "string" && /^[ -~]*$/.test(userAgent),
    "userAgent",
    "a string of printable ASCII",
    userAgent,
  );

  const { origin } = base as URL;
  /** Server text can echo anything sent, so the token is scrubbed from everything an error carries. */
  const scrub = (text: string) => text.replaceAll(token, "[REDACTED]");
  const retrying = createRetrying({
    fetch: options.fetch ?? ((request) => fetch(request)),
    timeoutMs,
    maxRetries,
    maxRetryDelayMs,
    origin,
    authorization: `Bearer ${token}`,
    scrub,
  });
  const raw = createClient<paths>({
    baseUrl: (base as URL).href.replace(/\/$/, ""),
    headers: { "user-agent": `sentry-org-api/0.1.0 ${userAgent}`.trim() },
    // A redirect could carry the token to another origin; Sentry's paths never redirect.
    redirect: "manual",
    fetch: retrying.fetch,
    Request: retrying.Request,
  });

  async function call<T>(
    operation: string,
    signal: AbortSignal | undefined,
    request: () => Promise<{ error?: unknown; response: Response }>,
  ) {
    // parseAs "stream": openapi-fetch leaves a 2xx body unread, so that a failure while reading it
    // is caught here and reported with the response's URL.
    const { response, error } = await request();
    const { status, url } = response;
    const init = { status, request: { method: "GET", url: scrub(url) } };
    try {
      if (!response.ok) {
        // Sentry's body is {"detail": ...}; a 429's is a bare string; a proxy's may be HTML.
        const detail = (error as { detail?: unknown })?.detail ?? error;
        const text = typeof detail === "string" ? detail : JSON.stringify(detail);
        const retryAt = status === 429 ? serverRetryAt(response) : undefined;
        throw new SentryApiError(
          kindOf(status),
          scrub(`${operation} failed with ${status}${text ? `: ${text}` : ""}`)
            .replace(/\s+/g, " ")
            .slice(0, 300)
            .trim(),
          {
            ...init,
            rateLimit: readRateLimit(response.headers),
            detail: JSON.parse(scrub(JSON.stringify(detail ?? null))),
            retryAt: retryAt === undefined ? undefined : new Date(retryAt),
          },
        );
      }
      const body = await response.text();
      try {
        return { data: JSON.parse(body) as T, ...init, response };
      } catch {
        throw new SentryApiError("invalid_response", `${operation}: ${status} body is not JSON`, {
          ...init,
          rateLimit: readRateLimit(response.headers),
        });
      }
    } catch (failure) {
      // The timeout's own error and the caller's abort reason pass as they are; a body that broke off is a network error.
      if (failure instanceof SentryApiError || signal?.aborted) throw failure;
      throw new SentryApiError("network", scrub(`${operation}: the ${status} answer broke off: ${failure}`), {
        ...init,
        cause: mentions(failure, scrub) ? undefined : failure,
      });
    } finally {
      retrying.settle(response);
    }
  }

  function list<T>(
    operation: string,
    path:
      | "/api/0/organizations/{organization_id_or_slug}/members/"
      | "/api/0/organizations/{organization_id_or_slug}/repos/",
    organizationIdOrSlug: string,
    query: Record<string, unknown>,
    options: ListOptions,
  ): Paginator<T> {
    expectIdOrSlug(organizationIdOrSlug);
    expect(
      options.perPage === undefined || isInteger(options.perPage, 1, 100),
      "perPage",
      "an integer from 1 to 100",
      options.perPage,
    );
    expect(
      options.cursor === undefined || (typeof options.cursor === "string" && options.cursor),
      "cursor",
      "a non-empty string",
    );
    return createPaginator<T>(
      operation,
      async (cursor) => {
        const { data, response, ...init } = await call<T[]>(operation, options.signal, () =>
          raw.GET(path, {
            params: {
              path: { organization_id_or_slug: organizationIdOrSlug },
              query: { ...query, per_page: options.perPage, cursor },
            },
            parseAs: "stream",
            signal: options.signal,
          }),
        );
        if (!Array.isArray(data))
          throw new SentryApiError("invalid_response", `${operation}: ${init.status} body is not a list`, init);
        const link = response.headers.get("link");
        const hits = response.headers.get("x-hits");
        const nextCursor = linkCursor(link, "next");
        // Sentry sends Link on every page; without it a walk would end early without a word.
        if (nextCursor === undefined) {
          throw new SentryApiError("invalid_response", `${operation}: the Link header has no usable rel="next"`, init);
        }
        return {
          items: data,
          nextCursor,
          prevCursor: linkCursor(link, "previous") ?? null,
          hits: hits === null ? undefined : Number(hits),
          rateLimit: readRateLimit(response.headers),
          response,
        };
      },
      options.cursor,
      scrub,
    );
  }

  return {
    raw,
    async getOrganization(organizationIdOrSlug, { detailed, includeFeatureFlags, signal } = {}) {
      expectIdOrSlug(organizationIdOrSlug);
      const { data } = await call<Organization>("getOrganization", signal, () =>
        raw.GET(ORGANIZATION, {
          params: {
            path: { organization_id_or_slug: organizationIdOrSlug },
            query: {
              detailed: detailed === false ? "0" : undefined,
              include_feature_flags: includeFeatureFlags ? "1" : undefined,
            },
          },
          parseAs: "stream",
          signal,
        }),
      );
      return data;
    },
    listMembers(organizationIdOrSlug, options = {}) {
      const { query, expand } = options;
      return list("listMembers", `${ORGANIZATION}members/`, organizationIdOrSlug, { query, expand }, options);
    },
    listRepositories(organizationIdOrSlug, options = {}) {
      const { query, status, integrationId, expand } = options;
      return list(
        "listRepositories",
        `${ORGANIZATION}repos/`,
        organizationIdOrSlug,
        { query, status, integration_id: integrationId, expand },
        options,
      );
    },
  };
}
