export {
  type CallOptions,
  createSentryClient,
  type GetOrganizationOptions,
  type ListMembersOptions,
  type ListOptions,
  type ListRepositoriesOptions,
  type SentryClient,
  type SentryClientOptions,
} from "./client.js";
export { type RateLimit, SentryApiError, type SentryApiErrorInit, type SentryApiErrorKind } from "./errors.js";
export type { Page, Paginator } from "./paginator.js";
export type { RetryInfo } from "./retrying-fetch.js";
