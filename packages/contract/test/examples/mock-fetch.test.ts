import { expect, test } from "vitest";
import { createMockSentry } from "../../src/index.js";

/** The code under test takes a `fetch`, as most API clients do (`createSentryClient({ fetch })` too). */
async function ownerEmails(org: string, { token, fetch }: { token: string; fetch: typeof globalThis.fetch }) {
  const url = `https://sentry.io/api/0/organizations/${org}/members/?query=role:owner`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`Sentry answered ${response.status}`);
  return ((await response.json()) as { email: string }[]).map((member) => member.email);
}

test("no socket: the mock answers through its own fetch", async () => {
  const sentry = createMockSentry(); // stands for https://sentry.io; baseUrl: "…" for another origin
  expect(await ownerEmails("acme", sentry)).toEqual([
    "jane.doe.0@acme.example",
    "raj.doe.1@acme.example",
    "ana.doe.2@acme.example",
  ]);
  sentry.injectFault({ type: "status", status: 503 });
  await expect(ownerEmails("acme", sentry)).rejects.toThrow("Sentry answered 503");
  sentry.injectFault({ type: "reset" }); // a dropped connection: fetch rejects with a TypeError
  await expect(ownerEmails("acme", sentry)).rejects.toThrow(TypeError);
});
