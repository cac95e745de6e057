import { expect } from "vitest";
import { createValidator, DEFAULT_MAX_BODY_BYTES, type ValidatorOptions } from "./validate/validator.js";

interface SpecMatchers<R = unknown> {
  /**
   * Checks a fetch `Response` (status, headers and body) against the spec. Reads a clone, so the body
   * stays readable. Takes the validator's options, such as `trustedLinkOrigins`.
   */
  toSatisfyApiSpec(options?: ValidatorOptions): Promise<R>;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own declaration to merge with it
  interface Matchers<T = any> extends SpecMatchers<T> {}
}

/**
 * The body's text, reading no further than one chunk past `maxBytes`. Past the limit the text keeps
 * any byte-order mark and replaces broken sequences with U+FFFD, so its UTF-8 length is at least the
 * bytes read and the validator reports the size.
 */
async function readText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (bytes > maxBytes) {
      // Not awaited: a cancelled branch of a clone settles only once the original is cancelled too.
      reader.cancel().catch(() => {});
      return text + decoder.decode();
    }
  }
  // Within the limit, the same text as `response.text()`, which drops a leading byte-order mark.
  text += decoder.decode();
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

expect.extend({
  async toSatisfyApiSpec(received: unknown, options?: ValidatorOptions) {
    // Thrown rather than failed, so that `.not` cannot turn a forgotten `await` or a bad option into a pass.
    if (!(received instanceof Response)) {
      throw new TypeError(`expected a fetch Response, got ${this.utils.printReceived(received)}`);
    }
    if (received.bodyUsed) {
      throw new TypeError("the Response's body was already read: check it with toSatisfyApiSpec before reading it");
    }
    const validator = createValidator(options);
    const body = await readText(received.clone(), options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const { violations, operation } = validator.validateResponse({
      method: "GET",
      url: received.url,
      status: received.status,
      headers: received.headers,
      body,
    });
    const where = `${received.status} from ${received.url || "(no URL)"}`;
    return {
      pass: violations.length === 0,
      message: () =>
        violations.length === 0
          ? `expected ${where} not to satisfy the spec, but it does (${operation})`
          : `expected ${where} to satisfy the spec:\n${violations.map((v) => `  - ${v.operation} ${v.place}: ${v.message}`).join("\n")}`,
    };
  },
});
