/**
 * Profiles arrive as bytes from anywhere (Node streams in the CLI, workspace.fs in the editor, strings in
 * tests). Files over ~512 MB cannot become one JS string, so everything here works chunk by chunk.
 */
export type ProfileSource = string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array | string> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
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
 * Lets a parser look at the beginning of a stream (to detect its format) and then read the whole of it,
 * beginning included, exactly once.
 */
export async function peekable(chunks: AsyncIterable<string>, minChars = 4096): Promise<{ head: string; all: AsyncIterable<string> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const buffered: string[] = [];
  let head = '';
  let done = false;
  while (head.length < minChars) {
    const r = await iterator.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    head += r.value;
  }
  async function* all(): AsyncGenerator<string> {
    yield* buffered;
    if (done) return;
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head: head.slice(0, minChars * 4), all: all() };
}
