export {
  type CheckOptions,
  type CheckProgress,
  type CheckReport,
  type CheckResult,
  runCheck,
  type StopReason,
} from "./check.js";
export { type LinkRelation, MAX_LINK_HEADER_LENGTH, parseLinkHeader } from "./link-header.js";
export type { FaultTarget, MockFault } from "./mock/faults.js";
export type { RateLimitOption } from "./mock/rate-limit.js";
export { createSeedData, type MockOrganizationData, type SeedSizes } from "./mock/seed.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./mock/server.js";
export { DEFAULT_MOCK_TOKEN } from "./mock/token.js";
export { formatReport, type ReportFormat } from "./report.js";
export type { OperationId } from "./spec.js";
export {
  createValidator,
  type ResponseToValidate,
  type ResponseValidator,
  type ValidationResult,
  type ValidatorOptions,
  type Violation,
} from "./validator.js";
