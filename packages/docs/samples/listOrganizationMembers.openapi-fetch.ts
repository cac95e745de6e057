import type { OrganizationMember, paths } from "@sentry-org-api/types";
import createClient from "openapi-fetch";

const sentry = createClient<paths>({
  baseUrl: "https://sentry.io",
  headers: { Authorization: `Bearer ${process.env.SENTRY_TOKEN}` },
});

const members: OrganizationMember[] = [];
let cursor: string | undefined;
do {
  const { data, response } = await sentry.GET("/api/0/organizations/{organization_id_or_slug}/members/", {
    // No cursor on the first request: with exactOptionalPropertyTypes, `cursor: undefined` does not compile.
    params: {
      path: { organization_id_or_slug: "acme" },
      query: cursor ? { per_page: 100, cursor } : { per_page: 100 },
    },
  });
  if (!data) throw new Error(`Sentry answered ${response.status}`);
  members.push(...data);
  // There is a next page only while rel="next" has results="true"; send its cursor on your own base URL.
  const next = response.headers
    .get("link")
    ?.split(",")
    .find((part) => part.includes('rel="next"'));
  cursor = next?.includes('results="true"') ? /cursor="([^"]+)"/.exec(next)?.[1] : undefined;
} while (cursor);
console.log(members.length, "members");
