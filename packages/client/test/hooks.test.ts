import { describe, expect, test, vi } from "vitest";
import type { RetryInfo } from "../src/index.js";
import { createOpenApiFetchClient } from "../src/openapi-fetch.js";
import {
  apiError,
  stubClient as client,
  hang,
  json,
  rejection,
  runOnFakeClock as run,
  stubFetch,
  T0,
  T0_SECONDS,
  thrown,
  useFakeClock,
} from "./stub-fetch.js";

useFakeClock(0.5);

const organization = { id: "2", slug: "acme", name: "Acme" };

/** Records each onRetry call with the fake clock's time, to show it comes before its wait. */
function recorder() {
  const seen: (RetryInfo & { at: number })[] = [];
  return { seen, onRetry: (info: RetryInfo) => seen.push({ ...info, at: Date.now() - T0 }) };
}

describe("onRetry", () => {
  test("503 twice: told before each backoff wait, with the attempt that follows it", async () => {
    const { seen, onRetry } = recorder();
    const { fetch } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    await apiError(run(client(fetch, { onRetry }).getOrganization("acme")));
    expect(seen).toEqual([
      { operation: "getOrganization", attempt: 2, delayMs: 250, reason: 503, at: 0 },
      { operation: "getOrganization", attempt: 3, delayMs: 500, reason: 503, at: 250 },
    ]);
  });

  test("429 with a reset: the server's wait plus jitter", async () => {
    const { seen, onRetry } = recorder();
    const { fetch } = stubFetch((request, index) =>
      index === 0
        ? json(request, "too frequently", {
            status: 429,
            headers: {
              "x-sentry-rate-limit-limit": "40",
              "x-sentry-rate-limit-remaining": "0",
              "x-sentry-rate-limit-reset": String(T0_SECONDS + 4),
            },
          })
        : json(request, [], {}),
    );
    await run(client(fetch, { onRetry }).listMembers("acme").toArray());
    expect(seen).toEqual([{ operation: "listMembers", attempt: 2, delayMs: 4500, reason: 429, at: 0 }]);
  });

  test("a network error, then a timeout", async () => {
    const { seen, onRetry } = recorder();
    const { fetch } = stubFetch((request, index) => {
      if (index === 0) throw new TypeError("fetch failed");
      if (index === 1) return hang(request);
      return json(request, []);
    });
    await run(client(fetch, { onRetry, timeoutMs: 1000 }).listRepositories("acme").toArray());
    expect(seen).toEqual([
      { operation: "listRepositories", attempt: 2, delayMs: 250, reason: "network", at: 0 },
      { operation: "listRepositories", attempt: 3, delayMs: 500, reason: "timeout", at: 1250 },
    ]);
  });

  test("an openapi-fetch call is named by its method and path template, never its URL", async () => {
    const { seen, onRetry } = recorder();
    const { fetch } = stubFetch((request, index) =>
      index === 0 ? json(request, { detail: "busy" }, { status: 502 }) : json(request, []),
    );
    await run(
      createOpenApiFetchClient(client(fetch, { onRetry })).GET(
        "/api/0/organizations/{organization_id_or_slug}/members/",
        {
          params: { path: { organization_id_or_slug: "acme" }, query: { cursor: "100:1:0" } },
        },
      ),
    );
    expect(seen).toEqual([
      {
        operation: "GET /api/0/organizations/{organization_id_or_slug}/members/",
        attempt: 2,
        delayMs: 250,
        reason: 502,
        at: 0,
      },
    ]);
  });

  test("not called when there is no wait: a success, a 404, or retries used up", async () => {
    const onRetry = vi.fn();
    const { fetch } = stubFetch((request, index) =>
      index === 0 ? json(request, organization) : json(request, { detail: "no" }, { status: 404 }),
    );
    const sentry = client(fetch, { onRetry, maxRetries: 0 });
    await run(sentry.getOrganization("acme"));
    await apiError(run(sentry.getOrganization("acme")));
    expect(onRetry).not.toHaveBeenCalled();
  });

  test.each([
    [
      "throws",
      () => {
        throw new Error("hook bug");
      },
    ],
    ["rejects", () => Promise.reject(new Error("async hook bug"))],
  ])("a hook that %s does not change the call: it retries and resolves", async (_, onRetry) => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const { fetch, calls } = stubFetch((request, index) =>
        index === 0 ? json(request, { detail: "busy" }, { status: 503 }) : json(request, organization),
      );
      expect(await run(client(fetch, { onRetry }).getOrganization("acme"))).toEqual(organization);
      expect(calls).toHaveLength(2);
      // An unhandled rejection is reported once the microtasks drain: let a real turn of the loop pass.
      vi.useRealTimers();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  test.each([42, "log", {}])("onRetry %j is refused with a TypeError", (onRetry) => {
    expect(thrown(() => client(stubFetch(hang).fetch, { onRetry: onRetry as () => void }))).toEqual(
      new TypeError("onRetry must be a function"),
    );
  });
});

describe("per-call timeoutMs and maxRetries", () => {
  test("timeoutMs for one call, the client's for the next", async () => {
    const { fetch, calls } = stubFetch(hang);
    const sentry = client(fetch, { timeoutMs: 5000, maxRetries: 0 });
    const error = await apiError(run(sentry.getOrganization("acme", { timeoutMs: 100 })));
    expect(error.message).toBe("GET https://sentry.io/api/0/organizations/acme/: no answer in 100 ms");
    expect(Date.now() - T0).toBe(100);
    await apiError(run(sentry.getOrganization("acme")));
    expect(Date.now() - T0).toBe(5100);
    expect(calls).toHaveLength(2);
  });

  test("timeoutMs holds for every attempt of the call and every page of a list", async () => {
    const { fetch, calls } = stubFetch(hang);
    const error = await apiError(
      run(client(fetch, { maxRetries: 1 }).listMembers("acme", { timeoutMs: 200 }).toArray()),
    );
    expect(error.kind).toBe("timeout");
    expect(calls.map((call) => call.at - T0)).toEqual([0, 200 + 250]);
  });

  test.each([0, 5])("maxRetries %i for one call, the client's for the next", async (maxRetries) => {
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    const sentry = client(fetch, { maxRetries: 1 });
    await apiError(run(sentry.listRepositories("acme", { maxRetries }).toArray()));
    expect(calls).toHaveLength(maxRetries + 1);
    await apiError(run(sentry.getOrganization("acme")));
    expect(calls).toHaveLength(maxRetries + 1 + 2);
  });

  test("undefined keeps the client's settings", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, { detail: "busy" }, { status: 503 }));
    await apiError(
      run(client(fetch, { maxRetries: 1 }).getOrganization("acme", { maxRetries: undefined, timeoutMs: undefined })),
    );
    expect(calls).toHaveLength(2);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["timeoutMs 0", { timeoutMs: 0 }, "timeoutMs must be an integer from 1 to 2147483647, got 0"],
    ["timeoutMs 2 ** 31", { timeoutMs: 2 ** 31 }, "timeoutMs must be an integer from 1 to 2147483647, got 2147483648"],
    ["timeoutMs 1.5", { timeoutMs: 1.5 }, "timeoutMs must be an integer from 1 to 2147483647, got 1.5"],
    ["maxRetries -1", { maxRetries: -1 }, "maxRetries must be an integer from 0 to 10, got -1"],
    ["maxRetries 11", { maxRetries: 11 }, "maxRetries must be an integer from 0 to 10, got 11"],
    ["maxRetries '2'", { maxRetries: "2" }, 'maxRetries must be an integer from 0 to 10, got "2"'],
  ];

  test.each(invalid)("%s: getOrganization rejects before any request", async (_, options, message) => {
    const { fetch, calls } = stubFetch(hang);
    expect(await rejection(client(fetch).getOrganization("acme", options))).toEqual(new TypeError(message));
    expect(calls).toHaveLength(0);
  });

  test.each(invalid)("%s: the lists throw synchronously, before iteration", (_, options, message) => {
    const { fetch, calls } = stubFetch(hang);
    const sentry = client(fetch);
    expect(thrown(() => sentry.listMembers("acme", options))).toEqual(new TypeError(message));
    expect(thrown(() => sentry.listRepositories("acme", options))).toEqual(new TypeError(message));
    expect(calls).toHaveLength(0);
  });

  test.each(invalid)("%s: the client option gives the same error", (_, options, message) => {
    expect(thrown(() => client(stubFetch(hang).fetch, options))).toEqual(new TypeError(message));
  });
});
