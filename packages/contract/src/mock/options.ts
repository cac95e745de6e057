import { DEFAULT_SCOPES } from "./auth.js";
import { checkInteger, checkObject, described, quoted } from "./described.js";
import type { RateLimitOption } from "./rate-limit.js";
import { ROUTES } from "./routes.js";
import { createSeedOrganizations, listedMembers, type MockOrganizationData, type OrganizationSource } from "./seed.js";
import { DEFAULT_MOCK_TOKEN, tokenProblem } from "./token.js";

/** What the mock serves, whatever carries its answers. */
export interface MockOptions {
  /** acme's members (default 250, at most 100,000) and active repositories (default 120, at most 100,000). Ignored with `organizations`. */
  members?: number;
  repositories?: number;
  /** Serve this data instead of the seed data. */
  organizations?: MockOrganizationData[];
  /** The token with every read scope; default `DEFAULT_MOCK_TOKEN`. */
  token?: string;
  /** More tokens and the scopes each holds. */
  tokens?: Record<string, string[]>;
  /** Answer `429` over the limit. Off by default; the rate-limit headers are sent either way. */
  rateLimit?: RateLimitOption;
}

export interface MockServerOptions extends MockOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/** The options checked and filled in. */
export interface MockSetup {
  organizations: OrganizationSource[];
  defaultToken: string;
  /** Every token and its scopes. */
  tokens: Map<string, Set<string>>;
  rateLimit: RateLimitOption | undefined;
}

const MAX_MEMBERS = 100_000;
const MAX_REPOSITORIES = 100_000;

const OPTION_NAMES = ["members", "repositories", "organizations", "token", "tokens", "rateLimit"];
const OPERATIONS: string[] = ROUTES.map((route) => route.operation);

/**
 * The options checked and filled in; `entryOptions` are the ones only this entry point takes. Throws a
 * `TypeError` for an option of the wrong type or an unknown one, a `RangeError` for a value the mock
 * cannot serve: a misspelt option silently ignored would leave a test testing something else.
 */
export function mockSetup(options: MockOptions, entryOptions: readonly string[]): MockSetup {
  checkObject("options", options);
  const known = [...OPTION_NAMES, ...entryOptions];
  for (const name of Object.keys(options)) {
    if (!known.includes(name))
      throw new TypeError(`unknown option ${quoted(name)}: the options are ${known.join(", ")}`);
  }
  checkCount("members", options.members, MAX_MEMBERS);
  checkCount("repositories", options.repositories, MAX_REPOSITORIES);
  checkRateLimit(options.rateLimit);
  const defaultToken = options.token ?? DEFAULT_MOCK_TOKEN;
  if (typeof defaultToken !== "string") throw new TypeError(`token must be a string, got ${described(defaultToken)}`);
  const problem = tokenProblem(defaultToken);
  if (problem) throw new RangeError(`token ${problem}`);
  const organizations = options.organizations
    ? options.organizations.map(({ members, ...rest }) => ({ ...rest, members: listedMembers(members) }))
    : createSeedOrganizations({ members: options.members, repositories: options.repositories });
  const tokens = new Map<string, Set<string>>([[defaultToken, new Set(DEFAULT_SCOPES)]]);
  for (const [token, scopes] of Object.entries(options.tokens ?? {})) {
    const tokenIssue = tokenProblem(token);
    // The reason, never the token: a test may hand the mock a real one.
    if (tokenIssue) throw new RangeError(`tokens has a token that ${tokenIssue}`);
    tokens.set(token, new Set(scopes));
  }
  return { organizations, defaultToken, tokens, rateLimit: options.rateLimit };
}

function checkCount(name: string, value: unknown, max: number) {
  if (value !== undefined) checkInteger(name, value, 0, max, `an integer from 0 to ${max}`);
}

function checkRateLimit(option: unknown) {
  if (option === undefined || typeof option === "boolean") return;
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new TypeError(`rateLimit must be true, false or an object of limits per operation, got ${described(option)}`);
  }
  for (const [operation, limit] of Object.entries(option)) {
    if (!OPERATIONS.includes(operation)) {
      throw new TypeError(
        `rateLimit names unknown operation ${quoted(operation)}: the operations are ${OPERATIONS.join(", ")}`,
      );
    }
    checkInteger(`rateLimit.${operation}`, limit, 1, Number.MAX_SAFE_INTEGER, "a positive integer");
  }
}
