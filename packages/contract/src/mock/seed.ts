import type { Organization, OrganizationMember, Repository } from "@sentry-org-api/types";

/** One organization the mock serves: its full detailed body, its members and its repositories. */
export interface MockOrganizationData {
  /** Everything the organization endpoint can send; `teams`, `projects`, `features` and `extraOptions` are dropped per query. */
  organization: Organization;
  /** Sorted by member id, as Sentry sorts them. */
  members: OrganizationMember[];
  /** Sorted by name, as Sentry sorts them; `status` decides which of `?status=active|deleted` lists each. */
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

function member(index: number, domain: string): OrganizationMember {
  const first = FIRST[index % FIRST.length] as string;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length] as string;
  const email = `${first}.${last}.${index}@${domain}`.toLowerCase();
  const joined = EPOCH + index * 7 * HOUR;
  // A mix that exercises every branch a client has to handle; every 25th is a pending invite.
  const invited = index % 25 === 24;
  const orgRole = index < 3 ? "owner" : index % 10 === 5 ? "manager" : index % 31 === 7 ? "billing" : "member";
  const common = {
    id: String(1000 + index),
    email,
    orgRole,
    role: orgRole,
    roleName: ROLE_NAMES[orgRole] as string,
    dateCreated: sentryDate(joined),
  };
  if (invited) {
    return {
      ...common,
      name: email,
      user: null,
      pending: true,
      expired: index % 100 === 49,
      flags: noFlags,
      inviteStatus: index % 50 === 24 ? "requested_to_be_invited" : "approved",
      inviterName: "Jane Doe",
    };
  }
  const name = `${first} ${last}`;
  return {
    ...common,
    name,
    user: {
      id: String(50_000 + index * 3),
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
      has2fa: index % 3 === 0,
      lastActive: index % 9 === 0 ? null : sentryDate(joined + 31 * 24 * HOUR),
      isSuperuser: false,
      isStaff: false,
      experiments: {},
      avatar: { avatarType: "letter_avatar", avatarUuid: null },
    },
    pending: false,
    expired: false,
    flags: { ...noFlags, "sso:linked": index % 7 === 0, "idp:provisioned": index % 13 === 0 },
    inviteStatus: "approved",
    inviterName: index < 3 ? null : "Jane Doe",
  };
}

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

/** The default data: `acme` (id 2) with many members and repositories, and `tiny` with one member and none. */
export function createSeedData(sizes: SeedSizes = {}): MockOrganizationData[] {
  const memberCount = sizes.members ?? 250;
  const repositoryCount = sizes.repositories ?? 120;
  const active = Array.from({ length: repositoryCount }, (_, i) => repository(i, "acme", "active"));
  const inactive = (["disabled", "pending_deletion", "deletion_in_progress", "disabled"] as const).map((status, i) =>
    repository(repositoryCount + i, "acme", status),
  );
  return [
    {
      organization: organization("2", "acme", "Acme Corp"),
      members: Array.from({ length: memberCount }, (_, i) => member(i, "acme.example")),
      repositories: [...active, ...inactive].sort((a, b) => a.name.localeCompare(b.name)),
    },
    {
      organization: organization("4504256489865216", "tiny", "Tiny Inc"),
      members: [member(0, "tiny.example")],
      repositories: [],
    },
  ];
}
