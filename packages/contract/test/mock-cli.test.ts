import { describe, expect, test } from "vitest";
import { DEFAULT_MOCK_TOKEN } from "../src/index.js";
import { runCli, startCli } from "./cli-run.js";

const MOCK_USAGE = "Usage: sentry-org-api mock [options]";
/** The user's own token, which the command must serve and never print. */
const USER_TOKEN = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe("mock --token-env", () => {
  test("serves the token from that variable instead of the default one, and prints only the variable's name", async () => {
    const run = startCli(["mock", "--port", "0", "--token-env", "MY_MOCK_TOKEN"], { MY_MOCK_TOKEN: USER_TOKEN });
    await run.printed("stdout", "/members/\n");
    const [listening, tokenLine, tryLine] = run.stdout().split("\n");
    const url = listening?.match(/^Mock Sentry listening on (http:\/\/127\.0\.0\.1:\d+)$/)?.[1];
    expect(url).toBeDefined();
    expect(tokenLine).toBe("Token: the value of $MY_MOCK_TOKEN");
    expect(tryLine).toBe(
      `Try: curl -H "Authorization: Bearer $MY_MOCK_TOKEN" ${url}/api/0/organizations/acme/members/`,
    );

    const status = async (token: string) => {
      const response = await fetch(`${url}/api/0/organizations/acme/`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      return response.status;
    };
    expect(await status(USER_TOKEN)).toBe(200);
    expect(await status(DEFAULT_MOCK_TOKEN)).toBe(401);

    run.stop();
    const ended = await run.ended;
    expect(ended.code).toBe(0);
    expect(`${ended.stdout}${ended.stderr}`).not.toContain(USER_TOKEN);
  });

  test.each<[string, Record<string, string>, string]>([
    ["an unset variable", {}, "the token is read from the environment variable MY_MOCK_TOKEN, which is not set"],
    [
      "an empty variable",
      { MY_MOCK_TOKEN: "" },
      "the token in the environment variable MY_MOCK_TOKEN must be 16 to 512 characters long, is 0",
    ],
    [
      "a token with a space",
      { MY_MOCK_TOKEN: `${USER_TOKEN} trailing-secret` },
      "the token in the environment variable MY_MOCK_TOKEN must hold only visible ASCII characters, without whitespace, quotes or backslashes",
    ],
    [
      "a token with a quote",
      { MY_MOCK_TOKEN: `${USER_TOKEN}"` },
      "the token in the environment variable MY_MOCK_TOKEN must hold only visible ASCII characters, without whitespace, quotes or backslashes",
    ],
  ])("%s exits 2 before listening, without printing the token", async (_, env, message) => {
    const run = await runCli(["mock", "--port", "0", "--token-env", "MY_MOCK_TOKEN"], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n").slice(0, 2)).toEqual([`sentry-org-api: ${message}`, MOCK_USAGE]);
    expect(run.stderr).not.toContain(USER_TOKEN);
  });

  test("--repositories above 100000 exits 2", async () => {
    const run = await runCli(["mock", "--repositories", "100001"], {});
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      'sentry-org-api: --repositories must be an integer from 0 to 100000, got "100001"',
    );
  });
});
