/**
 * Hands each chunk of `body` to `take` and stops once `limit` bytes have passed: the rest is
 * cancelled unread, so a server cannot make the client hold more than the limit. Resolves to
 * whether the body was cut.
 */
async function read(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  take: (chunk: Uint8Array) => void,
): Promise<boolean> {
  if (!body) return false;
  const reader = body.getReader();
  for (let length = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return false;
    if (length + value.byteLength > limit) {
      take(value.subarray(0, limit - length));
      // Not awaited: a stream's cancel may never settle, and nothing more is wanted from it.
      reader.cancel().catch(() => {});
      return true;
    }
    length += value.byteLength;
    take(value);
  }
}

/** The body as text, or `undefined` when it is longer than `limit` bytes (then only about `limit` is read). */
export async function readText(response: Response, limit: number): Promise<string | undefined> {
  if (Number(response.headers.get("content-length")) > limit) {
    response.body?.cancel().catch(() => {});
    return undefined;
  }
  // The bytes are kept until the end, not decoded as they come: a body cut at the limit is then
  // dropped having cost the limit once, not the limit in text plus the chunks awaiting collection.
  const chunks: Uint8Array[] = [];
  let length = 0;
  const cut = await read(response.body, limit, (chunk) => {
    chunks.push(chunk);
    length += chunk.byteLength;
  });
  if (cut) return undefined;
  const bytes = new Uint8Array(length);
  for (let offset = 0, chunk = chunks.shift(); chunk; offset += chunk.byteLength, chunk = chunks.shift()) {
    bytes.set(chunk, offset);
  }
  return new TextDecoder().decode(bytes);
}

/** At most the first `limit` bytes of the body, and whether there was more. */
export async function readStart(response: Response, limit: number): Promise<{ bytes: Uint8Array; cut: boolean }> {
  const bytes = new Uint8Array(limit);
  let length = 0;
  const cut = await read(response.body, limit, (chunk) => {
    bytes.set(chunk, length);
    length += chunk.byteLength;
  });
  return { bytes: bytes.subarray(0, length), cut };
}
