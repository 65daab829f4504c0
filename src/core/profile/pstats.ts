import { ProfileBuilder, ProfileParseError, frameKind, type CallEdge, type CallGraph, type CallGraphFunction, type Profile } from './model';

/**
 * cProfile / profile output (`python -m cProfile -o FILE`, `Stats.dump_stats`): Python's `marshal` of one
 * dict, read here without Python.
 *
 * What is read (CPython Lib/cProfile.py create_stats, Lib/pstats.py, Python/marshal.c, version 2–4):
 *   { (file, line, funcname): (cc, nc, tt, ct, callers) }
 *   callers = { (file, line, funcname): (cc, nc, tt, ct) }   — one entry per caller of the function
 * cc: primitive (non-recursive) calls, nc: all calls, tt: seconds in the function itself, ct: seconds
 * including callees (recursion counted once). Built-ins have file "~" and line 0 (`<built-in method
 * builtins.exec>`). `profile` (pure Python) writes callers' values as a bare call count instead of the
 * 4-tuple; that is read too (count only).
 *
 * Marshal: each object is a type byte (bit 0x80 set: remember the object for later back-references 'r'),
 * then its payload, little-endian: 'i' int32; 'l' long (int32 digit count n, sign of n is the sign,
 * |n| 15-bit digits as uint16); 'I' int64; 'g' float64; 'f' float as text (1-byte length); 'N'/'T'/'F'
 * None/True/False; 'z'/'Z' ASCII with 1-byte length; 'a'/'A'/'u'/'t' text with int32 length; 's' bytes;
 * ')' tuple with 1-byte count, '(' tuple / '[' list / '<' set / '>' frozenset with int32 count;
 * '{' dict as key/value pairs ended by '0'; 'r' int32 index of an object seen before. A container takes
 * its back-reference index before its items are read. Code objects ('c') never appear in stats.
 */

type MValue = number | string | boolean | null | MValue[] | MDict | Uint8Array;
class MDict {
  constructor(readonly entries: [MValue, MValue][]) {}
}

const NULL = Symbol('null-terminator');

/** Reads one marshal value. Throws ProfileParseError with the offset on anything unexpected. */
export class MarshalReader {
  private pos = 0;
  private readonly view: DataView;
  private readonly refs: (MValue | undefined)[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private depth = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProfileParseError(`the marshal data ends at byte ${this.buf.length} inside a value (truncated file?)`);
  }

  private u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  private i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  private size(): number {
    const n = this.i32();
    if (n < 0 || n > this.buf.length - this.pos + 1) throw new ProfileParseError(`a length of ${n} at byte ${this.pos - 4} does not fit in the file (not a cProfile file?)`);
    return n;
  }

  private text(n: number): string {
    this.need(n);
    const start = this.pos;
    this.pos += n;
    // ASCII (nearly every path and name) without the decoder's setup cost.
    if (n < 64) {
      let ascii = true;
      for (let i = start; i < start + n; i++) if (this.buf[i]! > 127) {
        ascii = false;
        break;
      }
      if (ascii) return String.fromCharCode.apply(null, this.buf.subarray(start, start + n) as unknown as number[]);
    }
    return this.decoder.decode(this.buf.subarray(start, start + n));
  }

  read(): MValue {
    const v = this.value();
    if (v === NULL) throw new ProfileParseError(`an unexpected end-of-dict marker at byte ${this.pos - 1}`);
    return v;
  }

