import { createSentryClient } from "@sentry-org-api/client";

const sentry = createSentryClient({ token: process.env.SENTRY_TOKEN ?? "" });

for await (const page of sentry.listRepositories("acme", { status: "active", expand: ["settings"] }).pages()) {
  console.log(`${page.items.length} of ${page.hits} repositories; ${page.rateLimit?.remaining ?? "?"} requests left`);
  for (const repository of page.items)
    console.log(repository.name, repository.provider.name, repository.url ?? "(no URL)");
}
