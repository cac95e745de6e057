import { SentryApiError } from "./errors.js";

/** One attempt's request, and the controller its timeout aborts. */
export interface TimedAttempt {
  request: Request;
  timeout: AbortController;
  /** What aborts the request: the timeout, or the caller's signal. */
  signal: AbortSignal;
}

/** An attempt built by `build` with a signal that the caller's abort and the attempt's own timeout both trip. */
export function timedAttempt(caller: AbortSignal | undefined, build: (signal: AbortSignal) => Request): TimedAttempt {
  const timeout = new AbortController();
  const signal = caller ? AbortSignal.any([caller, timeout.signal]) : timeout.signal;
  return { request: build(signal), timeout, signal };
}

/**
 * Fetches the attempt, aborting it after `timeoutMs` with a `timeout` error naming `target`. The
 * timer runs on while the body is read, until `clear`; the abort reason is the error itself, so a
 * body read that the timeout stops rejects with it too. Rejects with what `fetch` rejects with.
 */
export async function fetchWithTimeout(
  fetch: (request: Request) => Promise<Response>,
  { request, timeout, signal }: TimedAttempt,
  timeoutMs: number,
  target: { method: string; url: string },
): Promise<{ response: Response; clear: () => void }> {
  // The timer holds the attempt's request and signal: undici links signals weakly, and once
  // collected they would no longer carry the abort (nodejs/undici#4068). Unref'd, it never keeps
  // Node alive.
  const timer = setTimeout(
    () =>
      timeout.abort(
        new SentryApiError("timeout", `${target.method} ${target.url}: no answer in ${timeoutMs} ms`, {
          request: target,
        }),
      ),
    timeoutMs,
    [request, signal],
  );
  (timer as { unref?: () => void }).unref?.();
  const clear = () => clearTimeout(timer);
  try {
    return { response: await fetch(request), clear };
  } catch (error) {
    clear();
    throw error;
  }
}