  private value(): MValue | typeof NULL {
    const at = this.pos;
    const code = this.u8();
    const flag = (code & 0x80) !== 0;
    const type = String.fromCharCode(code & 0x7f);
    const refs = this.refs;
    const keep = flag ? (v: MValue): MValue => (refs.push(v), v) : (v: MValue): MValue => v;
    switch (type) {
      case '0':
        return NULL;
      case 'N':
        return keep(null);
      case 'T':
        return keep(true);
      case 'F':
        return keep(false);
      case 'S':
      case '.':
        return keep(null);
      case 'i':
        return keep(this.i32());
      case 'I': {
        this.need(8);
        const lo = this.view.getUint32(this.pos, true);
        const hi = this.view.getInt32(this.pos + 4, true);
        this.pos += 8;
        return keep(hi * 2 ** 32 + lo);
      }
      case 'l': {
        const n = this.i32();
        const digits = Math.abs(n);
        if (digits > 1_000_000) throw new ProfileParseError(`a long integer of ${digits} digits at byte ${at}`);
        this.need(digits * 2);
        let v = 0;
        for (let i = digits - 1; i >= 0; i--) v = v * 32768 + this.view.getUint16(this.pos + i * 2, true);
        this.pos += digits * 2;
        return keep(n < 0 ? -v : v);
      }
      case 'g': {
        this.need(8);
        const v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return keep(v);
      }
      case 'f':
        return keep(Number(this.text(this.u8())));
      case 'y':
        this.need(16);
        this.pos += 16;
        return keep(null);
      case 'x':
        this.text(this.u8());
        this.text(this.u8());
        return keep(null);
      case 'z':
      case 'Z':
        return keep(this.text(this.u8()));
      case 'a':
      case 'A':
      case 'u':
      case 't':
        return keep(this.text(this.size()));
      case 's': {
        const n = this.size();
        this.need(n);
        const b = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return keep(b);
      }
      case ')':
      case '(':
      case '[':
      case '<':
      case '>': {
        const n = type === ')' ? this.u8() : this.size();
        const items: MValue[] = [];
        const ref = flag ? this.refs.push(items) - 1 : -1;
        void ref;
        this.enter(at);
        for (let i = 0; i < n; i++) items.push(this.read());
        this.depth--;
        return items;
      }
      case '{': {
        const d = new MDict([]);
        if (flag) this.refs.push(d);
        this.enter(at);
        for (;;) {
          const k = this.value();
          if (k === NULL) break;
          d.entries.push([k, this.read()]);
        }
        this.depth--;
        return d;
      }
      case 'r': {
        const i = this.i32();
        const v = this.refs[i];
        if (v === undefined) throw new ProfileParseError(`a back-reference to object ${i} at byte ${at}, of ${this.refs.length} seen (not a cProfile file?)`);
        return v;
      }
      case 'c':
        throw new ProfileParseError(`a code object at byte ${at}: this is a compiled Python file (.pyc), not cProfile output`);
      default:
        throw new ProfileParseError(`unknown marshal type 0x${code.toString(16).padStart(2, '0')} at byte ${at} (not a cProfile/pstats file?)`);
    }
  }

  /** The type of the next value, without reading it. */
  peek(): string {
    this.need(1);
    return String.fromCharCode(this.buf[this.pos]! & 0x7f);
  }

  /**
   * Reads a tuple's header when the next value is a tuple (not a back-reference), leaving its items to the
   * caller: the number of items and the back-reference slot it takes (-1: none), for `setRef`.
   */
  tupleHeader(): { n: number; ref: number } | undefined {
    this.need(1);
    const code = this.buf[this.pos]!;
    const type = code & 0x7f;
    if (type !== 0x29 && type !== 0x28) return undefined;
    this.pos++;
    const n = type === 0x29 ? this.u8() : this.size();
    return { n, ref: code & 0x80 ? this.refs.push(null) - 1 : -1 };
  }

  /** Reads a dict's opening; its pairs follow, then `dictEnd()`. */
  dictStart(): boolean {
    this.need(1);
    const code = this.buf[this.pos]!;
    if ((code & 0x7f) !== 0x7b) return false;
    this.pos++;
    if (code & 0x80) this.refs.push(new MDict([]));
    return true;
  }

  /** True (and consumed) at the end-of-dict marker. */
  dictEnd(): boolean {
    this.need(1);
    if (this.buf[this.pos] !== 0x30) return false;
    this.pos++;
    return true;
  }

  setRef(index: number, value: MValue): void {
    if (index >= 0) this.refs[index] = value;
  }

