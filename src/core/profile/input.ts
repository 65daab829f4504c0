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

/** Text chunks of a source; invalid UTF-8 becomes U+FFFD rather than an error (names may be binary junk). */
export async function* textChunks(source: ProfileSource, chunkChars = 1 << 20): AsyncGenerator<string> {
  if (typeof source === 'string') {
    for (let i = 0; i < source.length; i += chunkChars) yield source.slice(i, i + chunkChars);
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += chunkChars) {
      const text = decoder.decode(source.subarray(i, i + chunkChars), { stream: true });
      if (text) yield text;
    }
  } else {
    const iter = isAsyncIterable(source) ? source : (source as Iterable<Uint8Array | string>);
    for await (const chunk of iter) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
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
