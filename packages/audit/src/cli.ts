import { VERSION } from "@sentry-org-api/types/protocol";
import { UsageError } from "./command.js";
import { MEMBERS_USAGE, members } from "./members.js";
import { REPOS_USAGE, repos } from "./repos.js";

const USAGE = `Usage: sentry-org-audit <command> --org SLUG [options]

Commands:
  members  members and invitations: who has no two-factor authentication, who is not linked to
           SSO, which invitations are pending or expired, who the owners are
  repos    linked repositories: their provider, integration and status

The token is read from the environment (SENTRY_TOKEN, or the variable --token-env names).
Run "sentry-org-audit <command> --help" for a command's options and examples,
"sentry-org-audit --version" for the version.
`;

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  members: { run: members, usage: MEMBERS_USAGE },
  repos: { run: repos, usage: REPOS_USAGE },
};

async function main(argv: string[]) {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (command) return await command.run(args);
    if (name === "--version" || name === "-v") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (name === undefined || name === "--help" || name === "-h") {
      process.stdout.write(USAGE);
      return name === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    // A command's help is long: a pointer to it keeps the message in view.
    const help = command ? `Run "sentry-org-audit ${name} --help" for its options.\n` : USAGE;
    // runAudit reports the server's errors itself; anything else here is a bug, shown without its stack.
    process.stderr.write(`sentry-org-audit: ${(error as Error).message}\n${usage ? help : ""}`);
    return usage ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
