import { variableNameProblem } from "../check/curl.js";
import { tokenProblem } from "../mock/token.js";

/** A mistake in the command line: reported with the command's usage and exit status 2, before any request. */
export class UsageError extends Error {}

/** A duration flag in seconds (fractions allowed), as milliseconds. */
export const duration = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 86_400)
    throw new UsageError(
      `--${name} must be a number of seconds above 0 and at most 86400, got ${JSON.stringify(value)}`,
    );
  return Math.round(n * 1000);
};

export const integer = (name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
};

/** A comma-separated list of names, each one of `known`. */
export function names<T extends string>(flag: string, value: string | undefined, known: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  const given = value.split(",").map((name) => name.trim());
  const unknown = given.find((name) => !(known as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new UsageError(`--${flag} has an unknown name ${JSON.stringify(unknown)}; known: ${known.join(", ")}`);
  return given as T[];
}

/** The origin of an http(s) URL flag; a URL with credentials is refused so that no secret sits in shell history. */
export function parseOrigin(flag: string, value: string) {
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

/** The --token-env name, which the `curl` lines and the mock's banner print as `$NAME` for a shell. */
export function tokenVariableName(name: string | undefined): string | undefined {
  const problem = name === undefined ? undefined : variableNameProblem(name);
  if (problem) throw new UsageError(`--token-env ${problem}`);
  return name;
}

export function tokenFromEnv(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const token = env[name];
  if (token === undefined)
    throw new UsageError(`the token is read from the environment variable ${name}, which is not set`);
  const problem = tokenProblem(token);
  if (problem) throw new UsageError(`the token in the environment variable ${name} ${problem}`);
  return token;
}
