import { parseArgs } from "node:util";
import { OPERATION_RATE_LIMITS } from "@sentry-org-api/types/protocol";
import { startMockServer } from "../mock/server.js";
import { integer, tokenFromEnv, tokenVariableName } from "./arguments.js";
import type { CliIo } from "./io.js";

/** The rate the spec states for sentry.io, which the mock enforces with --rate-limit. */
const SENTRY_RATE = OPERATION_RATE_LIMITS.listOrganizationMembers;

export const MOCK_USAGE = `Usage: sentry-org-api mock [options]

Starts a mock Sentry on 127.0.0.1 and prints its URL and token. Stop it with Ctrl-C.

Options:
  --port N            port to listen on (default 4010; 0 picks a free one)
  --host HOST         address to listen on (default 127.0.0.1)
  --members N         members of organization acme (default 250, at most 100000)
  --repositories N    active repositories of acme (default 120, at most 100000)
  --token-env NAME    serve the token held by this environment variable instead of the
                      default one (never printed)
  --rate-limit        answer 429 above sentry.io's rate (${SENTRY_RATE.requests} requests in ${SENTRY_RATE.windowSeconds} s) per token and
                      endpoint
  -h, --help          show this help
`;

export async function mockCommand(args: string[], io: CliIo) {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      members: { type: "string" },
      repositories: { type: "string" },
      "token-env": { type: "string" },
      "rate-limit": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(MOCK_USAGE);
    return 0;
  }
  const tokenEnv = tokenVariableName(values["token-env"]);
  const server = await startMockServer({
    port: integer("port", values.port, 0, 65_535) ?? 4010,
    host: values.host ?? "127.0.0.1",
    members: integer("members", values.members, 0, 100_000),
    repositories: integer("repositories", values.repositories, 0, 100_000),
    token: tokenEnv === undefined ? undefined : tokenFromEnv(io.env, tokenEnv),
    rateLimit: values["rate-limit"] ?? false,
  });
  // The user's own token may be a real secret: name its variable instead of printing it.
  const token = tokenEnv === undefined ? server.token : `$${tokenEnv}`;
  io.stdout.write(
    `Mock Sentry listening on ${server.url}\nToken: ${tokenEnv === undefined ? token : `the value of ${token}`}\nTry: curl -H "Authorization: Bearer ${token}" ${server.url}/api/0/organizations/acme/members/\n`,
  );
  await io.untilStopped();
  await server.close();
  return 0;
}
