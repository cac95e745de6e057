/** The most of a server's text a finding keeps, unless told otherwise. */
export const MAX_TEXT = 200;

/** `text`, cut after `max` characters and marked as cut. */
export const clip = (text: string, max = MAX_TEXT) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * `value` (parsed JSON) written as JSON until it is longer than `max` characters, then cut there. A server's
 * body may be megabytes wide or nested thousands deep: the writing stops with the budget, so it never walks
 * more of the value, or goes deeper, than `max` characters' worth.
 */
export function boundedJson(value: unknown, max: number): string {
  let out = "";
  const full = () => out.length > max;
  const write = (item: unknown) => {
    if (Array.isArray(item)) {
      out += "[";
      for (let i = 0; i < item.length && !full(); i++) {
        if (i > 0) out += ",";
        write(item[i]);
      }
      out += "]";
    } else if (typeof item === "object" && item !== null) {
      out += "{";
      let first = true;
      for (const key in item) {
        if (full()) break;
        out += `${first ? "" : ","}${JSON.stringify(key.slice(0, max))}:`;
        first = false;
        write((item as Record<string, unknown>)[key]);
      }
      out += "}";
    } else out += typeof item === "string" ? JSON.stringify(item.slice(0, max)) : JSON.stringify(item);
  };
  write(value);
  return full() ? out.slice(0, max + 1) : out;
}
