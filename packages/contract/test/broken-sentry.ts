// A Sentry with one defect: a proxy in front of a started mock that spoils one thing of what the mock
// answers, so that each conformance check can be shown to catch the defect it is about.
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the proxy received it: what a defect may change before it reaches the mock. */
export interface Forwarded {
  method: string;
  /** Path and query. */
  path: string;
  authorization: string | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One defect: a change to the request on its way to the mock, to the answer on its way back, or both. */
export interface Defect {
  before?(request: Forwarded): Forwarded;
  /** `request` is the one the proxy received, before `before` changed it. */
  after?(request: Forwarded, answer: Answer): Answer;
}

/** The query of a forwarded path. */
export const queryOf = (path: string) => new URL(path, "http://placeholder.invalid").searchParams;
export const pathOf = (path: string) => new URL(path, "http://placeholder.invalid").pathname;

/** `path` with `change` applied to its query. */
export function withQuery(path: string, change: (query: URLSearchParams) => void) {
  const url = new URL(path, "http://placeholder.invalid");
  change(url.searchParams);
  const query = url.searchParams.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}

/** Asks the mock at `target` (an origin) as if it were reached at `host`, so that its Link URLs name the proxy. */
function ask(target: string, host: string, request: Forwarded): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${target}${request.path}`,
      {
        method: request.method,
        headers: { host, ...(request.authorization === undefined ? {} : { authorization: request.authorization }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === "string" && name !== "content-length" && name !== "connection") headers[name] = value;
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** Starts the proxy with `defect` in front of the mock at `target`. */
export async function startBrokenSentry(target: string, defect: Defect) {
  const server = createServer((req, res) => {
    const received: Forwarded = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      authorization: req.headers.authorization,
    };
    const forwarded = defect.before ? defect.before(received) : received;
    ask(target, req.headers.host ?? "", forwarded).then(
      (answer) => {
        const spoiled = defect.after ? defect.after(received, answer) : answer;
        res.writeHead(spoiled.status, spoiled.headers);
        res.end(spoiled.body);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
