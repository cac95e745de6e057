import { ROUTES, type Route } from "./routes.js";

/** The mock's default token holds the read scope of every operation, as the spec lists them. */
export const DEFAULT_SCOPES = [...new Set(ROUTES.flatMap((route) => [...route.scopes]))].filter((scope) =>
  scope.endsWith(":read"),
);

/** Sentry sends this on every 401, for a missing token and a refused one alike. */
export const UNAUTHORIZED_HEADERS = { "www-authenticate": 'xBasic realm="api"' };

/** The bearer token's scopes, or why the request is refused with a 401 (Sentry's words). */
export function authenticate(
  authorization: string | undefined,
  tokens: ReadonlyMap<string, ReadonlySet<string>>,
): { token: string; scopes: ReadonlySet<string> } | { refusal: string } {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined;
  if (token === undefined) return { refusal: "Authentication credentials were not provided." };
  const scopes = tokens.get(token);
  return scopes ? { token, scopes } : { refusal: "Invalid token" };
}

/** Whether `scopes` hold one of those the route accepts. */
export const permits = (route: Route, scopes: ReadonlySet<string>) =>
  [...route.scopes].some((scope) => scopes.has(scope));
