import { type MockServer, type MockServerOptions, startMockServer } from "@sentry-org-api/contract";
import { createMockSentry } from "@sentry-org-api/contract/in-process";

/** A running mock Sentry as the client reaches it: give the client this `url` as baseUrl and this `fetch`. */
export interface MockUnderTest {
  /** The server's URL, or the origin the mock in process answers for. */
  url: string;
  token: string;
  /** The global `fetch` for the server; in process, the mock's own. */
  fetch(request: Request): Promise<Response>;
  injectFault: MockServer["injectFault"];
  close(): Promise<void>;
}

export interface Transport {
  name: "http" | "in-process";
  start(options?: Omit<MockServerOptions, "port" | "host">): Promise<MockUnderTest>;
}

/**
 * The origin the mock in process stands for: not the default sentry.io, so the client's origin check
 * and the mock's `Link` URLs are exercised on an origin the test chose.
 */
const IN_PROCESS_BASE_URL = "https://sentry.example";

/** The mock over node:http and in process: one core, so the client must behave the same over both. */
export const TRANSPORTS: Transport[] = [
  {
    name: "http",
    async start(options) {
      const server = await startMockServer(options);
      return {
        url: server.url,
        token: server.token,
        fetch: (request) => fetch(request),
        injectFault: (fault, target) => server.injectFault(fault, target),
        close: () => server.close(),
      };
    },
  },
  {
    name: "in-process",
    async start(options) {
      const mock = createMockSentry({ ...options, baseUrl: IN_PROCESS_BASE_URL });
      return {
        url: mock.baseUrl,
        token: mock.token,
        fetch: (request) => mock.fetch(request),
        injectFault: (fault, target) => mock.injectFault(fault, target),
        close: () => mock.close(),
      };
    },
  },
];
