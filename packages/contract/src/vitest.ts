import { expect } from "vitest";
import { createValidator, type ResponseValidator } from "./validator.js";

let validator: ResponseValidator | undefined;

interface SpecMatchers<R = unknown> {
  /** Checks a fetch `Response` (status, headers and body) against the spec. Reads a clone, so the body stays readable. */
  toSatisfyApiSpec(): Promise<R>;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own declaration to merge with it
  interface Matchers<T = any> extends SpecMatchers<T> {}
}

expect.extend({
  async toSatisfyApiSpec(received: unknown) {
    if (!(received instanceof Response)) {
      // Thrown rather than failed, so that `.not` cannot turn a forgotten `await` into a pass.
      throw new TypeError(`expected a fetch Response, got ${this.utils.printReceived(received)}`);
    }
    validator ??= createValidator();
    const body = await received.clone().text();
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
