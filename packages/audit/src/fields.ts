import type { OrganizationMember, Repository } from "@sentry-org-api/types";

/**
 * The dotted paths to a record's values, property names spelled as Sentry sends them
 * (`user.has2fa`, `flags.sso:linked`, `provider.id`): into nested objects, but not into arrays or
 * free-form maps (`externalUsers`, `user.experiments`), which are one value each. No property name
 * in the spec holds a `.`, so the dots are unambiguous.
 */
export type FieldPath<T> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends readonly unknown[]
    ? K
    : NonNullable<T[K]> extends object
      ? string extends keyof NonNullable<T[K]>
        ? K
        : `${K}.${FieldPath<NonNullable<T[K]>>}`
      : K;
}[keyof T & string];

/**
 * Records, not lists, so that the compiler checks them against the generated types both ways: a
 * field the spec adds or drops fails the build until it is listed or removed here.
 */
const MEMBER_FIELDS: Record<FieldPath<OrganizationMember>, true> = {
  id: true,
  email: true,
  name: true,
  "user.id": true,
  "user.name": true,
  "user.username": true,
  "user.email": true,
  "user.avatarUrl": true,
  "user.isActive": true,
  "user.isSuspended": true,
  "user.hasPasswordAuth": true,
  "user.isManaged": true,
  "user.dateJoined": true,
  "user.lastLogin": true,
  "user.lastActive": true,
  "user.has2fa": true,
  "user.isSuperuser": true,
  "user.isStaff": true,
  "user.experiments": true,
  "user.avatar.avatarType": true,
  "user.avatar.avatarUuid": true,
  "user.avatar.avatarUrl": true,
  orgRole: true,
  role: true,
  roleName: true,
  pending: true,
  expired: true,
  "flags.idp:provisioned": true,
  "flags.idp:role-restricted": true,
  "flags.sso:linked": true,
  "flags.sso:invalid": true,
  "flags.member-limit:restricted": true,
  "flags.partnership:restricted": true,
  dateCreated: true,
  inviteStatus: true,
  inviterName: true,
  externalUsers: true,
};

const REPOSITORY_FIELDS: Record<FieldPath<Repository>, true> = {
  id: true,
  name: true,
  url: true,
  "provider.id": true,
  "provider.name": true,
  status: true,
  dateCreated: true,
  integrationId: true,
  externalSlug: true,
  externalId: true,
  "settings.enabledCodeReview": true,
  "settings.codeReviewTriggers": true,
};

/** The columns a command can show, and those it shows without `--fields`. */
export interface FieldCatalogue {
  all: readonly string[];
  defaults: readonly string[];
}

export const MEMBER_COLUMNS: FieldCatalogue = {
  all: Object.keys(MEMBER_FIELDS),
  defaults: [
    "id",
    "email",
    "name",
    "orgRole",
    "pending",
    "expired",
    "user.has2fa",
    "flags.sso:linked",
    "user.lastActive",
  ] satisfies FieldPath<OrganizationMember>[],
};

export const REPOSITORY_COLUMNS: FieldCatalogue = {
  all: Object.keys(REPOSITORY_FIELDS),
  defaults: [
    "id",
    "name",
    "status",
    "provider.id",
    "integrationId",
    "url",
    "dateCreated",
  ] satisfies FieldPath<Repository>[],
};

/** A chosen column: its name as the user wrote it, and the property names along its path. */
export interface Field {
  name: string;
  path: readonly string[];
}

/**
 * The columns `--fields` names, in its order; without it, the catalogue's defaults. Throws a
 * `RangeError` naming an unknown field and listing the valid ones.
 */
export function chooseFields(list: string | undefined, catalogue: FieldCatalogue): Field[] {
  const names = list === undefined ? catalogue.defaults : list.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!catalogue.all.includes(name))
      throw new RangeError(`unknown field ${JSON.stringify(name)}; the fields are: ${catalogue.all.join(", ")}`);
  }
  return [...new Set(names)].map((name) => ({ name, path: name.split(".") }));
}

/**
 * The value at `path`; `undefined` when the record stops short of it (`user` is `null` for an
 * invitation) or is not an object at all, which a broken server can send.
 */
export function valueAt(record: unknown, path: readonly string[]): unknown {
  let value = record;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The record cut down to the chosen fields, in Sentry's own nesting, so that code written for the
 * API reads it: `{ email, user: { has2fa } }`, or `user: null` for an invitation. A value the
 * server left out is `null`.
 */
export function project(record: unknown, fields: readonly Field[]): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const { path } of fields) {
    let from = record;
    let to = projected;
    for (const [depth, key] of path.entries()) {
      const value = typeof from === "object" && from !== null ? (from as Record<string, unknown>)[key] : undefined;
      if (depth === path.length - 1 || typeof value !== "object" || value === null) {
        to[key] = value ?? null;
        break;
      }
      from = value;
      to[key] ??= {};
      to = to[key] as Record<string, unknown>;
    }
  }
  return projected;
}

/** Scrubs a token the server echoes back out of a text: `redactToken`, as the client scrubs its errors. */
export type Redact = (text: string) => string;

/**
 * A `JSON.stringify` replacer that scrubs every string in a value, free-form maps' keys too. Each
 * string is scrubbed before it is JSON-escaped: a `\u002B` the server sent is `\\u002B` after.
 */
export function scrubbing(redact: Redact) {
  return (_key: string, value: unknown) => {
    if (typeof value === "string") return redact(value);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), item]));
    return value;
  };
}

/** A value as one cell of text, scrubbed: empty for none, JSON for a list or a map. */
export function cellText(value: unknown, redact: Redact): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return redact(value);
  if (typeof value === "object") return JSON.stringify(value, scrubbing(redact));
  return String(value);
}
