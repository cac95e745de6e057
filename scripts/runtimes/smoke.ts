// The runtime-agnostic smoke suite of `npm run test:runtimes`: the built client against the mock in
// process, on Web APIs only, so the same cases run on Node, Bun, Deno and workerd. Bundled to one ESM
// module worker: workerd serves its fetch handler, the other runtimes call it from a two-line script.
import { createSentryClient, type RetryInfo, SentryApiError } from "@sentry-org-api/client";
import { createMockSentry, type MockSentry } from "@sentry-org-api/contract/in-process";

/** Enough for several pages of each list at the server's default page size. */
const MEMBERS = 250;
const REPOSITORIES = 120;
/** A case still running then fails, and the cases after it still run. */
const CASE_TIMEOUT_MS = 10_000;
/** A token the mock does not know, to find in any error text that leaks it. */
const CANARY_TOKEN = "sntryu_smoke-canary-0123456789abcdef";

interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  /** Why it failed. */
  detail?: string;
}

interface SmokeReport {
  cases: CaseResult[];
}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** The `SentryApiError` a call rejects with; throws when it resolves or rejects with anything else. */
async function failureOf(call: Promise<unknown>): Promise<SentryApiError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  check(outcome instanceof SentryApiError, `expected a SentryApiError, got ${String(outcome)}`);
  return outcome;
}

/** Every text an error shows a log or a bug report: none may hold the token. */
function expectNoToken(error: SentryApiError, token: string) {
  const cause = error.cause as Error | undefined;
  const texts = [error.message, error.stack, JSON.stringify(error), String(error), cause?.message, cause?.stack];
  check(!texts.some((text) => text?.includes(token)), `the token is in the ${error.kind} error's text`);
}

const CASES: Record<string, (mock: MockSentry) => Promise<void>> = {
  "gets the organization": async (mock) => {
    const sentry = createSentryClient({ token: mock.token, fetch: mock.fetch });
    const organization = await sentry.getOrganization("acme");
    check(organization.slug === "acme", `slug ${organization.slug}, expected acme`);
  },

  "walks every page of members and repositories": async (mock) => {
    const sentry = createSentryClient({ token: mock.token, fetch: mock.fetch });
    const members = await sentry.listMembers("acme").toArray({ maxItems: 10_000 });
    const distinct = new Set(members.map((member) => member.id)).size;
    check(distinct === MEMBERS, `${distinct} distinct members of ${members.length}, expected ${MEMBERS}`);
    let pages = 0;
    let repositories = 0;
    for await (const page of sentry.listRepositories("acme").pages()) {
      pages++;
      repositories += page.items.length;
    }
    check(repositories === REPOSITORIES, `${repositories} repositories, expected ${REPOSITORIES}`);
    check(pages > 1, `${pages} page of repositories, expected several`);
  },

  "retries a 429 and succeeds": async (mock) => {
    const retried: RetryInfo["reason"][] = [];
    const sentry = createSentryClient({
      token: mock.token,
      fetch: mock.fetch,
      maxRetryDelayMs: 50,
      onRetry: ({ reason }) => retried.push(reason),
    });
    mock.injectFault({ type: "status", status: 429, retryAfter: "0" }, { operation: "getOrganization" });
    const organization = await sentry.getOrganization("acme");
    check(organization.slug === "acme", `slug ${organization.slug}, expected acme`);
    check(retried.join() === "429", `retried for [${retried.join()}], expected [429]`);
  },

  "a reset connection is a network error without the token": async (mock) => {
    const sentry = createSentryClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0 });
    mock.injectFault({ type: "reset" });
    const error = await failureOf(sentry.getOrganization("acme"));
    check(error.kind === "network", `kind ${error.kind}, expected network`);
    expectNoToken(error, mock.token);
  },

  "a refused token is a typed 401 that never shows it": async (mock) => {
    const sentry = createSentryClient({ token: CANARY_TOKEN, fetch: mock.fetch });
    const error = await failureOf(sentry.listMembers("acme").toArray({ maxItems: 10 }));
    check(error.kind === "authentication" && error.status === 401, `${error.kind} ${error.status}, expected a 401`);
    expectNoToken(error, CANARY_TOKEN);
  },
};

/** Runs `run` against a fresh mock, within CASE_TIMEOUT_MS. */
async function runCase(name: string, run: (mock: MockSentry) => Promise<void>): Promise<CaseResult> {
  const mock = createMockSentry({ members: MEMBERS, repositories: REPOSITORIES });
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(mock), timeout]);
    return { name, ok: true, ms: Date.now() - started };
  } catch (error) {
    return { name, ok: false, ms: Date.now() - started, detail: String(error) };
  } finally {
    clearTimeout(timer);
    await mock.close();
  }
}

async function runSmoke(): Promise<SmokeReport> {
  const cases: CaseResult[] = [];
  for (const [name, run] of Object.entries(CASES)) cases.push(await runCase(name, run));
  return { cases };
}

/** The module worker: any request runs the suite and answers its report as JSON. */
export default {
  async fetch(): Promise<Response> {
    return Response.json(await runSmoke());
  },
};
