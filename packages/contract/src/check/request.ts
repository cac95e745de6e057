/** An answer read whole, or cut off at the byte limit. */
export interface BoundedAnswer {
  status: number;
  headers: Headers;
  body: string;
  /** False when the body was longer than the limit: `body` is then empty and the rest was never read. */
  complete: boolean;
}

/** Why a request got no answer: its own timeout, the caller's stop signal, or the network. */
export class RequestFailure extends Error {
  constructor(
    readonly kind: "timeout" | "stopped" | "network",
    message: string,
  ) {
    super(message);
  }
}

export interface BoundedRequest {
  /** Default GET. */
  method?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the request from outside (the run's deadline). */
  stop: AbortSignal;
  maxBodyBytes: number;
  fetch: typeof fetch;
}

/** A request whose answer, body included, must arrive within `timeoutMs`; a body over `maxBodyBytes` is not read on. */
export async function sendBounded(url: string, options: BoundedRequest): Promise<BoundedAnswer> {
  // setTimeout rather than AbortSignal.timeout, so that fake timers drive it in tests.
  const timeout = new AbortController();
  const signal = AbortSignal.any([timeout.signal, options.stop]);
  // The timer holds the combined signal: undici links signals weakly, and a collected one would no longer
  // carry the abort (nodejs/undici#4068).
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs, signal);
  try {
    const response = await options.fetch(url, {
      method: options.method ?? "GET",
      headers: options.headers,
      redirect: "manual",
      signal,
    });
    const { body, complete } = await readCapped(response, options.maxBodyBytes);
    return { status: response.status, headers: response.headers, body, complete };
  } catch (error) {
    const where = hostAndPort(url);
    if (options.stop.aborted) throw new RequestFailure("stopped", `the request to ${where} was stopped`);
    if (timeout.signal.aborted)
      throw new RequestFailure("timeout", `no complete answer from ${where} within ${seconds(options.timeoutMs)}`);
    throw new RequestFailure("network", `no answer from ${where}: ${networkCause(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response, limit: number): Promise<{ body: string; complete: boolean }> {
  if (response.body === null) return { body: "", complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Cancelling closes the connection: a server sending without end is not read on.
      reader.cancel().catch(() => {});
      return { body: "", complete: false };
    }
    chunks.push(value);
  }
  return { body: new TextDecoder().decode(Buffer.concat(chunks)), complete: true };
}

const hostAndPort = (url: string) => {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname}:${port || (protocol === "https:" ? "443" : "80")}`;
};

/**
 * The system's reason, such as `connect ECONNREFUSED 127.0.0.1:9` or `DEPTH_ZERO_SELF_SIGNED_CERT: self-signed
 * certificate`: fetch itself only says `fetch failed` and keeps the reason in its cause.
 */
function networkCause(error: unknown): string {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") {
      const message = cause.message.split("\n")[0] ?? "";
      const text = message.includes(code) ? message : message ? `${code}: ${message}` : code;
      return text.length > 160 ? `${text.slice(0, 160)}…` : text;
    }
    cause = cause.cause;
  }
  // No code (undici's "bad port", say): the innermost cause says the most.
  let innermost = error;
  for (let depth = 0; innermost instanceof Error && innermost.cause instanceof Error && depth < 5; depth++) {
    innermost = innermost.cause;
  }
  return innermost instanceof Error ? innermost.message : String(innermost);
}

/** `30 s`, `0.5 s`. */
export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
