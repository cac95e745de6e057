import type { Organization, OrganizationMember, Repository } from "@sentry-org-api/types";
import { type MemberSearchFields, searchFieldsOf } from "./member-search.js";

/** One organization the mock serves: its full detailed body, its members and its repositories. */
export interface MockOrganizationData {
  /** Everything the organization endpoint can send; `teams`, `projects`, `features` and `extraOptions` are dropped per query. */
  organization: Organization;
  /** Sorted by member id, as Sentry sorts them. */
  members: OrganizationMember[];
  /** Sorted by name, as Sentry sorts them; `status` decides which of `?status=active|deleted` lists each. */
  repositories: Repository[];
}

/** An organization's members, built one at a time from their position in the list. */
export interface MemberSource {
  readonly count: number;
  member(index: number): OrganizationMember;
  /** What a members query filters on, cheaper than the whole member: a search scans every member. */
  searchFields(index: number): MemberSearchFields;
}

/** One organization as the mock holds it: members come from a source, so that 100,000 of them cost nothing until asked for. */
export interface OrganizationSource {
  organization: Organization;
  members: MemberSource;
  repositories: Repository[];
}

export interface SeedSizes {
  /** acme's members, default 250. */
  members?: number;
  /** acme's active repositories, default 120 (plus four that are not active). */
  repositories?: number;
}

const FIRST = ["Jane", "Raj", "Ana", "Wei", "Olu", "Mia", "Tom", "Ivy", "Sam", "Lea", "Kai", "Zoe", "Max", "Eva"];
const LAST = ["Doe", "Patel", "Silva", "Chen", "Adeyemi", "Novak", "Berg", "Kim", "Rossi", "Haas", "Ito", "Moss"];
const EPOCH = Date.UTC(2019, 0, 1);
const HOUR = 3_600_000;

/** ISO-8601 with six fraction digits, as Sentry writes them. */
const sentryDate = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

const noFlags = {
  "idp:provisioned": false,
  "idp:role-restricted": false,
  "sso:linked": false,
  "sso:invalid": false,
  "member-limit:restricted": false,
  "partnership:restricted": false,
};

const ROLE_NAMES: Record<string, string> = {
  owner: "Owner",
  manager: "Manager",
  admin: "Admin",
  member: "Member",
  billing: "Billing",
};

function organization(id: string, slug: string, name: string): Organization {
  return {
    id,
    slug,
    name,
    dateCreated: sentryDate(EPOCH - 400 * 24 * HOUR),
    isEarlyAdopter: false,
    require2FA: false,
    status: { id: "active", name: "active" },
    avatar: { avatarType: "letter_avatar", avatarUuid: null, avatarUrl: null },
    links: { organizationUrl: `https://${slug}.sentry.io`, regionUrl: "https://us.sentry.io" },
    hasAuthProvider: true,
    allowMemberInvite: true,
    allowMemberProjectCreation: false,
    allowSuperuserAccess: false,
    features: ["discover-basic", "integrations-codeowners", "performance-view", "session-replay"],
    extraOptions: { traces: { checkSpanExtractionDate: false } },
    access: ["org:read", "member:read", "project:read", "team:read"],
    onboardingTasks: [
      {
        task: "create_project",
        status: "complete",
        completionSeen: null,
        dateCompleted: sentryDate(EPOCH - 399 * 24 * HOUR),
        data: {},
      },
    ],
    isDefault: false,
    defaultRole: "member",
    openMembership: true,
    allowSharedIssues: true,
    enhancedPrivacy: false,
    dataScrubber: true,
    dataScrubberDefaults: true,
    sensitiveFields: [],
    safeFields: [],
    storeCrashReports: 0,
    scrubIPAddresses: false,
    scrapeJavaScript: true,
    allowJoinRequests: true,
    relayPiiConfig: null,
    trustedRelays: [],
    pendingAccessRequests: 0,
    requiresSso: false,
    orgRoleList: Object.entries(ROLE_NAMES).map(([roleId, roleName]) => ({
      id: roleId,
      name: roleName,
      desc: `${roleName}s of the organization.`,
      scopes: ["org:read", "member:read"],
    })),
    teamRoleList: [{ id: "contributor", name: "Contributor", desc: "Contributors of a team.", scopes: ["team:read"] }],
    teams: [{ id: `${id}1`, slug: "backend", name: "Backend" }],
    projects: [{ id: `${id}2`, slug: "api", name: "api" }],
  };
}

/** The seed member's searchable fields; `member()` builds the rest around them, so that both always agree. */
function memberFields(index: number, domain: string): MemberSearchFields {
  const first = FIRST[index % FIRST.length] as string;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length] as string;
  const email = `${first}.${last}.${index}@${domain}`.toLowerCase();
  // A mix that exercises every branch a client has to handle; every 25th is a pending invite.
  const pending = index % 25 === 24;
  return {
    id: String(1000 + index),
    email,
    name: pending ? email : `${first} ${last}`,
    userId: pending ? null : String(50_000 + index * 3),
    orgRole: index < 3 ? "owner" : index % 10 === 5 ? "manager" : index % 31 === 7 ? "billing" : "member",
    pending,
    ssoLinked: !pending && index % 7 === 0,
    has2fa: !pending && index % 3 === 0,
  };
}

