import type { operations } from "./schema.js";

export type {
  ApiErrorBody,
  ApiErrorDetail,
  components,
  MemberFlags,
  MemberUser,
  Organization,
  OrganizationMember,
  operations,
  paths,
  RateLimitMessage,
  Repository,
  RepositoryProvider,
  RepositorySettings,
} from "./schema.js";

type QueryOf<OperationId extends keyof operations> = NonNullable<operations[OperationId]["parameters"]["query"]>;

export type GetOrganizationQuery = QueryOf<"getOrganization">;
export type ListOrganizationMembersQuery = QueryOf<"listOrganizationMembers">;
export type ListOrganizationRepositoriesQuery = QueryOf<"listOrganizationRepositories">;
