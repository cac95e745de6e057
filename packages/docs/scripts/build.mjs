// Builds dist/index.html: the bundled spec with the code samples in samples/ added as
// x-codeSamples, rendered by Redocly into one self-contained page that loads nothing from elsewhere.
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { packagesSection, readWorkspaceManifests, replacePackagesSection } from "./packages-section.mjs";
import { joinDescriptionSoftBreaks } from "./soft-breaks.mjs";

const packageDir = new URL("../", import.meta.url);
const dist = new URL("dist/", packageDir);
const specFile = createRequire(import.meta.url).resolve("@sentry-org-api/spec/openapi.json");
const spec = JSON.parse(await readFile(specFile, "utf8"));

// The label must match a language in redocly.yaml, or Redoc drops the sample without a word.
const SAMPLES = [
  { lang: "curl", label: "curl", file: "curl.sh" },
  { lang: "TypeScript", label: "@sentry-org-api/client", file: "client.ts" },
  { lang: "TypeScript", label: "openapi-fetch + types", file: "openapi-fetch.ts" },
];

for (const item of Object.values(spec.paths)) {
  const operation = item.get;
  operation["x-codeSamples"] = await Promise.all(
    SAMPLES.map(async ({ lang, label, file }) => ({
      lang,
      label,
      source: (await readFile(new URL(`samples/${operation.operationId}.${file}`, packageDir), "utf8")).trimEnd(),
    })),
  );
}
// For readable search excerpts (see soft-breaks.mjs), and install steps for packages not yet published.
joinDescriptionSoftBreaks(spec);
const manifests = await readWorkspaceManifests(new URL("../../", packageDir));
spec.info.description = replacePackagesSection(spec.info.description, packagesSection(manifests));
await mkdir(dist, { recursive: true });
await writeFile(new URL("openapi.json", dist), JSON.stringify(spec, null, 2));

// page.hbs is Redocly's page template with a favicon and fixes to Redoc's styles.
const template = ["--template", "page.hbs"];
execFileSync("redocly", ["build-docs", "sentry-org-api", "--inlineBundle", ...template, "-o", "dist/index.html"], {
  cwd: packageDir,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});

// Redoc's "API docs by Redocly" footer loads its logo from Redocly's CDN once the page runs, even
// hidden as page.hbs hides it; no option turns it off, so the URLs are replaced. A Redoc upgrade
// that moves them fails the build here, and the browser test proves the page requests nothing off-host.
const CDN_ASSETS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const page = new URL("index.html", dist);
let html = await readFile(page, "utf8");
for (const asset of CDN_ASSETS) {
  if (!html.includes(asset)) throw new Error(`${asset} is no longer in Redoc's output: check what the page loads`);
  html = html.replaceAll(asset, "data:,");
}
html = hashLinks(html);
await writeFile(page, html);
console.log(`Built ${new URL("index.html", dist).pathname} (${Math.round(html.length / 1024)} KiB)`);

/**
 * Redocly prerenders the page with path links ("/section/pagination"), and Redoc, which routes by
 * the URL's hash, keeps them when it takes the page over: opened in a new tab, they lead nowhere.
 * @param {string} html
 */
function hashLinks(html) {
  const scripts = html.indexOf('<script type="module">');
  const prerendered = html.slice(0, scripts);
  const markup = prerendered.replaceAll(' href="/', ' href="#/');
  if (scripts === -1 || markup === prerendered)
    throw new Error("Redoc's prerendered page has no path links any more: check its links");
  return markup + html.slice(scripts);
}
