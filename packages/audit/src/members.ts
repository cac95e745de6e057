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
import { MEMBER_COLUMNS, valueAt } from "./fields.js";

export const MEMBERS_USAGE = `Usage: sentry-org-audit members --org SLUG [filters] [options]

Lists an organization's members and invitations, page by page, as they arrive.

Options:
${COMMON_HELP}
  -h, --help            show this help

Filters (together, a member must match all of them):
  --role ROLE           organization role: owner, manager, admin, member or billing (Sentry's role:)
  --pending             invitations not accepted yet (Sentry's isInvited:true)
  --expired             invitations that have expired. Sentry has no search key for this: the
                        invitations are asked for (isInvited:true) and the expired ones kept here
  --no-2fa              without two-factor authentication (Sentry's has2fa:false)
  --no-sso              not linked to single sign-on (Sentry's ssoLinked:false)
  --query TEXT          Sentry's member search, passed through: free text matches the name or the
                        email; keys email:, id:, user.id:, role:, scope:, isInvited:, ssoLinked:,
                        has2fa:, hasExternalUsers: (an unknown key matches nobody)

Fields (dotted paths; the default ones first):
${fieldsHelp(MEMBER_COLUMNS)}

Examples:
  export SENTRY_TOKEN=...   # a token with ${OPERATION_SCOPES.listOrganizationMembers[0]}
  sentry-org-audit members --org acme --no-2fa --format csv > no-2fa.csv
  sentry-org-audit members --org acme --no-sso --query isInvited:false
  sentry-org-audit members --org acme --role owner --fields email,name,user.has2fa,user.lastActive
  sentry-org-audit members --org acme --expired --fields email,dateCreated,inviterName
  sentry-org-audit members --org acme --pending --format ndjson | jq -r .email

${OUTPUT_HELP}
`;

const MEMBER_OPTIONS = {
  ...COMMON_OPTIONS,
  role: { type: "string" },
  pending: { type: "boolean" },
  expired: { type: "boolean" },
  "no-2fa": { type: "boolean" },
  "no-sso": { type: "boolean" },
  query: { type: "string" },
} as const;

export interface MemberFilters {
  role?: string | undefined;
  pending?: boolean | undefined;
  expired?: boolean | undefined;
  "no-2fa"?: boolean | undefined;
  "no-sso"?: boolean | undefined;
  query?: string | undefined;
}

/** Sentry's search terms for the filters (all must hold); `undefined` when there are none. */
export function memberQuery(filters: MemberFilters): string | undefined {
  const terms = new Set<string>();
  if (filters.query !== undefined) {
    if (!filters.query.trim()) throw new UsageError("--query must not be empty");
    terms.add(filters.query.trim());
  }
  if (filters.role !== undefined) {
    // A space would end the term and start another: the rest would search on its own.
    if (!/^[a-z][a-z_-]*$/i.test(filters.role))
      throw new UsageError(`--role must be a role id such as owner or admin, got ${JSON.stringify(filters.role)}`);
    terms.add(`role:${filters.role}`);
  }
  // An expired invitation is an invitation: asking for those alone spares the walk every member.
  if (filters.pending || filters.expired) terms.add("isInvited:true");
  if (filters["no-2fa"]) terms.add("has2fa:false");
  if (filters["no-sso"]) terms.add("ssoLinked:false");
  return terms.size ? [...terms].join(" ") : undefined;
}

const isExpired = (member: unknown) => valueAt(member, ["expired"]) === true;

export async function members(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: MEMBER_OPTIONS });
  if (values.help) {
    process.stdout.write(MEMBERS_USAGE);
    return 0;
  }
  const settings = auditSettings(values, MEMBER_COLUMNS);
  const query = memberQuery(values);
  // Sentry sends externalUsers only when asked to.
  const expandExternalUsers = settings.fields.some(({ name }) => name === "externalUsers");
  return runAudit(settings, {
    noun: "members",
    scopeHint: `listing members needs the scope ${OPERATION_SCOPES.listOrganizationMembers[0]}`,
    list: (client) =>
      client.listMembers(settings.org, {
        query,
        expand: expandExternalUsers ? ["externalUsers"] : undefined,
        perPage: PER_PAGE.maximum,
      }),
    keep: values.expired ? isExpired : undefined,
  });
}
