const MAX_SHOWN = 40;

/**
 * A misused option's value as an error message shows it: a string is quoted, so that `"5"` does not
 * read as the number 5, and clipped, so that a long one cannot flood the message.
 */
export function described(value: unknown): string {
  if (typeof value === "string") return `the string ${quoted(value)}`;
  if (typeof value === "number" || typeof value === "boolean" || value === undefined || value === null) {
    return String(value);
  }
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** `text` in quotes, clipped. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
}

/** Throws a `TypeError` unless `value` is a number, a `RangeError` unless it is an integer from `min` to `max`. */
export function checkInteger(name: string, value: unknown, min: number, max: number, range: string) {
  if (typeof value !== "number") throw new TypeError(`${name} must be ${range}, got ${described(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be ${range}, got ${value}`);
  }
}

/** Throws a `TypeError` unless `value` is a plain object: an options or fault argument. */
export function checkObject(name: string, value: unknown) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${described(value)}`);
  }
}
