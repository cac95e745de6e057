import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

// Debian's Chromium, driven as-is: the tests never download a browser. .ci/run installs it.
const CHROMIUM = "/usr/bin/chromium";
const serveScript = new URL("../scripts/serve.mjs", import.meta.url);

export const DESKTOP = { width: 1400, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** What went wrong while pages were open: each list should stay empty. */
export interface PageTrouble {
  offHostRequests: string[];
  failedRequests: string[];
  consoleErrors: string[];
}

export interface ReferenceSite {
  origin: string;
  trouble: PageTrouble;
  /** A page of the given size that records its trouble; not yet navigated. */
  newPage(viewport: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Serves dist/ with the docs' own serve script, as a reader gets it, and starts Chromium. */
export async function openReferenceSite(): Promise<ReferenceSite> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const server = spawn(process.execPath, [serveScript.pathname, "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const origin = await serverOrigin(server);
  const browser = await launchChromium().catch(async (error: unknown) => {
    server.kill();
    throw error;
  });
  const trouble: PageTrouble = { offHostRequests: [], failedRequests: [], consoleErrors: [] };
  return {
    origin,
    trouble,
    newPage: async (viewport) => {
      const page = await browser.newPage({ viewport });
      page.on("request", (request) => {
        const url = new URL(request.url());
        if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin) trouble.offHostRequests.push(url.href);
      });
      page.on("requestfailed", (request) =>
        trouble.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
      );
      page.on("response", (response) => {
        if (response.status() >= 400) trouble.failedRequests.push(`${response.url()}: ${response.status()}`);
      });
      page.on("console", (message) => {
        if (message.type() === "error") trouble.consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => trouble.consoleErrors.push(error.message));
      return page;
    },
    close: async () => {
      await browser.close();
      server.kill();
      if (server.exitCode === null) await once(server, "exit");
    },
  };
}

/** The origin the serve script prints once it listens; its output if it exits first. */
function serverOrigin(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    server.stdout?.on("data", (chunk) => {
      output = `${output}${chunk}`.slice(-10_000);
      const url = /http:\/\/[\d.]+:\d+/.exec(output);
      if (url) resolve(url[0]);
    });
    server.on("exit", (code) =>
      reject(new Error(`the serve script exited (${code}) first: ${JSON.stringify(output)}`)),
    );
  });
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}
