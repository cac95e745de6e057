import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSeedData, createValidator, parseLinkHeader } from "../src/index.js";
import { searchFieldsOf } from "../src/mock/member-search.js";
import { createSeedOrganizations } from "../src/mock/seed.js";
import { type MockUnderTest, TRANSPORTS } from "./mock-transports.js";

const MEMBERS = "/api/0/organizations/acme/members/";
/** What the README promises: page answers and filtered index lists together. */
const CACHE_CEILING_BYTES = 24 * 2 ** 20;

const validator = createValidator();

async function get(server: MockUnderTest, path: string) {
  const url = `${server.url}${path}`;
  const response = await server.fetch(url, { headers: { authorization: `Bearer ${server.token}` } });
  const body = await response.text();
  const { status, headers } = response;
  const { violations } = validator.validateResponse({ method: "GET", url, status, headers, body });
  expect(violations, `GET ${path}`).toEqual([]);
  const next = parseLinkHeader(headers.get("link") ?? "").find((relation) => relation.params.rel === "next");
  return { status, body, members: JSON.parse(body) as { id: string; email: string; name: string }[], next };
}

test("the seed's search fields agree with the members they describe", () => {
  const members = createSeedOrganizations({ members: 3_000 })[0]?.members;
  if (!members) throw new Error("the seed has no acme");
  expect(members.count).toBe(3_000);
  for (let i = 0; i < 3_000; i++) {
    expect(members.searchFields(i), `member ${i}`).toEqual(searchFieldsOf(members.member(i)));
  }
});

describe.each(TRANSPORTS)("the mock over $name", ({ start }) => {
  describe("100,000 members, built on demand", () => {
    let server: MockUnderTest;
    beforeAll(async () => {
      server = await start({ members: 100_000 });
    });
    afterAll(() => server.close());

    test("the last page holds the last 100 members, and says no next page", async () => {
      const last = await get(server, `${MEMBERS}?cursor=100:999:0`);
      expect(last.members.map((member) => member.id)).toEqual(
        Array.from({ length: 100 }, (_, i) => String(100_900 + i)),
      );
      expect(last.next?.params.results).toBe("false");
      const beyond = await get(server, `${MEMBERS}?cursor=100:1000:0`);
      expect(beyond.members).toEqual([]);
    });

    test("a query finds the very last member, and free text scans every member", async () => {
      const byEmail = await get(server, `${MEMBERS}?query=${encodeURIComponent("email:zoe.silva.99999@acme.example")}`);
      expect(byEmail.members.map((member) => member.id)).toEqual(["100999"]);
      const owners = await get(server, `${MEMBERS}?query=${encodeURIComponent("role:owner")}`);
      expect(owners.members.map((member) => member.id)).toEqual(["1000", "1001", "1002"]);
      const janes = await get(server, `${MEMBERS}?query=jane&cursor=100:71:0`);
      // One member in 14 is a Jane: 7,143 of them, so the 72nd page of 100 is the last and holds 43.
      expect(janes.members).toHaveLength(43);
      expect(janes.members.every((member) => `${member.name} ${member.email}`.toLowerCase().includes("jane"))).toBe(
        true,
      );
      expect(janes.next?.params.results).toBe("false");
    });

    test("unique queries cannot grow the caches past their ceiling", { timeout: 120_000 }, async () => {
      let received = 0;
      const bodyLength = async (path: string) => {
        const response = await server.fetch(`${server.url}${path}`, {
          headers: { authorization: `Bearer ${server.token}` },
        });
        expect(response.status).toBe(200);
        return (await response.arrayBuffer()).byteLength;
      };
      // Each a new filtered index list of about 96,000 members (384 KB) and a new page: the spaces make each query unique.
      for (let spaces = 1; spaces <= 30; spaces++) {
        const query = encodeURIComponent(`isInvited:false${" ".repeat(spaces)}`);
        received += await bodyLength(`${MEMBERS}?query=${query}`);
        expect(server.cachedBytes()).toBeLessThanOrEqual(CACHE_CEILING_BYTES);
      }
      // Each a new page of about 90 KB.
      for (let page = 0; page < 300; page++) {
        received += await bodyLength(`${MEMBERS}?cursor=100:${page}:0`);
        expect(server.cachedBytes()).toBeLessThanOrEqual(CACHE_CEILING_BYTES);
      }
      // The pages alone were more than the caches may hold.
      expect(received).toBeGreaterThan(CACHE_CEILING_BYTES);
      // The caches were filled, not bypassed.
      expect(server.cachedBytes()).toBeGreaterThan(CACHE_CEILING_BYTES / 2);
    });
  });

  describe("members come from the seed or from the organizations option", () => {
    test("createSeedData lists the same members the mock serves", async () => {
      const [acme] = createSeedData({ members: 120 });
      const server = await start({ members: 120 });
      try {
        const first = await get(server, `${MEMBERS}?per_page=100`);
        const second = await get(server, `${MEMBERS}?per_page=100&cursor=100:1:0`);
        expect([...first.members, ...second.members]).toEqual(acme?.members);
      } finally {
        await server.close();
      }
    });

    test("a query filters members given in the organizations option", async () => {
      const data = createSeedData({ members: 40 });
      const acme = data[0];
      if (!acme) throw new Error("the seed has no acme");
      acme.members[5] = { ...(acme.members[5] as (typeof acme.members)[number]), name: "Grace Hopper" };
      const server = await start({ organizations: data });
      try {
        const found = await get(server, `${MEMBERS}?query=hopper`);
        expect(found.members.map((member) => member.id)).toEqual(["1005"]);
        const all = await get(server, MEMBERS);
        expect(all.members).toHaveLength(40);
      } finally {
        await server.close();
      }
    });
  });
});
