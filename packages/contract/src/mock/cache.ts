/** What keeping one entry costs beyond its key and value: the map entry and the record around the value. */
const ENTRY_OVERHEAD_BYTES = 128;

/**
 * Keeps what is expensive to build (serialised pages, filtered index lists) up to a total size in
 * bytes, dropping the least recently used first, so that no stream of unique requests can grow it.
 * Sizes are estimates: a key counts two bytes a character, the value what `sizeOf` says.
 */
export class ByteBoundedCache<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly sizeOf: (value: V) => number,
  ) {}

  /** The estimated size of what is kept, never above `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: string, make: () => V): V {
    const hit = this.#entries.get(key);
    if (hit) {
      // Re-inserted, so that the map's order is the order of last use.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    const value = make();
    const bytes = ENTRY_OVERHEAD_BYTES + key.length * 2 + this.sizeOf(value);
    if (bytes > this.maxBytes) return value;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldKey);
      this.#bytes -= old.bytes;
    }
    return value;
  }
}
