import { describe, expect, test } from "vitest";
import { createSentryClient, type Page, type SentryClientOptions } from "../src/index.js";
import { apiError, json, reply, stubFetch } from "./stub-fetch.js";

const BASE = "https://us.sentry.io";
const MEMBERS = `${BASE}/api/0/organizations/acme/members/`;

interface ServedPage {
  items: { id: string }[];
  previous: [cursor: string, results: boolean];
  next: [cursor: string, results: boolean];
}

/** Three pages as Sentry serves them: page 1's previous and page 3's next have results="false". */
const THREE_PAGES: Record<string, ServedPage> = {
  "": { items: [{ id: "1" }, { id: "2" }], previous: ["2:-1:1", false], next: ["2:1:0", true] },
  "2:1:0": { items: [{ id: "3" }, { id: "4" }], previous: ["2:0:1", true], next: ["2:2:0", true] },
  "2:2:0": { items: [{ id: "5" }], previous: ["2:1:1", true], next: ["2:3:0", false] },
};

const RATE_LIMIT_HEADERS = {
  "x-sentry-rate-limit-limit": "40",
  "x-sentry-rate-limit-remaining": "39",
  "x-sentry-rate-limit-reset": "1900000000",
};

/**
 * A stub Sentry serving `pages` by cursor, with Sentry's Link header on every page. The Link URLs name
 * `linkHost` and carry `linkUrlCursor` (by default the cursor itself), as a customer domain would.
 */
function sentryServer(
  pages: Record<string, ServedPage> = THREE_PAGES,
  {
    linkHost = "https://acme.sentry.io",
    linkUrlCursor = (cursor: string) => cursor,
    headers = {},
  }: { linkHost?: string; linkUrlCursor?: (cursor: string) => string; headers?: Record<string, string> } = {},
) {
  return stubFetch((request) => {
    const url = new URL(request.url);
    const page = pages[url.searchParams.get("cursor") ?? ""];
    if (!page) return json(request, { detail: "Invalid cursor parameter." }, { status: 400 });
    const relation = (rel: string, [cursor, results]: [string, boolean]) =>
      `<${linkHost}${url.pathname}?&cursor=${linkUrlCursor(cursor)}>; rel="${rel}"; results="${results}"; ` +
      `cursor="${cursor}"`;
    const link = `${relation("previous", page.previous)}, ${relation("next", page.next)}`;
    return json(request, page.items, { headers: { link, ...RATE_LIMIT_HEADERS, ...headers } });
  });
}

const client = (fetch: SentryClientOptions["fetch"]) =>
  createSentryClient({ token: "test-token", baseUrl: BASE, fetch, maxRetries: 0 });

const cursors = (calls: { url: URL }[]) => calls.map((call) => call.url.searchParams.get("cursor"));

