import { describe, expect, test } from "vitest";
import { pageLink, parseLink, readRateLimit, retryAfterAt, serverRetryAt } from "../src/protocol.js";
import { linkCases, rateLimitCases, retryAfterCases, retryAtCases } from "./header-cases.js";

const relationReading = (header: string, rel: "next" | "previous") => {
  try {
    return pageLink(parseLink(header), rel);
  } catch (error) {
    return { error: (error as SyntaxError).message };
  }
};

describe("Link", () => {
  test.each(linkCases)("$name", ({ header, error, relations, next, previous }) => {
    if (error !== undefined) {
      expect(() => parseLink(header)).toThrow(new SyntaxError(error));
      return;
    }
    if (relations) expect(parseLink(header)).toEqual(relations);
    expect(relationReading(header, "next")).toEqual(next);
    expect(relationReading(header, "previous")).toEqual(previous);
  });

  test("every row states a parse error or both relations' readings", () => {
    for (const { name, error, next, previous } of linkCases) {
      expect(error !== undefined || (next !== undefined && previous !== undefined), name).toBe(true);
    }
  });

  test("a parameter called __proto__ is a parameter, not a prototype", () => {
    const [relation] = parseLink('<a>; __proto__="x"');
    expect(Object.keys(relation?.params ?? {})).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(relation?.params)).toBe(null);
  });
});

describe("Retry-After", () => {
  test.each(retryAfterCases)("$name", ({ value, now, at }) => {
    expect(retryAfterAt(value, now)).toBe(at ?? undefined);
  });
});

describe("X-Sentry-Rate-Limit-*", () => {
  test.each(rateLimitCases)("$name", ({ headers, rateLimit }) => {
    expect(readRateLimit(new Headers(headers))).toStrictEqual(rateLimit ?? undefined);
  });
});

describe("when to try again", () => {
  test.each(retryAtCases)("$name", ({ status, headers, now, at }) => {
    expect(serverRetryAt(status, new Headers(headers), now)).toBe(at ?? undefined);
  });
});
