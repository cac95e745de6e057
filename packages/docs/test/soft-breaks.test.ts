import { describe, expect, test } from "vitest";
import { joinDescriptionSoftBreaks, joinSoftBreaks } from "../scripts/soft-breaks.mjs";

describe("joinSoftBreaks", () => {
  test("joins the lines of a paragraph with one space", () => {
    expect(joinSoftBreaks("one page at a\ntime. Limited to\n40 requests\n")).toBe(
      "one page at a time. Limited to 40 requests\n",
    );
    expect(joinSoftBreaks("trailing space \n  and indent")).toBe("trailing space and indent");
  });

  test("keeps paragraphs apart", () => {
    expect(joinSoftBreaks("first\nparagraph\n\nsecond\nparagraph")).toBe("first paragraph\n\nsecond paragraph");
  });

  test("leaves fenced code as it is, and does not join the line after it", () => {
    const markdown = 'Example:\n```\nLink: <a>;\n  rel="next"\n```\nafter\nthe fence';
    expect(joinSoftBreaks(markdown)).toBe('Example:\n```\nLink: <a>;\n  rel="next"\n```\nafter the fence');
    expect(joinSoftBreaks("~~~\na\nb\n~~~")).toBe("~~~\na\nb\n~~~");
  });

  test("leaves indented code as it is", () => {
    expect(joinSoftBreaks("text\n\n    code one\n    code two")).toBe("text\n\n    code one\n    code two");
  });

  test("keeps each table row, heading and thematic break on its own line", () => {
    const table = "| operation | scopes |\n|---|---|\n| Retrieve | `org:read` |\nNo token gives `401`";
    expect(joinSoftBreaks(table)).toBe(table);
    expect(joinSoftBreaks("## Rate\nlimits\ntext")).toBe("## Rate\nlimits text");
    expect(joinSoftBreaks("Title\n=====\ntext\n---\nmore")).toBe("Title\n=====\ntext\n---\nmore");
  });

  test("starts each list item and quote on a new line, and joins the lines that continue one", () => {
    expect(joinSoftBreaks("Kinds:\n- one\n  continued\n* two\n1. three\n2) four\n> quoted\nlazily")).toBe(
      "Kinds:\n- one continued\n* two\n1. three\n2) four\n> quoted lazily",
    );
  });

  test("keeps hard line breaks", () => {
    expect(joinSoftBreaks("two spaces  \nbackslash\\\nend")).toBe("two spaces  \nbackslash\\\nend");
  });
});

describe("joinDescriptionSoftBreaks", () => {
  test("joins every description, however deep, and leaves examples, defaults and enums alone", () => {
    const spec = {
      info: { description: "a\nb" },
      paths: { "/x": { get: { description: "c\nd", responses: { 200: { description: "e\nf" } } } } },
      components: {
        schemas: {
          Thing: {
            description: "g\nh",
            default: { description: "data\nkept" },
            enum: ["i\nj"],
            examples: [{ description: "data\nkept" }],
            properties: { value: { description: "k\nl" }, example: { description: "m\nn", example: "o\np" } },
          },
        },
        examples: { One: { description: "q\nr", value: { description: "data\nkept" } } },
      },
    };
    joinDescriptionSoftBreaks(spec);
    expect(spec).toEqual({
      info: { description: "a b" },
      paths: { "/x": { get: { description: "c d", responses: { 200: { description: "e f" } } } } },
      components: {
        schemas: {
          Thing: {
            description: "g h",
            default: { description: "data\nkept" },
            enum: ["i\nj"],
            examples: [{ description: "data\nkept" }],
            properties: { value: { description: "k l" }, example: { description: "m n", example: "o\np" } },
          },
        },
        examples: { One: { description: "q r", value: { description: "data\nkept" } } },
      },
    });
  });
});
