import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DESKTOP, openReferenceSite, type ReferenceSite } from "./browser.js";

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

let site: ReferenceSite;
let page: Page;

beforeAll(async () => {
  site = await openReferenceSite();
  page = await site.newPage(DESKTOP);
  await page.goto(`${site.origin}/`, { waitUntil: "networkidle" });
}, 60_000);

afterAll(async () => {
  await site?.close();
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

  test("served by the serve script, requests nothing from any other host, nothing that fails, and logs no errors", async () => {
    await page.reload({ waitUntil: "networkidle" });
    expect(site.trouble).toEqual({ offHostRequests: [], failedRequests: [], consoleErrors: [] });
  });

  test("saves a full-page screenshot for review", async () => {
    await page.goto(`${site.origin}/#/members/listorganizationmembers`, { waitUntil: "networkidle" });
    const screenshot = await page.screenshot({ path: new URL("screenshot.png", dist).pathname, fullPage: true });
    expect(screenshot.subarray(1, 4).toString()).toBe("PNG");
  });
});
