/**
 * Keeps the token to one origin: it is added only to requests for `origin`, and the client's fetch
 * refuses any other. A per-call `fetch` given to openapi-fetch bypasses the client's fetch and so
 * the refusal, but its requests are built here too, and never get the token.
 */
export function createOriginGuard(origin: string, authorization: string) {
  // The origin and a path: `https://sentry.io.evil.example/` must not pass for `https://sentry.io`.
  const isOwn = (url: string) => url.startsWith(`${origin}/`);
  return {
    /** `init`'s headers, with `Authorization` set when `url` is on the origin. */
    headersFor(url: string, init: HeadersInit | undefined): Headers {
      const headers = new Headers(init);
      if (isOwn(url)) headers.set("authorization", authorization);
      return headers;
    },
    /** Throws a `TypeError` naming the origin unless `url` is on it. */
    expectOwn(url: string): void {
      if (!isOwn(url)) throw new TypeError(`the token is only sent to ${origin}`);
    },
  };
}
