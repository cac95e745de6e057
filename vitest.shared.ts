import { defineConfig } from "vitest/config";

export default defineConfig({
  // Many tests start servers, CLIs, Redocly or Chromium; `npm test` runs two packages at once on two cores.
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