  private enter(at: number): void {
    if (++this.depth > 64) throw new ProfileParseError(`values nested more than 64 deep at byte ${at}: not cProfile output`);
  }
}

/** True when the first bytes are a marshalled dict whose first key is a tuple: cProfile output. */
export function looksLikePstats(head: Uint8Array): boolean {
  if (head.length < 2 || (head[0]! & 0x7f) !== 0x7b /* { */) return false;
  const next = head[1]! & 0x7f;
  return next === 0x29 /* ) */ || next === 0x28 /* ( */ || (head[1] === 0x30 /* 0: empty dict */ && head.length === 2);
}

const isTuple = (v: MValue): v is MValue[] => Array.isArray(v);
const num = (v: MValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: MValue | undefined): string => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : v === null || v === undefined ? '' : String(v));

/** The call graph of a cProfile/pstats file. */
export function readCallGraph(bytes: Uint8Array): CallGraph {
  if (!looksLikePstats(bytes)) throw new ProfileParseError('not cProfile/pstats output (a marshalled dict of (file, line, function) keys)');
  // Read by the shape pstats has rather than into a generic tree: a 100k-function file is a million small
  // tuples, and allocating each made reading it mostly garbage collection.
  const r = new MarshalReader(bytes);
  const functions: CallGraphFunction[] = [];
  const ids = new Map<string, Map<number, Map<string, number>>>();
  const intern = (file: string, line: number, name: string): number => {
    let byLine = ids.get(file);
    if (byLine === undefined) ids.set(file, (byLine = new Map()));
    let byName = byLine.get(line);
    if (byName === undefined) byLine.set(line, (byName = new Map()));
    let id = byName.get(name);
    if (id === undefined) {
      id = functions.length;
      byName.set(name, id);
      functions.push({ file, line, name, cc: 0, nc: 0, tt: 0, ct: 0 });
    }
    return id;
  };
  const keyId = (where: () => string): number => {
    const h = r.tupleHeader();
    if (h) {
      if (h.n !== 3) throw new ProfileParseError(`${where()} is not a (file, line, function) key`);
      const file = str(r.read());
      const line = num(r.read());
      const name = str(r.read());
      r.setRef(h.ref, [file, line, name]);
      return intern(file, line, name);
    }
    const key = r.read();
    if (!isTuple(key) || key.length !== 3) throw new ProfileParseError(`${where()} is not a (file, line, function) key`);
    return intern(str(key[0]), num(key[1]), str(key[2]));
  };
  /** A (cc, nc, tt, ct, …) tuple's first four numbers; the reader is left after them, before any fifth item. */
  const four = (where: () => string): { n: number; v: [number, number, number, number]; rest?: MValue[] } => {
    const h = r.tupleHeader();
    if (h) {
      if (h.n < 4) throw new ProfileParseError(`${where()} is not a (cc, nc, tt, ct, …) tuple`);
      const v: [number, number, number, number] = [num(r.read()), num(r.read()), num(r.read()), num(r.read())];
      r.setRef(h.ref, v);
      return { n: h.n, v };
    }
    const t = r.read();
    if (typeof t === 'number') return { n: 0, v: [t, t, 0, 0] };
    if (!isTuple(t) || t.length < 4) throw new ProfileParseError(`${where()} is not a (cc, nc, tt, ct, …) tuple`);
    return { n: -1, v: [num(t[0]), num(t[1]), num(t[2]), num(t[3])], rest: t.slice(4) };
  };
  const edges: CallEdge[] = [];
  let totalTime = 0;
  if (!r.dictStart()) throw new ProfileParseError('not cProfile/pstats output: the marshal data is not a dict');
  for (let i = 1; !r.dictEnd(); i++) {
    const id = keyId(() => `entry ${i}'s key`);
    const value = four(() => `entry ${i}`);
    const f = functions[id]!;
    [f.cc, f.nc, f.tt, f.ct] = value.v;
    totalTime += f.tt;
    // A caller's tuple is (nc, cc, tt, ct): cProfile's snapshot_stats writes the two counts the other way
    // round from the function's own (cc, nc, …), and pstats reads them so.
    const addEdge = (caller: number, v: [number, number, number, number], countOnly: boolean) =>
      edges.push(countOnly ? { caller, callee: id, cc: v[0], nc: v[0], tt: 0, ct: 0 } : { caller, callee: id, cc: v[1], nc: v[0], tt: v[2], ct: v[3] });
    if (value.n >= 5) {
      if (r.dictStart()) {
        while (!r.dictEnd()) {
          const caller = keyId(() => `a caller of entry ${i}`);
          const e = four(() => `the call from a caller of entry ${i}`);
          addEdge(caller, e.v, e.n === 0);
        }
      } else r.read();
      for (let k = 5; k < value.n; k++) r.read();
    } else if (value.rest?.[0] instanceof MDict) {
      for (const [ck, cv] of value.rest[0].entries) {
        const caller = isTuple(ck) && ck.length === 3 ? intern(str(ck[0]), num(ck[1]), str(ck[2])) : -1;
        if (caller < 0) throw new ProfileParseError(`a caller of entry ${i} is not a (file, line, function) key`);
        addEdge(caller, isTuple(cv) ? [num(cv[0]), num(cv[1]), num(cv[2]), num(cv[3])] : [num(cv), num(cv), 0, 0], !isTuple(cv));
      }
    }
  }
  return { functions, edges, totalTime };
}

