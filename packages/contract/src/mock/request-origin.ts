/** A 253-character DNS name and a port: anything longer is not a host a client could have used. */
const MAX_HOST_LENGTH = 259;
/** A name or an IPv4 address, or an IPv6 address in brackets, and an optional port: nothing that can end a Link URL. */
const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin a request was sent to, from its `Host` header, as Sentry builds its `Link` URLs from
 * the absolute request URI: a mock reached as `localhost` links to `localhost`. A missing, oversized
 * or malformed `Host` (one that could break out of the header's `<…>`) gives `fallback`.
 */
function requestOrigin(host: string | undefined, fallback: string): string {
  if (host === undefined || host.length > MAX_HOST_LENGTH || !HOST.test(host)) return fallback;
  try {
    return new URL(`http://${host}`).origin;
  } catch {
    return fallback;
  }
}

/** `requestOrigin` for one server, remembering the last `Host`: nearly every request repeats it, and a URL costs a parse. */
export function originResolver(fallback: string): (host: string | undefined) => string {
  let lastHost: string | undefined;
  let lastOrigin = fallback;
  return (host) => {
    if (host !== lastHost) {
      lastOrigin = requestOrigin(host, fallback);
      lastHost = host;
    }
    return lastOrigin;
  };
}