describe("following the Link header", () => {
  test('follows next while results is "true": every item, in order', async () => {
    const { fetch, calls } = sentryServer();
    const items = await client(fetch).listMembers("acme").toArray();
    expect(items.map((item) => item.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(cursors(calls)).toEqual([null, "2:1:0", "2:2:0"]);
  });

  test('a next relation with results="false" ends the iteration though it has a cursor', async () => {
    const { fetch, calls } = sentryServer();
    for await (const _ of client(fetch).listMembers("acme")) {
      // drain
    }
    expect(calls).toHaveLength(3);
    expect(cursors(calls)).not.toContain("2:3:0");
  });

  test("a page without a Link header stops the walk with invalid_response rather than end it early", async () => {
    const { fetch, calls } = stubFetch((request) =>
      reply(request, JSON.stringify([{ id: "1" }]), { headers: { "content-type": "application/json" } }),
    );
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("listMembers: the answer has no Link header");
    expect(calls).toHaveLength(1);
  });

  test('a next relation with results="true" but no cursor stops the walk the same way', async () => {
    const link =
      '<https://sentry.io/x/>; rel="previous"; results="false"; cursor="a", <https://sentry.io/x/>; rel="next"; results="true"';
    const { fetch } = stubFetch((request) => json(request, [{ id: "1" }], { headers: { link } }));
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.message).toBe('listMembers: the Link header rel="next" has no cursor');
  });

  test("takes only the cursor attribute and rebuilds the URL on baseUrl, whatever host the Link names", async () => {
    const { fetch, calls } = sentryServer(THREE_PAGES, {
      linkHost: "https://evil.example",
      linkUrlCursor: () => "0:666:0",
    });
    await client(fetch).listMembers("acme", { perPage: 2 }).toArray();
    expect(calls).toHaveLength(3);
    for (const { request } of calls) expect(request.url.startsWith(`${MEMBERS}?`)).toBe(true);
    expect(calls.map((call) => call.url.origin)).toEqual([BASE, BASE, BASE]);
    expect(cursors(calls)).toEqual([null, "2:1:0", "2:2:0"]);
    expect(calls.map((call) => call.url.searchParams.get("per_page"))).toEqual(["2", "2", "2"]);
  });

  test("a next cursor that repeats the last one stops with invalid_response", async () => {
    const { fetch, calls } = sentryServer({
      "": { items: [{ id: "1" }], previous: ["p", false], next: ["c1", true] },
      c1: { items: [{ id: "2" }], previous: ["p", true], next: ["c1", true] },
    });
    const seen: string[] = [];
    const error = await apiError(
      (async () => {
        for await (const member of client(fetch).listMembers("acme")) seen.push(member.id);
      })(),
    );
    expect(seen).toEqual(["1", "2"]);
    expect(calls).toHaveLength(2);
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("listMembers: the next cursor repeats; stopping");
    expect(error.status).toBe(200);
    expect(error.request).toEqual({ method: "GET", url: `${MEMBERS}?cursor=c1` });
  });

  test("a next cursor that repeats an earlier page's stops too", async () => {
    const { fetch, calls } = sentryServer({
      "": { items: [{ id: "1" }], previous: ["p", false], next: ["a", true] },
      a: { items: [{ id: "2" }], previous: ["p", true], next: ["b", true] },
      b: { items: [{ id: "3" }], previous: ["p", true], next: ["a", true] },
    });
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.message).toBe("listMembers: the next cursor repeats; stopping");
    expect(calls).toHaveLength(3);
  });

  test("the starting cursor counts as seen", async () => {
    const { fetch, calls } = sentryServer({
      c1: { items: [{ id: "2" }], previous: ["p", true], next: ["c1", true] },
    });
    const error = await apiError(client(fetch).listRepositories("acme", { cursor: "c1" }).toArray());
    expect(error.message).toBe("listRepositories: the next cursor repeats; stopping");
    expect(calls).toHaveLength(1);
  });

  test("an error page stops the iteration with its SentryApiError", async () => {
    const { fetch, calls } = sentryServer({
      "": { items: [{ id: "1" }], previous: ["p", false], next: ["gone", true] },
    });
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.kind).toBe("http");
    expect(error.status).toBe(400);
    expect(calls).toHaveLength(2);
  });

  test.each([
    ["an object", { detail: "not a list" }],
    ["null", null],
  ])("a 2xx list body that is %s is kind invalid_response", async (_, body) => {
    const { fetch } = stubFetch((request) => json(request, body));
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.kind).toBe("invalid_response");
  });
});

