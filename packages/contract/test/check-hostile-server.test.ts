import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type OperationId, RATE_LIMIT_HEADERS } from "@sentry-org-api/types/protocol";
import { afterEach, describe, expect, test, vi } from "vitest";
import { CHECK_NAMES, type CheckName } from "../src/check/catalogue.js";
import { checkedBaseUrl, organizationProblem } from "../src/check/check.js";
import { formatReport, textReport } from "../src/check/report.js";
import { type CheckOptions, type CheckProgress, createSeedData, runCheck } from "../src/index.js";
import { type CliRun, runCli, startCli } from "./cli-run.js";

/** Shaped like a Sentry user token; never printed. */
const TOKEN = "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";

const seed = createSeedData({ members: 3, repositories: 3 })[0];
if (!seed) throw new Error("createSeedData returned no organization");

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** What Sentry answers for `path` (from `/api/0/` on) for organization acme, its Link URLs under `root`. */
function sentryAnswer(root: string, path: string): Answer {
  const { pathname } = new URL(path, "http://placeholder.invalid");
  if (pathname === "/api/0/organizations/acme/") return json(200, seed?.organization);
  const list = /^\/api\/0\/organizations\/acme\/(members|repos)\/$/.exec(pathname)?.[1];
  if (!list) return json(404, { detail: "The requested resource does not exist" });
  const url = (cursor: string) => `${root}/api/0/organizations/acme/${list}/?&cursor=${cursor}`;
  const link = [
    `<${url("100:-1:1")}>; rel="previous"; results="false"; cursor="100:-1:1"`,
    `<${url("100:1:0")}>; rel="next"; results="false"; cursor="100:1:0"`,
  ].join(", ");
  return list === "members"
    ? json(200, seed?.members, { link })
    : json(200, seed?.repositories, { link, "x-hits": String(seed?.repositories.length) });
}

type Handler = (req: IncomingMessage, res: ServerResponse, origin: string) => void;

