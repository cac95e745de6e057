import type { paths } from "@sentry-org-api/types";
import createClient, { type Client } from "openapi-fetch";
import type { SentryClient } from "./client.js";
import { getTransport } from "./transport.js";

/**
 * openapi-fetch over the same transport as `sentry`: its base URL, token, origin check, timeouts,
 * retries, pacing and concurrency slots. A subpath of its own, so that the main entry does not
 * bundle openapi-fetch.
 */
export function createOpenApiFetchClient(sentry: SentryClient): Client<paths> {
  const { baseUrl, headers, retrying } = getTransport(sentry);
  return createClient<paths>({
    baseUrl,
    headers,
    // A redirect could carry the token to another origin; Sentry's paths never redirect.
    redirect: "manual",
    fetch: retrying.fetch,
    Request: retrying.Request,
  });
}
