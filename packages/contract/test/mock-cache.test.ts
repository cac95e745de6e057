import { describe, expect, test } from "vitest";
import { ByteBoundedCache } from "../src/mock/cache.js";

/** A cache of strings that counts a value's length as its size, and records what it had to build. */
function stringCache(maxBytes: number) {
  const built: string[] = [];
  const cache = new ByteBoundedCache<string>(maxBytes, (value) => value.length);
  const get = (key: string, value = "x".repeat(100)) =>
    cache.get(key, () => {
      built.push(key);
      return value;
    });
  return { cache, built, get };
}

describe("ByteBoundedCache", () => {
  test("a repeated key is built once", () => {
    const { built, get } = stringCache(10_000);
    expect(get("a", "first")).toBe("first");
    expect(get("a", "second")).toBe("first");
    expect(built).toEqual(["a"]);
  });

  test("stays within its bytes however many keys come, dropping the least recently used first", () => {
    // Each entry: 128 bytes of overhead, 2 for its one-character key, 100 for its value.
    const { cache, built, get } = stringCache(3 * 230);
    for (const key of ["a", "b", "c"]) get(key);
    expect(cache.bytes).toBe(3 * 230);
    get("a"); // now the most recently used
    get("d"); // drops b, the least recently used
    expect(cache.bytes).toBeLessThanOrEqual(3 * 230);
    built.length = 0;
    for (const key of ["a", "c", "d"]) get(key);
    expect(built).toEqual([]);
    get("b");
    expect(built).toEqual(["b"]);
    for (let i = 0; i < 10_000; i++) get(`key ${i}`);
    expect(cache.bytes).toBeLessThanOrEqual(3 * 230);
  });

  test("a value larger than the whole cache is returned but not kept", () => {
    const { cache, built, get } = stringCache(1_000);
    get("small");
    const big = "y".repeat(2_000);
    expect(get("big", big)).toBe(big);
    expect(get("big", big)).toBe(big);
    expect(built).toEqual(["small", "big", "big"]);
    expect(cache.bytes).toBe(128 + 10 + 100);
  });
});
