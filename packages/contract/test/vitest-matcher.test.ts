import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { stripVTControlCharacters } from "node:util";
import { RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSeedData, type MockServer, startMockServer } from "../src/index.js";
import "../src/vitest.js";

let mock: MockServer;
let broken: { url: string; close: () => Promise<void> };

const CUSTOMER_DOMAIN = "https://acme.sentry.io";
const FOREIGN_LINK =
  `<${CUSTOMER_DOMAIN}/api/0/organizations/acme/members/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ` +
  `<${CUSTOMER_DOMAIN}/api/0/organizations/acme/members/?&cursor=0:100:0>; rel="next"; results="false"; cursor="0:100:0"`;

/**
 * Answers the organization with a numeric `id`, no `slug` and a non-integer rate-limit header; members
 * with no `Link`; a members page whose `Link` names the customer domain; an organization that never ends.
 */
async function startBrokenServer() {
  const seed = createSeedData({ members: 2, repositories: 1 })[0];
  if (!seed) throw new Error("createSeedData returned no organization");
  const { slug: _slug, ...withoutSlug } = seed.organization;
  const server = createServer((req, res) => {
    if (req.url === "/api/0/organizations/acme/") {
      res.writeHead(200, { "content-type": "application/json", [RATE_LIMIT_HEADERS.remaining]: "lots" });
      res.end(JSON.stringify({ ...withoutSlug, id: 7 }));
    } else if (req.url === "/api/0/organizations/acme/members/") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(seed.members));
    } else if (req.url === "/api/0/organizations/foreign/members/") {
      res.writeHead(200, { "content-type": "application/json", link: FOREIGN_LINK });
      res.end(JSON.stringify(seed.members));
    } else if (req.url === "/api/0/organizations/endless/") {
      res.writeHead(200, { "content-type": "application/json" });
      const spaces = Buffer.alloc(16 * 1024, " ");
      const pump = () => {
        while (!res.destroyed && res.write(spaces));
      };
      res.on("drain", pump);
      res.write("[");
      pump();
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: "The requested resource does not exist" }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

beforeAll(async () => {
  mock = await startMockServer();
  broken = await startBrokenServer();
});
afterAll(() => Promise.all([mock.close(), broken.close()]));

const fromMock = (path: string) => fetch(`${mock.url}${path}`, { headers: { authorization: `Bearer ${mock.token}` } });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("toSatisfyApiSpec on the mock's answers", () => {
  test("passes for the organization and leaves the body readable", async () => {
    const response = await fromMock("/api/0/organizations/acme/");
    expect(response.status).toBe(200);
    await expect(response).toSatisfyApiSpec();
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toMatchObject({ slug: "acme" });
  });

  test("passes for a members page and leaves the body readable", async () => {
    const response = await fromMock("/api/0/organizations/acme/members/?per_page=10");
    expect(response.headers.get("link")).toContain('rel="next"');
    await expect(response).toSatisfyApiSpec();
    expect(await response.json()).toHaveLength(10);
  });

  test("passes for a documented 404 and a documented 401", async () => {
    const notFound = await fromMock("/api/0/organizations/no-such-org/");
    expect(notFound.status).toBe(404);
    await expect(notFound).toSatisfyApiSpec();
    expect(await notFound.json()).toEqual({ detail: "The requested resource does not exist" });

    const unauthorized = await fetch(`${mock.url}/api/0/organizations/acme/`);
    expect(unauthorized.status).toBe(401);
    await expect(unauthorized).toSatisfyApiSpec();
    expect(await unauthorized.json()).toEqual({ detail: "Authentication credentials were not provided." });
  });

  test(".not fails for a conforming answer and says which operation it satisfies", async () => {
    const response = await fromMock("/api/0/organizations/acme/");
    await expect(expect(response).not.toSatisfyApiSpec()).rejects.toThrow(
      `expected 200 from ${mock.url}/api/0/organizations/acme/ not to satisfy the spec, but it does (getOrganization)`,
    );
    expect(await response.json()).toMatchObject({ slug: "acme" });
  });
});

describe("toSatisfyApiSpec on answers that break the spec", () => {
  test("fails for a fetched broken organization, listing each violation", async () => {
    const response = await fetch(`${broken.url}/api/0/organizations/acme/`);
    const rejection = expect(response).toSatisfyApiSpec();
    await expect(rejection).rejects.toThrow(
      new RegExp(`^expected 200 from ${escapeRegExp(broken.url)}/api/0/organizations/acme/ to satisfy the spec:\\n`),
    );
    await expect(rejection).rejects.toThrow(
      /^ {2}- getOrganization header X-Sentry-Rate-Limit-Remaining: "lots" is not an integer$/m,
    );
    await expect(rejection).rejects.toThrow(/^ {2}- getOrganization body: must have required property 'slug'$/m);
    await expect(rejection).rejects.toThrow(/^ {2}- getOrganization body\/id: must be string$/m);
    await expect(rejection).rejects.toSatisfy(
      (error: Error) => error.message.split("\n").filter((line) => line.startsWith("  - ")).length === 3,
    );
    expect(await response.json()).toMatchObject({ id: 7 });
  });

  test("fails for a members page without its required Link header", async () => {
    const response = await fetch(`${broken.url}/api/0/organizations/acme/members/`);
    await expect(expect(response).toSatisfyApiSpec()).rejects.toThrow(
      `expected 200 from ${broken.url}/api/0/organizations/acme/members/ to satisfy the spec:\n` +
        "  - listOrganizationMembers header Link: is missing",
    );
    expect(await response.json()).toHaveLength(2);
  });

  test(".not passes for a broken answer", async () => {
    const response = await fetch(`${broken.url}/api/0/organizations/acme/`);
    await expect(response).not.toSatisfyApiSpec();
    expect(await response.json()).toMatchObject({ id: 7 });
  });

  test("fails for a Response built by hand: it has no URL, so no operation can be matched", async () => {
    const organization = await (await fromMock("/api/0/organizations/acme/")).text();
    const response = new Response(organization, { status: 200, headers: { "content-type": "application/json" } });
    expect(response.url).toBe("");
    await expect(expect(response).toSatisfyApiSpec()).rejects.toThrow(
      "expected 200 from (no URL) to satisfy the spec:\n  - GET / path: no documented operation for GET /",
    );
    await expect(response).not.toSatisfyApiSpec();
    expect(await response.text()).toBe(organization);
  });
});

describe("toSatisfyApiSpec with options", () => {
  test("trustedLinkOrigins lets Link name another origin, and only that one", async () => {
    const url = `${broken.url}/api/0/organizations/foreign/members/`;
    await expect(await fetch(url)).toSatisfyApiSpec({ trustedLinkOrigins: [CUSTOMER_DOMAIN] });
    const notTrusted =
      `expected 200 from ${url} to satisfy the spec:\n` +
      `  - listOrganizationMembers header Link: rel="previous" points at ${CUSTOMER_DOMAIN}, not the request's origin ${broken.url}\n` +
      `  - listOrganizationMembers header Link: rel="next" points at ${CUSTOMER_DOMAIN}, not the request's origin ${broken.url}`;
    await expect(expect(await fetch(url)).toSatisfyApiSpec()).rejects.toThrow(notTrusted);
    await expect(
      expect(await fetch(url)).toSatisfyApiSpec({ trustedLinkOrigins: ["https://other.sentry.io"] }),
    ).rejects.toThrow(notTrusted);
  });

  test("invalid options are thrown, even under .not", async () => {
    const response = await fromMock("/api/0/organizations/acme/");
    const unknown = { trustedLinkOrigin: [CUSTOMER_DOMAIN] } as never;
    const message =
      'invalid validator options: unknown option "trustedLinkOrigin" (known: trustedLinkOrigins, maxBodyBytes, maxViolations)';
    await expect(expect(response).toSatisfyApiSpec(unknown)).rejects.toThrow(new TypeError(message));
    await expect(expect(response).not.toSatisfyApiSpec(unknown)).rejects.toThrow(new TypeError(message));
    // @ts-expect-error the origins go in an options object
    const bare = expect(response).not.toSatisfyApiSpec(CUSTOMER_DOMAIN);
    await expect(bare).rejects.toThrow(new TypeError("invalid validator options: expected an object, got a string"));
    expect(await response.json()).toMatchObject({ slug: "acme" });
  });

  test("a body that never ends is read up to maxBodyBytes, then reported", async () => {
    const response = await fetch(`${broken.url}/api/0/organizations/endless/`);
    try {
      await expect(expect(response).toSatisfyApiSpec({ maxBodyBytes: 100_000 })).rejects.toThrow(
        `expected 200 from ${broken.url}/api/0/organizations/endless/ to satisfy the spec:\n` +
          "  - getOrganization body: is over 100,000 bytes (maxBodyBytes), so it was not parsed",
      );
    } finally {
      await response.body?.cancel();
    }
  });

  test("a character split between two chunks is read whole, so a body of exactly maxBodyBytes passes", async () => {
    const seed = createSeedData({ members: 1, repositories: 0 })[0];
    if (!seed) throw new Error("createSeedData returned no organization");
    const body = Buffer.from(JSON.stringify({ ...seed.organization, name: "Acmé" }));
    // Inside the two bytes of "é": read apart, each half would become a three-byte U+FFFD.
    const cut = body.indexOf("é") + 1;
    let sendRest = () => {};
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(body.subarray(0, cut));
      sendRest = () => res.end(body.subarray(cut));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const response = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/0/organizations/acme/`,
      );
      // The first half went out with the headers; the rest goes only now, as a second chunk.
      sendRest();
      await expect(response).toSatisfyApiSpec({ maxBodyBytes: body.length });
      expect((await response.json()).name).toBe("Acmé");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("a Response whose body was already read is thrown, not judged", async () => {
    const response = await fromMock("/api/0/organizations/acme/");
    await response.text();
    await expect(expect(response).not.toSatisfyApiSpec()).rejects.toThrow(
      new TypeError("the Response's body was already read: check it with toSatisfyApiSpec before reading it"),
    );
  });
});

describe("toSatisfyApiSpec on something that is not a Response", () => {
  /** The matcher's message without the colours vitest's printReceived adds. */
  const messageOf = async (assertion: Promise<unknown>) => {
    const error = await assertion.then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(error, "the assertion passed instead of failing").toBeInstanceOf(Error);
    return stripVTControlCharacters((error as Error).message);
  };

  test("fails with the 'expected a fetch Response' message", async () => {
    expect(await messageOf(expect({ status: 200, url: "" }).toSatisfyApiSpec())).toBe(
      'expected a fetch Response, got Object {\n  "status": 200,\n  "url": "",\n}',
    );
    expect(await messageOf(expect("not a response").toSatisfyApiSpec())).toBe(
      'expected a fetch Response, got "not a response"',
    );
  });

  test("a forgotten await (a Promise of a Response) fails, even under .not", async () => {
    const response = await fromMock("/api/0/organizations/acme/");
    const pending = Promise.resolve(response);
    try {
      // How a Promise prints depends on the process (async hooks add symbols to it), so only its start is fixed.
      expect(await messageOf(expect(pending).toSatisfyApiSpec())).toMatch(/^expected a fetch Response, got Promise \{/);
      expect(await messageOf(expect(pending).not.toSatisfyApiSpec())).toMatch(
        /^expected a fetch Response, got Promise \{/,
      );
    } finally {
      await response.body?.cancel();
    }
  });
});
