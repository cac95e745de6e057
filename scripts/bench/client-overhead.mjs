// 1. Client overhead: getOrganization against a node:http server that returns a realistic body.
import { retrieveAnOrganization } from "@sentry/api";
import { createSentryClient } from "@sentry-org-api/client";
import axios from "axios";
import createClient from "openapi-fetch";
import { alternate, format, startChildServer, timePerCall } from "./harness.mjs";

const TOKEN = "bench-token";
const PATH = "/api/0/organizations/{organization_id_or_slug}/";

export async function run({ quick }) {
  const server = await startChildServer("organization");
  const url = `${server.url}/api/0/organizations/acme/`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  /** @type {import("openapi-fetch").Client<import("@sentry-org-api/types").paths>} */
  const openapiFetch = createClient({ baseUrl: server.url, headers });
  // The same allowance in flight as the other contenders: the default of 8 would measure queueing in
  // the 32-concurrent rows, not overhead. One at a time, the limit makes no difference.
  const ours = createSentryClient({ token: TOKEN, baseUrl: server.url, maxConcurrency: 32 });
  const params = { path: { organization_id_or_slug: "acme" } };
  const contenders = {
    "raw fetch + json()": async () => (await fetch(url, { headers })).json(),
    "openapi-fetch GET": async () => (await openapiFetch.GET(PATH, { params })).data,
    // The same safety as our client's default timeout, done the cheap way: a cleared timer, not AbortSignal.timeout.
    "openapi-fetch GET with a timeout": async () => {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), 30_000);
      try {
        return (await openapiFetch.GET(PATH, { params, signal: timeout.signal })).data;
      } finally {
        clearTimeout(timer);
      }
    },
    "@sentry-org-api/client": () => ours.getOrganization("acme"),
    "@sentry/api 0.1.0": async () =>
      (await retrieveAnOrganization({ baseUrl: server.url, auth: TOKEN, path: params.path })).data,
    axios: async () => (await axios.get(url, { headers })).data,
  };
  const shape = quick ? { rounds: 2, warmup: 1 } : { rounds: 11, warmup: 2 };
  const results = {};
  try {
    for (const [mode, concurrency, count] of [
      ["sequential", 1, quick ? 50 : 200],
      ["32 concurrent", 32, quick ? 200 : 1600],
    ]) {
      results[mode] = await alternate(contenders, shape, (call) => timePerCall(call, { count, concurrency }));
    }
  } finally {
    await server.stop();
  }
  const rows = [];
  const details = [];
  for (const [mode, medians] of Object.entries(results)) {
    const raw = medians["raw fetch + json()"];
    const ours = medians["@sentry-org-api/client"];
    rows.push({
      measure: `our client : openapi-fetch GET, ${mode}`,
      value: ours / medians["openapi-fetch GET"],
      target: 1.05,
      better: "lower",
    });
    rows.push({
      measure: `our client : openapi-fetch GET with a timeout, ${mode}`,
      value: ours / medians["openapi-fetch GET with a timeout"],
    });
    details.push(
      `${mode}: ${Object.entries(medians)
        .map(([name, us]) => `${name} ${format(us, 0)} µs/call (${format(us / raw)}× raw)`)
        .join("; ")}`,
    );
  }
  details.push(
    'Our client sets a 30 s timeout on every attempt by default; "openapi-fetch GET with a timeout" does the same by hand (an AbortSignal and a cleared timer), which is what the bare openapi-fetch rows leave out.',
    "Our client runs with maxConcurrency: 32, so that in the 32-concurrent rows it has as many requests in flight as the others (its default of 8 would queue the rest).",
  );
  return { title: "1. Client overhead (getOrganization on loopback)", rows, details };
}