/** A server on 127.0.0.1 that counts requests and answers with `handler`; `send` writes an `Answer`. */
async function startServer(handler: Handler) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    handler(req, res, `http://${req.headers.host}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type TestServer = Awaited<ReturnType<typeof startServer>>;

const send = (res: ServerResponse, answer: Answer) => {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
};

/** A port nothing listens on: bound, then closed. */
async function closedPort() {
  const server = await startServer(() => {});
  await server.close();
  return server.port;
}

const runCheckCli = (args: string[], token = TOKEN) =>
  runCli(["check", "--token-env", "HOSTILE_TOKEN", ...args], { HOSTILE_TOKEN: token });

/** The closing line of a run that stopped before any check was decided: three checks, one per operation. */
const NONE_RUN = /^3 checks: 0 passed, 0 failed, 3 not run \(1 request in \d+\.\d s\)$/;
/** The three results of `not_a_server_error`, the one check most of these runs select, not run. */
const NOT_RUN = ["getOrganization", "listOrganizationMembers", "listOrganizationRepositories"].map(
  (operation) => `○ not_a_server_error ${operation}: not run`,
);
const ONE_CHECK = ["--checks", "not_a_server_error"];

const expectNoToken = (run: CliRun) => {
  expect(run.stdout).not.toContain(TOKEN);
  expect(run.stderr).not.toContain(TOKEN);
};

let server: TestServer | undefined;
const serve = async (handler: Handler) => {
  server = await startServer(handler);
  return server;
};
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("check against a server that does not answer", () => {
  test("a first request without an answer stops the run with exit 3, naming host, port and the timeout", async () => {
    const { url, port } = await serve(() => {});
    const run = await runCheckCli(["--org", "acme", "--base-url", url, "--timeout", "0.3", ...ONE_CHECK]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")).toEqual([
      `Checking ${url} for organization "acme"`,
      ...NOT_RUN,
      "",
      `Stopped: no complete answer from 127.0.0.1:${port} within 0.3 s`,
      expect.stringMatching(NONE_RUN),
      "",
    ]);
  });

  test("a later request without an answer fails its check; the deadline then stops the run", async () => {
    // Only the organization without a query is answered: the first positive case (detailed=0) gets nothing.
    const { url, port, requests } = await serve((req, res, origin) => {
      if (req.url === "/api/0/organizations/acme/") send(res, sentryAnswer(origin, req.url));
    });
    const run = await runCheckCli([
      "--org",
      "acme",
      "--base-url",
      url,
      "--timeout",
      "1",
      "--deadline",
      "1.5",
      ...ONE_CHECK,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").slice(1)).toEqual([
      "✗ not_a_server_error getOrganization: 1 of 2 answers failed",
      ...NOT_RUN.slice(1),
      "",
      "Failures:",
      "  not_a_server_error getOrganization, detailed=0 (an enum value)",
      "      expected an answer that is not a 5xx; got no answer",
      `      at request: no complete answer from 127.0.0.1:${port} within 1 s`,
      `      curl -i -H "Authorization: Bearer $HOSTILE_TOKEN" '${url}/api/0/organizations/acme/?detailed=0'`,
      "",
      "Stopped: the deadline of 1.5 s passed",
      expect.stringMatching(/^3 checks: 0 passed, 1 failed, 2 not run \(3 requests in \d+\.\d s\)$/),
      "",
    ]);
    expect(requests).toHaveLength(3);
  });
});

describe("check against a rate limit that does not end", () => {
  const inAnHour = () => String(Math.floor(Date.now() / 1000) + 3600);
  /** A window with no request left until `reset`, as sentry.io sends it. */
  const spentWindow = (reset: string) => ({
    [RATE_LIMIT_HEADERS.limit]: "40",
    [RATE_LIMIT_HEADERS.remaining]: "0",
    [RATE_LIMIT_HEADERS.reset]: reset,
  });

  test("a 429 whose window reopens after the deadline is not waited for: exit 3, the rest not run", async () => {
    const { url, requests } = await serve((_req, res) =>
      send(res, {
        status: 429,
        headers: { "content-type": "text/html; charset=utf-8", [RATE_LIMIT_HEADERS.reset]: inAnHour() },
        body: '"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"',
      }),
    );
    const run = await runCheckCli(["--org", "acme", "--base-url", url, ...ONE_CHECK]);
    expect(run.code).toBe(3);
    expect(run.stdout.split("\n").slice(1)).toEqual([
      ...NOT_RUN,
      "",
      // The reset is a whole second an hour on, read a moment later: 3600 s, or 3599 s across a second's turn.
      expect.stringMatching(
        /^Stopped: the rate-limit window reopens in 3(599|600) s \(X-Sentry-Rate-Limit-Reset\), after the deadline \(in 300 s\)$/,
      ),
      expect.stringMatching(NONE_RUN),
      "",
    ]);
    expect(requests).toHaveLength(1);
  });

  test("Remaining 0 on every answer holds back the next request; past the deadline it is not sent", async () => {
    const { url, requests } = await serve((req, res, origin) => {
      const answer = sentryAnswer(origin, req.url ?? "");
      send(res, {
        ...answer,
        headers: { ...answer.headers, ...spentWindow(inAnHour()) },
      });
    });
    const run = await runCheckCli(["--org", "acme", "--base-url", url, "--deadline", "60", ...ONE_CHECK]);
    expect(run.code).toBe(3);
    // The one answer was fine, but the organization's other cases never ran: not run, not passed.
    expect(run.stdout.split("\n").slice(1, 4)).toEqual(NOT_RUN);
    expect(run.stdout).toMatch(
      /\nStopped: the rate-limit window reopens in 3(599|600) s \(X-Sentry-Rate-Limit-Reset\), after the deadline \(in 60 s\)\n/,
    );
    expect(requests).toEqual(["/api/0/organizations/acme/"]);
  });
});

describe("check --base-url with a path", () => {
  /** Sentry behind a reverse proxy that serves it under /sentry only. */
  const underSentry: Handler = (req, res, origin) => {
    const path = req.url ?? "";
    if (path.startsWith("/sentry/")) send(res, sentryAnswer(`${origin}/sentry`, path.slice("/sentry".length)));
    else send(res, json(404, { detail: "Not found" }));
  };

  test.for(["/sentry", "/sentry/"])("keeps the path (%s) and shows the full URLs", async (path) => {
    const { url, requests } = await serve(underSentry);
    const run = await runCheckCli(["--org", "acme", "--base-url", `${url}${path}`, ...ONE_CHECK]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`Checking ${url}/sentry for organization "acme"`);
    expect(requests.slice(0, 2)).toEqual([
      "/sentry/api/0/organizations/acme/",
      "/sentry/api/0/organizations/acme/?detailed=0",
    ]);
    expect(requests.filter((request) => !request.startsWith("/sentry/api/0/organizations/"))).toEqual([]);
  });

  test("without the path, the 404s show the URL that was called and the server's detail", async () => {
    const { url } = await serve(underSentry);
    const run = await runCheckCli(["--org", "acme", "--base-url", url, "--checks", "positive_data_acceptance"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      [
        "  positive_data_acceptance getOrganization, no parameters",
        "      expected 200; got 404",
        '      excerpt "Not found"',
        `      curl -i -H "Authorization: Bearer $HOSTILE_TOKEN" '${url}/api/0/organizations/acme/'`,
      ].join("\n"),
    );
  });

  test("a query or fragment in --base-url is bad usage", async () => {
    const run = await runCheckCli(["--org", "acme", "--base-url", "http://127.0.0.1:9/sentry?x=1"]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe("sentry-org-api: --base-url must not have a query or a fragment");
  });
});

describe("check against a server it cannot reach", () => {
  test("a closed port: exit 3, naming host, port and ECONNREFUSED", async () => {
    const port = await closedPort();
    const run = await runCheckCli(["--org", "acme", "--base-url", `http://127.0.0.1:${port}`, ...ONE_CHECK]);
    expect(run.code).toBe(3);
    expect(run.stdout.split("\n").slice(-3)).toEqual([
      `Stopped: no answer from 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      expect.stringMatching(NONE_RUN),
      "",
    ]);
  });

  test("https on a plain HTTP port: exit 3, naming the TLS failure", async () => {
    const { port } = await serve((_req, res) => send(res, json(200, {})));
    const run = await runCheckCli(["--org", "acme", "--base-url", `https://127.0.0.1:${port}`]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\nStopped: no answer from 127\\.0\\.0\\.1:${port}: ERR_SSL_WRONG_VERSION_NUMBER: .*wrong version number`,
      ),
    );
  });
});

