import { ProfileBuilder, ProfileParseError, frameKind, type Profile } from './model';
import { NO_PYTHON_FRAME } from './pythonProfilers';

/**
 * Collapsed ("folded") stacks, Brendan Gregg's format and py-spy's `--format raw`: one line per unique
 * stack, root first, frames joined by ';', a space, then the count. py-spy frames are `name (file:line)`,
 * `name (file)` or `name`; `--threads` adds a root `thread (0x…)` and `--subprocesses` a root
 * `process PID:"cmdline"` (benfred/py-spy src/flamegraph.rs, src/main.rs). Those become thread names
 * here, not frames, so per-thread views and merges work the same as for speedscope files.
 *
 * Read as bytes, not text: a 200k-stack py-spy file is ~100 MB of a few hundred thousand distinct frame
 * texts repeated millions of times. Decoding it all, slicing a string per frame and hashing it in a Map
 * cost most of the time; here each frame is hashed while scanning for ';', looked up in a byte-keyed table,
 * and only a frame text seen for the first time is decoded.
 */

const THREAD_FRAME = /^thread \((0x[0-9a-fA-F]+|\d+)\)(?:: (.*))?$/s;
const PROCESS_FRAME = /^process (\d+):"(.*)"$/s;
/** A line longer than this is not a stack (py-spy's deepest are a few hundred KB); it would only eat memory. */
const MAX_LINE_BYTES = 64 << 20;

export interface ParsedFrame {
  name: string;
  file: string;
  line: number;
}

/**
 * Splits `name (file:line)` / `name (file)` / `name`: the last ` (` whose parenthesis closes at the end
 * with no parenthesis inside. By hand rather than with a regular expression: it runs once per distinct
 * frame, and a profile has hundreds of thousands of them.
 */
export function parseFrameText(text: string): ParsedFrame {
  const last = text.length - 1;
  const open = text.lastIndexOf('(');
  if (last < 2 || text.charCodeAt(last) !== 41 /* ) */ || open < 1 || text.charCodeAt(open - 1) !== 32 || text.indexOf(')', open) !== last) {
    return { name: text, file: '', line: 0 };
  }
  const name = text.slice(0, open - 1);
  const colon = text.lastIndexOf(':', last - 1);
  if (colon > open + 1 && colon < last - 1) {
    let line = 0;
    let i = colon + 1;
    for (; i < last; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      line = line * 10 + d;
    }
    if (i === last) return { name, file: text.slice(open + 1, colon), line };
  }
  return { name, file: text.slice(open + 1, last), line: 0 };
}

/** True when the text looks like collapsed stacks (used by format detection on the first lines). */
export function looksCollapsed(head: string): boolean {
  const first = head.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(0, 5);
  const complete = head.includes('\n') ? first.slice(0, Math.max(1, first.length - 1)) : first;
  // A bare count is a sample with an empty stack (py-spy writes " 3"); at least one line must have frames.
  return complete.length > 0 && complete.every((l) => /\S \d+(\.\d+)?$/.test(l) || /^\s*\d+$/.test(l)) && first.some((l) => /\S \d+(\.\d+)?$/.test(l));
}

const enum Root {
  None = 0,
  Process = 1,
  Thread = 2,
}

/**
 * The distinct frame texts (the bytes between two ';'), interned by their bytes: an open-addressing table
 * of ids, the bytes of each in one arena. A hit is confirmed byte by byte, so colliding hashes never merge
 * two frames.
 */
