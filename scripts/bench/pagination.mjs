// 2. Pagination: walking the members list of the mock, and memory while walking it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createSentryClient } from "@sentry-org-api/client";
import { DEFAULT_MOCK_TOKEN } from "@sentry-org-api/contract";
import { alternate, format, startChildServer } from "./harness.mjs";

/** What a careful hand-written loop does: fetch, parse, and follow rel="next" while results="true". */
async function handWrittenWalk(baseUrl) {
  let count = 0;
  let cursor;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const response = await fetch(`${baseUrl}/api/0/organizations/acme/members/?per_page=100${query}`, {
      headers: { authorization: `Bearer ${DEFAULT_MOCK_TOKEN}` },
    });
    for (const _member of await response.json()) count++;
    const next = response.headers
      .get("link")
      ?.split(",")
      .find((part) => part.includes('rel="next"'));
    cursor = next?.includes('results="true"') ? /cursor="([^"]*)"/.exec(next)?.[1] : undefined;
  } while (cursor);
  return count;
}

async function peakRss(members) {
  const server = await startChildServer("mock", members);
  try {
    const walker = new URL("walk-members.mjs", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [walker, server.url, DEFAULT_MOCK_TOKEN]);
    const { count, maxRssKiB } = JSON.parse(stdout);
    if (count !== members) throw new Error(`the walk saw ${count} of ${members} members`);
    return maxRssKiB / 1024;
  } finally {
    await server.stop();
  }
}

export async function run({ quick }) {
  const members = quick ? 1_000 : 10_000;
  const server = await startChildServer("mock", members);
  const client = createSentryClient({ token: DEFAULT_MOCK_TOKEN, baseUrl: server.url });
  const contenders = {
    "our paginator": async () => {
      let count = 0;
      for await (const _member of client.listMembers("acme", { perPage: 100 })) count++;
      return count;
    },
    "our paginator, pages()": async () => {
      let count = 0;
      for await (const page of client.listMembers("acme", { perPage: 100 }).pages())
        for (const _member of page.items) count++;
      return count;
    },
    "hand-written fetch loop": () => handWrittenWalk(server.url),
  };
  let medians;
  try {
    medians = await alternate(contenders, quick ? { rounds: 2, warmup: 1 } : { rounds: 9, warmup: 2 }, async (walk) => {
      const start = performance.now();
      const count = await walk();
      if (count !== members) throw new Error(`a walk saw ${count} of ${members} members`);
      return performance.now() - start;
    });
  } finally {
    await server.stop();
  }
  const [small, large] = quick ? [1_000, 2_000] : [10_000, 100_000];
  const rssSmall = await peakRss(small);
  const rssLarge = await peakRss(large);
  return {
    title: `2. Pagination (${members.toLocaleString("en")} members, 100 per page, from the mock)`,
    rows: [
      {
        measure: "our paginator (for await over members) : hand-written fetch loop",
        value: medians["our paginator"] / medians["hand-written fetch loop"],
        target: 1.1,
        better: "lower",
      },
      {
        measure: "our paginator (pages()) : hand-written fetch loop",
        value: medians["our paginator, pages()"] / medians["hand-written fetch loop"],
      },
      {
        measure: `peak RSS walking ${large.toLocaleString("en")} : ${small.toLocaleString("en")} members`,
        value: rssLarge / rssSmall,
      },
    ],
    details: [
      `walk time (medians): our paginator with for await over members ${format(medians["our paginator"], 0)} ms, by pages() ${format(medians["our paginator, pages()"], 0)} ms, hand-written loop ${format(medians["hand-written fetch loop"], 0)} ms`,
      `peak RSS of the walking process: ${format(rssSmall, 1)} MiB at ${small.toLocaleString("en")} members, ${format(rssLarge, 1)} MiB at ${large.toLocaleString("en")}`,
    ],
  };
}
