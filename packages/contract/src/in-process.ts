// The mock in process, on an entry that imports nothing from Node: for browsers and other runtimes.
export type { FaultTarget, MockFault } from "./mock/faults.js";
export { createMockSentry, type MockSentry, type MockSentryOptions } from "./mock/in-process.js";
export type { RateLimitOption } from "./mock/rate-limit.js";
export { createSeedData, type MockOrganizationData, type SeedSizes } from "./mock/seed.js";
export { DEFAULT_MOCK_TOKEN } from "./mock/token.js";
