import { redactToken } from "@sentry-org-api/types/protocol";
import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { chooseFields, MEMBER_COLUMNS } from "../src/fields.js";
import { FORMATTERS, type Format } from "../src/formats.js";

const fields = chooseFields("id,name,user.has2fa", MEMBER_COLUMNS);
const row = (id: string, name: string, has2fa?: boolean) => ({
  id,
  name,
  user: has2fa === undefined ? null : { has2fa },
});

const TOKEN = "sntrys_SECRETtoken+/=abc123";
const redact = redactToken(TOKEN, "[REDACTED]");

/** Everything a formatter writes for these pages, start to end. */
function render(format: Format, pages: unknown[][], columns = fields) {
  const formatter = FORMATTERS[format](columns, redact);
  return [formatter.start(), ...pages.map((page) => formatter.rows(page)), formatter.end()];
}

describe("csv", () => {
  const hostile = [
    "=1+2",
    "+SUM(A1)",
    "-3",
    "@cmd",
    "\tx",
    "\rx",
    "\uFF1Dfullwidth",
    'a "quote", and a comma',
    "two\nlines",
    "two\r\nlines",
    "plain",
    "",
  ];

  test("RFC 4180: CRLF records, quotes doubled, line breaks inside quotes; formula cells get a '", () => {
    const text = render(
      "csv",
      [hostile.slice(0, 6), hostile.slice(6)].map((names, page) =>
        names.map((name, i) => row(`${page}${i}`, name, i % 2 === 0)),
      ),
    ).join("");
    expect(text.startsWith("id,name,user.has2fa\r\n00,'=1+2,true\r\n01,'+SUM(A1),false\r\n")).toBe(true);
    expect(text).toContain('\r\n13,"two\r\nlines",false\r\n');
    expect(text).toContain('\r\n11,"a ""quote"", and a comma",false\r\n');
    const rows: string[][] = parse(text);
    expect(rows.map((cells) => cells[1])).toEqual([
      "name",
      "'=1+2",
      "'+SUM(A1)",
      "'-3",
      "'@cmd",
      "'\tx",
      "'\rx",
      "'\uFF1Dfullwidth",
      'a "quote", and a comma',
      "two\nlines",
      "two\r\nlines",
      "plain",
      "",
    ]);
  });

  test("a bare LF or CR is quoted too: a reader would end the row there and run the next line as a formula", () => {
    const text = render("csv", [
      [row("1", "Bob\n=cmd|' /C calc'!A0"), row("2", "e\r@SUM(1+1)*cmd"), row("3", "\n=x")],
    ]).join("");
    expect(text).toBe(
      "id,name,user.has2fa\r\n" + "1,\"Bob\n=cmd|' /C calc'!A0\",\r\n" + '2,"e\r@SUM(1+1)*cmd",\r\n' + '3,"\n=x",\r\n',
    );
    expect(render("csv", [[row("1", "\r=1")]]).join("")).toBe('id,name,user.has2fa\r\n1,"\'\r=1",\r\n');
  });

  test("an invitation's user cells are empty, not 'null'", () => {
    expect(render("csv", [[row("1", "kai@acme.example")]]).join("")).toBe(
      "id,name,user.has2fa\r\n1,kai@acme.example,\r\n",
    );
  });
});

describe("json and ndjson", () => {
  const pages = [[row("1", "Jane", true), row("2", "Raj", false)], [], [row("3", "kai@acme.example")]];

  test("json is one array however the pages fall, each page's text written as it comes", () => {
    const chunks = render("json", pages);
    expect(chunks).toEqual([
      "[",
      '\n{"id":"1","name":"Jane","user":{"has2fa":true}},\n{"id":"2","name":"Raj","user":{"has2fa":false}}',
      "",
      ',\n{"id":"3","name":"kai@acme.example","user":null}',
      "\n]\n",
    ]);
    expect(JSON.parse(chunks.join(""))).toHaveLength(3);
    expect(JSON.parse(render("json", [[], []]).join(""))).toEqual([]);
  });

  test("ndjson is one object a line", () => {
    expect(render("ndjson", pages).join("")).toBe(
      '{"id":"1","name":"Jane","user":{"has2fa":true}}\n{"id":"2","name":"Raj","user":{"has2fa":false}}\n' +
        '{"id":"3","name":"kai@acme.example","user":null}\n',
    );
  });
});

describe("a token the server echoes back in a record", () => {
  const columns = chooseFields("name,email,externalUsers", MEMBER_COLUMNS);
  // As itself, percent-encoded, JSON-escaped, and as a key and a value of a free-form list.
  const echo = {
    name: TOKEN,
    email: `x ${encodeURIComponent(TOKEN)} y`,
    externalUsers: [{ [TOKEN]: TOKEN.replace("+", "\\u002B") }],
  };
  const output = (format: Format) => render(format, [[echo]], columns).join("");

  test("is redacted in every format, as the client redacts it", () => {
    expect(output("json")).toBe(
      '[\n{"name":"[REDACTED]","email":"x [REDACTED] y","externalUsers":[{"[REDACTED]":"[REDACTED]"}]}\n]\n',
    );
    expect(output("ndjson")).toBe(
      '{"name":"[REDACTED]","email":"x [REDACTED] y","externalUsers":[{"[REDACTED]":"[REDACTED]"}]}\n',
    );
    expect(output("csv")).toBe(
      'name,email,externalUsers\r\n[REDACTED],x [REDACTED] y,"[{""[REDACTED]"":""[REDACTED]""}]"\r\n',
    );
    expect(output("table")).toBe(
      "name        email           externalUsers\n" +
        "----------  --------------  -----------------------------\n" +
        '[REDACTED]  x [REDACTED] y  [{"[REDACTED]":"[REDACTED]"}]\n',
    );
  });
});

describe("table", () => {
  test("widths come from the header and the first rows, and stay: later rows are cut to them", () => {
    const chunks = render("table", [[], [row("1", "Jane", true)], [row("1000", "Jane Doe-Smith", false)]]);
    expect(chunks).toEqual([
      "",
      "",
      "id  name  user.has2fa\n--  ----  -----------\n1   Jane  true\n",
      "1…  Jan…  false\n",
      "",
    ]);
  });

  test("a cell wider than 40 characters is cut there, without splitting a character", () => {
    const wide = "😀".repeat(45);
    const [, text] = render("table", [[row("1", wide)]]);
    const line = text?.split("\n")[2] as string;
    expect(line).toBe(`1   ${"😀".repeat(39)}…`);
  });

  test("control characters show as U+FFFD: a line break or a terminal escape cannot break a row or drive the terminal", () => {
    const [, text] = render("table", [[row("1", "a\nb\u001b[2J\u0085c\u007f")]]);
    expect(text?.split("\n")[2]).toBe("1   a\uFFFDb\uFFFD[2J\uFFFDc\uFFFD");
  });
});
