// The client follows the spec: with the protocol module generated from an edited copy of the spec,
// it holds to what the copy says, without a line of the client changing.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { COPY_VERSION, specWithPerPageMaximum, writeProtocolFrom } from "../../types/test/spec-copy.js";
import { json, stubFetch, thrown } from "./stub-fetch.js";

describe("the client, on a protocol module generated from a spec copy with per_page at most 50", () => {
  let copy: Awaited<ReturnType<typeof writeProtocolFrom>>;
  let index: typeof import("../src/index.js");

  beforeAll(async () => {
    copy = await writeProtocolFrom(specWithPerPageMaximum(50));
    vi.doMock("@sentry-org-api/types/protocol", async (importOriginal) => ({
      ...(await importOriginal<object>()),
      ...(await import(copy.path)),
    }));
    vi.resetModules();
    index = await import("../src/index.js");
  });

  afterAll(async () => {
    vi.doUnmock("@sentry-org-api/types/protocol");
    await copy.remove();
  });

  test("perPage 51 is refused with the copy's bound, before any request", () => {
    const { fetch, calls } = stubFetch((request) => json(request, []));
    const sentry = index.createSentryClient({ token: "test-token", fetch });
    expect(thrown(() => sentry.listMembers("acme", { perPage: 51 }))).toEqual(
      new TypeError("perPage must be an integer from 1 to 50, got 51"),
    );
    expect(calls).toHaveLength(0);
  });

  test("perPage 50 is sent as per_page=50, with the copy's User-Agent", async () => {
    const { fetch, calls } = stubFetch((request) => json(request, []));
    const sentry = index.createSentryClient({ token: "test-token", fetch });
    expect(await sentry.listMembers("acme", { perPage: 50 }).toArray()).toEqual([]);
    expect(calls.map(({ url }) => url.searchParams.get("per_page"))).toEqual(["50"]);
    expect(calls[0]?.request.headers.get("user-agent")).toBe(`sentry-org-api/${COPY_VERSION}`);
  });
});
