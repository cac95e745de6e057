import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { Output } from "../src/output.js";

/** A stream that takes each chunk only when the test says so, as a slow reader would. */
function slowStream() {
  const waiting: ((error?: Error | null) => void)[] = [];
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 4,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      waiting.push(callback);
    },
  });
  return { stream, chunks, take: (error?: Error) => waiting.shift()?.(error ?? null) };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

const errno = (code: string) => Object.assign(new Error(`write ${code}`), { code });

describe("Output", () => {
  test("a write past the buffer waits for drain: a slow reader slows the walk instead of growing memory", async () => {
    const { stream, chunks, take } = slowStream();
    const output = new Output(stream);
    const write = output.write("12345");
    expect(await settled(write)).toBe(false);
    take();
    expect(await settled(write)).toBe(true);
    expect(chunks).toEqual(["12345"]);
  });

  test("EPIPE (the reader went away) ends a wait, closes the output, and later writes do nothing", async () => {
    const { stream, chunks, take } = slowStream();
    const output = new Output(stream);
    const write = output.write("12345");
    take(errno("EPIPE"));
    await write;
    expect(output.closed).toBe(true);
    await output.write("more");
    expect(chunks).toEqual(["12345"]);
  });

  test("any other failure is thrown, with what the stream said", async () => {
    const { stream, take } = slowStream();
    const output = new Output(stream);
    const write = output.write("12345");
    take(errno("ENOSPC"));
    await expect(write).rejects.toThrow(new Error("cannot write the output: write ENOSPC"));
    expect(output.closed).toBe(false);
  });
});
