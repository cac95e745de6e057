import { readdir, readFile } from "node:fs/promises";
import { expect, test } from "vitest";

const examples = new URL("examples/", import.meta.url);
/** A README example: the comment naming its file, then the code block. */
const EXAMPLE = /<!-- test\/examples\/([\w.-]+) -->\n```ts\n([\s\S]*?)```\n/g;
/** The example files import the package's source; a reader imports the package. */
const AS_PUBLISHED: [string, string][] = [
  ['"../../src/index.js"', '"@sentry-org-api/contract"'],
  ['"../../src/msw.js"', '"@sentry-org-api/contract/msw"'],
];

test("each README example is a test file in test/examples, word for word, so that it cannot drift", async () => {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const shown = [...readme.matchAll(EXAMPLE)].map(([, file, code]) => ({ file, code }));
  expect(shown.map(({ file }) => file).sort()).toEqual((await readdir(examples)).sort());
  for (const { file, code } of shown) {
    let source = await readFile(new URL(file as string, examples), "utf8");
    for (const [inPackage, published] of AS_PUBLISHED) source = source.replaceAll(inPackage, published);
    expect(code, file).toBe(source);
  }
});
