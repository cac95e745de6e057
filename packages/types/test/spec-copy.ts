// For the spec-copy tests of the client and the mock: the protocol module generated from an edited
// copy of the bundled spec, put in place of the real one (whose header readers it keeps), so a test
// can show a package follows the spec without a line of it changing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };
import { vi } from "vitest";

type GenerateProtocol = (spec: unknown, version: string) => string;

/** The version the copy's module states, so a test can tell the copy's facts from the real ones. */
export const COPY_VERSION = "0.0.0-copy";

/** The bundled spec with `per_page` at most `maximum`, as a copy: the real one stays as it is. */
export function specWithPerPageMaximum(maximum: number) {
  const copy = structuredClone(bundled) as { components: { parameters: { PerPage: { schema: { maximum: number } } } } };
  copy.components.parameters.PerPage.schema.maximum = maximum;
  return copy;
}

/**
 * Mocks `@sentry-org-api/types/protocol` with the module generated from `spec`; modules imported
 * after this see the copy's facts. Returns the undo, for `afterAll`.
 */
export async function mockProtocolFrom(spec: unknown): Promise<() => Promise<void>> {
  const { generateProtocol } = (await import(new URL("../scripts/generate-protocol.mjs", import.meta.url).href)) as {
    generateProtocol: GenerateProtocol;
  };
  const directory = await mkdtemp(join(tmpdir(), "spec-copy-"));
  const generated = join(directory, "protocol.ts");
  await writeFile(generated, generateProtocol(spec, COPY_VERSION));
  vi.doMock("@sentry-org-api/types/protocol", async (importOriginal) => ({
    ...(await importOriginal<object>()),
    ...(await import(generated)),
  }));
  vi.resetModules();
  return async () => {
    vi.doUnmock("@sentry-org-api/types/protocol");
    await rm(directory, { recursive: true, force: true });
  };
}
