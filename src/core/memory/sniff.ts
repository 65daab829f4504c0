/**
 * What kind of memory file this is, from its first bytes (users rename files freely, so never from the
 * name), and for a memray capture which capture format it has. memray's capture format is its own and
 * versioned; the only thing read here is the header's start (bloomberg/memray src/memray/_memray/records.h:
 * `HeaderRecord { char magic[7] = "memray\0"; int version; int python_version (format 12 on); ... }`),
 * so a capture from another memray gets a message naming the memray release that reads it. Everything
 * else in a capture is read by memray itself.
 *
 * memray compresses captures with LZ4 (frame format, github.com/lz4/lz4 doc/lz4_Frame_format.md) when
 * tracking ends; the header then sits in the first block's first sequences (doc/lz4_Block_format.md), so
 * a few sequences are decoded to reach it.
 */

export type SniffedKind = 'memray' | 'tracemalloc' | 'memory_profiler' | 'mprof';

export type Sniffed =
  | { kind: 'memray'; compressed: boolean; header?: MemrayHeader }
  | { kind: Exclude<SniffedKind, 'memray'> }
  | { kind: 'unknown'; reason: string };

export interface MemrayHeader {
  /** memray's capture format version (CURRENT_HEADER_VERSION of the memray that wrote it). */
  formatVersion: number;
  /** major.minor of the Python that memray was built for (format 12 and later). */
  python?: string;
}

const MAGIC = [0x6d, 0x65, 0x6d, 0x72, 0x61, 0x79, 0x00]; // "memray\0"
const LZ4_MAGIC = [0x04, 0x22, 0x4d, 0x18];

/**
 * memray releases by capture format version, from `CURRENT_HEADER_VERSION` at each release tag of
 * bloomberg/memray (checked from 1.0.1 to 1.20.0).
 */
export const MEMRAY_FORMAT_RELEASES: readonly { format: number; first: string; last: string }[] = [
  { format: 6, first: '1.0', last: '1.0' },
  { format: 7, first: '1.1', last: '1.1' },
  { format: 8, first: '1.2', last: '1.3' },
  { format: 9, first: '1.4', last: '1.6' },
  { format: 10, first: '1.7', last: '1.10' },
  { format: 11, first: '1.11', last: '1.18' },
  { format: 12, first: '1.19', last: '1.19' },
  { format: 13, first: '1.20', last: '1.20' },
];

