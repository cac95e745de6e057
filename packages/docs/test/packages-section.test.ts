import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { packagesSection, readWorkspaceManifests, replacePackagesSection } from "../scripts/packages-section.mjs";

const repositoryRoot = new URL("../../../", import.meta.url);

const MANIFESTS: Parameters<typeof packagesSection>[0] = [
  { name: "@acme/types", version: "1.2.3", description: "Types." },
  {
    name: "@acme/client",
    version: "1.2.3",
    description: "A client.",
    dependencies: { "@acme/types": "1.2.3", ky: "1" },
  },
  { name: "@acme/docs", version: "1.2.3", private: true, dependencies: { "@acme/client": "1.2.3" } },
  {
    name: "@acme/audit",
    version: "0.9.0",
    description: "Audits.",
    // Needs types too, through the client.
    dependencies: { "@acme/client": "1.2.3" },
  },
];

describe("packagesSection", () => {
  const section = packagesSection(MANIFESTS);

  test("packs every public package in the checkout, and no private one", () => {
    expect(section).toContain(
      "```sh\nnpm ci && npm run build\nnpm pack \\\n  -w @acme/audit \\\n  -w @acme/client \\\n  -w @acme/types\n```",
    );
    expect(section).not.toContain("@acme/docs");
  });

  test("installs each package with the tarballs of the workspace packages it depends on, dependencies first", () => {
    expect(section).toContain(
      "- `@acme/audit`: Audits.\n\n  ```sh\n  npm install \\\n    $CHECKOUT/acme-types-1.2.3.tgz \\\n    $CHECKOUT/acme-client-1.2.3.tgz \\\n    $CHECKOUT/acme-audit-0.9.0.tgz\n  ```",
    );
    expect(section).toContain(
      "- `@acme/client`: A client.\n\n  ```sh\n  npm install \\\n    $CHECKOUT/acme-types-1.2.3.tgz \\\n    $CHECKOUT/acme-client-1.2.3.tgz\n  ```",
    );
    expect(section).toContain(
      "- `@acme/types`: Types.\n\n  ```sh\n  npm install \\\n    $CHECKOUT/acme-types-1.2.3.tgz\n  ```",
    );
  });

  test("says the packages are not on the registry, and links nowhere", () => {
    expect(section).toMatch(/^## Packages\n\nThe packages are not on the npm registry yet\./);
    expect(section).not.toMatch(/\]\(|https?:/);
  });

  test("names the tarballs as `npm pack` does for this repository's packages", async () => {
    const manifests = await readWorkspaceManifests(repositoryRoot);
    const published = manifests.filter((manifest) => !manifest.private).map((manifest) => manifest.name);
    const { stdout } = await promisify(execFile)(
      "npm",
      ["pack", "--dry-run", "--json", "--ignore-scripts", ...published.flatMap((name) => ["-w", name])],
      { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024 },
    );
    const filenames: string[] = JSON.parse(stdout).map((tarball: { filename: string }) => tarball.filename);
    const named = [...packagesSection(manifests).matchAll(/\$CHECKOUT\/(\S+\.tgz)/g)].map((match) => match[1]);
    expect(filenames.length).toBeGreaterThanOrEqual(4);
    expect(new Set(named)).toEqual(new Set(filenames));
  });
});

describe("readWorkspaceManifests", () => {
  test("reads the manifests of the workspace folders, expanding `folder/*`, skipping folders without one", async () => {
    const root = await mkdtemp(join(tmpdir(), "docs-workspaces-"));
    try {
      const manifest = (name: string) => JSON.stringify({ name, version: "1.0.0" });
      await writeFile(join(root, "package.json"), JSON.stringify({ workspaces: ["spec", "packages/*"] }));
      await mkdir(join(root, "spec"));
      await writeFile(join(root, "spec", "package.json"), manifest("spec"));
      for (const folder of ["a", "b", "empty"]) await mkdir(join(root, "packages", folder), { recursive: true });
      for (const name of ["a", "b"]) await writeFile(join(root, "packages", name, "package.json"), manifest(name));
      await writeFile(join(root, "packages", "README.md"), "not a folder");
      const manifests = await readWorkspaceManifests(pathToFileURL(`${root}/`));
      expect(manifests.map(({ name }) => name).sort()).toEqual(["a", "b", "spec"]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("replacePackagesSection", () => {
  test("replaces the section up to the next heading of its level", () => {
    const markdown = "## Errors\nBodies.\n\n## Packages\n- [`x`](https://example.com)\n\n## Later\nKept.\n";
    expect(replacePackagesSection(markdown, "## Packages\n\nNew.")).toBe(
      "## Errors\nBodies.\n\n## Packages\n\nNew.\n\n## Later\nKept.\n",
    );
  });

  test("replaces the section to the end when it is the last", () => {
    const markdown = "Intro.\n\n## Packages\n- [`x`](https://example.com)\n";
    expect(replacePackagesSection(markdown, "## Packages\n\nNew.")).toBe("Intro.\n\n## Packages\n\nNew.\n");
  });

  test("fails when there is no section to replace", () => {
    expect(() => replacePackagesSection("## Installing\nText.\n", "## Packages")).toThrow(
      "The spec's description has no '## Packages' section for the page to replace",
    );
  });
});
