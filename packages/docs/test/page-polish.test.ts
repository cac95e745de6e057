import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DESKTOP, openReferenceSite, PHONE, type ReferenceSite } from "./browser.js";

// What a reader sees beyond the content: layout at desktop and phone width, links, favicon, search
// excerpts. reference-page.test.ts checks the content itself.

const OPERATIONS = [
  "#/organizations/getorganization",
  "#/members/listorganizationmembers",
  "#/repositories/listorganizationrepositories",
];
const SAMPLE_LABELS = ["curl", "@sentry-org-api/client", "openapi-fetch + types"];
// Each link off the page, with the reason it may stay.
const EXTERNAL_LINKS: Record<string, string> = {
  "https://github.com/sentry-org-api/sentry-org-api": "the project's repository: the spec's info.contact.url",
};

let site: ReferenceSite;
let pages: Record<"desktop" | "phone", Page>;

beforeAll(async () => {
  site = await openReferenceSite();
  pages = { desktop: await site.newPage(DESKTOP), phone: await site.newPage(PHONE) };
}, 60_000);

afterAll(async () => {
  await site?.close();
});

/** Opens `route` (a hash route such as OPERATIONS[0], or "#/" for the top) and waits until it is drawn. */
async function open(page: Page, route: string) {
  await page.goto(`${site.origin}/${route}`, { waitUntil: "networkidle" });
  const id = route.slice("#/".length);
  if (id) await page.locator(`[id="${id}"] h2`).first().waitFor();
  else await page.locator("h1").first().waitFor();
}

/** Chooses a language in the code-sample panel of the operation open at `route`. */
async function chooseSample(page: Page, route: string, label: string) {
  const panel = page.locator(`[id="${route.slice("#/".length)}"] .panel-request-samples`).first();
  await panel.locator('[data-component-name="Dropdown/Dropdown"] > button').nth(1).click();
  await page.locator('[role="menu"] [role="menuitem"]:visible', { hasText: label }).first().click();
  await panel.locator('[data-testid="source-code"]').first().waitFor();
}

/** Each visible code block that is wider than its box, or whose copy button lies over its text. */
function codeBlockProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const pre of document.querySelectorAll("pre")) {
      if (!pre.checkVisibility()) continue;
      const start = JSON.stringify(pre.textContent?.slice(0, 40));
      if (pre.scrollWidth > pre.clientWidth)
        problems.push(`${start} is cut off: ${pre.scrollWidth} px wide in a ${pre.clientWidth} px box`);
      const copy = pre.parentElement?.querySelector('[data-testid="copy-button"]')?.getBoundingClientRect();
      if (!copy) continue;
      const text = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (let node = text.nextNode(); node; node = text.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const covered = [...range.getClientRects()].some(
          (box) => box.left < copy.right && box.right > copy.left && box.top < copy.bottom && box.bottom > copy.top,
        );
        if (covered) {
          problems.push(`${start}: the copy button lies over ${JSON.stringify(node.textContent)}`);
          break;
        }
      }
    }
    return problems;
  });
}

/** Each visible heading that wraps inside a word. */
function headingsBrokenInsideWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      if (!heading.checkVisibility()) continue;
      const text = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
      for (let node = text.nextNode(); node; node = text.nextNode()) {
        for (const word of node.textContent?.matchAll(/\S+/g) ?? []) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          const lines = new Set([...range.getClientRects()].map((piece) => Math.round(piece.top)));
          if (lines.size > 1)
            problems.push(`${JSON.stringify(heading.textContent)} breaks inside ${JSON.stringify(word[0])}`);
        }
      }
    }
    return problems;
  });
}

describe.each([
  { name: "desktop", width: DESKTOP.width },
  { name: "phone", width: PHONE.width },
] as const)("the reference page at $name width ($width px)", ({ name }) => {
  test("cuts off no code block and puts no copy button over code", async () => {
    const page = pages[name];
    await open(page, "#/");
    await expect(codeBlockProblems(page)).resolves.toEqual([]);
    for (const route of OPERATIONS) {
      await open(page, route);
      for (const label of SAMPLE_LABELS) {
        await chooseSample(page, route, label);
        await expect(codeBlockProblems(page), `${route}, ${label}`).resolves.toEqual([]);
      }
    }
  });

  test("breaks no heading inside a word", async () => {
    const page = pages[name];
    for (const route of ["#/", ...OPERATIONS]) {
      await open(page, route);
      await expect(headingsBrokenInsideWords(page), route).resolves.toEqual([]);
    }
  });
});

