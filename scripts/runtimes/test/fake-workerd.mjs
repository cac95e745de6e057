#!/usr/bin/env node
import { createWriteStream } from "node:fs";
// Stands in for workerd in the tests: FAKE_WORKERD says how it misbehaves, or "serve" to answer once.
import { createServer } from "node:http";

const control = createWriteStream("", { fd: 3 });
switch (process.env.FAKE_WORKERD) {
  case "exit":
    process.stderr.write("workerd.capnp:1: error: Parse error.\n");
    process.exit(1);
    break;
  case "silent":
    // Never listens, and ignores SIGTERM as a stuck server would.
    process.on("SIGTERM", () => {});
    setInterval(() => {}, 1_000);
    break;
  case "chatter":
    control.write("x".repeat(10_000));
    setInterval(() => {}, 1_000);
    break;
  case "serve": {
    const server = createServer((_, response) => response.end('{"cases":[{"name":"served","ok":true,"ms":1}]}'));
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      control.write(`${JSON.stringify({ event: "listen", socket: "http", port })}\n`);
    });
    break;
  }
}
