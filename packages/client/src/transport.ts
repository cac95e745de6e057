import type { createRetrying } from "./retrying-fetch.js";

/** What a client's requests go through, so that the openapi-fetch client shares it. */
export interface Transport {
  /** The base URL without a trailing slash. */
  baseUrl: string;
  headers: Record<string, string>;
  retrying: ReturnType<typeof createRetrying>;
}

// A WeakMap rather than a property of the client: nothing about the transport, which adds the
// token, shows on the public object or in `util.inspect`, and it goes when the client does.
const transports = new WeakMap<object, Transport>();

export const setTransport = (client: object, transport: Transport) => transports.set(client, transport);

export function getTransport(client: object): Transport {
  const transport = transports.get(client);
  if (!transport) throw new TypeError("sentry must be a client made by createSentryClient");
  return transport;
}
