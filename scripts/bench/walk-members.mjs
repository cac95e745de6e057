// Walks every member of acme with the client's paginator and prints the count and peak RSS.
// Run as its own process so that the peak belongs to the walk alone: node walk-members.mjs URL TOKEN
import { createSentryClient } from "@sentry-org-api/client";

const [baseUrl, token] = process.argv.slice(2);
let count = 0;
for await (const _member of createSentryClient({ token, baseUrl }).listMembers("acme", { perPage: 100 })) count++;
console.log(JSON.stringify({ count, maxRssKiB: process.resourceUsage().maxRSS }));
