import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createSentryClient, SentryApiError } from "../src/index.js";

const MiB = 1024 * 1024;
const BODY_BYTES = 200 * MiB;

/**
 * A server that streams a 200 MB body, as fast as the client takes it, from one reused chunk (so
 * that its own memory stays flat); `sent` resolves to the bytes written once the connection ends.
 */
async function startStreamingServer(status: number) {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let sent!: Promise<number>;
  const server: Server = createServer((_request, response) => {
    sent = new Promise((resolve) => {
      let written = 0;
      response.writeHead(status, { "content-type": "application/json" });
      const pump = () => {
        while (written < BODY_BYTES) {
          written += chunk.byteLength;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        response.end();
      };
      response.on("close", () => resolve(written));
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => sent,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The process's peak resident memory so far, in bytes. */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

let server: Awaited<ReturnType<typeof startStreamingServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("a 200 MB body is stopped while it streams", () => {
  test("a 2xx: invalid_response once maxResponseBytes have come, having held a fraction of the body", async () => {
    server = await startStreamingServer(200);
    const maxResponseBytes = 16 * MiB;
    const client = createSentryClient({ token: "token", baseUrl: server.url, maxRetries: 0, maxResponseBytes });
    const before = peakRss();
    const error = await client.getOrganization("acme").catch((failure: unknown) => failure);
    const grown = peakRss() - before;
    expect(error).toBeInstanceOf(SentryApiError);
    expect(error).toMatchObject({
      kind: "invalid_response",
      message: `getOrganization: 200 body is longer than maxResponseBytes (${maxResponseBytes})`,
    });
    // Besides the limit, what the socket's and undici's buffers held: far short of the 200 MB.
    expect(await server.sent()).toBeLessThan(maxResponseBytes + 16 * MiB);
    // V8 grows its young generation by some 40 MiB under any such load; reading the whole body would
    // take more than 200 MiB.
    expect(grown).toBeLessThan(128 * MiB);
  });

  test("an error: only its first 8 KiB are read", async () => {
    server = await startStreamingServer(500);
    const client = createSentryClient({ token: "token", baseUrl: server.url, maxRetries: 0 });
    const error = await client.getOrganization("acme").catch((failure: unknown) => failure);
    expect(error).toMatchObject({ kind: "server", status: 500, detail: `${"x".repeat(8192)}…[cut]` });
    expect(await server.sent()).toBeLessThan(16 * MiB);
  });
});
