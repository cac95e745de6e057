import { parseArgs } from "node:util";
import { OPERATION_SCOPES, PER_PAGE } from "@sentry-org-api/types/protocol";
import {
  auditSettings,
  COMMON_HELP,
  COMMON_OPTIONS,
  fieldsHelp,
  OUTPUT_HELP,
  runAudit,
  UsageError,
} from "./command.js";
import { REPOSITORY_COLUMNS, valueAt } from "./fields.js";

export const REPOS_USAGE = `Usage: sentry-org-audit repos --org SLUG [filters] [options]

Lists the repositories linked to an organization, page by page, as they arrive.

Options:
${COMMON_HELP}
  -h, --help            show this help

Filters:
  --status STATUS       active (default, as on Sentry) or deleted (every repository not active:
                        disabled, pending or in deletion)
  --provider NAME       the provider's id, with or without "integrations:": github matches
                        integrations:github and the legacy plugin github; unknown matches
                        repositories with no provider. Sentry has no such filter: every
                        repository is asked for and the matching ones kept here

Fields (dotted paths; the default ones first):
${fieldsHelp(REPOSITORY_COLUMNS)}

Examples:
  export SENTRY_TOKEN=...   # a token with ${OPERATION_SCOPES.listOrganizationRepositories[0]}
  sentry-org-audit repos --org acme --fields name,provider.name,integrationId
  sentry-org-audit repos --org acme --provider gitlab --format csv > gitlab.csv
  sentry-org-audit repos --org acme --status deleted

${OUTPUT_HELP}
`;

const REPOSITORY_OPTIONS = {
  ...COMMON_OPTIONS,
  status: { type: "string" },
  provider: { type: "string" },
} as const;

const STATUSES = ["active", "deleted"] as const;

/** Whether a repository's provider is `wanted`, named with or without the `integrations:` prefix. */
export function providerMatches(wanted: string) {
  const name = wanted.toLowerCase();
  return (repository: unknown) => {
    const id = valueAt(repository, ["provider", "id"]);
    return typeof id === "string" && [name, `integrations:${name}`].includes(id.toLowerCase());
  };
}

export async function repos(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: REPOSITORY_OPTIONS });
  if (values.help) {
    process.stdout.write(REPOS_USAGE);
    return 0;
  }
  const settings = auditSettings(values, REPOSITORY_COLUMNS);
  const status = values.status as (typeof STATUSES)[number] | undefined;
  if (status !== undefined && !STATUSES.includes(status))
    throw new UsageError(`--status must be active or deleted, got ${JSON.stringify(status)}`);
  const { provider } = values;
  if (provider !== undefined && !provider.trim()) throw new UsageError("--provider must not be empty");
  // Sentry sends settings only when asked to.
  const settingsWanted = settings.fields.some(({ name }) => name.startsWith("settings."));
  return runAudit(settings, {
    noun: "repositories",
    scopeHint: `listing repositories needs the scope ${OPERATION_SCOPES.listOrganizationRepositories[0]}`,
    list: (client) =>
      client.listRepositories(settings.org, {
        status,
        expand: settingsWanted ? ["settings"] : undefined,
        perPage: PER_PAGE.maximum,
      }),
    keep: provider === undefined ? undefined : providerMatches(provider.trim()),
  });
}