function member(index: number, domain: string): OrganizationMember {
  const { id, email, name, userId, orgRole, ssoLinked, has2fa } = memberFields(index, domain);
  const joined = EPOCH + index * 7 * HOUR;
  const common = {
    id,
    email,
    orgRole,
    role: orgRole,
    roleName: ROLE_NAMES[orgRole] as string,
    dateCreated: sentryDate(joined),
  };
  // A pending invite has no user yet.
  if (userId === null) {
    return {
      ...common,
      name,
      user: null,
      pending: true,
      expired: index % 100 === 49,
      flags: noFlags,
      inviteStatus: index % 50 === 24 ? "requested_to_be_invited" : "approved",
      inviterName: "Jane Doe",
    };
  }
  return {
    ...common,
    name,
    user: {
      id: userId,
      name,
      username: email,
      email,
      avatarUrl: `https://gravatar.com/avatar/${(index * 2654435761).toString(16).padStart(8, "0")}?s=32&d=mm`,
      isActive: true,
      isSuspended: false,
      hasPasswordAuth: index % 7 !== 0,
      isManaged: false,
      dateJoined: sentryDate(joined),
      lastLogin: index % 9 === 0 ? null : sentryDate(joined + 30 * 24 * HOUR),
      has2fa,
      lastActive: index % 9 === 0 ? null : sentryDate(joined + 31 * 24 * HOUR),
      isSuperuser: false,
      isStaff: false,
      experiments: {},
      avatar: { avatarType: "letter_avatar", avatarUuid: null },
    },
    pending: false,
    expired: false,
    flags: { ...noFlags, "sso:linked": ssoLinked, "idp:provisioned": index % 13 === 0 },
    inviteStatus: "approved",
    inviterName: index < 3 ? null : "Jane Doe",
  };
}

const seedMembers = (count: number, domain: string): MemberSource => ({
  count,
  member: (index) => member(index, domain),
  searchFields: (index) => memberFields(index, domain),
});

/** Members given as a list, such as the `organizations` option's. */
export const listedMembers = (members: OrganizationMember[]): MemberSource => ({
  count: members.length,
  member: (index) => members[index] as OrganizationMember,
  searchFields: (index) => searchFieldsOf(members[index] as OrganizationMember),
});

const PROVIDERS = [
  { provider: { id: "integrations:github", name: "GitHub" }, host: "https://github.com", integrationId: "24176" },
  { provider: { id: "integrations:gitlab", name: "GitLab" }, host: "https://gitlab.com", integrationId: "31022" },
  {
    provider: { id: "integrations:bitbucket", name: "Bitbucket" },
    host: "https://bitbucket.org",
    integrationId: "5001",
  },
] as const;

function repository(index: number, owner: string, status: Repository["status"]): Repository {
  const name = `${owner}/service-${String(index).padStart(3, "0")}`;
  const dateCreated = sentryDate(EPOCH + index * 24 * HOUR);
  if (index === 7) {
    // A repository added by hand, with no provider: Sentry sends url null.
    return {
      id: String(380_000 + index),
      name,
      url: null,
      provider: { id: "unknown", name: "Unknown Provider" },
      status,
      dateCreated,
      integrationId: null,
      externalSlug: null,
      externalId: null,
    };
  }
  const { provider, host, integrationId } = PROVIDERS[index % PROVIDERS.length] as (typeof PROVIDERS)[number];
  const gitlab = provider.id === "integrations:gitlab";
  return {
    id: String(380_000 + index),
    name,
    url: `${host}/${name}`,
    provider,
    status,
    dateCreated,
    integrationId,
    // GitLab's slug is its numeric project id, sent as a JSON number.
    externalSlug: gitlab ? 41_822_000 + index : name,
    externalId: String(459_300_000 + index),
    settings: { enabledCodeReview: index % 2 === 0, codeReviewTriggers: ["on_ready_for_review"] },
  };
}

/** The default data, members built on demand: `acme` (id 2) with many members and repositories, and `tiny` with one member and none. */
export function createSeedOrganizations(sizes: SeedSizes = {}): OrganizationSource[] {
  const repositoryCount = sizes.repositories ?? 120;
  const active = Array.from({ length: repositoryCount }, (_, i) => repository(i, "acme", "active"));
  const inactive = (["disabled", "pending_deletion", "deletion_in_progress", "disabled"] as const).map((status, i) =>
    repository(repositoryCount + i, "acme", status),
  );
  return [
    {
      organization: organization("2", "acme", "Acme Corp"),
      members: seedMembers(sizes.members ?? 250, "acme.example"),
      repositories: [...active, ...inactive].sort((a, b) => a.name.localeCompare(b.name)),
    },
    {
      organization: organization("4504256489865216", "tiny", "Tiny Inc"),
      members: seedMembers(1, "tiny.example"),
      repositories: [],
    },
  ];
}

/** The default data as plain lists: `acme` (id 2) with many members and repositories, and `tiny` with one member and none. */
export function createSeedData(sizes: SeedSizes = {}): MockOrganizationData[] {
  return createSeedOrganizations(sizes).map(({ organization, members, repositories }) => ({
    organization,
    members: Array.from({ length: members.count }, (_, i) => members.member(i)),
    repositories,
  }));
}