describe("pages()", () => {
  test("exposes items, nextCursor, prevCursor, hits, rateLimit and response", async () => {
    const { fetch } = sentryServer(THREE_PAGES, { headers: { "x-hits": "5" } });
    const pages: Page<unknown>[] = [];
    for await (const page of client(fetch).listRepositories("acme").pages()) pages.push(page);
    expect(pages.map((page) => [page.items, page.nextCursor, page.prevCursor, page.hits])).toEqual([
      [[{ id: "1" }, { id: "2" }], "2:1:0", null, 5],
      [[{ id: "3" }, { id: "4" }], "2:2:0", "2:0:1", 5],
      [[{ id: "5" }], null, "2:1:1", 5],
    ]);
    for (const page of pages) {
      expect(page.rateLimit).toEqual({ limit: 40, remaining: 39, reset: 1_900_000_000 });
      expect(page.response).toBeInstanceOf(Response);
      expect(page.response.status).toBe(200);
      expect(page.response.headers.get("link")).toContain('rel="next"');
    }
  });

  test("hits is undefined without X-Hits (members), and rateLimit without the headers", async () => {
    const { fetch } = stubFetch((request) => json(request, [{ id: "1" }]));
    const first = await client(fetch).listMembers("acme").pages().next();
    expect(first.done).toBe(false);
    const page = first.value as Page<unknown>;
    expect(page.hits).toBeUndefined();
    expect(page.rateLimit).toBeUndefined();
    expect(page.nextCursor).toBeNull();
    expect(page.prevCursor).toBeNull();
  });

  test.each(["zz", "", "-1", "1e3", "5.5"])("hits is undefined when X-Hits is %j, not a count", async (hits) => {
    const { fetch } = sentryServer(THREE_PAGES, { headers: { "x-hits": hits } });
    const first = await client(fetch).listRepositories("acme").pages().next();
    expect((first.value as Page<unknown>).hits).toBeUndefined();
  });

  test("the cursor option starts from that cursor", async () => {
    const { fetch, calls } = sentryServer();
    const items = await client(fetch).listMembers("acme", { cursor: "2:1:0" }).toArray();
    expect(items.map((item) => item.id)).toEqual(["3", "4", "5"]);
    expect(cursors(calls)).toEqual(["2:1:0", "2:2:0"]);
  });
});

describe("laziness", () => {
  test("creating a paginator makes no request", () => {
    const { fetch, calls } = sentryServer();
    client(fetch).listMembers("acme");
    client(fetch).listRepositories("acme");
    expect(calls).toHaveLength(0);
  });

  test("taking one item with for await ... break makes one request", async () => {
    const { fetch, calls } = sentryServer();
    for await (const member of client(fetch).listMembers("acme")) {
      expect(member).toEqual({ id: "1" });
      break;
    }
    expect(calls).toHaveLength(1);
  });

  test("taking three items makes two requests", async () => {
    const { fetch, calls } = sentryServer();
    const taken: string[] = [];
    for await (const member of client(fetch).listMembers("acme")) {
      taken.push(member.id);
      if (taken.length === 3) break;
    }
    expect(taken).toEqual(["1", "2", "3"]);
    expect(calls).toHaveLength(2);
  });

  test("pages().next() fetches one page", async () => {
    const { fetch, calls } = sentryServer();
    await client(fetch).listMembers("acme").pages().next();
    expect(calls).toHaveLength(1);
  });
});

describe("toArray({ maxItems })", () => {
  test.each([
    [4, 2],
    [3, 2],
    [2, 1],
    [1, 1],
  ])("maxItems %i with 5 items: RangeError after %i request(s)", async (maxItems, requests) => {
    const { fetch, calls } = sentryServer();
    await expect(client(fetch).listMembers("acme").toArray({ maxItems })).rejects.toThrow(
      new RangeError(`listMembers: more than ${maxItems} items; raise maxItems or iterate with for await`),
    );
    expect(calls).toHaveLength(requests);
  });

  test("maxItems equal to the number of items returns them all", async () => {
    const { fetch } = sentryServer();
    expect(await client(fetch).listRepositories("acme").toArray({ maxItems: 5 })).toHaveLength(5);
  });

  test("the default of 10,000 is enforced", async () => {
    const big = Array.from({ length: 100 }, (_, i) => ({ id: String(i) }));
    let page = 0;
    const { fetch, calls } = stubFetch((request) => {
      page++;
      const link =
        `<${MEMBERS}>; rel="previous"; results="false"; cursor="100:${page - 2}:1", ` +
        `<${MEMBERS}>; rel="next"; results="true"; cursor="100:${page}:0"`;
      return json(request, big, { headers: { link } });
    });
    await expect(client(fetch).listMembers("acme").toArray()).rejects.toThrow(
      new RangeError("listMembers: more than 10000 items; raise maxItems or iterate with for await"),
    );
    expect(calls).toHaveLength(100);
  });
});

