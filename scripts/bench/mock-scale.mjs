// 7. Mock at scale: start to the first answer and resident memory with 100,000 members against 250,
// each mock in a fresh process, and resident memory after a stream of unique requests.
import { fork } from "node:child_process";
import { DEFAULT_MOCK_TOKEN } from "@sentry-org-api/contract";
import { format, median } from "./harness.mjs";

const MEMBERS = "/api/0/organizations/acme/members/";
const SIZES = [250, 100_000];
const MiB = 2 ** 20;

/** @param {import("node:child_process").ChildProcess} child */
const nextMessage = (child) =>
  new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`mock-process.mjs exited with ${code}`)));
  });

/** @param {string} url */
async function getMembers(url) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${DEFAULT_MOCK_TOKEN}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
}

/** Forks a mock, waits for its first answer and reads its memory; `then` runs more against it before it stops. */
async function startMock(members, then = async (_url, _rss) => {}) {
  const start = performance.now();
  const child = fork(new URL("mock-process.mjs", import.meta.url), [String(members)], { stdio: "inherit" });
  try {
    const { url, startMs } = /** @type {{ url: string, startMs: number }} */ (await nextMessage(child));
    await getMembers(`${url}${MEMBERS}`);
    const firstAnswerMs = performance.now() - start;
    const rss = async () => {
      child.send("rss");
      return /** @type {number} */ (await nextMessage(child));
    };
    const result = { firstAnswerMs, startMs, rss: await rss() };
    await then(url, rss);
    return result;
  } finally {
    child.kill();
  }
}

export async function run({ quick }) {
  const rounds = quick ? 1 : 3;
  /** @type {Record<number, { firstAnswerMs: number, startMs: number, rss: number }[]>} */
  const runs = Object.fromEntries(SIZES.map((size) => [size, []]));
  for (let round = 0; round < rounds; round++) {
    for (const size of round % 2 ? [...SIZES].reverse() : SIZES) runs[size].push(await startMock(size));
  }
  const med = (size, key) => median(runs[size].map((result) => result[key]));

  // Unique requests, each a full page the mock has not built before (about 90 KB): without a bound
  // its caches would keep every one, and memory would grow tenfold from the tenth to the last.
  const uniqueRequests = quick ? 200 : 2_000;
  /** Resident memory after the first tenth of the unique requests, and after all of them. */
  const unique = { tenth: 0, all: 0 };
  await startMock(100_000, async (url, rss) => {
    for (let i = 0; i < uniqueRequests; i++) {
      const perPage = 100 - Math.floor(i / 900);
      await getMembers(`${url}${MEMBERS}?query=isInvited%3Afalse&per_page=${perPage}&cursor=${perPage}:${i % 900}:0`);
      if (i + 1 === uniqueRequests / 10) unique.tenth = await rss();
    }
    unique.all = await rss();
  });

  const [small, large] = SIZES;
  return {
    title: `7. Mock at scale (members of acme; a fresh process per start, ${rounds} round${rounds > 1 ? "s" : ""}, medians)`,
    rows: [
      {
        measure: "mock start to first answer, 100,000 members : 250",
        value: med(large, "firstAnswerMs") / med(small, "firstAnswerMs"),
      },
      {
        measure: "mock resident memory after the first answer, 100,000 members : 250",
        value: med(large, "rss") / med(small, "rss"),
      },
      {
        measure: `mock resident memory after ${uniqueRequests.toLocaleString("en")} unique page requests : after the first tenth of them`,
        value: unique.all / unique.tenth,
      },
    ],
    details: [
      ...SIZES.map(
        (size) =>
          `${size.toLocaleString("en")} members: first answer ${format(med(size, "firstAnswerMs"), 0)} ms after the process was spawned (startMockServer ${format(med(size, "startMs"), 1)} ms of it), ${format(med(size, "rss") / MiB, 1)} MiB resident`,
      ),
      `100,000 members, unique page requests: ${format(unique.tenth / MiB, 1)} MiB resident after ${(uniqueRequests / 10).toLocaleString("en")}, ${format(unique.all / MiB, 1)} MiB after ${uniqueRequests.toLocaleString("en")} (issue 9: first answer within 0.5 s, under 150 MB)`,
    ],
  };
}
