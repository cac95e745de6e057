// The excerpts a report keeps of a server's text and JSON: cut at a limit, and built without walking more
// of a hostile value than the limit needs.
import { describe, expect, test } from "vitest";
import { boundedJson, clip, MAX_TEXT } from "../src/check/bounded-text.js";

describe("clip", () => {
  test("keeps text up to the limit and marks text over it as cut", () => {
    expect(clip("abc", 3)).toBe("abc");
    expect(clip("abcd", 3)).toBe("abc…");
    expect(clip("x".repeat(MAX_TEXT))).toBe("x".repeat(MAX_TEXT));
    expect(clip("x".repeat(MAX_TEXT + 1))).toBe(`${"x".repeat(MAX_TEXT)}…`);
  });
});

describe("boundedJson", () => {
  const values: unknown[] = [
    null,
    true,
    -1.5,
    'a "quoted" line\n',
    [],
    {},
    [1, "two", null, [3, [4]], { five: 5 }],
    { id: "1", 'we"ird': [true, false], nested: { deeper: { list: [1, 2, 3] } }, empty: {} },
  ];

  test.each(values)(
    "writes %j as JSON.stringify does when it fits, and cuts it one character past the limit",
    (value) => {
      const whole = JSON.stringify(value);
      for (let max = 0; max <= whole.length + 1; max++) {
        expect(boundedJson(value, max)).toBe(whole.length > max ? whole.slice(0, max + 1) : whole);
      }
    },
  );

  test("cuts long strings and keys without changing the excerpt", () => {
    const value = { ["k".repeat(500)]: "v".repeat(500) };
    expect(boundedJson(value, 40)).toBe(JSON.stringify(value).slice(0, 41));
  });

  /** `value` behind a proxy that counts the reads of its elements and properties. */
  const counted = <T extends object>(value: T) => {
    const reads = { count: 0 };
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (key !== "length") reads.count++;
        return Reflect.get(target, key, receiver);
      },
    });
    return { proxy, reads };
  };

  test("reads no more of a long list or a wide object than the limit needs", () => {
    const list = counted(Array.from({ length: 100_000 }, (_, i) => i));
    expect(boundedJson(list.proxy, 20)).toBe("[0,1,2,3,4,5,6,7,8,9,");
    expect(list.reads.count).toBeLessThanOrEqual(11);

    const wide = counted(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])));
    expect(boundedJson(wide.proxy, 20)).toBe('{"k0":0,"k1":1,"k2":2');
    expect(wide.reads.count).toBeLessThanOrEqual(4);
  });

  test("goes no deeper into a deeply nested value than the limit", () => {
    let deep: unknown = [];
    for (let depth = 0; depth < 200_000; depth++) deep = [deep];
    expect(boundedJson(deep, 10)).toBe("[".repeat(11));
    let objects: unknown = {};
    for (let depth = 0; depth < 200_000; depth++) objects = { a: objects };
    expect(boundedJson(objects, 12)).toBe('{"a":{"a":{"a');
  });
});
