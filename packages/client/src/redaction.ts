import { MAX_FORM_LENGTH, tokenPattern } from "@sentry-org-api/types/protocol";

const REDACTED = "[REDACTED]";
/** A detail nested deeper than this is kept as text: Sentry's is at most three levels deep. */
const MAX_VALUE_DEPTH = 32;
/** Causes kept below an error: undici's are two deep. */
const MAX_CAUSE_DEPTH = 4;
/** A cause's message is cut after this many characters, once scrubbed. */
const MAX_CAUSE_MESSAGE = 1000;

export interface Redactor {
  /** `text` with every occurrence of the token, in every form `tokenPattern` knows, replaced by `[REDACTED]`. */
  scrub(text: string): string;
  /**
   * The first `length` characters of `text`, scrubbed. An occurrence across the cut is kept whole,
   * so that it is replaced rather than left as a piece: `text` must run on past `length` by
   * `longest` characters when there is more.
   */
  scrubStart(text: string, length: number): string;
  /** A parsed JSON value with every string in it, keys too, scrubbed; a `RangeError` when nested too deep. */
  scrubValue(value: unknown): unknown;
  /** The most characters one occurrence can take. */
  longest: number;
}

/** The token must be printable ASCII without quotes or backslashes: the client refuses any other. */
export function createRedactor(token: string): Redactor {
  const longest = token.length * MAX_FORM_LENGTH;
  // Built on first use: a client that never fails never pays for compiling it.
  let compiled: RegExp | undefined;
  const pattern = () => {
    compiled ??= tokenPattern(token);
    return compiled;
  };
  const scrub = (text: string) => text.replace(pattern(), REDACTED);
  function scrubValue(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return scrub(value);
    if (typeof value !== "object" || value === null) return value;
    if (depth === MAX_VALUE_DEPTH) throw new RangeError(`nested deeper than ${MAX_VALUE_DEPTH}`);
    if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrub(key), scrubValue(item, depth + 1)]));
  }
  return {
    scrub,
    scrubStart(text, length) {
      let end = length;
      // Matches do not overlap, so at most one runs across the cut.
      text.replace(pattern(), (match, index: number) => {
        if (index < length) end = Math.max(end, index + match.length);
        return match;
      });
      return scrub(text.slice(0, end));
    },
    scrubValue,
    longest,
  };
}

/**
 * A copy of an error and its causes that keeps only their name, message and code, scrubbed: the
 * originals may hold what the server sent (undici's `HTTPParserError` keeps the raw bytes in `data`).
 */
export function scrubbedCopy(error: unknown, scrub: (text: string) => string, depth = 0): Error | undefined {
  if (error == null || depth > MAX_CAUSE_DEPTH) return undefined;
  const { name, message, code, cause } = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  const copy = new Error(scrub(String(message ?? error)).slice(0, MAX_CAUSE_MESSAGE));
  copy.name = typeof name === "string" ? scrub(name) : "Error";
  // The copy's own frames would point here, not where the original was thrown.
  copy.stack = `${copy.name}: ${copy.message}`;
  if (typeof code === "string") Object.assign(copy, { code: scrub(code) });
  const copiedCause = scrubbedCopy(cause, scrub, depth + 1);
  if (copiedCause) copy.cause = copiedCause;
  return copy;
}
