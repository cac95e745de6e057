// The page's "Packages" section. The spec's links to npm package pages, but the packages are not on
// the registry yet, so the page says how to install each one today: from the tarballs `npm pack`
// makes in a checkout, together with the tarballs of the workspace packages it depends on (npm
// would look those up on the registry otherwise).
import { readdir, readFile } from "node:fs/promises";

/**
 * @typedef {{ name: string, version: string, description?: string, private?: boolean, dependencies?: Record<string, string> }} Manifest
 */

/**
 * The manifests of the workspace packages of the repository at `root` (a directory URL).
 * @param {URL} root
 * @returns {Promise<Manifest[]>}
 */
export async function readWorkspaceManifests(root) {
  /** @type {{ workspaces: string[] }} */
  const { workspaces } = JSON.parse(await readFile(new URL("package.json", root), "utf8"));
  const folders = [];
  for (const pattern of workspaces) {
    if (!pattern.endsWith("/*")) folders.push(pattern);
    else {
      const parent = pattern.slice(0, -"/*".length);
      const entries = await readdir(new URL(`${parent}/`, root), { withFileTypes: true });
      folders.push(...entries.filter((entry) => entry.isDirectory()).map((entry) => `${parent}/${entry.name}`));
    }
  }
  const manifests = await Promise.all(
    folders.map((folder) => readFile(new URL(`${folder}/package.json`, root), "utf8").catch(() => undefined)),
  );
  return manifests.flatMap((text) => (text === undefined ? [] : [JSON.parse(text)]));
}

/** @param {Manifest} manifest the file name `npm pack` gives the package's tarball */
const tarballName = ({ name, version }) => `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;

/**
 * The "## Packages" Markdown section for the public packages among `manifests`.
 * @param {Manifest[]} manifests
 */
export function packagesSection(manifests) {
  const published = new Map(
    manifests
      .filter((manifest) => !manifest.private)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((manifest) => [manifest.name, manifest]),
  );
  /** @type {(manifest: Manifest, tarballs?: Set<string>) => Set<string>} dependencies first */
  const tarballsFor = (manifest, tarballs = new Set()) => {
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const workspacePackage = published.get(dependency);
      if (workspacePackage) tarballsFor(workspacePackage, tarballs);
    }
    return tarballs.add(tarballName(manifest));
  };
  // One argument a line, so that a command reads well in a narrow code block.
  /** @type {(command: string, args: string[]) => string} */
  const command = (name, args) => [name, ...args].join(" \\\n  ");
  /** @type {(...commands: string[]) => string} */
  const codeBlock = (...commands) => ["```sh", ...commands, "```"].join("\n");
  const entries = [...published.values()].map((manifest) => {
    const tarballs = [...tarballsFor(manifest)].map((file) => `$CHECKOUT/${file}`);
    const install = codeBlock(command("npm install", tarballs)).replaceAll(/^/gm, "  ");
    return `- \`${manifest.name}\`: ${manifest.description ?? ""}\n\n${install}`;
  });
  const pack = command(
    "npm pack",
    [...published.keys()].map((name) => `-w ${name}`),
  );
  return [
    "## Packages",
    "The packages are not on the npm registry yet. Make their tarballs in a checkout of this repository:",
    codeBlock("npm ci && npm run build", pack),
    "Then, in your project, install the one you want with the packages it depends on, `CHECKOUT` being the checkout's path:",
    ...entries,
  ].join("\n\n");
}

/**
 * `markdown` with its `## Packages` section (up to the next `## ` heading) replaced by `section`.
 * Throws when there is none, so that the page cannot keep the spec's text by mistake.
 * @param {string} markdown
 * @param {string} section
 */
export function replacePackagesSection(markdown, section) {
  const match = /^## Packages\n[\s\S]*?(?=^## |(?![\s\S]))/m.exec(markdown);
  if (!match) throw new Error("The spec's description has no '## Packages' section for the page to replace");
  const rest = markdown.slice(match.index + match[0].length);
  return `${markdown.slice(0, match.index)}${section}\n${rest ? `\n${rest}` : ""}`;
}
