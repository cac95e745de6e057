import type { OrganizationMember } from "@sentry-org-api/types";

/** What a members query can filter on: a member's seed builds it without building the whole member. */
export interface MemberSearchFields {
  id: string;
  email: string;
  name: string;
  userId: string | null;
  orgRole: string;
  pending: boolean;
  ssoLinked: boolean;
  has2fa: boolean;
}

export const searchFieldsOf = (member: OrganizationMember): MemberSearchFields => ({
  id: member.id,
  email: member.email,
  name: member.name,
  userId: member.user?.id ?? null,
  orgRole: member.orgRole,
  pending: member.pending,
  ssoLinked: member.flags["sso:linked"],
  has2fa: member.user?.has2fa ?? false,
});

type MemberFilter = (member: MemberSearchFields) => boolean;

const whenBoolean = (value: string, test: (member: MemberSearchFields, wanted: boolean) => boolean) => {
  const wanted = value === "true" ? true : value === "false" ? false : undefined;
  return wanted === undefined ? undefined : (member: MemberSearchFields) => test(member, wanted);
};

/** The keys of Sentry's member search that the mock understands; Sentry answers [] for an unknown key. */
const KEYS = new Map<string, (value: string) => MemberFilter | undefined>([
  ["email", (value) => (member) => member.email.toLowerCase() === value.toLowerCase()],
  ["id", (value) => (member) => member.id === value],
  ["user.id", (value) => (member) => member.userId === value],
  ["role", (value) => (member) => member.orgRole === value],
  ["isInvited", (value) => whenBoolean(value, (member, wanted) => member.pending === wanted)],
  ["ssoLinked", (value) => whenBoolean(value, (member, wanted) => member.ssoLinked === wanted)],
  ["has2fa", (value) => whenBoolean(value, (member, wanted) => member.has2fa === wanted)],
]);

/**
 * Compiles a members `query` into one predicate: space-separated terms, all of which must hold.
 * `key:value` terms filter on a field; other words match the name or email. Returns `undefined`
 * when a term can match nothing (an unknown key), which Sentry answers with an empty list.
 */
export function compileMemberQuery(query: string): MemberFilter | undefined {
  const filters: MemberFilter[] = [];
  for (const term of query.split(/\s+/).filter(Boolean)) {
    const colon = term.indexOf(":");
    if (colon > 0) {
      const make = KEYS.get(term.slice(0, colon));
      const filter = make?.(term.slice(colon + 1));
      if (!filter) return undefined;
      filters.push(filter);
    } else {
      const text = term.toLowerCase();
      filters.push((member) => member.name.toLowerCase().includes(text) || member.email.toLowerCase().includes(text));
    }
  }
  return (member) => filters.every((filter) => filter(member));
}
