import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// Debian's Chromium, driven as-is: the test never downloads a browser. .ci/run installs it.
const CHROMIUM = "/usr/bin/chromium";
const dist = new URL("../dist/", import.meta.url);

const OPERATIONS = [
  {
    tag: "Organizations",
    anchor: "#/organizations/getorganization",
    title: "Retrieve an organization",
    query: "include_feature_flags",
    field: "isEarlyAdopter",
    samples: {
      curl: "/organizations/acme/?detailed=0",
      "@sentry-org-api/client": "await sentry.getOrganization(",
      "openapi-fetch + types": '"/api/0/organizations/{organization_id_or_slug}/",',
    },
  },
  {
    tag: "Members",
    anchor: "#/members/listorganizationmembers",
    title: "List an organization's members",
    query: "per_page",
    field: "inviteStatus",
    samples: {
      curl: "/organizations/acme/members/?",
      "@sentry-org-api/client": "for await (const member of sentry.listMembers(",
      "openapi-fetch + types": '"/api/0/organizations/{organization_id_or_slug}/members/",',
    },
  },
  {
    tag: "Repositories",
    anchor: "#/repositories/listorganizationrepositories",
    title: "List an organization's repositories",
    query: "integration_id",
    field: "externalSlug",
    samples: {
      curl: "/organizations/acme/repos/?",
      "@sentry-org-api/client": "for await (const page of sentry.listRepositories(",
      "openapi-fetch + types": '"/api/0/organizations/{organization_id_or_slug}/repos/",',
    },
  },
];

let server: Server;
let origin: string;
let browser: Browser;
let page: Page;
const offHostRequests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const html = await readFile(new URL("index.html", dist));
  server = createServer((_, response) => response.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin) offHostRequests.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.goto(`${origin}/`, { waitUntil: "networkidle" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const menuItem = (text: string) =>
  page.locator('[data-component-name="Menu/MenuItem"]').filter({ hasText: new RegExp(`^${text}$`) });

describe("the reference page", () => {
  test.each(OPERATIONS)(
    "lists $title in the navigation and renders it",
    async ({ tag, anchor, title, query, field }) => {
      await menuItem(tag).first().click();
      const link = page.locator(`[data-component-name="Menu/MenuItem"] a[href="${anchor}"]`);
      await expect(link.textContent()).resolves.toContain(title);
      await link.click();
      const section = page.locator(`[id="${anchor.slice(2)}"]`).first();
      // Each waits until rendered, and throws naming the locator when it is not.
      await page.locator("h2", { hasText: title }).first().waitFor();
      for (const name of ["organization_id_or_slug", query, field]) {
        await section
          .locator(".schema-name", { hasText: new RegExp(`^${name}$`) })
          .first()
          .waitFor({ timeout: 10_000 });
      }
      await expect(section.getByText("Responses", { exact: true }).count()).resolves.toBeGreaterThan(0);
    },
  );

  test.each(OPERATIONS)("shows the three code samples of $title, its own", async ({ tag, anchor, title, samples }) => {
    await menuItem(tag).first().click();
    await page.locator(`[data-component-name="Menu/MenuItem"] a[href="${anchor}"]`).click();
    await page.locator("h2", { hasText: title }).first().scrollIntoViewIfNeeded();
    const panel = page
      .locator(`[id="${anchor.slice(2)}"]`)
      .first()
      .locator(".panel-request-samples")
      .first();
    const languages = panel.locator('[data-component-name="Dropdown/Dropdown"] > button').nth(1);
    for (const [label, expected] of Object.entries(samples)) {
      await languages.click();
      await page.locator('[role="menu"] [role="menuitem"]:visible', { hasText: label }).first().click();
      const source = (await panel.locator('[data-testid="source-code"]').first().textContent()) ?? "";
      expect(source, label).toContain(expected);
      if (label === "curl") expect(source).toContain('-H "Authorization: Bearer $SENTRY_TOKEN"');
    }
  });

  test("the search box finds members", async () => {
    await page.locator('[data-testid="search-trigger"]').click();
    await page.locator('[data-testid="search-dialog"] input').fill("members");
    const results = page.locator('[data-testid="search-dialog"] [data-component-name="Search/SearchItem"]');
    await results.first().waitFor();
    await expect(results.allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining("List an organization's members")]),
    );
    await page.keyboard.press("Escape");
  });

  test("requests nothing from any other host and logs no errors", async () => {
    await page.reload({ waitUntil: "networkidle" });
    expect(offHostRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  test("saves a full-page screenshot for review", async () => {
    await page.goto(`${origin}/#/members/listorganizationmembers`, { waitUntil: "networkidle" });
    const screenshot = await page.screenshot({ path: new URL("screenshot.png", dist).pathname, fullPage: true });
    expect(screenshot.subarray(1, 4).toString()).toBe("PNG");
  });
});
