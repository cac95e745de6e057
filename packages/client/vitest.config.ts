import { defineConfig } from "vitest/config";

export default defineConfig({
  // These tests spawn processes and servers; under `npm test` every package runs at once on two cores.
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