describe("the reference page", () => {
  // The footer is in the sidebar, which a phone shows only on demand.
  test("shows no attribution footer with nothing after 'API docs by'", async () => {
    const page = pages.desktop;
    await open(page, "#/");
    await expect(page.getByText("API docs by").isVisible()).resolves.toBe(false);
  });

  test("declares a favicon that is in the page itself and draws", async () => {
    const page = pages.desktop;
    await open(page, "#/");
    const href = await page
      .locator('link[rel="icon"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute("href")));
    expect(href).toEqual([expect.stringMatching(/^data:image\/svg\+xml,/)]);
    // Drawn the way the browser would draw the tab's icon; decode() rejects what cannot be drawn.
    const width = await page.evaluate(async (source) => {
      const image = new Image();
      image.src = source;
      await image.decode();
      return image.naturalWidth;
    }, href[0] ?? "");
    expect(width).toBeGreaterThan(0);
  });

  test("links only to routes in the page, files the serve script serves, and the external links listed", async () => {
    const page = pages.desktop;
    const hrefs = new Set<string>();
    const ids = new Set<string>();
    // Redoc draws an operation's parameters and fields only once it is opened.
    for (const route of ["#/", ...OPERATIONS]) {
      await open(page, route);
      const seen = await page.evaluate(() => ({
        hrefs: [...document.querySelectorAll("a[href]")]
          .filter((a) => a.checkVisibility())
          .map((a) => a.getAttribute("href") ?? ""),
        ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
      }));
      for (const href of seen.hrefs) hrefs.add(href);
      for (const id of seen.ids) ids.add(id);
    }
    const unresolved: string[] = [];
    for (const href of hrefs) {
      if (href.startsWith("#/")) {
        // Redoc's routes: "#/" is the top, "#/a/b" the element with id "a/b", "#/a/b#a/b/c" that of "a/b/c".
        const target = href.includes("#", 1) ? href.slice(href.indexOf("#", 1) + 1) : href.slice("#/".length);
        if (target !== "" && !ids.has(target)) unresolved.push(`${href}: no element with id ${JSON.stringify(target)}`);
      } else if (new URL(href, site.origin).origin === site.origin) {
        const { status } = await fetch(new URL(href, site.origin));
        if (status !== 200) unresolved.push(`${href}: the serve script answers ${status}`);
      } else if (!(href in EXTERNAL_LINKS)) unresolved.push(`${href}: an external link not in EXTERNAL_LINKS`);
    }
    expect(unresolved).toEqual([]);
    expect(hrefs.size).toBeGreaterThan(50);
    expect([...hrefs].filter((href) => !href.startsWith("#"))).toEqual(Object.keys(EXTERNAL_LINKS));
  });

  test("search excerpts keep the spaces between words", async () => {
    const page = pages.desktop;
    const spec: unknown = JSON.parse(await readFile(new URL("../dist/openapi.json", import.meta.url), "utf8"));
    const specWords = new Set(words(allStrings(spec).join(" ")));
    await open(page, "#/");
    const excerpts: string[] = [];
    for (const query of ["time", "requests", "cursor", "members"]) {
      await page.locator('[data-testid="search-trigger"]').click();
      await page.locator('[data-testid="search-dialog"] input').fill(query);
      const items = page.locator('[data-testid="search-dialog"] [data-component-name="Search/SearchItem"]');
      await items.first().waitFor();
      excerpts.push(...(await items.locator("section span:not(span span)").allTextContents()));
      await page.keyboard.press("Escape");
    }
    // A word cut off at an excerpt's "..." is not a whole word.
    const glued = excerpts.flatMap((excerpt) =>
      words(excerpt.replaceAll(/\S*\.\.\.\S*/g, " "))
        .filter((word) => !specWords.has(word))
        .map((word) => `${JSON.stringify(word)} in ${JSON.stringify(excerpt)}`),
    );
    expect(excerpts.length).toBeGreaterThan(10);
    expect(glued).toEqual([]);
  });

  test("requests nothing from any other host, nothing that fails, and logs no errors", () => {
    expect(site.trouble).toEqual({ offHostRequests: [], failedRequests: [], consoleErrors: [] });
  });
});

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

function allStrings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => [key, ...allStrings(value)]);
}