describe("query parameters", () => {
  test("listRepositories sends query, status, integration_id, expand=settings and per_page", async () => {
    const { fetch, calls } = sentryServer();
    await client(fetch)
      .listRepositories("acme", {
        query: "web app",
        status: "deleted",
        integrationId: "42",
        expand: ["settings"],
        perPage: 25,
      })
      .toArray();
    const [first, second] = calls;
    expect([...(first?.url.searchParams ?? [])].sort()).toEqual([
      ["expand", "settings"],
      ["integration_id", "42"],
      ["per_page", "25"],
      ["query", "web app"],
      ["status", "deleted"],
    ]);
    expect(first?.url.search).toContain("&expand=settings&");
    expect([...(second?.url.searchParams ?? [])].sort()).toEqual([
      ["cursor", "2:1:0"],
      ["expand", "settings"],
      ["integration_id", "42"],
      ["per_page", "25"],
      ["query", "web app"],
      ["status", "deleted"],
    ]);
  });

  test("listMembers sends query (with + and : intact), expand=externalUsers and per_page", async () => {
    const { fetch, calls } = sentryServer();
    await client(fetch)
      .listMembers("acme", { query: "email:a+b@example.com role:owner", expand: ["externalUsers"], perPage: 100 })
      .pages()
      .next();
    const url = calls[0]?.url as URL;
    expect([...url.searchParams].sort()).toEqual([
      ["expand", "externalUsers"],
      ["per_page", "100"],
      ["query", "email:a+b@example.com role:owner"],
    ]);
    expect(url.search).not.toContain("+");
  });

  test("no options: no query string at all", async () => {
    const { fetch, calls } = sentryServer();
    await client(fetch).listMembers("acme").pages().next();
    await client(fetch).listRepositories("acme").pages().next();
    expect(calls.map((call) => call.request.url)).toEqual([MEMBERS, `${BASE}/api/0/organizations/acme/repos/`]);
  });

  test.each([
    ["no options", undefined, ""],
    ["detailed: true", { detailed: true }, ""],
    ["includeFeatureFlags: false", { includeFeatureFlags: false }, ""],
    ["detailed: false", { detailed: false }, "?detailed=0"],
    ["includeFeatureFlags: true", { includeFeatureFlags: true }, "?include_feature_flags=1"],
    ["both", { detailed: false, includeFeatureFlags: true }, "?detailed=0&include_feature_flags=1"],
  ])("getOrganization with %s sends %j", async (_, options, search) => {
    const { fetch, calls } = stubFetch((request) => json(request, { id: "2", slug: "acme" }));
    await client(fetch).getOrganization("acme", options);
    expect(calls[0]?.url.pathname).toBe("/api/0/organizations/acme/");
    expect(calls[0]?.url.search).toBe(search);
  });
});

/** Sentry's Link header for a page whose next cursor is `next` (results="true"). */
const linkTo = (next: string) =>
  `<${MEMBERS}>; rel="previous"; results="false"; cursor="p", <${MEMBERS}>; rel="next"; results="true"; cursor="${next}"`;

