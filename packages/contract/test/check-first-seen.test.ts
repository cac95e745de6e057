import { describe, expect, test } from "vitest";
import { FirstSeen, MAX_REMEMBERED } from "../src/check/first-seen.js";

describe("FirstSeen, the memory of a walk's ids and cursors", () => {
  test("names the page a value was first seen on, not a later one", () => {
    const seen = new FirstSeen();
    seen.add("a", 1);
    seen.add("a", 3);
    expect(seen.pageOf("a")).toBe(1);
    expect(seen.pageOf("b")).toBeUndefined();
  });

  test("a megabyte-long id is remembered and found again", () => {
    const seen = new FirstSeen();
    const long = "x".repeat(1_000_000);
    seen.add(long, 2);
    expect(seen.pageOf(long)).toBe(2);
    expect(seen.pageOf(`${long}y`)).toBeUndefined();
  });

  test(`remembers ${MAX_REMEMBERED} values, then compares with those without remembering more`, () => {
    const seen = new FirstSeen();
    for (let i = 0; i < MAX_REMEMBERED; i++) seen.add(`id-${i}`, 1);
    seen.add("one too many", 2);
    expect(seen.pageOf("one too many")).toBeUndefined();
    expect(seen.pageOf(`id-${MAX_REMEMBERED - 1}`)).toBe(1);
  });
});