/** A frame's name and file as the flame graph shows them: built-ins ("~") have no file. */
function frameOf(f: CallGraphFunction): { name: string; file: string; line: number } {
  return f.file === '~' ? { name: f.name, file: '', line: 0 } : { name: f.name, file: f.file, line: f.line };
}

export interface ApproximationLimits {
  /** Paths carrying less than this share of the total are folded into their caller. */
  minShare?: number;
  maxDepth?: number;
  maxNodes?: number;
}

export const APPROXIMATION_NOTE =
  'Flame graph approximated from the call graph: cProfile keeps time per caller → callee pair, not whole stacks, so each function\'s time is split among its callees in proportion to what each pair measured. The callers/callees table holds the exact figures.';

/**
 * A cProfile/pstats file as a profile: the flame graph is approximated from the call graph (as flameprof
 * and gprof2dot do): starting from functions nobody called, a function reached with time B gives each
 * callee B × ct(caller→callee) / ct(function) and keeps the rest as its own time; a caller → callee pair
 * already on the path (recursion) is not followed again, its time stays with the caller. The exact table
 * rides along in `callGraph`.
 */
export function parsePstats(bytes: Uint8Array, limits: ApproximationLimits = {}): Profile {
  const graph = readCallGraph(bytes);
  const b = new ProfileBuilder();
  const thread = b.thread('cProfile');
  const n = graph.functions.length;
  if (n === 0) throw new ProfileParseError('the profile is empty: no function was recorded');
  const callees: CallEdge[][] = Array.from({ length: n }, () => []);
  // Calls that no recorded caller accounts for (nc minus every caller's nc, recursive ones included) came
  // from outside any profiled frame: the script's own exec, functions running when profiling started.
  // Those make a function a root. Such calls are primitive (nothing profiled is below them), so when they
  // are all of the function's primitive calls its whole cumtime is theirs: `builtins.exec` of the script
  // is the one primitive exec, while importlib's seven calls of exec happen inside it. Otherwise the root
  // keeps what the callers' cumtimes leave.
  const calledNc = new Float64Array(n);
  const calledCt = new Float64Array(n);
  for (const e of graph.edges) {
    callees[e.caller]!.push(e);
    calledNc[e.callee] += e.nc;
    if (e.caller !== e.callee) calledCt[e.callee] += e.ct;
  }
  for (const list of callees) list.sort((x, y) => y.ct - x.ct);
  const frames = graph.functions.map((f) => {
    const { name, file, line } = frameOf(f);
    // Functions are unique by (file, line, name) already: no need for the builder to look them up.
    return b.rawFrame({ name, file, line: line > 0 ? line : 0, kind: file === '' ? 'native' : frameKind(name, file) });
  });
  const total = graph.totalTime;
  const minBudget = total * (limits.minShare ?? 1e-5);
  const maxDepth = limits.maxDepth ?? 256;
  const maxNodes = limits.maxNodes ?? 400_000;
  let nodes = 0;
  let folded = false;
  let placed = 0;
  // An explicit stack: call graphs a few thousand deep would overflow recursion.
  // A caller → callee pair already on the path is not followed again (its time stays with the caller);
  // a function may come back through another pair: `rank` → decorator `wrapper` → `pairwise_diversity`
  // when every decorated function shares the one wrapper.
  const onPath = new Set<CallEdge>();
  type Item = { fn: number; parent: number; budget: number; depth: number; via?: CallEdge; exit?: boolean };
  const work: Item[] = [];
  const rootBudget = (i: number): number => {
    const f = graph.functions[i]!;
    const outside = f.nc - calledNc[i]!;
    if (outside <= 0) return 0;
    return f.cc <= outside ? f.ct : Math.max(0, f.ct - calledCt[i]!);
  };
  const roots = graph.functions.map((_, i) => i).filter((i) => rootBudget(i) > 0);
  roots.sort((x, y) => rootBudget(x) - rootBudget(y));
  for (const r of roots) work.push({ fn: r, parent: -1, budget: rootBudget(r), depth: 0 });
  while (work.length > 0) {
    const it = work.pop()!;
    if (it.exit) {
      if (it.via) onPath.delete(it.via);
      continue;
    }
    const f = graph.functions[it.fn]!;
    const stack = b.stack(it.parent, frames[it.fn]!);
    nodes++;
    const ratio = f.ct > 0 ? it.budget / f.ct : 0;
    let given = 0;
    const children: Item[] = [];
    if (it.depth < maxDepth && nodes < maxNodes) {
      for (const e of callees[it.fn]!) {
        if (e.callee === it.fn || onPath.has(e)) continue;
        const share = e.ct * ratio;
        if (share < minBudget || share <= 0) {
          if (share > 0) folded = true;
          continue;
        }
        children.push({ fn: e.callee, parent: stack, budget: share, depth: it.depth + 1, via: e });
        given += share;
      }
    } else if (callees[it.fn]!.length > 0) folded = true;
    // Callees measured longer than this path's time (recursion counted twice): shrink them to fit.
    const room = Math.max(0, it.budget - f.tt * ratio);
    const scale = given > room && given > 0 ? room / given : 1;
    let childTotal = 0;
    for (const c of children) {
      c.budget *= scale;
      childTotal += c.budget;
    }
    const self = Math.max(0, it.budget - childTotal);
    b.add(thread, stack, self, 0);
    placed += self;
    if (it.via) {
      onPath.add(it.via);
      work.push({ fn: it.fn, parent: -1, budget: 0, depth: it.depth, via: it.via, exit: true });
    }
    for (let k = children.length - 1; k >= 0; k--) work.push(children[k]!);
  }
  const calls = graph.functions.reduce((s, f) => s + f.nc, 0);
  b.add(thread, -1, 0, calls);
  if (folded) b.warn(`paths below ${(limits.minShare ?? 1e-5) * 100}% of the time${nodes >= maxNodes ? ` or past ${maxNodes} nodes` : ''} are folded into their callers in the flame graph; the table is exact`);
  if (total > 0 && Math.abs(placed - total) / total > 0.05) b.warn(`the approximated flame graph covers ${((placed / total) * 100).toFixed(1)}% of the ${total.toFixed(3)} s the functions' own times add up to (calls outside the profiled roots, or recursion)`);
  const profile = b.build('pstats', 'seconds');
  profile.callGraph = graph;
  profile.note = APPROXIMATION_NOTE;
  return profile;
}
