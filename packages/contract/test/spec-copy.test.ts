// The mock follows the spec: with the protocol module generated from an edited copy of the spec, it
// serves what the copy says, without a line of the mock changing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

type GenerateProtocol = (spec: unknown, version: string) => string;

const MEMBERS = "/api/0/organizations/acme/members/";

/** The bundled spec with `per_page` at most `maximum`, as a copy: the real one stays as it is. */
function specWithPerPageMaximum(maximum: number) {
  const copy = structuredClone(bundled) as { components: { parameters: { PerPage: { schema: { maximum: number } } } } };
  copy.components.parameters.PerPage.schema.maximum = maximum;
  return copy;
}

describe("the mock, on a protocol module generated from a spec copy with per_page at most 50", () => {
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

  const get = async (server: { url: string; token: string }, path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    return { status: response.status, json: (await response.json()) as unknown };
  };

  test("per_page=51 is refused with the copy's bound, and per_page=50 serves 50 members", async () => {
    const server = await index.startMockServer();
    try {
      expect(await get(server, `${MEMBERS}?per_page=51`)).toEqual({
        status: 400,
        json: { detail: "Invalid per_page value. Cannot exceed 50." },
      });
      const page = await get(server, `${MEMBERS}?per_page=50`);
      expect(page.status).toBe(200);
      expect(page.json).toHaveLength(50);
    } finally {
      await server.close();
    }
  });
});
