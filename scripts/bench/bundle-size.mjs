// 6. Size: each client bundled by esbuild (minified, ESM, browser) and gzipped at level 9.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("../../", import.meta.url).pathname;
const ENTRIES = {
  "@sentry-org-api/client": 'export * from "@sentry-org-api/client";',
  "openapi-fetch alone": 'export { default } from "openapi-fetch";',
  "@sentry/api, the same three operations":
    'export { retrieveAnOrganization, listAnOrganization_sMembers, listAnOrganization_sRepositories } from "@sentry/api";',
  axios: 'export { default } from "axios";',
};

export const TARGET_BYTES = 4500;
// What the quick run enforces: the size measured when the target was found out of reach (5.77 kB
// after the review's fixes; see BENCHMARKS.md), plus a little room, so the bundle cannot quietly grow.
export const SIZE_BUDGET_BYTES = 5900;

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
        measure: "our client, bytes gzipped (openapi-fetch included)",
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
