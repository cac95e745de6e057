import { http, type RequestHandler } from "msw";
import type { MockSentry } from "./mock/in-process.js";

/**
 * MSW handlers that answer every request to `mock.baseUrl`'s `/api/0/` from the mock, for `setupServer`
 * (msw/node) and `setupWorker` (msw/browser). A connection the mock drops is MSW's network error.
 */
export function sentryHandlers(mock: MockSentry): RequestHandler[] {
  return [http.all(`${mock.baseUrl}/api/0/*`, ({ request }) => mock.handle(request))];
}
