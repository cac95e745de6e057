// 3. Mock server: throughput and latency on the members list, and startup time, against Prism.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { DEFAULT_MOCK_TOKEN } from "@sentry-org-api/contract";
import autocannon from "autocannon";
import { alternate, format, median, startChildServer } from "./harness.mjs";

const root = new URL("../../", import.meta.url).pathname;
const MEMBERS = "/api/0/organizations/acme/members/";

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });

/** Spawns a server process and resolves once it answers the members list, with the time that took. */
async function spawnServer(command, args, url) {
  const start = performance.now();
  const child = spawn(command, args, { cwd: root, stdio: "ignore" });
  const deadline = start + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}${MEMBERS}`, { headers: { authorization: `Bearer ${DEFAULT_MOCK_TOKEN}` } });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {}
    if (performance.now() > deadline) throw new Error(`${args.join(" ")} did not answer within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const startupMs = performance.now() - start;
  const stop = () =>
    new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve).kill() : resolve(undefined)));
  return { startupMs, stop };
}

const startOurs = async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = `${root}packages/contract/bin/sentry-org-api.js`;
  return { url, ...(await spawnServer(process.execPath, [bin, "mock", "--port", String(port)], url)) };
};

const startPrism = async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["mock", "-h", "127.0.0.1", "-p", String(port), "-v", "silent", "openapi/dist/openapi.json"];
  return { url, ...(await spawnServer(`${root}node_modules/.bin/prism`, args, url)) };
};

async function load(url, duration) {
  const result = await autocannon({
    url,
    connections: 10,
    duration,
    headers: { authorization: `Bearer ${DEFAULT_MOCK_TOKEN}` },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    bytesPerRequest: result.throughput.average / result.requests.average,
  };
}

/**
 * Prism answers with the spec's two-member example whatever is asked, so the comparison is made at
 * the same payload (`per_page=2`), and again at the mock's default page of 100 members.
 */
const SCENARIOS = [
  { name: "two members a page (Prism's payload)", query: "?per_page=2", floorMembers: 2 },
  { name: "100 members a page (the default; Prism still serves its 2)", query: "", floorMembers: 100 },
];

export async function run({ quick }) {
  const duration = quick ? 1 : 4;
  const rounds = quick ? 1 : 3;
  const ours = await startOurs();
  const prism = await startPrism();
  const floors = await Promise.all(SCENARIOS.map((s) => startChildServer("fixed-members-page", s.floorMembers)));
  const rows = [];
  const details = [];
  try {
    for (const [index, scenario] of SCENARIOS.entries()) {
      const servers = { "our mock": ours, "Prism 5.16 mock": prism, "bare node:http": floors[index] };
      /** @type {Record<string, { rps: number, p99: number, bytesPerRequest: number }[]>} */
      const runs = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
      await alternate(servers, { rounds, warmup: 1 }, async (server, name) => {
        const result = await load(
          `${server.url}${MEMBERS}${name === "bare node:http" ? "" : scenario.query}`,
          duration,
        );
        runs[name].push(result);
        return result.rps;
      });
      // Each list starts with its warm-up run, which does not count.
      const summary = Object.fromEntries(
        Object.entries(runs).map(([name, list]) => [
          name,
          {
            rps: median(list.slice(1).map((r) => r.rps)),
            p99: median(list.slice(1).map((r) => r.p99)),
            bytes: median(list.slice(1).map((r) => r.bytesPerRequest)),
          },
        ]),
      );
      const our = summary["our mock"];
      rows.push({
        measure: `our mock : Prism mock, requests/s, ${scenario.name}`,
        value: our.rps / summary["Prism 5.16 mock"].rps,
        ...(index === 0 ? { target: 10, better: "higher" } : {}),
      });
      rows.push({
        measure: `our mock : bare node:http, requests/s, ${scenario.name}`,
        value: our.rps / summary["bare node:http"].rps,
      });
      details.push(
        `${scenario.name}: ${Object.entries(summary)
          .map(
            ([name, s]) =>
              `${name} ${format(s.rps, 0)} requests/s, p99 ${format(s.p99, 0)} ms, ${format(s.bytes / 1024, 1)} KiB an answer`,
          )
          .join("; ")}`,
      );
    }
  } finally {
    await Promise.all([ours, prism, ...floors].map((server) => server.stop()));
  }
  details.push(
    `startup to the first answer: our mock ${format(ours.startupMs, 0)} ms, Prism ${format(prism.startupMs, 0)} ms`,
  );
  return {
    title: `3. Mock server (GET ${MEMBERS}, autocannon, 10 connections, ${duration} s × ${rounds} rounds after a warm-up)`,
    rows,
    details,
  };
}
