import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createValidator, type MockServer, parseLinkHeader, startMockServer } from "../src/index.js";

const MEMBERS = "/api/0/organizations/acme/members/";
const REPOS = "/api/0/organizations/acme/repos/";

const validator = createValidator();

/** The origins of a Link header's relations, in order. */
const linkOrigins = (header: string | undefined) =>
  parseLinkHeader(header ?? "").map((relation) => new URL(relation.url).origin);

describe("Link URLs are built on the origin the request was sent to, as sentry.io builds them", () => {
  let server: MockServer;
  let port: number;
  beforeAll(async () => {
    server = await startMockServer({ members: 30 });
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  /** A GET with this Host header, sent as is by node:http. */
  const getWithHost = (host: string, path = `${MEMBERS}?per_page=7`) =>
    new Promise<{ status: number; link: string | undefined }>((resolve, reject) => {
      const headers = { host, authorization: `Bearer ${server.token}` };
      const outgoing = request({ host: "127.0.0.1", port, path, headers, setHost: false }, (incoming) => {
        incoming.resume();
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode ?? 0, link: incoming.headers.link?.toString() }),
        );
      });
      outgoing.on("error", reject);
      outgoing.end();
    });

  test.each([MEMBERS, REPOS])("%s reached as localhost links to localhost and passes the validator", async (path) => {
    const url = `http://localhost:${port}${path}?per_page=7`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${server.token}` } });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(linkOrigins(response.headers.get("link") ?? undefined)).toEqual([
      `http://localhost:${port}`,
      `http://localhost:${port}`,
    ]);
    const { status, headers } = response;
    expect(validator.validateResponse({ method: "GET", url, status, headers, body }).violations).toEqual([]);
  });

  test.each([
    ["a name and a port", "sentry.internal:8443", "http://sentry.internal:8443"],
    ["a name without a port", "example.com", "http://example.com"],
    ["upper case, which URLs fold", "LOCALHOST:4010", "http://localhost:4010"],
    ["an IPv6 address", "[::1]:4010", "http://[::1]:4010"],
  ])("Host as %s gives Link URLs on %s", async (_, host, origin) => {
    const { status, link } = await getWithHost(host);
    expect(status).toBe(200);
    expect(linkOrigins(link)).toEqual([origin, origin]);
  });

  test.each([
    ["a Host that would close the URL and add a relation", 'evil.example>; rel="next", <http://evil.example'],
    ["a Host with a path", "evil.example/x"],
    ["a Host with credentials", "user@evil.example"],
    ["a percent-encoded Host", "%65vil.example"],
    ["a port out of range", "evil.example:99999"],
    ["an unclosed IPv6 bracket", "[::1:4010"],
    ["a Host longer than any DNS name", `${"a".repeat(300)}.example`],
  ])("%s falls back to the listening origin, and the Link still parses", async (_, host) => {
    const { status, link } = await getWithHost(host);
    expect(status).toBe(200);
    expect(link).not.toContain("evil");
    expect(linkOrigins(link)).toEqual([server.url, server.url]);
  });

  test("an HTTP/1.0 request with no Host at all gets Link URLs on the listening origin", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end(`GET ${MEMBERS}?per_page=7 HTTP/1.0\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
      });
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
    const link = /^link: (.*)$/im.exec(answer)?.[1];
    expect(linkOrigins(link)).toEqual([server.url, server.url]);
  });

  test("the foreign-next-link fault moves only next, whatever the Host", async () => {
    server.injectFault({ type: "foreign-next-link", origin: "https://acme.sentry.io/ignored/path" });
    const { link } = await getWithHost("sentry.internal:8443");
    expect(linkOrigins(link)).toEqual(["http://sentry.internal:8443", "https://acme.sentry.io"]);
  });
});
