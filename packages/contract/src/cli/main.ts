import { VERSION } from "@sentry-org-api/types/protocol";
import { UsageError } from "./arguments.js";
import { CHECK_USAGE, checkCommand } from "./check-command.js";
import type { CliIo } from "./io.js";
import { MOCK_USAGE, mockCommand } from "./mock-command.js";

const USAGE = `Usage: sentry-org-api <command> [options]

Commands:
  mock     Start a mock Sentry server that behaves like the real one
  check    Verify a server against the spec

Run "sentry-org-api <command> --help" for a command's options, "sentry-org-api --version" for
the version.
`;

/** Runs `sentry-org-api <argv>` and returns its exit status; every failure becomes a line on stderr. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === "mock") return await mockCommand(args, io);
    if (command === "check") return await checkCommand(args, io);
    if (command === "--version" || command === "-v") {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (command === undefined || command === "--help" || command === "-h") {
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) {
      io.stderr.write(`sentry-org-api: ${(error as Error).message}\n`);
      return 1;
    }
    io.stderr.write(
      `sentry-org-api: ${(error as Error).message}\n${command === "check" ? CHECK_USAGE : command === "mock" ? MOCK_USAGE : USAGE}`,
    );
    return 2;
  }
}
