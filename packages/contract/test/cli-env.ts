// What the tests that start the sentry-org-api command share.

/** How a run of the command ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would pass, without any token or colour setting inherited from this one. */
export function cliEnv(extra: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "SYSTEMROOT", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}