describe("cursors", () => {
  test("a next cursor longer than 1 KiB stops the walk with invalid_response", async () => {
    const { fetch, calls } = stubFetch((request) =>
      json(request, [{ id: "1" }], { headers: { link: linkTo("c".repeat(1025)) } }),
    );
    const error = await apiError(client(fetch).listMembers("acme").toArray());
    expect(error.kind).toBe("invalid_response");
    expect(error.message).toBe("listMembers: the next cursor is longer than 1024 characters");
    expect(error.request).toEqual({ method: "GET", url: MEMBERS });
    expect(calls).toHaveLength(1);
  });

  test("a next cursor of 1024 characters is followed", async () => {
    const long = "c".repeat(1024);
    const { fetch, calls } = stubFetch((request) =>
      new URL(request.url).searchParams.get("cursor") === long
        ? json(request, [{ id: "2" }])
        : json(request, [{ id: "1" }], { headers: { link: linkTo(long) } }),
    );
    expect(await client(fetch).listMembers("acme").toArray()).toEqual([{ id: "1" }, { id: "2" }]);
    expect(calls).toHaveLength(2);
  });

  test("a walk remembers the latest 1000 cursors: an older one may come back, a recent one stops it", async () => {
    // Requests 0 to 1000 link to cursors c1 to c1001; request 1001 links back to c1, forgotten by
    // then; request 1002 links to c1000, still remembered.
    const next = (n: number) => (n <= 1000 ? `c${n + 1}` : n === 1001 ? "c1" : "c1000");
    const { fetch, calls } = stubFetch((request, n) =>
      json(request, [{ id: String(n) }], { headers: { link: linkTo(next(n)) } }),
    );
    const error = await apiError(client(fetch).listMembers("acme").toArray({ maxItems: 5000 }));
    expect(error.message).toBe("listMembers: the next cursor repeats; stopping");
    expect(calls).toHaveLength(1003);
    expect(cursors(calls.slice(-2))).toEqual(["c1001", "c1"]);
  });
});

describe("overlapping calls to next()", () => {
  test("on the items: each call gets the next item, in order, none lost or repeated", async () => {
    const { fetch, calls } = sentryServer();
    const iterator = client(fetch).listMembers("acme")[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 7 }, () => iterator.next()));
    expect(results.map((result) => (result.done ? "done" : result.value.id))).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "done",
      "done",
    ]);
    expect(cursors(calls)).toEqual([null, "2:1:0", "2:2:0"]);
  });

  test("on the items, a call made on every tick while a page comes: all resolve in the order made", async () => {
    const { fetch } = sentryServer();
    const iterator = client(fetch).listMembers("acme")[Symbol.asyncIterator]();
    const results: Promise<IteratorResult<{ id: string }>>[] = [];
    for (let tick = 0; tick < 300; tick++) {
      results.push(iterator.next());
      await null;
    }
    const ids = (await Promise.all(results)).map((result) => (result.done ? "done" : result.value.id));
    expect(ids.slice(0, 6)).toEqual(["1", "2", "3", "4", "5", "done"]);
    expect(new Set(ids.slice(5))).toEqual(new Set(["done"]));
  });

  test("on the items, after an error: the calls queued behind it are done", async () => {
    const { fetch } = stubFetch((request) => json(request, { detail: "no" }, { status: 404 }));
    const iterator = client(fetch).listMembers("acme")[Symbol.asyncIterator]();
    const [first, second] = await Promise.allSettled([iterator.next(), iterator.next()]);
    expect(first).toMatchObject({ status: "rejected", reason: { kind: "not_found" } });
    expect(second).toEqual({ status: "fulfilled", value: { done: true, value: undefined } });
  });

  test("return() queued behind a pending next() ends the walk after it", async () => {
    const { fetch, calls } = sentryServer();
    const iterator = client(fetch).listMembers("acme")[Symbol.asyncIterator]();
    const [first, ended, after] = await Promise.all([iterator.next(), iterator.return?.(), iterator.next()]);
    expect(first).toEqual({ done: false, value: { id: "1" } });
    expect(ended).toEqual({ done: true, value: undefined });
    expect(after).toEqual({ done: true, value: undefined });
    expect(calls).toHaveLength(1);
  });

  test("on pages(): each call gets the next page, in order", async () => {
    const { fetch, calls } = sentryServer();
    const pages = client(fetch).listMembers("acme").pages();
    const results = await Promise.all([pages.next(), pages.next(), pages.next(), pages.next()]);
    expect(results.map((result) => (result.done ? "done" : result.value.items.map((item) => item.id)))).toEqual([
      ["1", "2"],
      ["3", "4"],
      ["5"],
      "done",
    ]);
    expect(calls).toHaveLength(3);
  });
});
