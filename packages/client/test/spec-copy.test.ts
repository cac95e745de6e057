// The client follows the spec: with the protocol module generated from an edited copy of the spec,
// it holds to what the copy says, without a line of the client changing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { json, stubFetch, thrown } from "./stub-fetch.js";

type GenerateProtocol = (spec: unknown, version: string) => string;

/** The bundled spec with `per_page` at most `maximum`, as a copy: the real one stays as it is. */
function specWithPerPageMaximum(maximum: number) {
  const copy = structuredClone(bundled) as { components: { parameters: { PerPage: { schema: { maximum: number } } } } };
  copy.components.parameters.PerPage.schema.maximum = maximum;
  return copy;
}

describe("the client, on a protocol module generated from a spec copy with per_page at most 50", () => {
  let directory: string;
  let index: typeof import("../src/index.js");

  beforeAll(async () => {
    const { generateProtocol } = (await import(
      new URL("../../types/scripts/generate-protocol.mjs", import.meta.url).href
    )) as { generateProtocol: GenerateProtocol };
    directory = await mkdtemp(join(tmpdir(), "spec-copy-"));
    const generated = join(directory, "protocol.ts");
    await writeFile(generated, generateProtocol(specWithPerPageMaximum(50), "0.0.0-copy"));
    // The copy's facts over the real module, which also holds the header readers.
    vi.doMock("@sentry-org-api/types/protocol", async (importOriginal) => ({
      ...(await importOriginal<object>()),
      ...(await import(generated)),
    }));
    vi.resetModules();
    index = await import("../src/index.js");
  });

  afterAll(async () => {
    vi.doUnmock("@sentry-org-api/types/protocol");
    await rm(directory, { recursive: true, force: true });
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
    expect(calls[0]?.request.headers.get("user-agent")).toBe("sentry-org-api/0.0.0-copy");
  });
});