/** Which memray release(s) write and read capture format `version`. */
export function memrayReleasesFor(version: number): string {
  const hit = MEMRAY_FORMAT_RELEASES.find((r) => r.format === version);
  if (hit) return `memray ${hit.first === hit.last ? hit.first : `${hit.first} to ${hit.last}`}`;
  const newest = MEMRAY_FORMAT_RELEASES[MEMRAY_FORMAT_RELEASES.length - 1]!;
  if (version > newest.format) return `a memray newer than ${newest.last}`;
  return 'a memray older than 1.0';
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

function int32le(bytes: Uint8Array, at: number): number | undefined {
  if (bytes.length < at + 4) return undefined;
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** The header fields after the magic, when `bytes` holds enough of them. */
export function readMemrayHeader(bytes: Uint8Array): MemrayHeader | undefined {
  if (!startsWith(bytes, MAGIC)) return undefined;
  const formatVersion = int32le(bytes, MAGIC.length);
  if (formatVersion === undefined || formatVersion > 0xffff) return undefined;
  const header: MemrayHeader = { formatVersion };
  if (formatVersion >= 12) {
    const hex = int32le(bytes, MAGIC.length + 4);
    // PY_VERSION_HEX: major << 24 | minor << 16 | micro << 8 | level << 4 | serial.
    if (hex !== undefined && hex >>> 24 >= 2 && hex >>> 24 <= 9) header.python = `${hex >>> 24}.${(hex >>> 16) & 0xff}`;
  }
  return header;
}

/**
 * The first `want` bytes of an LZ4 frame's content (or fewer when the data ends or is damaged), without
 * allocating more than `want` bytes. undefined when `bytes` is not an LZ4 frame.
 */
export function lz4FramePrefix(bytes: Uint8Array, want: number): Uint8Array | undefined {
  if (!startsWith(bytes, LZ4_MAGIC) || bytes.length < 7) return undefined;
  const flg = bytes[4]!;
  if (flg >> 6 !== 1) return new Uint8Array(0); // only frame version 01 exists
  let p = 6 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1; // FLG, BD, [content size], [dict id], HC
  const out = new Uint8Array(want);
  let n = 0;
  while (n < want) {
    const size = int32le(bytes, p);
    if (size === undefined || size === 0) break;
    p += 4;
    const length = size & 0x7fffffff;
    const end = Math.min(bytes.length, p + length);
    if (size & 0x80000000) {
      // An uncompressed block.
      while (p < end && n < want) out[n++] = bytes[p++]!;
    } else {
      n = lz4Block(bytes, p, end, out, n);
    }
    if (end < p + length) break;
    p += length + (flg & 0x10 ? 4 : 0);
  }
  return out.subarray(0, n);
}

/** Decodes one LZ4 block's sequences from bytes[p, end) into out[n...] until out is full; returns the new n. */
function lz4Block(bytes: Uint8Array, p: number, end: number, out: Uint8Array, n: number): number {
  while (p < end && n < out.length) {
    const token = bytes[p++]!;
    let literals = token >> 4;
    if (literals === 15) {
      for (;;) {
        if (p >= end) return n;
        const b = bytes[p++]!;
        literals += b;
        if (b !== 255) break;
      }
    }
    for (let i = 0; i < literals && n < out.length; i++) {
      if (p >= end) return n;
      out[n++] = bytes[p++]!;
    }
    if (n >= out.length || p + 2 > end) return n; // the last sequence has literals only
    const offset = bytes[p]! | (bytes[p + 1]! << 8);
    p += 2;
    if (offset === 0 || offset > n) return n; // damaged
    let match = (token & 15) + 4;
    if ((token & 15) === 15) {
      for (;;) {
        if (p >= end) return n;
        const b = bytes[p++]!;
        match += b;
        if (b !== 255) break;
      }
    }
    for (let i = 0; i < match && n < out.length; i++, n++) out[n] = out[n - offset]!;
  }
  return n;
}

const ASCII = new TextDecoder('latin1');

/** Detects the kind of memory file from its first bytes (a few KiB are enough). */
export function sniffMemoryFile(head: Uint8Array): Sniffed {
  if (head.length === 0) return { kind: 'unknown', reason: 'the file is empty' };
  if (startsWith(head, MAGIC)) {
    const header = readMemrayHeader(head);
    return { kind: 'memray', compressed: false, ...(header ? { header } : {}) };
  }
  if (startsWith(head, LZ4_MAGIC)) {
    const prefix = lz4FramePrefix(head, 32);
    if (prefix && startsWith(prefix, MAGIC)) {
      const header = readMemrayHeader(prefix);
      return { kind: 'memray', compressed: true, ...(header ? { header } : {}) };
    }
    return { kind: 'unknown', reason: 'LZ4-compressed data that is not a memray capture' };
  }
  const start = ASCII.decode(head.subarray(0, Math.min(head.length, 4096)));
  // Snapshot.dump pickles a tracemalloc.Snapshot: the class is named near the start in every protocol.
  if ((head[0] === 0x80 || start.startsWith('ctracemalloc') || start.startsWith('(')) && /tracemalloc[\s\S]{0,16}Snapshot/.test(start.slice(0, 512))) return { kind: 'tracemalloc' };
  if (head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) return { kind: 'unknown', reason: 'a Python pickle, but not of a tracemalloc.Snapshot' };
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'unknown', reason: 'gzip-compressed data; decompress it first' };
  const text = start.replace(/^\uFEFF/, '');
  if (/^\s*Filename: .*\r?\n/.test(text) || /Line #\s+Mem usage\s+Increment/.test(text)) return { kind: 'memory_profiler' };
  if (/^(?:(?:CMDLINE|MEM|FUNC|CHLD) [^\n]*\r?\n?)+/.test(text) && /^(MEM|FUNC|CHLD) /m.test(text)) return { kind: 'mprof' };
  for (let i = 0; i < Math.min(head.length, 1024); i++) {
    if (head[i] === 0) return { kind: 'unknown', reason: 'binary data that is neither a memray capture nor a tracemalloc snapshot' };
  }
  if (text.trim() === '') return { kind: 'unknown', reason: 'the file is empty' };
  const first = text.trim().split(/\r?\n/)[0]!.slice(0, 60);
  return { kind: 'unknown', reason: `not a memory capture Incident Workbench reads (memray, tracemalloc, memory_profiler or mprof): it starts with "${first}"` };
}

/**
 * Whether an LZ4 frame ends as a complete one does: with the end mark (a zero block size) and, when the
 * frame header asks for it, the content checksum after it. `head` is the file's start, `tail` its last
 * 8 bytes (or all of a shorter file). A capture cut short (a disk full, a copy interrupted) fails this.
 */
export function lz4FrameLooksComplete(head: Uint8Array, tail: Uint8Array): boolean {
  if (!startsWith(head, LZ4_MAGIC) || head.length < 5) return false;
  const checksum = head[4]! & 0x04 ? 4 : 0;
  const end = tail.length - checksum;
  if (end < 4) return false;
  for (let i = end - 4; i < end; i++) if (tail[i] !== 0) return false;
  return true;
}
