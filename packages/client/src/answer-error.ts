import { readRateLimit, serverRetryAt } from "@sentry-org-api/types/protocol";
import { readStart } from "./body.js";
import { kindOf, SentryApiError } from "./errors.js";
import { type Redactor, scrubbedCopy } from "./redaction.js";

/** The most of an error's body kept: Sentry's is a line, a proxy's error page a few KiB. */
export const DETAIL_BYTES = 8192;
/** Ends a `detail` made from the first `DETAIL_BYTES` of a longer body. */
export const CUT_MARK = "…[cut]";
const MAX_MESSAGE = 300;

/**
 * Sentry's `detail`: the body's `detail` member, else the body itself (a 429's bare string), else
 * the text (a proxy's HTML page); a body cut at `DETAIL_BYTES` stays text, marked as cut.
 */
function detailOf(bytes: Uint8Array, cut: boolean, redactor: Redactor): unknown {
  if (!cut && bytes.byteLength <= DETAIL_BYTES) {
    const text = new TextDecoder().decode(bytes);
    if (!text) return undefined;
    try {
      const body: unknown = JSON.parse(text);
      return redactor.scrubValue((body as { detail?: unknown } | null)?.detail ?? body);
    } catch {
      // Not JSON, or nested too deep to keep as a value.
      return redactor.scrub(text);
    }
  }
  // Streaming: a character cut in two at the end is left out, not made a replacement character.
  const decode = (part: Uint8Array) => new TextDecoder().decode(part, { stream: true });
  // The text runs on past the kept part, so a token across the cut is scrubbed whole.
  return `${redactor.scrubStart(decode(bytes), decode(bytes.subarray(0, DETAIL_BYTES)).length)}${CUT_MARK}`;
}

/**
 * The `SentryApiError` for a non-2xx answer. Its kind follows the status whatever the body does:
 * only the first `DETAIL_BYTES` are read, and one that breaks off or times out leaves no `detail`.
 */
export async function answerError(
  operation: string,
  response: Response,
  request: { method: string; url: string },
  redactor: Redactor,
  signal: AbortSignal | undefined,
): Promise<SentryApiError> {
  const { status } = response;
  let detail: unknown;
  let failure: unknown;
  try {
    const { bytes, cut } = await readStart(response, DETAIL_BYTES + redactor.longest);
    detail = detailOf(bytes, cut, redactor);
  } catch (error) {
    if (signal?.aborted) throw error;
    failure = error;
  }
  const text = failure
    ? `, and its body broke off: ${failure}`
    : detail === undefined
      ? ""
      : `: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`;
  const retryAt = status === 429 ? serverRetryAt(status, response.headers, Date.now()) : undefined;
  return new SentryApiError(
    kindOf(status),
    // Scrubbed before it is cut, so that no piece of the token is left at the cut; whitespace is
    // folded first, so that a token whose `+` came back as a line break is still found.
    redactor.scrub(`${operation} failed with ${status}${text}`.replace(/\s+/g, " ")).slice(0, MAX_MESSAGE).trim(),
    {
      status,
      request,
      rateLimit: readRateLimit(response.headers),
      detail,
      retryAt: retryAt === undefined ? undefined : new Date(retryAt),
      cause: scrubbedCopy(failure, redactor.scrub),
    },
  );
}
