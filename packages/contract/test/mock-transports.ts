import {
  createMockSentry,
  type FaultTarget,
  type MockFault,
  type MockServerOptions,
  startMockServer,
} from "../src/index.js";
import { cachedBytes as inProcessCachedBytes } from "../src/mock/in-process.js";
import { cachedBytes as serverCachedBytes } from "../src/mock/server.js";

/** A running mock as the transport-independent tests use it. */
export interface MockUnderTest {
  /** The origin requests go to: the server's URL, or the in-process mock's `baseUrl`. */
  url: string;
  token: string;
  /** Reaches this mock: the global `fetch` for the server, the mock's own in process. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
  injectFault(fault: MockFault, target?: FaultTarget): void;
  resetFaults(): void;
  close(): Promise<void>;
  /** The bytes its caches hold. */
  cachedBytes(): number;
}

export type MockData = Omit<MockServerOptions, "port" | "host">;

export interface Transport {
  name: "http" | "in-process";
  start(options?: MockData): Promise<MockUnderTest>;
}

/** The mock over node:http and in process: one core, so the same tests must pass over both. */
export const TRANSPORTS: Transport[] = [
  {
    name: "http",
    async start(options) {
      const server = await startMockServer(options);
      return {
        url: server.url,
        token: server.token,
        fetch: (input, init) => fetch(input, init),
        injectFault: (fault, target) => server.injectFault(fault, target),
        resetFaults: () => server.resetFaults(),
        close: () => server.close(),
        cachedBytes: () => serverCachedBytes(server),
      };
    },
  },
  {
    name: "in-process",
    async start(options) {
      const mock = createMockSentry(options);
      return {
        url: mock.baseUrl,
        token: mock.token,
        fetch: mock.fetch,
        injectFault: (fault, target) => mock.injectFault(fault, target),
        resetFaults: () => mock.resetFaults(),
        close: () => mock.close(),
        cachedBytes: () => inProcessCachedBytes(mock),
      };
    },
  },
];
