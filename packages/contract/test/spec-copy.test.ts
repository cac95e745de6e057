// The mock follows the spec: with the protocol module generated from an edited copy of the spec, it
// serves what the copy says, without a line of the mock changing.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { specWithPerPageMaximum, writeProtocolFrom } from "../../types/test/spec-copy.js";

const MEMBERS = "/api/0/organizations/acme/members/";

describe("the mock, on a protocol module generated from a spec copy with per_page at most 50", () => {
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
