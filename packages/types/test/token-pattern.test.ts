import { describe, expect, test } from "vitest";
import { redactToken } from "../src/protocol.js";

/** A Sentry user token. Its base64 holds no `+` or `/`: no letter, digit or `_` makes one. */
const TOKEN = "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";
/** `~`, `?` and `>` make base64's `+` and `/`: with three `~` in a row, every offset has one. */
const URL_TOKEN = "sntrys_eyJ~~~Q2FuYXJ5?_Url~~~Safe>Canary";

const redact = redactToken(TOKEN, "[REDACTED]");
const base64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const utf8Base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe("the token in base64", () => {
  test("an echoed Authorization header: Bearer", () => {
    expect(redact(`{"authorization":"${btoa(`Bearer ${TOKEN}`)}"}`)).toBe('{"authorization":"QmVhcmVyIH[REDACTED]"}');
  });

  test("HTTP Basic with the token as the password, padded", () => {
    expect(btoa(`user:${TOKEN}`)).toMatch(/==$/);
    expect(redact(`Authorization: Basic ${btoa(`user:${TOKEN}`)}\r\n`)).toBe(
      "Authorization: Basic dXNlcjp[REDACTED]\r\n",
    );
  });

  test("the token alone, padded and not", () => {
    expect(redact(`a ${btoa(TOKEN)} b`)).toBe("a [REDACTED] b");
    expect(redact(`a ${base64url(TOKEN)} b`)).toBe("a [REDACTED] b");
  });

  // Before the token, the characters that hold a neighbour's bits stay; after it, they stay too,
  // and only where it ends the text is its last character its own.
  test.each([
    ["", "", "", ""],
    ["", "!", "", "Yh"],
    ["", "!?", "", "YhPw=="],
    ["", "!?!", "", "YhPyE="],
    ["a", "", "YX", ""],
    ["a", "!", "YX", "IQ=="],
    ["a", "!?", "YX", "IT8="],
    ["a", "!?!", "YX", "IT8h"],
    ["ab", "", "YWJ", ""],
    ["ab", "!", "YWJ", "iE="],
    ["ab", "!?", "YWJ", "iE/"],
    ["ab", "!?!", "YWJ", "iE/IQ=="],
  ])("after %j and before %j: %s[REDACTED]%s", (before, after, head, tail) => {
    expect(redact(`x ${btoa(`${before}${TOKEN}${after}`)} y`)).toBe(`x ${head}[REDACTED]${tail} y`);
  });

  test.each([
    ["", "", "", ""],
    ["", "!", "", "SE"],
    ["a", "", "YX", ""],
    ["a", "!", "YX", "kh"],
    ["ab", "", "YWJ", ""],
    ["ab", "!", "YWJ", "IQ"],
  ])("base64url, unpadded, after %j and before %j: %s[REDACTED]%s", (before, after, head, tail) => {
    const encoded = base64url(`${before}${URL_TOKEN}${after}`);
    expect(encoded).toMatch(/[-_]/);
    expect(redactToken(URL_TOKEN, "[REDACTED]")(`?state=${encoded}&x=1`)).toBe(`?state=${head}[REDACTED]${tail}&x=1`);
  });

  test("standard base64 that holds +", () => {
    const encoded = btoa(`Bearer ${URL_TOKEN}`);
    expect(encoded).toContain("+");
    expect(redactToken(URL_TOKEN, "[REDACTED]")(encoded)).toBe("QmVhcmVyIH[REDACTED]");
  });

  test("base64 whose + and / were escaped once more: percent-encoded in a query, or \\/ in JSON", () => {
    const encoded = btoa(`user:${URL_TOKEN}`);
    expect(encoded).toMatch(/\+.*\//);
    const scrub = redactToken(URL_TOKEN, "[REDACTED]");
    expect(scrub(`?state=${encodeURIComponent(encoded)}&x=1`)).toBe("?state=dXNlcjp[REDACTED]&x=1");
    expect(scrub(JSON.stringify({ detail: encoded }).replaceAll("/", "\\/"))).toBe('{"detail":"dXNlcjp[REDACTED]"}');
  });

  test("a token outside ASCII (none is accepted by the client or check) is looked for as UTF-8", () => {
    const token = "sntryu_geheimnis_äöü_€_0123456789";
    expect(redactToken(token, "[REDACTED]")(`<${utf8Base64(token)}>`)).toBe("<[REDACTED]>");
  });
});

describe("what is not the token is left alone", () => {
  test("ordinary text, other base64 and a token one character off", () => {
    const text = [
      "Invalid token. Authentication credentials were not provided.",
      `Authorization: Basic ${btoa("user:password")}`,
      btoa(`Bearer ${TOKEN.slice(0, -1)}0`),
      btoa(`Bearer 0${TOKEN.slice(1)}`),
      base64url(TOKEN.toUpperCase()),
    ].join("\n");
    expect(redact(text)).toBe(text);
  });

  test("a base64 run of fewer than 8 characters is too common a string to stand for a token", () => {
    // 6 bytes make 8 characters at offset 0, but 7 at offset 1 (the first two hold a neighbour's bits).
    expect(redactToken("tokens", "[R]")(`${btoa("tokens")} ${btoa("xtokens")}`)).toBe(`[R] ${btoa("xtokens")}`);
    expect(redactToken("token", "[R]")(btoa("token"))).toBe(btoa("token"));
  });
});
