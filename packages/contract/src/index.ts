/** The client's reading of a `Link` header, which the validator and `check` share. */
export {
  type LinkRelation,
  MAX_LINK_HEADER_LENGTH,
  type OperationId,
  parseLink as parseLinkHeader,
} from "@sentry-org-api/types/protocol";
export { CHECKS, type CheckName } from "./check/catalogue.js";
export {
  type CheckOptions,
  type CheckProgress,
  type CheckReport,
  type CheckResult,
  type Finding,
  runCheck,
  type StopReason,
} from "./check/check.js";
export { formatReport, type ReportFormat } from "./check/report.js";
export type { FaultTarget, MockFault } from "./mock/faults.js";
export { createMockSentry, type MockSentry, type MockSentryOptions } from "./mock/in-process.js";
export type { MockServerOptions } from "./mock/options.js";
export type { RateLimitOption } from "./mock/rate-limit.js";
export { createSeedData, type MockOrganizationData, type SeedSizes } from "./mock/seed.js";
export { type MockServer, startMockServer } from "./mock/server.js";
export { DEFAULT_MOCK_TOKEN } from "./mock/token.js";
export {
  createValidator,
  type ResponseToValidate,
  type ResponseValidator,
  type ValidationResult,
  type ValidatorOptions,
  type Violation,
} from "./validate/validator.js";
