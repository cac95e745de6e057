/**
 * Resolves when `start` calls its `done`, or rejects with `signal`'s reason if it aborts first, in
 * which case the function `start` returned is called to undo what it began.
 */
export function abortable(signal: AbortSignal | undefined, start: (done: () => void) => () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const abort = () => {
      undo();
      reject(signal?.reason);
    };
    const undo = start(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    });
    signal?.addEventListener("abort", abort, { once: true });
  });
}

export const sleep = (ms: number, signal: AbortSignal | undefined) =>
  abortable(signal, (done) => {
    const timer = setTimeout(done, ms);
    return () => clearTimeout(timer);
  });
