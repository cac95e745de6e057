// Serves the built reference page: `npm run docs` at the repository root, or `npm run serve` here.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { port: { type: "string", default: "8080" }, host: { type: "string", default: "127.0.0.1" } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`docs: --port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
  process.exit(2);
}

const dist = new URL("../dist/", import.meta.url);
/** @type {Record<string, string>} */
const TYPES = { ".html": "text/html; charset=utf-8", ".json": "application/json", ".png": "image/png" };
const FILES = new Map([
  ["/", "index.html"],
  ["/index.html", "index.html"],
  ["/openapi.json", "openapi.json"],
  ["/screenshot.png", "screenshot.png"],
]);

const server = createServer(async (request, response) => {
  try {
    const file = FILES.get(new URL(request.url ?? "/", "http://localhost").pathname);
    if (!file) throw new Error("not found");
    const body = await readFile(new URL(file, dist));
    response.writeHead(200, { "content-type": TYPES[file.slice(file.lastIndexOf("."))] });
    response.end(body);
  } catch {
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("Not found. The reference is at /\n");
  }
});
server.listen(port, values.host, () => {
  const { port: actual } = /** @type {import("node:net").AddressInfo} */ (server.address());
  console.log(`API reference: http://${values.host}:${actual}/`);
});
