// For the spec-copy tests of the client and the mock: the protocol module generated from an edited
// copy of the bundled spec, which a test puts in place of the real one (keeping its header readers),
// so it can show a package follows the spec without a line of it changing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bundled from "@sentry-org-api/spec/openapi.json" with { type: "json" };

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
 * Writes the protocol module generated from `spec` to a temporary file, for a test to put in place of
 * `@sentry-org-api/types/protocol` with `vi.doMock` (in the test file itself: the specifier must be
 * resolved from the package under test). Returns its path and the clean-up, for `afterAll`.
 */
export async function writeProtocolFrom(spec: unknown): Promise<{ path: string; remove: () => Promise<void> }> {
  const { generateProtocol } = (await import(new URL("../scripts/generate-protocol.mjs", import.meta.url).href)) as {
    generateProtocol: GenerateProtocol;
  };
  const directory = await mkdtemp(join(tmpdir(), "spec-copy-"));
  const path = join(directory, "protocol.ts");
  await writeFile(path, generateProtocol(spec, COPY_VERSION));
  return { path, remove: () => rm(directory, { recursive: true, force: true }) };
}
