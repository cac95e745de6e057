import { createHash } from "node:crypto";

/** Values remembered per walk: the ids of a thousand full pages. Later values are still compared with these. */
export const MAX_REMEMBERED = 100_000;

/** A server's ids and cursors may be any length: each is remembered as a digest of fixed size. */
const digest = (value: string) => createHash("sha256").update(value).digest("base64");

/**
 * The page each value of a walk (an id, a cursor) was first seen on, for at most `MAX_REMEMBERED` values:
 * neither long values nor a long walk can grow the memory without end.
 */
export class FirstSeen {
  readonly #pages = new Map<string, number>();

  pageOf(value: string): number | undefined {
    return this.#pages.get(digest(value));
  }

  add(value: string, page: number) {
    const key = digest(value);
    if (this.#pages.size < MAX_REMEMBERED && !this.#pages.has(key)) this.#pages.set(key, page);
  }
}
