/**
 * The mock's default token: the shape of a Sentry user token (`sntryu_` and 64 hex digits), so that
 * clients that check the format, such as `sentry-cli`, accept it; fixed, so that scripts can name it.
 */
export const DEFAULT_MOCK_TOKEN = "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";

/**
 * Sentry's shortest tokens are 64 characters (old user tokens: hex digits alone). Every report is
 * scrubbed of the token, so a short one would wipe ordinary text (one character: that character
 * everywhere); 16 characters without whitespace turn up only where the token was echoed.
 */
const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 512;

/**
 * Why a token cannot be served, or `undefined` when it can. Sentry's tokens hold no whitespace,
 * quotes or backslashes; the reason never repeats the token, which may be a real secret.
 */
export function tokenProblem(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH) {
    return `must be ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} characters long, is ${token.length}`;
  }
  if (!/^[\x21-\x7e]+$/.test(token) || /["'\\]/.test(token)) {
    return "must hold only visible ASCII characters, without whitespace, quotes or backslashes";
  }
  return undefined;
}
