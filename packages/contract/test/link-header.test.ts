import { describe, expect, test } from "vitest";
import { MAX_LINK_HEADER_LENGTH, parseLinkHeader } from "../src/index.js";

const SENTRY_LINK =
  '<https://us.sentry.io/api/0/organizations/acme/members/?per_page=25&cursor=25:1:1>; rel="previous"; results="true"; cursor="25:1:1", ' +
  '<https://us.sentry.io/api/0/organizations/acme/members/?per_page=25&cursor=25:3:0>; rel="next"; results="true"; cursor="25:3:0"';

describe("parseLinkHeader", () => {
  test("reads Sentry's two relations with their results and cursor", () => {
    expect(parseLinkHeader(SENTRY_LINK)).toEqual([
      {
        url: "https://us.sentry.io/api/0/organizations/acme/members/?per_page=25&cursor=25:1:1",
        params: { rel: "previous", results: "true", cursor: "25:1:1" },
      },
      {
        url: "https://us.sentry.io/api/0/organizations/acme/members/?per_page=25&cursor=25:3:0",
        params: { rel: "next", results: "true", cursor: "25:3:0" },
      },
    ]);
  });

  test("keeps the literal ?&cursor= of a link without other parameters, and unquoted values", () => {
    expect(parseLinkHeader("<https://sentry.io/x/?&cursor=100:1:0>;rel=next;results=false")).toEqual([
      { url: "https://sentry.io/x/?&cursor=100:1:0", params: { rel: "next", results: "false" } },
    ]);
  });

  test.each([
    ["no angle bracket", 'https://sentry.io/; rel="next"', 'expected "<" at character 0'],
    ["an unclosed URL", '<https://sentry.io/; rel="next"', 'unclosed "<" at character 0'],
    ["an unclosed quote", '<https://sentry.io/>; rel="next', "unclosed quote at character 26"],
    ["an empty parameter name", '<https://sentry.io/>; ="next"', "empty parameter name at character 22"],
    ["garbage after a relation", '<https://sentry.io/>; rel="next" x', 'expected "," or ";" at character 33'],
    ["blank list elements", `${" ".repeat(4000)},${" ".repeat(4000)}`, 'expected "<" at character 4000'],
  ])("rejects %s with where it broke", (_, header, message) => {
    expect(() => parseLinkHeader(header)).toThrow(new SyntaxError(message));
  });

  test("refuses a header over the length cap without scanning it", () => {
    expect(() => parseLinkHeader(`<${"a".repeat(MAX_LINK_HEADER_LENGTH)}>`)).toThrow(
      new SyntaxError(`longer than ${MAX_LINK_HEADER_LENGTH} characters`),
    );
  });

  test("accepts an empty trailing list element, as RFC 9110 lists allow", () => {
    expect(parseLinkHeader('<https://sentry.io/>; rel="next",')).toEqual([
      { url: "https://sentry.io/", params: { rel: "next" } },
    ]);
  });

  test("takes the last of repeated parameters and keeps empty values", () => {
    expect(parseLinkHeader(`<a>${"; x=".repeat(2000)}; x=1`)).toEqual([{ url: "a", params: { x: "1" } }]);
  });
});
