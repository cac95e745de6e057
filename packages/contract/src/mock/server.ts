import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FaultTarget, MockFault } from "./faults.js";
import { type MockServerOptions, mockSetup } from "./options.js";
import type { Outgoing } from "./outgoing.js";
import { originResolver } from "./request-origin.js";
import { MockResponder, type Reply } from "./responder.js";

export interface MockServer {
  /** The origin it listens on, such as `http://127.0.0.1:40123`. */
  url: string;
  /** A token with every read scope. */
  token: string;
  /** Make upcoming requests misbehave. */
  injectFault(fault: MockFault, target?: FaultTarget): void;
  /** Forget every fault not yet shown (an answer already held back by `latency` still comes). */
  resetFaults(): void;
  close(): Promise<void>;
}

/** Internal, for tests: the bytes a server's caches hold. */
const cacheSizes = new WeakMap<MockServer, () => number>();
export const cachedBytes = (server: MockServer): number => cacheSizes.get(server)?.() ?? 0;

/** The mock on node:http: this module is the only one that knows what carries requests and answers. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const setup = mockSetup(options, ["port", "host"]);
  const responder = new MockResponder(setup);
  /** The origin each request was sent to, from its Host; set once the server listens, before any request can arrive. */
  let originOf = originResolver("");

  const server = createServer((req, res) => {
    const { method = "GET", url = "/", headers } = req;
    const request = { method, target: url, origin: originOf(headers.host), authorization: headers.authorization };
    responder.respond(request, new NodeReply(req, res));
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  originOf = originResolver(url);

  const mock: MockServer = {
    url,
    token: setup.defaultToken,
    injectFault: (fault, target) => responder.injectFault(fault, target),
    resetFaults: () => responder.resetFaults(),
    // Closing twice resolves twice, like most close methods.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        responder.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
  cacheSizes.set(mock, () => responder.cachedBytes);
  return mock;
}

/** A class rather than an object literal: a getter in a literal made every request about a third slower. */
class NodeReply implements Reply {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  send({ status, body, contentType, headers }: Outgoing) {
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    // Object.assign, not spreads: spreading these hyphenated keys cost a sixth of a cached answer's time.
    this.res.writeHead(status, Object.assign({ "content-type": contentType, "content-length": length }, headers));
    this.res.end(body);
  }

  drop() {
    this.req.socket.destroy();
  }

  get done() {
    return this.res.headersSent || this.res.destroyed;
  }
}
