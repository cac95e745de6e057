import { existsSync } from "node:fs";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// Debian's Chromium, driven as-is, as the docs' reference-page test drives it: nothing is downloaded.
const CHROMIUM = "/usr/bin/chromium";
const MEMBERS = 1_234;
const REPOSITORIES = 321;

/**
 * The client walking both lists from the mock in process, as a page runs it. The client comes from
 * its source: it is built after this package (its tests use this one), so its dist may not exist yet.
 */
const ENTRY = `
import { createSentryClient } from "../../client/src/index.js";
import { createMockSentry } from "../src/in-process.js";

export async function walk() {
  const mock = createMockSentry({ members: ${MEMBERS}, repositories: ${REPOSITORIES} });
  const sentry = createSentryClient({ token: mock.token, fetch: mock.fetch, baseUrl: mock.baseUrl });
  let members = 0;
  for await (const member of sentry.listMembers("acme")) members += member.id ? 1 : 0;
  let repositories = 0;
  let pages = 0;
  for await (const page of sentry.listRepositories("acme").pages()) {
    pages++;
    repositories += page.items.length;
  }
  await mock.close();
  return { members, repositories, pages };
}
`;

/** Bundles `contents` for the browser; esbuild refuses any `node:` import, so a bundle is the proof that none is left. */
const bundleForBrowser = (contents: string) =>
  build({
    stdin: { contents, resolveDir: new URL(".", import.meta.url).pathname, loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "inProcess",
    write: false,
    logLevel: "silent",
  });

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
  });
}, 60_000);
afterAll(() => browser?.close());

describe("the mock in process in a browser", () => {
  test("the package's main entry does not bundle for a browser: it holds the node:http server", async () => {
    await expect(bundleForBrowser('export * from "../src/index.js";')).rejects.toThrow(/Could not resolve "node:http"/);
  });

  test("the client walks every member and repository from it in Chromium, and no request leaves the page", async () => {
    const { outputFiles } = await bundleForBrowser(ENTRY);
    // The mock reads the spec but validates nothing: the validator's Ajv stays out of the bundle.
    expect(outputFiles?.[0]?.text).not.toContain("ajv");
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.addScriptTag({ content: outputFiles?.[0]?.text ?? "" });
    const result = await page.evaluate(() =>
      (globalThis as unknown as { inProcess: { walk(): unknown } }).inProcess.walk(),
    );
    expect(errors).toEqual([]);
    expect(result).toEqual({ members: MEMBERS, repositories: REPOSITORIES, pages: Math.ceil(REPOSITORIES / 100) });
    expect(requests, "requests the page sent").toEqual([]);
    // The listener does see a request the page sends for real (to a closed port, so it goes nowhere).
    await page.evaluate(() => fetch("http://127.0.0.1:9/").catch(() => "refused"));
    expect(requests).toEqual(["http://127.0.0.1:9/"]);
  });
});
