/**
 * Profiles arrive as bytes from anywhere (Node streams in the CLI, workspace.fs in the editor, strings in
 * tests). Files over ~512 MB cannot become one JS string, so everything here works chunk by chunk.
 */
export type ProfileSource = string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array | string> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

const encoder = new TextEncoder();

/** UTF-8 of a string in slices that never split a surrogate pair. */
function* encodeSlices(text: string, chunkChars: number): Generator<Uint8Array> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + chunkChars);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    yield encoder.encode(text.slice(i, end));
    i = end;
  }
}

/** Byte chunks of a source; string chunks are encoded as UTF-8. */
export async function* byteChunks(source: ProfileSource, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield* encodeSlices(source, chunkSize);
  } else if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += chunkSize) yield source.subarray(i, i + chunkSize);
  } else {
    const iter = isAsyncIterable(source) ? source : (source as Iterable<Uint8Array | string>);
    for await (const chunk of iter) {
      if (typeof chunk === 'string') yield* encodeSlices(chunk, chunkSize);
      else if (chunk.length > 0) yield chunk;
    }
  }
}

/** Text of byte chunks; invalid UTF-8 becomes U+FFFD rather than an error (names may be binary junk). */
export async function* textChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * Lets a parser look at the first bytes of a stream (to detect its format) and then read the whole of it,
 * beginning included, exactly once.
 */
export async function peekBytes(chunks: AsyncIterable<Uint8Array>, minBytes = 4096): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < minBytes) {
    const r = await iterator.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    size += r.value.length;
  }
  const head = new Uint8Array(Math.min(size, minBytes * 4));
  let at = 0;
  for (const b of buffered) {
    if (at >= head.length) break;
    const part = b.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* buffered;
    if (done) return;
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, all: all() };
}
