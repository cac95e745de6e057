// 6. Size: each client bundled by esbuild (minified, ESM, browser) and gzipped at level 9.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("../../", import.meta.url).pathname;
const ENTRIES = {
  "@sentry-org-api/client": 'export * from "@sentry-org-api/client";',
  "@sentry-org-api/client with its openapi-fetch subpath":
    'export * from "@sentry-org-api/client"; export * from "@sentry-org-api/client/openapi-fetch";',
  "openapi-fetch alone": 'export { default } from "openapi-fetch";',
  "@sentry/api, the same three operations":
    'export { retrieveAnOrganization, listAnOrganization_sMembers, listAnOrganization_sRepositories } from "@sentry/api";',
  axios: 'export { default } from "axios";',
};

// Issue 10 moved the target from 4.5 kB to at most 6.5 kB: its limits, pacing, concurrency and hooks
// cost code. The main entry no longer bundles openapi-fetch (about 2.6 kB): the methods build their
// URLs and read bodies themselves, and openapi-fetch comes only with the `/openapi-fetch` subpath,
// shown in the details with the main entry but held to no target.
export const TARGET_BYTES = 6500;
// What the quick run enforces: issue 10's ceiling, so the bundle cannot quietly grow past it.
export const SIZE_BUDGET_BYTES = 6500;

export async function gzippedSizes() {
  const sizes = {};
  for (const [name, contents] of Object.entries(ENTRIES)) {
    const result = await build({
      stdin: { contents, resolveDir: root },
      bundle: true,
      minify: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    sizes[name] = gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
  }
  return sizes;
}

export async function run() {
  const sizes = await gzippedSizes();
  return {
    title: "6. Size (esbuild --bundle --minify, ESM, browser; gzip -9)",
    rows: [
      {
        measure: "our client's main entry, bytes gzipped (without openapi-fetch)",
        value: sizes["@sentry-org-api/client"],
        target: TARGET_BYTES,
        better: "lower",
        digits: 0,
      },
    ],
    details: [
      Object.entries(sizes)
        .map(([name, bytes]) => `${name} ${(bytes / 1000).toFixed(2)} kB`)
        .join("; "),
    ],
  };
}
