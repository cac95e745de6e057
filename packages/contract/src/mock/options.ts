import { DEFAULT_SCOPES } from "./auth.js";
import type { RateLimitOption } from "./rate-limit.js";
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

/** The options checked and filled in; throws a `RangeError` for a count or token the mock cannot serve. */
export function mockSetup(options: MockOptions): MockSetup {
  checkCount("members", options.members, MAX_MEMBERS);
  checkCount("repositories", options.repositories, MAX_REPOSITORIES);
  const defaultToken = options.token ?? DEFAULT_MOCK_TOKEN;
  const problem = tokenProblem(defaultToken);
  if (problem) throw new RangeError(`token ${problem}`);
  const organizations = options.organizations
    ? options.organizations.map(({ members, ...rest }) => ({ ...rest, members: listedMembers(members) }))
    : createSeedOrganizations({ members: options.members, repositories: options.repositories });
  const tokens = new Map<string, Set<string>>([[defaultToken, new Set(DEFAULT_SCOPES)]]);
  for (const [token, scopes] of Object.entries(options.tokens ?? {})) tokens.set(token, new Set(scopes));
  return { organizations, defaultToken, tokens, rateLimit: options.rateLimit };
}

function checkCount(name: string, value: number | undefined, max: number) {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}
