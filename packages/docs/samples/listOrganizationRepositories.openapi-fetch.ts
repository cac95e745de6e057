import type { paths } from "@sentry-org-api/types";
import createClient from "openapi-fetch";

const sentry = createClient<paths>({
  baseUrl: "https://sentry.io",
  headers: { Authorization: `Bearer ${process.env.SENTRY_TOKEN}` },
});

const { data, response } = await sentry.GET("/api/0/organizations/{organization_id_or_slug}/repos/", {
  params: { path: { organization_id_or_slug: "acme" }, query: { query: "backend", status: "active" } },
});
console.log(response.headers.get("x-hits"), "repositories match");
for (const repository of data ?? []) console.log(repository.name, repository.externalSlug);
