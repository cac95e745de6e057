import type { paths } from "@sentry-org-api/types";
import createClient from "openapi-fetch";

const sentry = createClient<paths>({
  baseUrl: "https://sentry.io",
  headers: { Authorization: `Bearer ${process.env.SENTRY_TOKEN}` },
});

const { data, error, response } = await sentry.GET("/api/0/organizations/{organization_id_or_slug}/", {
  params: { path: { organization_id_or_slug: "acme" }, query: { detailed: "0" } },
});
if (!response.ok) throw new Error(`Sentry answered ${response.status}: ${JSON.stringify(error)}`);
console.log(data?.name, data?.dateCreated);
