import type { OrganizationMember } from "@sentry-org-api/types";

type MemberFilter = (member: OrganizationMember) => boolean;

const whenBoolean = (value: string, test: (member: OrganizationMember, wanted: boolean) => boolean) => {
  const wanted = value === "true" ? true : value === "false" ? false : undefined;
  return wanted === undefined ? undefined : (member: OrganizationMember) => test(member, wanted);
};

/** The keys of Sentry's member search that the mock understands; Sentry answers [] for an unknown key. */
const KEYS = new Map<string, (value: string) => MemberFilter | undefined>([
  ["email", (value) => (member) => member.email.toLowerCase() === value.toLowerCase()],
  ["id", (value) => (member) => member.id === value],
  ["user.id", (value) => (member) => member.user?.id === value],
  ["role", (value) => (member) => member.orgRole === value],
  ["isInvited", (value) => whenBoolean(value, (member, wanted) => member.pending === wanted)],
  ["ssoLinked", (value) => whenBoolean(value, (member, wanted) => member.flags["sso:linked"] === wanted)],
  ["has2fa", (value) => whenBoolean(value, (member, wanted) => (member.user?.has2fa ?? false) === wanted)],
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
