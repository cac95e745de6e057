// Child-process servers for the benchmarks, so that the contender's event loop is its own.
// Usage: node servers.mjs organization | mock [members] | fixed-members-page [perPage]
import { createServer } from "node:http";
import { createSeedData, startMockServer } from "@sentry-org-api/contract";
import { RATE_LIMIT_HEADERS as NAMES, OPERATION_RATE_LIMITS } from "@sentry-org-api/types/protocol";

const [kind, size] = process.argv.slice(2);
/** What sentry.io sends with a members page early in a window. */
const { requests } = OPERATION_RATE_LIMITS.listOrganizationMembers;
const RATE_LIMIT_HEADERS = {
  [NAMES.limit]: String(requests),
  [NAMES.remaining]: String(requests - 1),
  [NAMES.reset]: "1732831200",
  [NAMES.concurrentLimit]: "25",
  [NAMES.concurrentRemaining]: "24",
};

function serveFixed(body, extraHeaders = {}) {
  const bytes = Buffer.from(body);
  const server = createServer((_, response) => {
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": bytes.length,
      ...RATE_LIMIT_HEADERS,
      ...extraHeaders,
    });
    response.end(bytes);
  });
  server.listen(0, "127.0.0.1", () => {
    const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
    process.send?.(`http://127.0.0.1:${port}`);
  });
}

if (kind === "organization") {
  serveFixed(JSON.stringify(createSeedData()[0].organization));
} else if (kind === "fixed-members-page") {
  const members = createSeedData({ members: Number(size ?? 100) })[0].members.map(({ externalUsers, ...m }) => m);
  serveFixed(JSON.stringify(members), {
    link: '<http://127.0.0.1/x/?&cursor=100:0:1>; rel="previous"; results="false"; cursor="100:0:1", <http://127.0.0.1/x/?&cursor=100:1:0>; rel="next"; results="false"; cursor="100:1:0"',
  });
} else if (kind === "mock") {
  // A limit no benchmark reaches: the rate-limit headers stay on every answer, but never say
  // Remaining: 0, so a walk measures paging rather than the client's pacing waits.
  const mock = await startMockServer({
    members: Number(size ?? 250),
    rateLimit: { listOrganizationMembers: 1_000_000 },
  });
  process.send?.(mock.url);
} else {
  console.error(`servers.mjs: unknown server ${JSON.stringify(kind)}`);
  process.exit(2);
}
