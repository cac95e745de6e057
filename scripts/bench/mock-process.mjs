// A mock in its own process, for mock-scale.mjs: node mock-process.mjs MEMBERS
// Sends `{ url, startMs }` once it listens, then its resident memory in bytes whenever asked.
import { startMockServer } from "@sentry-org-api/contract";

const start = performance.now();
const mock = await startMockServer({ members: Number(process.argv[2]) });
process.on("message", () => process.send?.(process.memoryUsage().rss));
process.send?.({ url: mock.url, startMs: performance.now() - start });
