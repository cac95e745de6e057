import { createSentryClient, SentryApiError } from "@sentry-org-api/client";

const sentry = createSentryClient({ token: process.env.SENTRY_TOKEN ?? "" });

try {
  const organization = await sentry.getOrganization("acme", { includeFeatureFlags: true });
  console.log(organization.name, organization.status.id, organization.features ?? []);
} catch (error) {
  if (error instanceof SentryApiError && error.kind === "not_found") console.log("no such organization");
  else throw error;
}
