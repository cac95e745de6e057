/** Who a case authenticates as: the user's token, nobody, or a token no server issued. */
export type Credentials = "token" | "none" | "invalid";

/** Shaped like a Sentry user token, so that a server refuses it for what it is, not for its shape. */
export const INVALID_TOKEN = `sntryu_${"0".repeat(64)}`;

/** What the `curl` commands may name as `$VARIABLE`: anything else the shell reads as more (`$(id)` runs a command). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot be the `$VARIABLE` of the `curl` commands, or `undefined` when it can. */
export const variableNameProblem = (name: string) =>
  VARIABLE_NAME.test(name)
    ? undefined
    : `must be an environment variable name matching ${VARIABLE_NAME.source}, got ${JSON.stringify(name)}`;

const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The request as a `curl` command to paste into a shell: the token as `$VARIABLE`, never its value, so that
 * the command can be shared and still works where the variable is set.
 */
export function curlCommand(method: string, url: string, credentials: Credentials, tokenVariable: string): string {
  const parts = ["curl", "-i"];
  if (method !== "GET") parts.push("-X", method);
  if (credentials === "token") parts.push("-H", `"Authorization: Bearer $${tokenVariable}"`);
  if (credentials === "invalid") parts.push("-H", quoted(`Authorization: Bearer ${INVALID_TOKEN}`));
  parts.push(quoted(url));
  return parts.join(" ");
}
