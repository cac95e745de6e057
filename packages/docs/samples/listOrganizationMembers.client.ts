import { createSentryClient } from "@sentry-org-api/client";

const sentry = createSentryClient({ token: process.env.SENTRY_TOKEN ?? "" });

// Pages are fetched as the loop goes; the client follows the Link header's cursors.
for await (const member of sentry.listMembers("acme", { query: "role:owner", perPage: 100 })) {
  console.log(member.email, member.orgRole, member.user === null ? "(invited)" : member.user.name);
}
