// The mock's default data is what users write their tests against (`jane.doe.0@acme.example`, the
// number of pages, which repository has no URL): it is pinned, so that any change to it is deliberate —
// update the digests below and say so in a changeset.
import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import { createSeedData } from "../src/index.js";
import { createSeedOrganizations } from "../src/mock/seed.js";

const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

test("the default data is the same on every call", () => {
  expect(createSeedData()).toEqual(createSeedData());
});

test("the first member and repository of acme read as pinned", () => {
  const [acme] = createSeedData({ members: 1, repositories: 1 });
  expect(acme?.members[0]).toMatchObject({ email: "jane.doe.0@acme.example", orgRole: "owner" });
  expect(acme?.repositories.map((repository) => [repository.name, repository.status])).toEqual([
    ["acme/service-000", "active"],
    ["acme/service-001", "disabled"],
    ["acme/service-002", "pending_deletion"],
    ["acme/service-003", "deletion_in_progress"],
    ["acme/service-004", "disabled"],
  ]);
});

test("every field of the default data, and what member search reads of it, is pinned", () => {
  expect(digest(createSeedData())).toBe(PINNED_DATA);
  const searched = createSeedOrganizations().map(({ members }) =>
    Array.from({ length: members.count }, (_, i) => members.searchFields(i)),
  );
  expect(digest(searched)).toBe(PINNED_SEARCH_FIELDS);
});

const PINNED_DATA = "150c7797e7a0c3e338a08d031cf73197c0dfa285df66d0747ce6357a26887913";
const PINNED_SEARCH_FIELDS = "d2a81d7ef6f73a4a2e6b90f1edcf41ffc0143fc32c9553b8481c6e28abd6294a";
