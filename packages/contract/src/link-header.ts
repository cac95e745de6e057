/** One relation of a `Link` header: its target and its parameters (`rel`, `results`, `cursor`, ...). */
export interface LinkRelation {
  url: string;
  params: Record<string, string>;
}

/** Longer headers are refused rather than scanned: no real page needs more than two short links. */
export const MAX_LINK_HEADER_LENGTH = 8192;

const WHITESPACE = new Set([" ", "\t"]);

/**
 * Parses an RFC 8288 `Link` header in one left-to-right pass (no regular expressions, so no
 * backtracking on hostile input). Throws a `SyntaxError` that says where the header is malformed.
 */
export function parseLinkHeader(header: string): LinkRelation[] {
  if (header.length > MAX_LINK_HEADER_LENGTH) {
    throw new SyntaxError(`longer than ${MAX_LINK_HEADER_LENGTH} characters`);
  }
  const relations: LinkRelation[] = [];
  let i = 0;
  const skipWhitespace = () => {
    while (i < header.length && WHITESPACE.has(header.charAt(i))) i++;
  };
  const readUntil = (stops: string) => {
    const start = i;
    while (i < header.length && !stops.includes(header.charAt(i))) i++;
    return header.slice(start, i).trim();
  };

  while (i < header.length) {
    skipWhitespace();
    if (header.charAt(i) !== "<") throw new SyntaxError(`expected "<" at character ${i}`);
    const close = header.indexOf(">", i + 1);
    if (close === -1) throw new SyntaxError(`unclosed "<" at character ${i}`);
    const relation: LinkRelation = { url: header.slice(i + 1, close), params: {} };
    i = close + 1;
    skipWhitespace();
    while (header.charAt(i) === ";") {
      i++;
      skipWhitespace();
      const name = readUntil("=;,").toLowerCase();
      if (name === "") throw new SyntaxError(`empty parameter name at character ${i}`);
      let value = "";
      if (header.charAt(i) === "=") {
        i++;
        skipWhitespace();
        if (header.charAt(i) === '"') {
          const end = header.indexOf('"', i + 1);
          if (end === -1) throw new SyntaxError(`unclosed quote at character ${i}`);
          value = header.slice(i + 1, end);
          i = end + 1;
        } else {
          value = readUntil(";,");
        }
      }
      relation.params[name] = value;
      skipWhitespace();
    }
    relations.push(relation);
    if (i < header.length) {
      if (header.charAt(i) !== ",") throw new SyntaxError(`expected "," or ";" at character ${i}`);
      i++;
    }
  }
  return relations;
}
