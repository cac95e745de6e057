// 8. Mock in process: calls a second answered by createMockSentry's fetch against the HTTP mock's
// (in its own process, as a test suite's mock server runs), on the same requests and the same pages.
import { createSentryClient } from "@sentry-org-api/client";
import { createMockSentry, DEFAULT_MOCK_TOKEN } from "@sentry-org-api/contract";
import { alternate, format, startChildServer, timePerCall } from "./harness.mjs";

const MEMBERS = 1_000;
const PAGE = "/api/0/organizations/acme/members/?per_page=100";
const headers = { authorization: `Bearer ${DEFAULT_MOCK_TOKEN}` };

/**
 * The workloads, each call a page read whole or the client walking every member (ten pages). Only the
 * first has a target: when requests overlap, the HTTP mock answers on another core while the mock in
 * process shares the caller's thread; and the client parses every page alike, whatever answers it.
 */
const WORKLOADS = [
  { name: "plain fetch of a 100-member page, one at a time", concurrency: 1, calls: 500, target: 5, call: readPage },
  { name: "plain fetch of a 100-member page, 8 at a time", concurrency: 8, calls: 500, call: readPage },
  {
    name: `the client walking ${MEMBERS.toLocaleString("en")} members (10 pages)`,
    concurrency: 1,
    calls: 25,
    call: (fetcher, baseUrl) => {
      const sentry = createSentryClient({ token: DEFAULT_MOCK_TOKEN, baseUrl, fetch: (request) => fetcher(request) });
      return async () => {
        const members = await sentry.listMembers("acme").toArray({ maxItems: MEMBERS });
        if (members.length !== MEMBERS) throw new Error(`the walk saw ${members.length} of ${MEMBERS} members`);
      };
    },
  },
];

function readPage(fetcher, baseUrl) {
  return async () => {
    const response = await fetcher(`${baseUrl}${PAGE}`, { headers });
    if (response.status !== 200) throw new Error(`${PAGE} answered ${response.status}`);
    return response.arrayBuffer();
  };
}

export async function run({ quick }) {
  const server = await startChildServer("mock", MEMBERS);
  // The HTTP mock's limit (servers.mjs), which no walk reaches: a walk measures paging, not pacing waits.
  const inProcess = createMockSentry({ members: MEMBERS, rateLimit: { listOrganizationMembers: 1_000_000 } });
  const shape = quick ? { rounds: 1, warmup: 1 } : { rounds: 5, warmup: 1 };
  const rows = [];
  const details = [];
  try {
    for (const workload of WORKLOADS) {
      const calls = quick ? Math.ceil(workload.calls / 25) : workload.calls;
      // Ten times the calls in process, so that each contender is timed over a similar stretch of the run.
      const count = { "HTTP mock": calls, "mock in process": calls * 10 };
      const contenders = {
        "HTTP mock": workload.call(fetch, server.url),
        "mock in process": workload.call(inProcess.fetch, inProcess.baseUrl),
      };
      const medians = await alternate(contenders, shape, (call, name) =>
        timePerCall(call, { count: count[name], concurrency: workload.concurrency }),
      );
      const perSecond = (name) => 1e6 / medians[name];
      rows.push({
        measure: `mock in process : HTTP mock, calls/s, ${workload.name}`,
        value: perSecond("mock in process") / perSecond("HTTP mock"),
        ...(workload.target ? { target: workload.target, better: "higher" } : {}),
      });
      details.push(
        `${workload.name}: mock in process ${format(perSecond("mock in process"), 0)} calls/s, HTTP mock ${format(perSecond("HTTP mock"), 0)} calls/s`,
      );
    }
  } finally {
    await Promise.all([server.stop(), inProcess.close()]);
  }
  return {
    title: `8. Mock in process (acme with ${MEMBERS.toLocaleString("en")} members; ${shape.rounds} round${shape.rounds > 1 ? "s" : ""} after a warm-up, medians)`,
    rows,
    details,
  };
}
