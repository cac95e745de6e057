// The spec's descriptions are wrapped at about 100 columns. Redoc renders a line break inside a
// paragraph as a space, but its search index drops it, so the excerpts read "one page at atime" and
// "Limited to40". Joining each paragraph's lines gives the same rendering and readable excerpts.

const FENCE = /^\s*(```|~~~)/;
// Lines that start a block of their own: a blank line, a heading, a table row, a setext underline
// or thematic break; list items and quotes too, though they carry text that the next line continues.
const STANDALONE = /^\s*($|#{1,6}(\s|$)|\||=+\s*$|-+\s*$|\*{3,}\s*$|_{3,}\s*$)/;
const CONTAINER = /^\s*([-*+]\s|\d{1,9}[.)]\s|>)/;
const INDENTED_CODE = /^( {4}|\t)/;
const HARD_BREAK = /( {2}|\\)$/;

/**
 * `markdown` with the lines of each paragraph joined by a space; code, tables, headings, list
 * items, quotes and hard line breaks keep their lines.
 * @param {string} markdown
 */
export function joinSoftBreaks(markdown) {
  /** @type {string[]} */
  const lines = [];
  let inFence = false;
  let inText = false;
  for (const line of markdown.split("\n")) {
    const previous = lines.at(-1) ?? "";
    if (FENCE.test(line)) inFence = !inFence;
    else if (!inFence && inText && !STANDALONE.test(line) && !CONTAINER.test(line) && !HARD_BREAK.test(previous)) {
      lines[lines.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
      continue;
    }
    lines.push(line);
    // An indented line opens a code block only where it cannot continue a paragraph.
    inText = !inFence && !FENCE.test(line) && !STANDALONE.test(line) && (inText || !INDENTED_CODE.test(line));
  }
  return lines.join("\n");
}

// Values that are data to show as they are, not prose: examples (a schema's `examples` is an array
// of them; a media type's is a map of Example Objects, with descriptions), defaults, enums. Under
// `properties` these names are property names, whose schemas have descriptions like any other.
const DATA_KEYS = new Set(["example", "value", "default", "const", "enum"]);

/**
 * Applies joinSoftBreaks to every `description` in an OpenAPI document, in place.
 * @param {unknown} node
 * @param {string} [parentKey]
 */
export function joinDescriptionSoftBreaks(node, parentKey) {
  if (typeof node !== "object" || node === null) return;
  const object = /** @type {Record<string, unknown>} */ (node);
  for (const [key, value] of Object.entries(object)) {
    const isData = DATA_KEYS.has(key) || (key === "examples" && Array.isArray(value));
    if (key === "description" && typeof value === "string") object[key] = joinSoftBreaks(value);
    else if (parentKey === "properties" || !isData) joinDescriptionSoftBreaks(value, key);
  }
}