describe("check with a token the server refuses", () => {
  test("exit 3 after one request, with the server's detail and what to check", async () => {
    const { url, requests } = await serve((_req, res) =>
      send(res, json(401, { detail: "Invalid token" }, { "www-authenticate": 'xBasic realm="api"' })),
    );
    const run = await runCheckCli(["--org", "acme", "--base-url", url, ...ONE_CHECK]);
    expect(run.code).toBe(3);
    expect(run.stdout.split("\n").slice(1)).toEqual([
      ...NOT_RUN,
      "",
      'Stopped: the server refused the token: 401 "Invalid token". Check the token in HOSTILE_TOKEN: it must be one ' +
        "this server issued, not expired or revoked, with the scopes org:read and member:read",
      expect.stringMatching(NONE_RUN),
      "",
    ]);
    expect(requests).toHaveLength(1);
  });

  test("a detail that echoes the token is redacted, in the report and in the progress on stderr", async () => {
    const { url } = await serve((req, res) =>
      send(res, json(401, { detail: `Invalid token ${req.headers.authorization?.slice("Bearer ".length)}` })),
    );
    for (const format of ["text", "json", "junit"]) {
      const run = await runCheckCli(["--org", "acme", "--base-url", url, "--format", format]);
      expect(run.code).toBe(3);
      expect(`${run.stdout}${run.stderr}`).toContain('401 "Invalid token [redacted]"');
      expectNoToken(run);
    }
  });

  test("a token with + / = echoed percent-encoded, once or twice, is redacted too", async () => {
    const token = "sntrys_eyJpYXQiOjE3MDB9+a/b=_CanarySecret";
    const once = encodeURIComponent(token);
    const { url } = await serve((_req, res) =>
      send(res, json(401, { detail: `Invalid token ${once} ${encodeURIComponent(once)}` })),
    );
    const run = await runCheckCli(["--org", "acme", "--base-url", url], token);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('401 "Invalid token [redacted] [redacted]"');
    expect(`${run.stdout}${run.stderr}`).not.toContain("CanarySecret");
  });
});

test("a token in --base-url's path is redacted from the progress lines and the report", async () => {
  const { url } = await serve((req, res, origin) => {
    const path = req.url ?? "";
    if (path.startsWith(`/${TOKEN}/`)) send(res, sentryAnswer(`${origin}/${TOKEN}`, path.slice(TOKEN.length + 1)));
    else send(res, json(404, { detail: "Not found" }));
  });
  // The imitation answers without a token, so ignored_auth fails and shows its curl, with the URL.
  for (const format of ["text", "json"]) {
    const run = await runCheckCli([
      "--org",
      "acme",
      "--base-url",
      `${url}/${TOKEN}`,
      "--checks",
      "ignored_auth",
      "--format",
      format,
    ]);
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain(`Checking ${url}/[redacted] for organization "acme"`);
    expect(run.stdout).toContain(`curl -i '${url}/[redacted]/api/0/organizations/acme/'`);
    expectNoToken(run);
  }
});

