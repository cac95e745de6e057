// How a token can come back from a server: the client and `check` both scrub it in every one of
// these forms before anything reaches a message, report or log line.

/** A shorter base64 run is too common a string to stand for the token: it is matched case-insensitively too. */
const MIN_BASE64_RUN = 8;

/**
 * Times a character may have been percent-encoded: a cursor holding `%2B` is encoded once more when
 * sent back, and a server may echo that request encoded again.
 */
const MAX_ENCODINGS = 5;

/** The most characters one character of the token can take: `\/` with both characters encoded five times. */
export const MAX_FORM_LENGTH = 2 * (3 + 2 * (MAX_ENCODINGS - 1));

/**
 * What a server may send back for one character of the token: itself; percent-encoded up to five
 * times; JSON-escaped (`\u002B`, and `\/` for `/`), its backslash as it is, percent-encoded, or
 * dropped (a `Link` parameter's quoted-pair `\u` reads as `u`); and for `+` a space or `%20` (form
 * decoding reads `+` as a space). Letters and digits stand for themselves: no encoder changes them.
 */
function forms(char: string): string {
  if (/[A-Za-z0-9]/.test(char)) return char;
  const code = char.charCodeAt(0);
  // Outside printable ASCII (a token Sentry never issues, but `check` takes any): only itself.
  if (code < 0x21 || code > 0x7e) return `\\u${code.toString(16).padStart(4, "0")}`;
  const hex = code.toString(16);
  const percent = `%(?:25){0,${MAX_ENCODINGS - 1}}`;
  const backslash = `(?:\\\\|${percent}5c)`;
  const alternatives = [`\\x${hex}`, `${percent}${hex}`, `${backslash}?u00${hex}`];
  if (char === "/") alternatives.push(`${backslash}(?:/|${percent}${hex})`);
  if (char === "+") alternatives.push(" ", `${percent}20`);
  return `(?:${alternatives.join("|")})`;
}

/**
 * Base64 text as either alphabet writes it (base64url has `-` for `+` and `_` for `/`), and with `+` and
 * `/` escaped once more, as a query string or a JSON body carries it: `%2B`, `%2F`, `\/`.
 */
const eitherAlphabet = (base64: string) => base64.replaceAll("+", "(?:[+-]|%2b)").replaceAll("/", "(?:[/_]|%2f|\\\\/)");

/**
 * The token in base64 and base64url inside a longer encoded text: a proxy echoing the request's
 * `Authorization` header, `btoa("user:" + token)` for HTTP Basic. Its UTF-8 bytes may start at any of
 * the 3 offsets in a 3-byte group; for each, the characters made of its bits alone (the first and last
 * may hold a neighbour's bits: left out), and the last one too where the token ends the encoded text,
 * padded or not: zeros fill the rest of it.
 */
function base64Forms(token: string): string[] {
  const bytes = new TextEncoder().encode(token);
  const found: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    if (end - start < MIN_BASE64_RUN) continue;
    const encoded = btoa(String.fromCharCode(...new Uint8Array(offset), ...bytes));
    const last = encoded.charAt(end);
    const ending = last && `(?:${eitherAlphabet(last)}(?:(?:=|%3d){1,2}|(?![\\w+/-])))?`;
    found.push(eitherAlphabet(encoded.slice(start, end)) + ending);
  }
  return found;
}

/**
 * A global, case-insensitive pattern (hex digits come either way) that finds `token` in any of the
 * forms above, mixed too, and in base64. At most `token.length * MAX_FORM_LENGTH` characters long
 * per match: a base64 form, its escapes included, takes under 5 characters per character of the token
 * and 9 more.
 */
export const tokenPattern = (token: string) =>
  new RegExp([Array.from(token, forms).join(""), ...base64Forms(token)].join("|"), "gi");

/** `text` with every form of `token` replaced by `replacement`. */
export const redactToken = (token: string, replacement: string) => {
  const pattern = tokenPattern(token);
  return (text: string) => text.replace(pattern, replacement);
};
