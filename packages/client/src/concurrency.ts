import { abortable } from "./abortable.js";

/** At most `limit` holders at once; the others queue in arrival order. */
export function createSemaphore(limit: number) {
  let held = 0;
  // A Set keeps arrival order and lets an aborted waiter leave from the middle of the queue.
  const waiting = new Set<() => void>();
  return {
    /**
     * Takes a slot. Returns `undefined` when one is free, so that the common case costs no promise;
     * else a promise that resolves once a slot is handed over, or rejects with `signal`'s reason.
     */
    acquire(signal: AbortSignal | undefined): Promise<void> | undefined {
      if (held < limit) {
        held++;
        return undefined;
      }
      return abortable(signal, (handOver) => {
        waiting.add(handOver);
        return () => waiting.delete(handOver);
      });
    },
    /** Gives the slot to the first waiter, or frees it. */
    release() {
      const [next] = waiting;
      if (!next) {
        held--;
        return;
      }
      waiting.delete(next);
      next();
    },
  };
}
