/**
 * Reading log files from disk with Node: plain or gzip (detected by its magic bytes, not the name),
 * streamed in 1 MiB chunks and decoded as UTF-8 (invalid bytes become U+FFFD and are counted by the
 * reader), with byte progress and cancellation. Folders are expanded to the log files inside them.
 */
import * as nodeBuffer from 'node:buffer';
import { createReadStream, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { createGunzip } from 'node:zlib';
import { IngestCancelled, ReaderContext, type ReaderOptions } from './reader';
import { errorMessage } from '../util/errors';

const LOG_FILE = /\.(log|jsonl|ndjson|json|txt|out|err)(\.\d+)?(\.gz)?$|\.gz$/i;
const CHUNK = 1024 * 1024;

export interface LogSourceError {
  path: string;
  message: string;
}

/** Files named by the user: files as they are, folders expanded (recursively, sorted, hidden ones skipped). */
export async function expandLogPaths(paths: string[]): Promise<{ files: string[]; errors: LogSourceError[] }> {
  const files: string[] = [];
  const errors: LogSourceError[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = nodePath.join(dir, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() && LOG_FILE.test(e.name)) files.push(p);
    }
  };
  for (const p of paths) {
    try {
      const st = await fs.stat(p);
      if (st.isDirectory()) {
        const before = files.length;
        await walk(p, 0);
        if (files.length === before) errors.push({ path: p, message: 'contains no log files (*.log, *.jsonl, *.ndjson, *.json, *.txt, *.gz)' });
      } else if (st.isFile()) files.push(p);
      else errors.push({ path: p, message: 'is not a file or folder' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({ path: p, message: code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : errorMessage(e) });
    }
  }
  return { files, errors };
}

/** Whether a file starts with gzip's magic bytes (what it is called does not matter). */
export async function isGzip(path: string): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * What a gzip file may expand to when the reader streams it (memory stays bounded, but a 10 MB "bomb" of
 * zeros would keep it busy for minutes). Readers that hold the text pass their own, smaller limit.
 */
export const MAX_GZIP_OUTPUT_BYTES = 4 * 1024 ** 3;

export interface FileChunkOptions {
  signal?: AbortSignal;
  /** The bytes read so far (of the range, with `start`). */
  onBytes?: (bytes: number) => void;
  /** A plain file's bytes [start, end) only (`fileTextChunks`; a range starts and ends at whole characters). */
  start?: number;
  end?: number;
  /**
   * Stop with an OutputLimitError after this many bytes of content (decompressed bytes for gzip; the check
   * runs as the data streams, never on the compressed size). Default: MAX_GZIP_OUTPUT_BYTES for gzip.
   */
  maxOutputBytes?: number;
}

/** The content of a file (decompressed) is over what its reader accepts. */
export class OutputLimitError extends Error {
  constructor(
    readonly path: string,
    readonly limit: number,
    readonly gzip: boolean,
  ) {
    super(`${gzip ? 'gzip data that expands to' : 'content of'} more than ${formatMiB(limit)}; ${gzip ? 'decompress a part of it (zcat FILE | head -c …) and read that' : 'cut it first'}`);
  }
}

function formatMiB(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(0)} GiB` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}

/** Text chunks of one file; `onBytes` gets the bytes read from disk so far (compressed bytes for gzip). */
export async function* fileChunks(path: string, options: FileChunkOptions = {}): AsyncGenerator<string> {
  for await (const chunk of fileTextChunks(path, options)) yield chunk.text;
}

/**
 * A chunk of a file's text, and its bytes when the text is their one-byte reading (ASCII, as most logs are):
 * a reader that copies the text into memory of its own copies the bytes instead (the JSON scanner, see
 * ./jsonScan.ts `load`). The bytes are the reader's buffer: valid until the next chunk is asked for.
 */
export interface TextChunk {
  text: string;
  bytes?: Uint8Array;
}

/** `fileChunks`, with each chunk's bytes when they are its text (see TextChunk). */
export async function* fileTextChunks(path: string, options: FileChunkOptions = {}): AsyncGenerator<TextChunk> {
  const gz = options.start === undefined && (await isGzip(path));
  if (!gz) {
    yield* plainFileChunks(path, options);
    return;
  }
  const limit = options.maxOutputBytes ?? MAX_GZIP_OUTPUT_BYTES;
  let produced = 0;
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  const stream = raw.pipe(createGunzip({ chunkSize: CHUNK }));
  raw.on('error', (e) => stream.destroy(e));
  const text = new ChunkDecoder();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (options.signal?.aborted) throw new IngestCancelled();
      produced += chunk.length;
      if (produced > limit) throw new OutputLimitError(path, limit, gz);
      options.onBytes?.(raw.bytesRead);
      yield text.decode(chunk);
    }
    const tail = text.end();
    if (tail) yield { text: tail };
  } catch (e) {
    if (e instanceof IngestCancelled || e instanceof OutputLimitError) throw e;
    const msg = errorMessage(e);
    if (/unexpected end|incorrect header|invalid/i.test(msg)) {
      // A gzip file cut short (still being written, copied halfway): keep what was read, say so.
      throw new LogReadError(path, `gzip data is damaged or cut short (${msg}); records before that point were read`);
    }
    throw new LogReadError(path, msg);
  } finally {
    raw.destroy();
    stream.destroy();
  }
}

/**
 * A plain file read into two reused buffers (a read stream allocates a buffer per chunk and costs about as
 * much CPU again as the reads themselves). The next chunk is read while the caller works on this one: a
 * read waited for in turn left the thread idle for about a tenth of the time. Each chunk is decoded to a
 * string, a copy, before its buffer is read into again. With `start`, the bytes [start, end) of the file.
 */
async function* plainFileChunks(path: string, options: FileChunkOptions): AsyncGenerator<TextChunk> {
  const limit = options.maxOutputBytes ?? Infinity;
  const text = new ChunkDecoder();
  // (from the current position, without `start`: a named pipe or /dev/stdin reads as well as a file)
  let at = options.start ?? null;
  const end = options.end ?? Infinity;
  let handle: fs.FileHandle | undefined;
  let next: Promise<{ bytesRead: number }> | undefined;
  try {
    handle = await fs.open(path, 'r');
    const h = handle;
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let k = 0;
    let position = 0;
    // (a read is asked for once the one before it ended, so `at` has moved by what that one read)
    const read = (buf: Buffer) => {
      if (at === null) return h.read(buf, 0, CHUNK, null);
      const length = Math.min(CHUNK, end - at);
      if (length <= 0) return Promise.resolve({ bytesRead: 0 });
      return h.read(buf, 0, length, at).then((r) => {
        at = at! + r.bytesRead;
        return r;
      });
    };
    next = read(bufs[0]!);
    for (;;) {
      if (options.signal?.aborted) throw new IngestCancelled();
      const { bytesRead } = await next;
      next = undefined;
      if (bytesRead === 0) break;
      const buf = bufs[k]!;
      k ^= 1;
      position += bytesRead;
      if (position > limit) throw new OutputLimitError(path, limit, false);
      next = read(bufs[k]!);
      options.onBytes?.(position);
      yield text.decode(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
    }
    const tail = text.end();
    if (tail) yield { text: tail };
  } catch (e) {
    if (e instanceof IngestCancelled || e instanceof OutputLimitError) throw e;
    throw new LogReadError(path, errorMessage(e));
  } finally {
    // A read still under way (the caller stopped early) ends before the file is closed.
    await next?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Bytes to text as UTF-8 (invalid bytes become U+FFFD). While every chunk so far is plain ASCII (most logs),
 * a latin1 copy is the same text as a UTF-8 decode, several times cheaper (and the bytes go with it, see
 * TextChunk); from the first chunk with other bytes on, the streaming decoder takes over (the chunks before
 * it ended on whole characters, so it starts in a clean state).
 */
class ChunkDecoder {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly isAscii = (nodeBuffer as { isAscii?: (b: Buffer) => boolean }).isAscii;
  private ascii = typeof this.isAscii === 'function';

  decode(chunk: Buffer): TextChunk {
    if (this.ascii && this.isAscii!(chunk)) return { text: chunk.toString('latin1'), bytes: chunk };
    this.ascii = false;
    return { text: this.decoder.decode(chunk, { stream: true }) };
  }

  end(): string {
    return this.decoder.decode();
  }
}

export class LogReadError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadFilesResult {
  context: ReaderContext;
  files: string[];
  errors: LogSourceError[];
  bytes: number;
}

/**
 * Reads files and folders into `onRecord`. Unreadable files are reported in `errors` and the others are
 * still read; `label` turns a path into the name shown with line numbers (e.g. workspace-relative).
 */
export async function readLogFiles(
  paths: string[],
  onRecord: ReaderContext['onRecord'],
  options: ReaderOptions & { label?: (path: string) => string; onProgress?: (done: number, total: number, file: string) => void } = {},
): Promise<ReadFilesResult> {
  const { files, errors } = await expandLogPaths(paths);
  const context = new ReaderContext(onRecord, options);
  const sizes = await Promise.all(files.map((f) => fs.stat(f).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const label = options.label?.(file) ?? file;
    const reader = context.source(label);
    try {
      for await (const chunk of fileTextChunks(file, { signal: options.signal, onBytes: (b) => options.onProgress?.(done + b, total, label) })) reader.push(chunk.text, chunk.bytes);
    } catch (e) {
      if (e instanceof IngestCancelled) throw e;
      errors.push({ path: file, message: e instanceof LogReadError || e instanceof OutputLimitError ? e.message : errorMessage(e) });
    }
    reader.end();
    done += sizes[i]!;
    options.onProgress?.(done, total, label);
  }
  return { context, files, errors, bytes: total };
}
