import { describe, expect, test } from "vitest";
import { cellText, chooseFields, MEMBER_COLUMNS, project, REPOSITORY_COLUMNS, valueAt } from "../src/fields.js";

const invitation = { id: "1024", email: "kai@acme.example", user: null, flags: { "sso:linked": false } };
const member = {
  id: "1000",
  email: "jane@acme.example",
  user: { id: "50000", has2fa: true, experiments: { a: 1 }, avatar: { avatarType: "upload" } },
  flags: { "sso:linked": true },
};

describe("chooseFields", () => {
  test("the defaults without --fields, each one a valid field", () => {
    expect(chooseFields(undefined, MEMBER_COLUMNS).map(({ name }) => name)).toEqual(MEMBER_COLUMNS.defaults);
    for (const catalogue of [MEMBER_COLUMNS, REPOSITORY_COLUMNS])
      expect(catalogue.all).toEqual(expect.arrayContaining([...catalogue.defaults]));
  });

  test("--fields in its order, split into paths at the dots only, spaces and repeats dropped", () => {
    expect(chooseFields("flags.sso:linked, user.avatar.avatarType,email,email", MEMBER_COLUMNS)).toEqual([
      { name: "flags.sso:linked", path: ["flags", "sso:linked"] },
      { name: "user.avatar.avatarType", path: ["user", "avatar", "avatarType"] },
      { name: "email", path: ["email"] },
    ]);
  });

  test("an unknown field, a path into a map or a half path is refused with the valid list", () => {
    for (const wrong of ["nope", "user.experiments.a", "user", "provider.id", ""]) {
      expect(() => chooseFields(`email,${wrong}`, MEMBER_COLUMNS)).toThrow(
        new RangeError(`unknown field ${JSON.stringify(wrong)}; the fields are: ${MEMBER_COLUMNS.all.join(", ")}`),
      );
    }
  });

  test("the repository fields are the generated type's, nested objects walked into", () => {
    expect(REPOSITORY_COLUMNS.all).toEqual([
      "id",
      "name",
      "url",
      "provider.id",
      "provider.name",
      "status",
      "dateCreated",
      "integrationId",
      "externalSlug",
      "externalId",
      "settings.enabledCodeReview",
      "settings.codeReviewTriggers",
    ]);
  });
});

describe("valueAt", () => {
  test("follows the path; undefined past a null or through something that is not an object", () => {
    expect(valueAt(member, ["user", "has2fa"])).toBe(true);
    expect(valueAt(member, ["flags", "sso:linked"])).toBe(true);
    expect(valueAt(invitation, ["user", "has2fa"])).toBeUndefined();
    expect(valueAt(null, ["id"])).toBeUndefined();
    expect(valueAt("text", ["length"])).toBeUndefined();
    expect(valueAt({ user: 5 }, ["user", "has2fa"])).toBeUndefined();
  });
});

describe("project", () => {
  const fields = chooseFields(
    "id,user.has2fa,user.avatar.avatarType,flags.sso:linked,user.experiments",
    MEMBER_COLUMNS,
  );

  test("keeps Sentry's nesting", () => {
    expect(project(member, fields)).toEqual({
      id: "1000",
      user: { has2fa: true, avatar: { avatarType: "upload" }, experiments: { a: 1 } },
      flags: { "sso:linked": true },
    });
  });

  test("an invitation's user stays null; a value the server left out is null", () => {
    expect(project(invitation, fields)).toEqual({ id: "1024", user: null, flags: { "sso:linked": false } });
    expect(project({}, fields)).toEqual({ id: null, user: null, flags: null });
    expect(project(7, fields)).toEqual({ id: null, user: null, flags: null });
  });
});

describe("cellText", () => {
  test.each([
    [null, ""],
    [undefined, ""],
    ["text", "text"],
    [41822000, "41822000"],
    [false, "false"],
    [["on_ready_for_review"], '["on_ready_for_review"]'],
    [{ a: 1 }, '{"a":1}'],
  ])("%j → %j", (value, text) => {
    expect(cellText(value, (text) => text)).toBe(text);
  });
});