describe("an --org the spec rules out is bad usage, and nothing is requested", () => {
  test.for(["a/b", "..", "acme corp", "x".repeat(51), "acme?x=1"])("%s", async (org) => {
    const { url, requests } = await serve((_req, res) => send(res, json(200, {})));
    const run = await runCheckCli(["--org", org, "--base-url", url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toBe(
      `sentry-org-api: --org must match ^[A-Za-z0-9_-]+$ and have 1 to 50 characters, got ${JSON.stringify(org)}`,
    );
    expect(requests).toEqual([]);
  });

  test("also without --base-url, before the bundled mock starts", async () => {
    const run = await runCheckCli(["--org", ".."]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      'sentry-org-api: --org must match ^[A-Za-z0-9_-]+$ and have 1 to 50 characters, got ".."',
    );
  });
});

describe("check against hostile bodies", () => {
  /** 30 KB of `[{},{},…]` on every list page, `{}` as the organization, a 404 with a 30 KB detail for repositories. */
  const hostile: Handler = (req, res, origin) => {
    const path = req.url ?? "";
    if (path.includes("/repos/")) return send(res, json(404, { detail: "x".repeat(30_000) }));
    if (!path.includes("/members/")) return send(res, json(200, {}));
    const page = Number(new URL(path, origin).searchParams.get("cursor")?.split(":")[1] ?? "0");
    const url = (cursor: string) => `${origin}/api/0/organizations/acme/members/?&cursor=${cursor}`;
    send(res, {
      status: 200,
      headers: {
        "content-type": "application/json",
        link: `<${url("100:0:1")}>; rel="previous"; results="false"; cursor="100:0:1", <${url(`100:${page + 1}:0`)}>; rel="next"; results="true"; cursor="100:${page + 1}:0"`,
      },
      body: `[${Array(10_000).fill("{}").join(",")}]`,
    });
  };

  test.for(["text", "json", "junit"])("a 30 KB hostile body gives a %s report under 100 KB", async (format) => {
    const { url } = await serve(hostile);
    const run = await runCheckCli(["--org", "acme", "--base-url", url, "--format", format]);
    expect(run.code).toBe(1);
    expect(Buffer.byteLength(run.stdout)).toBeLessThan(100_000);
    expect(Buffer.byteLength(run.stderr)).toBeLessThan(100_000);
    expect(run.stdout).toMatch(format === "json" ? /"expected": "200",\n\s+"status": 404,/ : /expected 200; got 404/);
    expect(run.stdout).not.toContain("x".repeat(201));
  });

  test("a body without end is read to 32 MiB, then the connection is closed and the size reported", async () => {
    let sent = 0;
    let hangUp = () => {};
    const hungUp = new Promise<void>((resolve) => {
      hangUp = resolve;
    });
    const { url } = await serve((req, res, origin) => {
      if (!req.url?.includes("/members/")) return send(res, sentryAnswer(origin, req.url ?? ""));
      const { link } = sentryAnswer(origin, req.url).headers;
      res.writeHead(200, { "content-type": "application/json", link: link ?? "" });
      res.on("close", hangUp);
      const chunk = Buffer.alloc(64 * 1024, " ");
      const pump = () => {
        while (!res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
      };
      res.write("[");
      pump();
    });
    const run = await runCheckCli([
      ...["--org", "acme", "--base-url", url, "--checks", "response_schema_conformance"],
      ...["--operations", "listOrganizationMembers", "--max-requests", "1"],
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✗ response_schema_conformance listOrganizationMembers: 1 of 1 answer failed\n");
    expect(run.stdout).toContain("      at body: is over 32 MiB; the check read no further\n");
    // The cancel is not awaited, so the hang-up may come just after the report.
    await hungUp;
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("runCheck against hostile bodies", () => {
  test("a list nested 10,000 deep is reported with a short excerpt, not a stack overflow", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const fetch = (async (input: string | URL | Request) => {
      const path = String(input).slice("https://sentry.example".length);
      const answer = path.includes("/members/") ? json(200, null) : sentryAnswer("https://sentry.example", path);
      const body = path.includes("/members/") ? deep : answer.body;
      return new Response(body, { status: answer.status, headers: answer.headers });
    }) as typeof globalThis.fetch;
    const report = await runCheck({
      baseUrl: "https://sentry.example",
      token: TOKEN,
      org: "acme",
      checks: ["response_schema_conformance"],
      operations: ["listOrganizationMembers"],
      maxRequests: 1,
      fetch,
    });
    expect(report.checks[0]?.failures[0]).toMatchObject({ place: "body/0", excerpt: `${"[".repeat(120)}…` });
  });

  test("a cursor holding the token is sent back as the server wrote it, and shown redacted", async () => {
    const root = "https://sentry.example";
    const urls: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      const url = String(input);
      urls.push(url);
      const first = !url.includes("cursor=");
      const list = `${root}/api/0/organizations/acme/members/`;
      const link = [
        `<${list}?cursor=${TOKEN}:0>; rel="previous"; results="false"; cursor="${TOKEN}:0"`,
        `<${list}?cursor=${TOKEN}:1>; rel="next"; results="${first}"; cursor="${TOKEN}:1"`,
      ].join(", ");
      const answer = json(200, first ? seed?.members : [], { link });
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    }) as typeof globalThis.fetch;
    const report = await runCheck({
      baseUrl: root,
      token: TOKEN,
      org: "acme",
      checks: ["pagination_end"],
      operations: ["listOrganizationMembers"],
      maxPages: 2,
      fetch,
    });
    expect(urls[1]).toBe(`${root}/api/0/organizations/acme/members/?cursor=${encodeURIComponent(`${TOKEN}:1`)}`);
    expect(report.checks[0]?.failures[0]).toMatchObject({
      case: "page 2",
      message: 'page 2 is empty, but page 1\'s next said results="true"',
      curl: `curl -i -H "Authorization: Bearer $SENTRY_TOKEN" '${root}/api/0/organizations/acme/members/?cursor=[redacted]%3A1'`,
    });
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });

  test("characters XML 1.0 forbids in a body become U+FFFD in the JUnit report", async () => {
    const fetch = (async () =>
      new Response(JSON.stringify({ detail: "bad\uFFFFend\uFFFE" }), {
        status: 500,
        headers: { "content-type": "application/json" },
      })) as typeof globalThis.fetch;
    const report = await runCheck({
      baseUrl: "https://sentry.example",
      token: TOKEN,
      org: "acme",
      checks: ["not_a_server_error"],
      operations: ["getOrganization"],
      maxRequests: 1,
      fetch,
    });
    const junit = formatReport(report, "junit");
    expect(junit).toContain("\n  excerpt &quot;bad\uFFFDend\uFFFD&quot;\n");
    expect(junit).not.toMatch(/[\uFFFE\uFFFF]/);
  });
});

describe("check prints its progress as it goes", () => {
  /** A server that holds the first members request until `release` is called; `pending` settles once it arrives. */
  const holdingMembers = async () => {
    let held: (() => void) | undefined;
    let arrived = () => {};
    const pending = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const { url } = await serve((req, res, origin) => {
      const answer = () => send(res, sentryAnswer(origin, req.url ?? ""));
      if (!req.url?.includes("/members/") || held) return answer();
      held = answer;
      arrived();
    });
    return { url, pending, release: () => held?.() };
  };

  const startCheck = (args: string[]) =>
    startCli(["check", "--token-env", "HOSTILE_TOKEN", ...args], { HOSTILE_TOKEN: TOKEN });

  test("text: each check's line is on stdout while the next request is still unanswered", async () => {
    const { url, pending, release } = await holdingMembers();
    const run = startCheck(["--org", "acme", "--base-url", url, ...ONE_CHECK]);
    await Promise.all([run.printed("stdout", "✓ not_a_server_error getOrganization: "), pending]);
    expect(run.stdout()).not.toContain("checks:");
    release();
    expect((await run.ended).code).toBe(0);
    expect(run.stdout()).toMatch(/\n3 checks: 3 passed, 0 failed \(\d+ requests in /);
  });

  test("json: the progress goes to stderr as it happens, the report to stdout at the end", async () => {
    const { url, pending, release } = await holdingMembers();
    const run = startCheck(["--org", "acme", "--base-url", url, "--format", "json", ...ONE_CHECK]);
    await Promise.all([run.printed("stderr", "✓ not_a_server_error getOrganization: "), pending]);
    expect(run.stdout()).toBe("");
    release();
    expect((await run.ended).code).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ passed: 3, failed: 0, notRun: 0 });
  });
});

describe("runCheck's waits, on fake timers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const ROOT = "https://sentry.example";
  /** One check on one operation: the waits are about the requests, not about what is checked. */
  const ONLY_ORGANIZATION = {
    baseUrl: ROOT,
    token: TOKEN,
    org: "acme",
    checks: ["not_a_server_error"],
    operations: ["getOrganization"],
  } satisfies Partial<CheckOptions>;
  /** A fetch that answers from `script` in turn, then as Sentry; it records each request's time. */
  const scriptedFetch = (script: Answer[]) => {
    const calls: number[] = [];
    const fetch = async (input: string | URL | Request) => {
      calls.push(Date.now());
      const answer = script.shift() ?? sentryAnswer(ROOT, String(input).slice(ROOT.length));
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    };
    return { fetch: fetch as typeof globalThis.fetch, calls };
  };
  const rateLimited = (headers: Record<string, string>): Answer => ({
    status: 429,
    headers: { "content-type": "text/html; charset=utf-8", ...headers },
    body: '"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"',
  });

  test("a wait over 2 s is announced before it starts, with its length and reason, then taken", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-01T12:00:00Z") });
    const reset = String(Date.now() / 1000 + 42);
    const { fetch, calls } = scriptedFetch([rateLimited({ [RATE_LIMIT_HEADERS.reset]: reset })]);
    const events: CheckProgress[] = [];
    const running = runCheck({ ...ONLY_ORGANIZATION, fetch, onProgress: (e) => events.push(e) });
    await vi.advanceTimersByTimeAsync(41_999);
    expect(events).toEqual([{ type: "wait", ms: 42_000, reason: "X-Sentry-Rate-Limit-Reset" }]);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const report = await running;
    expect(calls[1]).toBe((calls[0] as number) + 42_000);
    expect(report).toMatchObject({ passed: 1, failed: 0, notRun: 0 });
    expect(textReport.wait({ type: "wait", ms: 42_000, reason: "X-Sentry-Rate-Limit-Reset" })).toBe(
      "waiting 42 s for the rate-limit window (X-Sentry-Rate-Limit-Reset)\n",
    );
  });

  test("a request left unanswered after the first was answered fails at the request, with the network's reason", async () => {
    const { fetch: answering } = scriptedFetch([]);
    let calls = 0;
    const fetch = (async (input: string | URL | Request) => {
      calls++;
      if (calls === 1) return answering(input);
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      });
    }) as typeof globalThis.fetch;
    const report = await runCheck({ ...ONLY_ORGANIZATION, checks: ["ignored_auth"], fetch });
    expect(report.checks[0]?.failures).toContainEqual(
      expect.objectContaining({
        expected: "401",
        place: "request",
        message: "no answer from sentry.example:443: read ECONNRESET",
      }),
    );
  });

  test("a long wait without an onProgress listener is taken all the same", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-01T12:00:00Z") });
    const { fetch, calls } = scriptedFetch([rateLimited({ "retry-after": "30" })]);
    const running = runCheck({ ...ONLY_ORGANIZATION, fetch });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await running).toMatchObject({ passed: 1, failed: 0 });
    expect(calls[1]).toBe((calls[0] as number) + 30_000);
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-01T12:00:00Z") });
    const { fetch, calls } = scriptedFetch([rateLimited({ "retry-after": "Sun, 01 Mar 2026 12:00:10 GMT" })]);
    const events: CheckProgress[] = [];
    const running = runCheck({ ...ONLY_ORGANIZATION, fetch, onProgress: (e) => events.push(e) });
    await vi.advanceTimersByTimeAsync(10_000);
    const report = await running;
    expect(events[0]).toEqual({ type: "wait", ms: 10_000, reason: "Retry-After" });
    expect(calls[1]).toBe((calls[0] as number) + 10_000);
    expect(report.passed).toBe(1);
  });

  test("a wait of 2 s or less is taken without a word", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-01T12:00:00Z") });
    const { fetch, calls } = scriptedFetch([rateLimited({ "retry-after": "2" })]);
    const events: CheckProgress[] = [];
    const running = runCheck({ ...ONLY_ORGANIZATION, fetch, onProgress: (e) => events.push(e) });
    await vi.advanceTimersByTimeAsync(2000);
    await running;
    expect(calls[1]).toBe((calls[0] as number) + 2000);
    expect(events.map((event) => event.type)).toEqual(["check"]);
  });

  test("a 429 that keeps coming is retried three times, then reported with the server's words", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-01T12:00:00Z") });
    const { fetch, calls } = scriptedFetch(Array(4).fill(rateLimited({ "retry-after": "1" })));
    const running = runCheck({ ...ONLY_ORGANIZATION, checks: ["positive_data_acceptance"], fetch });
    await vi.advanceTimersByTimeAsync(4000);
    const report = await running;
    // Four tries of the first case, then the four positive cases at once: the last 429 said nothing more.
    expect(calls.map((at) => at - (calls[0] as number))).toEqual([0, 1000, 2000, 3000, 4000, 4000, 4000, 4000]);
    expect(report.checks[0]?.failures[0]).toMatchObject({
      case: "no parameters",
      expected: "200",
      status: 429,
      excerpt: "You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds",
    });
  });

  test("retries of 429s count against maxRequests: 5 requests at most, then the run stops", async () => {
    vi.useFakeTimers({ now: new Date("2026-03-01T12:00:00Z") });
    const { fetch, calls } = scriptedFetch([
      sentryAnswer(ROOT, "/api/0/organizations/acme/"),
      ...Array(20).fill(rateLimited({ "retry-after": "1" })),
    ]);
    const running = runCheck({ ...ONLY_ORGANIZATION, checks: ["positive_data_acceptance"], maxRequests: 5, fetch });
    await vi.advanceTimersByTimeAsync(60_000);
    const report = await running;
    expect(calls).toHaveLength(5);
    expect(report.requests).toBe(5);
    expect(report.stopped).toEqual({
      reason: "budget",
      message: "the budget of 5 requests was spent, retries after a 429 included",
    });
    // The fifth request's 429 is not retried: it is the answer, and a 429 is not the 200 the case expects.
    expect(report.checks[0]).toMatchObject({ outcome: "failed", failures: [{ status: 429 }] });
  });
});

