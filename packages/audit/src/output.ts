import type { Writable } from "node:stream";

/**
 * Standard output as the audit writes it: each write waits for `drain` when the stream is full, so
 * a slow reader slows the walk instead of growing memory. A reader that goes away (`| head`) gives
 * EPIPE: the output is then `closed`, and the audit stops quietly.
 */
export class Output {
  readonly #stream: Writable;
  #closed = false;
  #failure: Error | undefined;

  constructor(stream: Writable) {
    this.#stream = stream;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") this.#closed = true;
      else this.#failure ??= error;
    });
  }

  /** The reader went away: nothing more will be read. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes `text`, resolving when the stream can take more; throws what the stream failed with (a full disk). */
  async write(text: string): Promise<void> {
    this.#check();
    if (this.#closed || text === "") return;
    if (!this.#stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#stream.off("drain", done);
          this.#stream.off("close", done);
          this.#stream.off("error", done);
          resolve();
        };
        this.#stream.on("drain", done);
        this.#stream.on("close", done);
        this.#stream.on("error", done);
      });
    }
    this.#check();
  }

  #check() {
    if (this.#failure) throw new Error(`cannot write the output: ${this.#failure.message}`);
  }
}