class SegmentTable {
  private arena = new Uint8Array(1 << 16);
  /** The bytes of every frame text, each after its length (u32): stacks point here too (see StackIndex). */
  arenaView = new DataView(this.arena.buffer);
  private used = 0;
  /** Where each segment's length and bytes start in the arena. */
  offsets = new Int32Array(1 << 10);
  /** [id + 1, hash, arena offset of the bytes, length] per slot, 0 = empty: one probe reads one cache line. */
  private slots = new Int32Array(4 << 11);
  private mask = (1 << 11) - 1;
  count = 0;
  readonly texts: string[] = [];
  /** Frame id of each segment once used as a frame; -1 before (thread/process roots never become frames). */
  frames = new Int32Array(1 << 10).fill(-1);
  readonly roots: Root[] = [];
  /** For a root: the process (`PID cmdline`) or the thread name. */
  readonly rootNames: string[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  /** The id of `buf[start, end)` (`view` over the same bytes), whose hash the caller computed with `hashBytes`. */
  intern(buf: Uint8Array, view: DataView, start: number, end: number, hash: number): number {
    const len = end - start;
    const mask = this.mask;
    const slots = this.slots;
    let i = hash & mask;
    for (;;) {
      const at = i << 2;
      const slot = slots[at]!;
      if (slot === 0) break;
      if (slots[at + 1] === hash && slots[at + 3] === len && sameBytes(this.arenaView, slots[at + 2]!, view, start, len)) return slot - 1;
      i = (i + 1) & mask;
    }
    return this.add(buf, start, end, hash, i);
  }

  private add(buf: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const len = end - start;
    const id = this.count++;
    if (this.used + len + 4 > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.used + len + 4));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
      this.arenaView = new DataView(bigger.buffer);
    }
    this.arenaView.setUint32(this.used, len, true);
    const offset = this.used + 4;
    const arena = this.arena;
    copyBytes(buf, start, len, arena, offset);
    this.used += len + 4;
    if (id >= this.frames.length) {
      const frames = new Int32Array(this.frames.length * 2).fill(-1);
      frames.set(this.frames);
      this.frames = frames;
      const offsets = new Int32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.offsets[id] = offset - 4;
    const at = slot << 2;
    this.slots[at] = id + 1;
    this.slots[at + 1] = hash;
    this.slots[at + 2] = offset;
    this.slots[at + 3] = len;
    const text = this.decoder.decode(arena.subarray(offset, offset + len));
    this.texts.push(text);
    const c = buf[start];
    let root = Root.None;
    let rootName = '';
    if (c === 112 /* p */ || c === 116 /* t */) {
      const p = PROCESS_FRAME.exec(text);
      const t = p ? null : THREAD_FRAME.exec(text);
      if (p) [root, rootName] = [Root.Process, p[2] ? `${p[1]} ${p[2]}` : `${p[1]}`];
      else if (t) [root, rootName] = [Root.Thread, t[2] ? `${t[2]} (${t[1]})` : `thread ${t[1]}`];
    }
    this.roots.push(root);
    this.rootNames.push(rootName);
    if (this.count * 2 > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const mask = (this.mask + 1) * 2 - 1;
    const slots = new Int32Array((mask + 1) << 2);
    const old = this.slots;
    for (let from = 0; from < old.length; from += 4) {
      if (old[from] === 0) continue;
      let i = old[from + 1]! & mask;
      while (slots[i << 2] !== 0) i = (i + 1) & mask;
      slots.set(old.subarray(from, from + 4), i << 2);
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * Stacks by (parent stack, bytes of the frame's text), so a stack seen before costs one probe and one
 * comparison: going through the frame text table and then the builder's (parent, frame) table touched
 * four places in memory per frame, and a 100 MB profile's tables do not fit in the cache. A slot points
 * at its frame's text in the segment table's arena, which all stacks of that frame share (and so keep in
 * the cache).
 *
 * A slot is found by a hash of the whole path's text (`pathKey`), not by the parent's id: the probe for a
 * frame then does not wait for the previous frame's probe to come back from memory, so the processor
 * overlaps them. The parent and the bytes are still compared, so equal hashes never merge stacks.
 */
class StackIndex {
  /** [parent + 2 (0 = empty), path key, stack, arena offset of the frame text] per slot. */
  private slots = new Int32Array(4 << 12);
  private mask = (1 << 12) - 1;
  private count = 0;

  constructor(private readonly texts: SegmentTable) {}

  find(parent: number, key: number, view: DataView, start: number, len: number): number {
    const slots = this.slots;
    const arena = this.texts.arenaView;
    let i = key & this.mask;
    for (;;) {
      const at = i << 2;
      const p = slots[at]!;
      if (p === 0) return -1;
      if (p === parent + 2 && slots[at + 1] === key) {
        const offset = slots[at + 3]!;
        if (arena.getUint32(offset, true) === len && sameBytes(arena, offset + 4, view, start, len)) return slots[at + 2]!;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** What `touch` read, kept so the reads are not optimised away. */
  touched = 0;

  /**
   * Reads the first slot each of `count` path keys (every 4th int of `keys`, from the 4th) will probe, and
   * the frame text it points to. The reads do not depend on each other, so their cache misses overlap
   * instead of coming one after another in `find`.
   */
  touch(keys: Int32Array, count: number): void {
    const slots = this.slots;
    const arena = this.texts.arenaView;
    let sum = 0;
    for (let j = 0; j < count; j++) {
      const at = (keys[(j << 2) + 3]! & this.mask) << 2;
      if (slots[at] !== 0) sum += arena.getUint8(slots[at + 3]! + 4);
    }
    this.touched = sum;
  }

  /** Indexes `stack`, whose frame text is the segment `seg`. */
  insert(parent: number, key: number, seg: number, stack: number): void {
    this.place(this.slots, this.mask, parent + 2, key, stack, this.texts.offsets[seg]!);
    if (++this.count * 2 > this.mask) {
      const old = this.slots;
      this.mask = (this.mask + 1) * 2 - 1;
      this.slots = new Int32Array((this.mask + 1) << 2);
      for (let at = 0; at < old.length; at += 4) if (old[at] !== 0) this.place(this.slots, this.mask, old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!);
    }
  }

  private place(slots: Int32Array, mask: number, parentKey: number, hash: number, stack: number, offset: number): void {
    let i = hash & mask;
    while (slots[i << 2] !== 0) i = (i + 1) & mask;
    slots[i << 2] = parentKey;
    slots[(i << 2) + 1] = hash;
    slots[(i << 2) + 2] = stack;
    slots[(i << 2) + 3] = offset;
  }
}

/**
 * A hash of `view[start, end)`, four bytes at a time: per-byte hashing is a chain of dependent multiplies
 * over the whole file and was the slowest part of reading it; DataView reads of unaligned words are
 * inlined by V8. A long frame text is sampled: its first 16 bytes (the function), 8 from the middle and the
 * last 16 (the end of the file name and the line). Every hit is compared byte by byte, so the sample only
 * has to spread frames over the table, and sibling frames that differ only elsewhere are rare.
 */
function mix(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x5bd1e995);
  return h ^ (h >>> 15);
}

function hashBytes(view: DataView, start: number, end: number): number {
  const len = end - start;
  let h = len ^ 0x811c9dc5;
  if (len >= 48) {
    const mid = start + ((len >> 1) & ~3);
    h = mix(h, view.getUint32(start, true));
    h = mix(h, view.getUint32(start + 4, true));
    h = mix(h, view.getUint32(start + 8, true));
    h = mix(h, view.getUint32(start + 12, true));
    h = mix(h, view.getUint32(mid, true));
    h = mix(h, view.getUint32(mid + 4, true));
    h = mix(h, view.getUint32(end - 16, true));
    h = mix(h, view.getUint32(end - 12, true));
    h = mix(h, view.getUint32(end - 8, true));
    h = mix(h, view.getUint32(end - 4, true));
  } else {
    let i = start;
    for (; i + 4 <= end; i += 4) h = mix(h, view.getUint32(i, true));
    for (; i < end; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

function sameBytes(a: DataView, aStart: number, b: DataView, bStart: number, len: number): boolean {
  return commonPrefix(a, aStart, b, bStart, len) === len;
}

function copyBytes(from: Uint8Array, start: number, len: number, to: Uint8Array, at: number): void {
  if (len > 64) to.set(from.subarray(start, start + len), at);
  else for (let k = 0; k < len; k++) to[at + k] = from[start + k]!;
}

/** The key of a path: the parent path's key and the frame's hash (roots first: `PATH_SEED`). */
const PATH_SEED = 0x2545f491;
function pathKey(parentKey: number, frameHash: number): number {
  let h = Math.imul(parentKey ^ (parentKey >>> 15), 0x2c1b3c6d) ^ frameHash;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) | 0;
}

/** How many bytes `a` at `aStart` and `b` at `bStart` have in common, at most `max`. */
function commonPrefix(a: DataView, aStart: number, b: DataView, bStart: number, max: number): number {
  let i = 0;
  for (; i + 4 <= max; i += 4) if (a.getUint32(aStart + i, true) !== b.getUint32(bStart + i, true)) break;
  while (i < max && a.getUint8(aStart + i) === b.getUint8(bStart + i)) i++;
  return i;
}

function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13) return false;
  }
  return true;
}

export async function parseCollapsed(chunks: AsyncIterable<Uint8Array>): Promise<Profile> {
  const b = new ProfileBuilder();
  const segments = new SegmentTable();
  const children = new StackIndex(segments);
  const threadOfRoots = new Map<string, number>();
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let pySpyFrames = 0;
  let good = 0;
  let bad = 0;
  let firstBad: string | undefined;
  let lineNo = 0;
  const defaultThread = b.thread('all');

  let noFrameStack = -1;
  const noPythonFrame = (): number => {
    if (noFrameStack < 0) noFrameStack = b.appendStack(-1, b.rawFrame({ name: NO_PYTHON_FRAME, file: '', line: 0, kind: 'other' }));
    return noFrameStack;
  };
  const frameOf = (seg: number): number => {
    let f = segments.frames[seg]!;
    if (f < 0) {
      const p = parseFrameText(segments.texts[seg]!);
      if (p.file !== '') pySpyFrames++;
      // Frames are told apart by their text (the table above), so the builder need not de-duplicate them.
      f = b.rawFrame({ name: p.name, file: p.file, line: p.line, kind: frameKind(p.name, p.file) });
      segments.frames[seg] = f;
    }
    return f;
  };

  // The buffer being read, a view of it, and the next ';' at or after the read position (-1: not searched
  // yet; past the end: none left). Remembering it keeps the search linear when lines have few frames.
  let buf: Uint8Array = new Uint8Array(0);
  let view = new DataView(buf.buffer);
  let semi = -1;
  const NONE_LEFT = 2 ** 53;
  /** The end of the frame at `pos`: the next ';' or the line's last space. */
  const delimiter = (pos: number, space: number): number => {
    if (semi < pos) {
      semi = buf.indexOf(59 /* ; */, pos);
      if (semi === -1) semi = NONE_LEFT;
    }
    return semi < space ? semi : space;
  };
  /** Per frame of the line being read: start, end, hash, path key. */
  let scratch: Int32Array = new Int32Array(4 * 64);
  const grown = (a: Int32Array): Int32Array => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  const use = (bytes: Uint8Array): void => {
    buf = bytes;
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    semi = -1;
  };

  // The previous line: where it lies, and per frame (after the roots) its end, relative to the line's
  // start, and its stack.
  let prevBuf: Uint8Array | undefined;
  let prevStart = 0;
  let prevSpace = 0;
  let prevDepth = 0;
  let prevThread = defaultThread;
  const prevEnds: number[] = [];
  const prevStacks: number[] = [];
  const prevKeys: number[] = [];

  /** Reads `buf[start, end)` (no line break); returns nothing, feeds the builder. */
  const line = (start: number, end: number, terminated: boolean): void => {
    lineNo++;
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    if (end > start && buf[end - 1] === 13) end--;
    if (isBlank(buf, start, end)) return;
    let space = end - 1;
    while (space >= start && buf[space] !== 32) space--;
    let count = 0;
    let digits = true;
    for (let i = space + 1; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) {
        digits = false;
        break;
      }
      count = count * 10 + d;
    }
    if (!digits || end - space > 16) count = Number(decoder.decode(buf.subarray(space + 1, end)));
    // `space === start`: an empty stack (py-spy writes " 3" for samples with no Python frame).
    if (space < start || space === end - 1 || !Number.isFinite(count) || count < 0) {
      bad++;
      if (firstBad === undefined) {
        const text = decoder.decode(buf.subarray(start, Math.min(end, start + 240)));
        firstBad = `line ${lineNo}: ${!terminated ? 'the last line is cut off (truncated file?)' : `no sample count at the end of "${text.slice(0, 60)}"`}`;
      }
      return;
    }
    good++;
    let thread = defaultThread;
    let stack = -1;
    let pos = start;
    // Frames shared with the previous line keep their stacks: files written in order (flamegraph.pl's
    // collapse scripts, a sorted py-spy file) repeat long prefixes, and comparing bytes that are already in
    // the cache is much cheaper than looking each frame up again.
    let k = 0;
    let path = PATH_SEED;
    if (prevBuf === buf && prevDepth > 0) {
      const rel = space - start;
      const same = commonPrefix(view, prevStart, view, start, Math.min(prevSpace - prevStart, rel) + 1);
      while (k < prevDepth && prevEnds[k]! < same && (buf[start + prevEnds[k]!] === 59 || prevEnds[k] === rel)) k++;
      if (k > 0) {
        stack = prevStacks[k - 1]!;
        path = prevKeys[k - 1]!;
        thread = prevThread;
        pos = start + prevEnds[k - 1]! + 1;
      }
    }
    if (k === 0) {
      // Synthetic roots from py-spy, only at the start of a line: processes (nested with -s), then the
      // thread (`thread (TID): NAME` in 0.4). They name the thread and are never stacks.
      let rootKey = '';
      let process: string | undefined;
      let threadName: string | undefined;
      while (pos < space && threadName === undefined && (buf[pos] === 112 /* p */ || buf[pos] === 116) /* t */) {
        const segEnd = delimiter(pos, space);
        const seg = segments.intern(buf, view, pos, segEnd, hashBytes(view, pos, segEnd));
        const root = segments.roots[seg]!;
        if (root === Root.None) break;
        if (root === Root.Process) process = segments.rootNames[seg]!;
        else threadName = segments.rootNames[seg]!;
        rootKey += `${seg};`;
        pos = segEnd + 1;
      }
      if (rootKey !== '') thread = threadFor(rootKey, process, threadName);
    }
    // First every frame's place and path key, then a touch of the table slots they will probe (independent
    // loads the processor overlaps), then the walk down the stacks, which now mostly hits the cache.
    let depth = 0;
    while (pos < space) {
      const segEnd = delimiter(pos, space);
      const hash = hashBytes(view, pos, segEnd);
      path = pathKey(path, hash);
      if (depth === scratch.length >> 2) scratch = grown(scratch);
      const at = depth++ << 2;
      scratch[at] = pos;
      scratch[at + 1] = segEnd;
      scratch[at + 2] = hash;
      scratch[at + 3] = path;
      pos = segEnd + 1;
    }
    children.touch(scratch, depth);
    let fresh = false;
    for (let j = 0; j < depth; j++) {
      const at = j << 2;
      const segStart = scratch[at]!;
      const segEnd = scratch[at + 1]!;
      const key = scratch[at + 3]!;
      // Once a frame is new, the frames under it are new too: no need to look.
      let next = fresh ? -1 : children.find(stack, key, view, segStart, segEnd - segStart);
      if (next < 0) {
        const seg = segments.intern(buf, view, segStart, segEnd, scratch[at + 2]!);
        next = b.appendStack(stack, frameOf(seg));
        children.insert(stack, key, seg, next);
        fresh = true;
      }
      stack = next;
      prevEnds[k] = segEnd - start;
      prevKeys[k] = key;
      prevStacks[k++] = stack;
    }
    // A sample with no frames (a thread outside Python when sampled) is counted, not dropped.
    if (stack < 0) stack = noPythonFrame();
    b.add(thread, stack, count, count);
    prevBuf = buf;
    prevStart = start;
    prevSpace = space;
    prevDepth = k;
    prevThread = thread;
  };

  const threadFor = (key: string, process: string | undefined, threadName: string | undefined): number => {
    let thread = threadOfRoots.get(key);
    if (thread === undefined) {
      const name = process === undefined ? threadName! : threadName === undefined ? `process ${process}` : `process ${process} · ${threadName}`;
      thread = b.thread(name);
      threadOfRoots.set(key, thread);
    }
    return thread;
  };

  // Complete lines are read where they lie in each chunk; only a line split across chunks is copied.
  let carry: Uint8Array[] = [];
  let carried = 0;
  for await (const chunk of chunks) {
    let from = 0;
    if (carried > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        carry.push(chunk);
        carried += chunk.length;
        if (carried > MAX_LINE_BYTES) throw new ProfileParseError(`line ${lineNo + 1} is longer than ${MAX_LINE_BYTES >> 20} MB: not a collapsed-stack profile`);
        continue;
      }
      carry.push(chunk.subarray(0, nl));
      const joined = new Uint8Array(carried + nl);
      let at = 0;
      for (const part of carry) {
        joined.set(part, at);
        at += part.length;
      }
      use(joined);
      line(0, joined.length, true);
      carry = [];
      carried = 0;
      from = nl + 1;
    }
    use(chunk);
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl === -1) break;
      line(from, nl, true);
      from = nl + 1;
    }
    if (from < chunk.length) {
      // The chunk may be a view the producer reuses: keep a copy.
      carry.push(chunk.slice(from));
      carried += chunk.length - from;
    }
  }
  if (carried > 0) {
    const joined = new Uint8Array(carried);
    let at = 0;
    for (const part of carry) {
      joined.set(part, at);
      at += part.length;
    }
    use(joined);
    line(0, joined.length, false);
  }

  if (good === 0) {
    if (bad === 0) throw new ProfileParseError('the profile is empty: no stacks');
    throw new ProfileParseError(`not a collapsed-stack profile: ${firstBad}`);
  }
  if (bad > 0) b.warn(`${bad} line${bad === 1 ? '' : 's'} skipped (${firstBad})`);
  const profile = b.build(pySpyFrames > 0 ? 'pyspy-raw' : 'collapsed', 'samples');
  profile.threads = profile.threads.filter((t) => t.samples > 0);
  return profile;
}