describe("runCheck names the network's reason", () => {
  const failing = (cause: Error) =>
    (async () => {
      throw new TypeError("fetch failed", { cause });
    }) as typeof fetch;

  test.for<[string, Error, string]>([
    [
      "ENOTFOUND",
      Object.assign(new Error("getaddrinfo ENOTFOUND sentry.invalid"), { code: "ENOTFOUND" }),
      "no answer from sentry.invalid:443: getaddrinfo ENOTFOUND sentry.invalid",
    ],
    [
      "a certificate error",
      Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
      "no answer from sentry.invalid:443: DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate",
    ],
    // undici refuses ports that browsers block (6667, 9, …) with a cause that has no code.
    ["a cause without a code", new Error("bad port"), "no answer from sentry.invalid:443: bad port"],
  ])("%s", async ([, cause, message]) => {
    const report = await runCheck({
      baseUrl: "https://sentry.invalid",
      token: TOKEN,
      org: "acme",
      fetch: failing(cause),
    });
    expect(report.stopped).toEqual({ reason: "unreachable", message });
  });

  test("a tokenVariable the curl lines cannot name safely throws before any request", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    await expect(
      runCheck({ baseUrl: "https://sentry.invalid", token: TOKEN, org: "acme", tokenVariable: "A$(id)", fetch }),
    ).rejects.toThrow(
      'tokenVariable must be an environment variable name matching ^[A-Za-z_][A-Za-z0-9_]*$, got "A$(id)"',
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  test("an org the spec rules out throws before any request", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    await expect(runCheck({ baseUrl: "https://sentry.invalid", token: TOKEN, org: "..", fetch })).rejects.toThrow(
      'org must match ^[A-Za-z0-9_-]+$ and have 1 to 50 characters, got ".."',
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  test("a token under 16 characters throws before any request: redacted, it would wipe the report's words", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    await expect(runCheck({ baseUrl: "https://sentry.invalid", token: "e", org: "acme", fetch })).rejects.toThrow(
      new TypeError("token must be 16 to 512 characters long, is 1"),
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  test("an org at the spec's length limit is taken, one character more is not", () => {
    expect(organizationProblem("a".repeat(50))).toBeUndefined();
    expect(organizationProblem("a".repeat(51))).toBe("must match ^[A-Za-z0-9_-]+$ and have 1 to 50 characters");
  });

  test("the report names the base URL without its trailing slashes, query or fragment", () => {
    expect(checkedBaseUrl("https://example.com/sentry///?x=1#top")).toBe("https://example.com/sentry");
    expect(checkedBaseUrl("https://example.com/")).toBe("https://example.com");
  });

  test("an unknown check or operation (from JavaScript, past the types) throws before any request", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const base = { baseUrl: "https://sentry.invalid", token: TOKEN, org: "acme", fetch };
    await expect(runCheck({ ...base, checks: ["ignored_auth", "no_such_check" as CheckName] })).rejects.toThrow(
      new TypeError(`unknown check "no_such_check" (known: ${CHECK_NAMES.join(", ")})`),
    );
    await expect(runCheck({ ...base, operations: ["listTeams" as OperationId] })).rejects.toThrow(
      new TypeError(
        'unknown operation "listTeams" (known: getOrganization, listOrganizationMembers, listOrganizationRepositories)',
      ),
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("runCheck against a server that breaks single cases", () => {
  const ROOT = "https://sentry.example";
  const MEMBERS = "/api/0/organizations/acme/members/";
  const members = seed.members;
  const base = { baseUrl: ROOT, token: TOKEN, org: "acme" } satisfies Partial<CheckOptions>;
  /** A fetch that answers as Sentry, except where `override` has an answer for the path (from /api/ on). */
  const fetchWith = (override: (path: string, query: URLSearchParams) => Answer | undefined) =>
    (async (input: string | URL | Request) => {
      const path = String(input).slice(ROOT.length);
      const { pathname, searchParams } = new URL(path, ROOT);
      const answer = override(pathname, searchParams) ?? sentryAnswer(ROOT, path);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    }) as typeof globalThis.fetch;
  const nextLink = (cursor: string, results: boolean) =>
    `<${ROOT}${MEMBERS}?&cursor=${cursor}>; rel="next"; results="${results}"; cursor="${cursor}"`;

  test("a page that repeats ids names the first and counts the rest; a page that does not come again is named by its status", async () => {
    let secondPages = 0;
    const fetch = fetchWith((path, query) => {
      if (path !== MEMBERS) return undefined;
      if (query.get("cursor") !== "100:1:0") return json(200, members, { link: nextLink("100:1:0", true) });
      secondPages++;
      return secondPages === 1
        ? json(200, members, { link: nextLink("100:2:0", false) })
        : json(500, { detail: "Internal Error" });
    });
    const report = await runCheck({
      ...base,
      checks: ["pagination_unique_ids", "cursor_stable"],
      operations: ["listOrganizationMembers"],
      fetch,
    });
    const failures = (check: string) => report.checks.find((c) => c.check === check)?.failures;
    expect(failures("pagination_unique_ids")).toEqual([
      expect.objectContaining({ case: "page 2", message: 'id "1000" was already on page 1 (and 2 more)' }),
    ]);
    expect(failures("cursor_stable")).toEqual([
      expect.objectContaining({ case: "page 2, again", status: 500, message: "no page (status 500)" }),
    ]);
  });

  test("per_page=1 is sent for pagination_page_size alone, and a page over it fails", async () => {
    const report = await runCheck({
      ...base,
      checks: ["pagination_page_size"],
      operations: ["listOrganizationMembers"],
      fetch: fetchWith((path) => (path === MEMBERS ? json(200, members) : undefined)),
    });
    expect(report.checks[0]?.failures).toEqual([
      expect.objectContaining({ case: "per_page=1 (the minimum)", message: "holds 3 items, more than per_page 1" }),
    ]);
  });

  test("the positive cases' pages are held to their per_page too", async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...members[0], id: String(2000 + i) }));
    const report = await runCheck({
      ...base,
      checks: ["positive_data_acceptance", "pagination_page_size"],
      operations: ["listOrganizationMembers"],
      fetch: fetchWith((path, query) =>
        path !== MEMBERS ? undefined : json(200, query.get("per_page") === "100" ? many : members.slice(0, 1)),
      ),
    });
    expect(report.checks.find((c) => c.check === "pagination_page_size")?.failures).toEqual([
      expect.objectContaining({
        case: "per_page=100 (the maximum)",
        message: "holds 101 items, more than per_page 100",
      }),
    ]);
  });

  test("a filter that does not hold is reported under the case that set it", async () => {
    const active = seed.repositories.filter((repository) => repository.status === "active");
    const report = await runCheck({
      ...base,
      checks: ["filter_holds"],
      operations: ["listOrganizationRepositories"],
      fetch: fetchWith((path, query) =>
        path === "/api/0/organizations/acme/repos/" && query.has("status") ? json(200, active) : undefined,
      ),
    });
    expect(report.checks[0]?.failures).toEqual([
      expect.objectContaining({
        case: "status=deleted",
        expected: 'every item: status is not "active"',
        message: `item 0 does not satisfy status is not "active" (${active.length} items returned)`,
      }),
    ]);
  });

  test("a 401 to the token after the first answer fails that case; only the first request's 401 stops the run", async () => {
    const report = await runCheck({
      ...base,
      checks: ["positive_data_acceptance"],
      operations: ["getOrganization"],
      fetch: fetchWith((_, query) =>
        query.get("detailed") === "0" ? json(401, { detail: "Invalid token" }) : undefined,
      ),
    });
    expect(report.stopped).toBeUndefined();
    expect(report.checks[0]?.failures).toEqual([
      expect.objectContaining({ case: "detailed=0 (an enum value)", status: 401, excerpt: "Invalid token" }),
    ]);
  });

  test("a body that is not the documented shape is quoted whole, cut short", async () => {
    const report = await runCheck({
      ...base,
      checks: ["response_schema_conformance"],
      operations: ["getOrganization"],
      maxRequests: 1,
      fetch: fetchWith(() => json(200, [1])),
    });
    expect(report.checks[0]?.failures).toEqual([
      expect.objectContaining({ place: "body", message: "must be object", excerpt: "[1]" }),
    ]);
  });

  test("a body over the limit still has its headers judged", async () => {
    const endless = () =>
      new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1024 * 1024)) });
    const fetch = (async () =>
      new Response(endless(), { status: 200, headers: { "content-type": "text/html" } })) as typeof globalThis.fetch;
    const report = await runCheck({
      ...base,
      checks: ["content_type_conformance"],
      operations: ["getOrganization"],
      maxRequests: 1,
      fetch,
    });
    expect(report.checks[0]?.failures).toEqual([
      expect.objectContaining({ place: "header Content-Type", excerpt: "text/html" }),
    ]);
  });

  test("an error thrown by onProgress ends the run as that error, not as a stop", async () => {
    const fetch = fetchWith(() => json(429, "Too many requests", { "retry-after": "42" }));
    const onProgress = (event: CheckProgress) => {
      if (event.type === "wait") throw new Error("the listener broke");
    };
    await expect(
      runCheck({ ...base, checks: ["not_a_server_error"], operations: ["getOrganization"], fetch, onProgress }),
    ).rejects.toThrow("the listener broke");
  });
});
