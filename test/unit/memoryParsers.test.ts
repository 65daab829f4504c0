// Property tests for every memory parser: the file sniffer and memray header (with its LZ4 frame), the
// memray and tracemalloc helpers' JSON, memory_profiler's line report, mprof's time series; and the
// analyses over them (suspects, ranges, diffs). Any input gives a capture or a MemoryParseError, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { downsample, formatBytes, formatCount, leakSuspects, rangeValues, summarizeMemory, topLocations } from '../../src/core/memory/analysis';
import { diffMemory } from '../../src/core/memory/diff';
import { attachArgs, detachArgs, explainMemrayFailure, runArgs } from '../../src/core/memory/memray';
import { memrayCapture } from '../../src/core/memory/memrayJson';
import { parseMemoryProfilerReport } from '../../src/core/memory/memoryProfiler';
import { MemoryParseError, type MemoryCapture } from '../../src/core/memory/model';
import { parseMprof } from '../../src/core/memory/mprof';
import { lz4FrameLooksComplete, lz4FramePrefix, memrayReleasesFor, readMemrayHeader, sniffMemoryFile } from '../../src/core/memory/sniff';
import { tracemallocCapture } from '../../src/core/memory/tracemalloc';
import { FIXTURES } from './memoryHelpers';

const HOSTILE = '<img src=x onerror=alert(1)>';

function only<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MemoryParseError) return undefined;
    throw e;
  }
}

// ---------------------------------------------------------------- sniffing and the memray header

/** An LZ4 frame (no checksums) whose one block holds `content` as literals split into sequences with matches. */
function lz4Frame(content: Uint8Array, uncompressed: boolean): Uint8Array {
  const block: number[] = [];
  if (uncompressed) block.push(...content);
  else {
    // One literal-only sequence: token (15 << 4) + length bytes, then the literals.
    const n = content.length;
    block.push(Math.min(n, 15) << 4);
    if (n >= 15) {
      let rest = n - 15;
      while (rest >= 255) {
        block.push(255);
        rest -= 255;
      }
      block.push(rest);
    }
    block.push(...content);
  }
  const size = block.length | (uncompressed ? 0x80000000 : 0);
  return Uint8Array.from([0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0xc0, size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff, ...block, 0, 0, 0, 0]);
}

function header(version: number, pyHex: number, rest: number[] = []): Uint8Array {
  const le = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  return Uint8Array.from([...Buffer.from('memray\0', 'latin1'), ...le(version), ...le(pyHex), ...rest]);
}

test('the memray header: format version and the Python memray was built for, raw and LZ4-framed', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 20 }), fc.uint8Array({ maxLength: 80 }), fc.boolean(), (version, major, minor, rest, uncompressed) => {
      const raw = header(version, (major << 24) | (minor << 16) | 0x07f0, [...rest]);
      const expected = { formatVersion: version, ...(version >= 12 ? { python: `${major}.${minor}` } : {}) };
      assert.deepEqual(readMemrayHeader(raw), expected);
      assert.deepEqual(sniffMemoryFile(raw), { kind: 'memray', compressed: false, header: expected });
      const framed = lz4Frame(raw, uncompressed);
      assert.deepEqual(Array.from(lz4FramePrefix(framed, raw.length)!), Array.from(raw));
      assert.deepEqual(sniffMemoryFile(framed), { kind: 'memray', compressed: true, header: expected });
      assert.equal(lz4FrameLooksComplete(framed, framed.subarray(framed.length - 8)), true);
      assert.equal(lz4FrameLooksComplete(framed, framed.subarray(framed.length - 12, framed.length - 4)), false);
    }),
  );
});

test('LZ4 sequences with overlapping matches decode as LZ4 defines them', () => {
  // "memray\0" then a match of offset 1, length 6 repeating the NUL: memray\0\0\0\0\0\0\0 ...
  const block = [0x76, ...Buffer.from('memray\0', 'latin1'), 0x01, 0x00, 0x10, 0x41];
  const frame = Uint8Array.from([0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0xc0, block.length, 0, 0, 0, ...block, 0, 0, 0, 0]);
  assert.equal(Buffer.from(lz4FramePrefix(frame, 20)!).toString('latin1'), 'memray\0\0\0\0\0\0\0\0\0\0\0A');
});

test('sniffing any bytes never throws, and real files are told apart', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const s = sniffMemoryFile(bytes);
      assert.ok(['memray', 'tracemalloc', 'memory_profiler', 'mprof', 'unknown'].includes(s.kind));
      lz4FramePrefix(Uint8Array.from([0x04, 0x22, 0x4d, 0x18, ...bytes]), 64);
    }),
  );
  assert.deepEqual(sniffMemoryFile(readFileSync(path.join(FIXTURES, 'workload-memray-1.18.bin'))), { kind: 'memray', compressed: true, header: { formatVersion: 11 } });
  assert.equal(sniffMemoryFile(readFileSync(path.join(FIXTURES, 'workload-python3.8.tracemalloc'))).kind, 'tracemalloc');
  assert.equal(sniffMemoryFile(new Uint8Array()).kind, 'unknown');
  assert.equal(sniffMemoryFile(Buffer.from('MEM 1.5 1700000000.1\n')).kind, 'mprof');
  assert.equal(sniffMemoryFile(Buffer.from('Filename: a.py\n\nLine #    Mem usage    Increment  Occurrences   Line Contents\n')).kind, 'memory_profiler');
  assert.match((sniffMemoryFile(Buffer.from('{"profiles": []}')) as { reason: string }).reason, /starts with "\{"profiles/);
  assert.equal(memrayReleasesFor(11), 'memray 1.11 to 1.18');
  assert.equal(memrayReleasesFor(13), 'memray 1.20');
  assert.equal(memrayReleasesFor(99), 'a memray newer than 1.20');
});

// ---------------------------------------------------------------- the helpers' JSON

const helperFrame = fc.tuple(fc.oneof(fc.string(), fc.constant(HOSTILE)), fc.oneof(fc.constantFrom('/app/a.py', 'b.py', '<frozen runpy>', ''), fc.string()), fc.nat(5000));

/** A well-formed answer of python/iwb_memray.py: frames, a stack tree (parents before children), three views, lifetimes. */
const memrayAnswer = fc
  .record({
    frames: fc.array(helperFrame, { minLength: 1, maxLength: 12 }),
    parents: fc.array(fc.nat(), { maxLength: 30 }),
    views: fc.array(fc.array(fc.tuple(fc.nat(), fc.nat(1e9), fc.nat(1e6)), { maxLength: 20 }), { minLength: 3, maxLength: 3 }),
    snapshots: fc.array(fc.tuple(fc.nat(1e6), fc.nat(1e9)), { maxLength: 30 }),
    lifetimes: fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.integer({ min: -1, max: 40 }), fc.nat(100), fc.nat(1e6)), { maxLength: 40 }),
  })
  .map(({ frames, parents, views, snapshots, lifetimes }) => {
    const stackParent = parents.map((p, i) => (i === 0 ? -1 : (p % (i + 1)) - 1));
    const stackFrame = parents.map((p) => p % frames.length);
    const n = stackParent.length;
    const stack = (s: number) => (n === 0 ? -1 : (s % (n + 1)) - 1);
    const view = (v: [number, number, number][]) => ({ stack: v.map((x) => stack(x[0])), bytes: v.map((x) => x[1]), count: v.map((x) => x[2]) });
    const times = snapshots.map((s, i) => 1_700_000_000_000 + i * 10 + (s[0] % 3));
    return {
      format: 1,
      tool: 'memray',
      memray: '1.20.0',
      python: '3.11.7',
      metadata: { startTime: 1_700_000_000_000, endTime: 1_700_000_001_000, pid: 42, command: HOSTILE, peakMemory: 12345, aggregated: false },
      totals: { allocations: 10, bytes: 1000 },
      peak: view(views[0]!),
      leaks: view(views[1]!),
      temporary: view(views[2]!),
      warnings: [],
      snapshots: { time: times, rss: snapshots.map((s) => s[1]), heap: snapshots.map((s) => s[1] / 2) },
      lifetimes: { stack: lifetimes.map((l) => stack(l[0])), allocatedBefore: lifetimes.map((l) => l[1]), deallocatedBefore: lifetimes.map((l) => (l[2] >= 0 && l[2] <= l[1] ? l[1] + 1 : l[2])), count: lifetimes.map((l) => l[3]), bytes: lifetimes.map((l) => l[4]) },
      frames,
      stackParent,
      stackFrame,
    };
  });

test("memray helper answers: a well-formed one reads as a capture whose views keep every byte", () => {
  fc.assert(
    fc.property(memrayAnswer, (answer) => {
      const c = memrayCapture(JSON.parse(JSON.stringify(answer)));
      assert.equal(c.frames.length, answer.frames.length);
      assert.equal(c.command, HOSTILE, 'hostile strings are data');
      const s = summarizeMemory(c, { top: 1000 });
      const sum = (xs: { bytes: number }[]) => xs.reduce((a, x) => a + x.bytes, 0);
      assert.equal(sum(s.leaks), answer.leaks.bytes.reduce((a, b) => a + b, 0));
      assert.equal(sum(s.peak), answer.peak.bytes.reduce((a, b) => a + b, 0));
      // Suspects grow and are ranked by growth; ranges over a partition add up.
      const suspects = leakSuspects(c);
      for (const x of suspects) assert.ok(x.growthPerSecond! > 0 && x.liveBytes > 0);
      for (let i = 1; i < suspects.length; i++) assert.ok(suspects[i - 1]!.growthPerSecond! >= suspects[i]!.growthPerSecond!);
      const total = (r: ReturnType<typeof rangeValues>) => r.allocated.bytes.reduce((a, b) => a + b, 0);
      assert.equal(total(rangeValues(c, -1, 10)) + total(rangeValues(c, 10, 100)), total(rangeValues(c, -1, 100)));
    }),
  );
});

test('memray and tracemalloc helper answers of any shape: a capture or a MemoryParseError', () => {
  const anything = fc.oneof(fc.jsonValue(), memrayAnswer.chain((a) => fc.constantFrom<unknown>({ ...a, stackParent: [5, ...a.stackParent] }, { ...a, frames: [[1, 2, 3]] }, { ...a, peak: { stack: [999], bytes: [1], count: [1] } }, { ...a, format: 2 }, { error: { kind: 'incompatible', message: 'x' } })));
  fc.assert(
    fc.property(anything, (json) => {
      only(() => memrayCapture(json));
      only(() => tracemallocCapture(json));
    }),
  );
  assert.throws(() => memrayCapture({ format: 1, error: { kind: 'not-memray', message: 'does not look like memray' } }), /does not look like memray/);
});

// ---------------------------------------------------------------- memory_profiler

interface GenRow {
  line: number;
  mem?: number;
  inc?: number;
  occ?: number;
  text: string;
}

function report(file: string, blocks: GenRow[][], occurrences: boolean): string {
  const out: string[] = [];
  for (const rows of blocks) {
    out.push(`Filename: ${file}`, '', `Line #    Mem usage    Increment${occurrences ? '  Occurrences' : ''}   Line Contents`, '='.repeat(61));
    for (const r of rows) {
      if (r.mem === undefined) out.push(`${String(r.line).padStart(6)}${' '.repeat(occurrences ? 39 : 27)}${r.text}`);
      else out.push(`${String(r.line).padStart(6)} ${`${r.mem.toFixed(1)} MiB`.padStart(12)} ${`${r.inc!.toFixed(1)} MiB`.padStart(12)}${occurrences ? ` ${String(r.occ).padStart(10)}` : ''}   ${r.text}`);
    }
    out.push('', '');
  }
  return out.join('\n');
}

const rowsArb = fc.array(fc.record({ mem: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }), inc: fc.integer({ min: -300, max: 300 }), occ: fc.integer({ min: 1, max: 50 }), text: fc.oneof(fc.constantFrom('x = [0] * n', 'del x', 'return 1', HOSTILE), fc.string({ maxLength: 20 }).map((s) => s.replace(/\s+/g, ' ').trim() || 'pass')) }), { minLength: 1, maxLength: 15 });

test('memory_profiler reports: rises are either kept or given back; the peak is the highest "Mem usage"', () => {
  fc.assert(
    fc.property(fc.array(rowsArb, { minLength: 1, maxLength: 3 }), fc.boolean(), (blocks, occurrences) => {
      const gen = blocks.map((rows, b) => [
        { line: 10 * b + 1, mem: 50, inc: 50, occ: 1, text: '@profile' },
        { line: 10 * b + 2, text: `def f${b}(n):` },
        ...rows.map((r, i) => ({ line: 100 * (b + 1) + i, ...(r.mem === undefined ? {} : { mem: r.mem / 10, inc: r.inc / 10, occ: r.occ }), text: r.text })),
      ]);
      const text = report('/app/x.py', gen, occurrences);
      const c = only(() => parseMemoryProfilerReport(text));
      if (!c) return;
      const s = summarizeMemory(c, { top: 1000 });
      const sum = (xs: { bytes: number }[]) => xs.reduce((a, x) => a + x.bytes, 0);
      assert.ok(Math.abs(sum(s.peak) - sum(s.leaks) - sum(s.temporary)) < 1e-3 * Math.max(1, sum(s.peak)));
      const mems = gen.flat().filter((r) => r.mem !== undefined).map((r) => Math.round(r.mem! * 10) / 10);
      assert.ok(Math.abs(c.peakBytes - Math.max(...mems) * 2 ** 20) < 1);
      for (const l of s.peak) assert.match(l.function, /^f\d$/);
      // The entry rows (decorator, def) are memory on entry, not allocations.
      assert.ok(!s.peak.some((l) => l.line % 10 === 1 && l.line < 100));
    }),
  );
});

test('memory_profiler: text of any shape, and the empty or headless report, give a clear problem', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => void only(() => parseMemoryProfilerReport(text))));
  assert.throws(() => parseMemoryProfilerReport(''), /empty/);
  assert.throws(() => parseMemoryProfilerReport('Filename: a.py\n\nLine #    Mem usage    Increment  Occurrences   Line Contents\n====\n'), /no measured line/);
  assert.throws(() => parseMemoryProfilerReport('hello\n'), /no memory_profiler table/);
});

// ---------------------------------------------------------------- mprof

test('mprof: MEM samples make the timeline; FUNC calls keep or give back; anything else is reported, never fatal', () => {
  const line = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 1000 })).map(([m, t]) => `MEM ${(m / 10).toFixed(4)} ${1_700_000_000 + t / 10}`),
    fc.tuple(fc.constantFrom('__main__.f', 'app.g', HOSTILE.replace(/\s/g, '')), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 500 })).map(([f, a, t, b, d]) => `FUNC ${f} ${a / 10} ${1_700_000_000 + t / 10} ${b / 10} ${1_700_000_000 + (t + d) / 10} 0`),
    fc.constant('CMDLINE python app.py'),
    fc.string({ maxLength: 30 }),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
      const c = only(() => parseMprof(lines.join('\n')));
      if (!c) return;
      const mems = lines.filter((l) => /^MEM \S+ \S+$/.test(l)).map((l) => Number(l.split(' ')[1]) * 2 ** 20);
      assert.ok(Math.abs(c.peakBytes - Math.max(...mems)) < 1);
      assert.equal(c.timeline!.t.length, mems.length);
      for (let i = 1; i < c.timeline!.t.length; i++) assert.ok(c.timeline!.t[i]! >= c.timeline!.t[i - 1]!);
    }),
  );
  assert.throws(() => parseMprof('nothing here\n'), /not an mprof file/);
});

// ---------------------------------------------------------------- analyses

function capture(views: Partial<Record<'peak' | 'leaks' | 'temporary', [number, number, number][]>>): MemoryCapture {
  const frames = ['a', 'b', 'c', 'd'].map((name, i) => ({ name, file: `/app/${name}.py`, line: i + 1, kind: 'python' as const }));
  const v = (rows?: [number, number, number][]) => (rows ? { stacks: rows.map((r) => r[0] % 4), bytes: rows.map((r) => r[1]), counts: rows.map((r) => r[2]) } : undefined);
  return { format: 'memray', tool: 't', peakBytes: 0, totalAllocations: 0, totalBytes: 0, frames, stackParent: [-1, 0, 0, 1], stackFrame: [0, 1, 2, 3], views: { peak: v(views.peak), leaks: v(views.leaks), temporary: v(views.temporary) }, notes: [], warnings: [] };
}

test('diffs are antisymmetric and keep every location of both captures', () => {
  const rows = fc.array(fc.tuple(fc.nat(3), fc.nat(1e6), fc.nat(100)), { maxLength: 8 });
  fc.assert(
    fc.property(rows, rows, (a, b) => {
      const x = capture({ leaks: a });
      const y = capture({ leaks: b });
      const d1 = diffMemory(x, y).leaks;
      const d2 = diffMemory(y, x).leaks;
      const key = (r: { function: string }) => r.function;
      const m2 = new Map(d2.map((r) => [key(r), r]));
      // + 0: a change of nothing is 0 both ways, never -0 (strict equality tells them apart).
      for (const r of d1) assert.equal(r.deltaBytes, -m2.get(key(r))!.deltaBytes + 0);
      const locs = new Set([...topLocations(x, x.views.leaks), ...topLocations(y, y.views.leaks)].map(key));
      assert.equal(d1.length, locs.size);
      for (let i = 1; i < d1.length; i++) assert.ok(Math.abs(d1[i - 1]!.deltaBytes) >= Math.abs(d1[i]!.deltaBytes));
    }),
  );
});

test('leak suspects from lifetimes: steady growth ranks by rate; a constant buffer and freed churn are not suspects', () => {
  const c = capture({ leaks: [[3, 1, 1]] });
  const S = 50;
  c.timeline = { t: Array.from({ length: S }, (_, i) => i * 100), series: [{ name: 'heap', values: new Array(S).fill(0) }], peakIndex: 0 };
  const l = { stack: [] as number[], allocatedBefore: [] as number[], deallocatedBefore: [] as number[], count: [] as number[], bytes: [] as number[] };
  const add = (stack: number, a: number, d: number, bytes: number) => {
    l.stack.push(stack);
    l.allocatedBefore.push(a);
    l.deallocatedBefore.push(d);
    l.count.push(1);
    l.bytes.push(bytes);
  };
  for (let k = 1; k < S; k++) {
    add(3, k, -1, 1000); // d: 1000 B kept per 100 ms = 10 kB/s
    add(1, k, -1, 100); // b: 1 kB/s
    add(2, k, k + 1, 5000); // c: freed at the next snapshot
  }
  add(0, 1, -1, 1e6); // a: one buffer, kept
  c.lifetimes = l;
  const s = leakSuspects(c);
  assert.deepEqual(s.map((x) => x.function), ['d', 'b']);
  assert.ok(Math.abs(s[0]!.growthPerSecond! - 10_000) < 1, String(s[0]!.growthPerSecond));
  assert.ok(s[0]!.steadiness! > 0.99);
  assert.equal(s[0]!.liveBytes, 1000 * (S - 1));
  assert.ok(s[0]!.series!.length <= 48);
});

test('memray command lines are argument arrays; failures get a specific next step', () => {
  assert.deepEqual(attachArgs(42, '/tmp/out file.bin', { native: true }), ['-m', 'memray', 'attach', '-f', '-o', '/tmp/out file.bin', '--native', '42']);
  assert.deepEqual(detachArgs(42), ['-m', 'memray', 'detach', '42']);
  assert.deepEqual(runArgs('o.bin', 'app.py', ['--x', '; rm -rf /']), ['-m', 'memray', 'run', '-q', '-f', '-o', 'o.bin', 'app.py', '--x', '; rm -rf /']);
  assert.throws(() => attachArgs(0, 'o'));
  const env = { platform: 'linux', inContainer: false, python: '/usr/bin/python3', pid: 7, uid: 1000, targetUid: 1000 };
  assert.equal(explainMemrayFailure('Cannot find a supported lldb or gdb executable and sys.remote_exec is not available.', env)!.kind, 'no-debugger');
  assert.match(explainMemrayFailure('Cannot find a supported lldb or gdb executable', env)!.nextStep, /apt-get install gdb/);
  assert.equal(explainMemrayFailure('Failed to attach a debugger to the process.\nThe given process ID does not exist.', env)!.kind, 'no-process');
  assert.equal(explainMemrayFailure('Failed to attach a debugger to the process.', { ...env, targetAlive: false })!.kind, 'exited');
  assert.equal(explainMemrayFailure('The process does not seem to be running Python 3.7 or newer.', { ...env, targetExecutable: '/usr/bin/python3.12' })!.kind, 'wrong-python');
  assert.match(explainMemrayFailure('Failed to attach a debugger to the process.', { ...env, ptraceScope: 1 })!.message, /ptrace_scope is 1/);
  assert.equal(explainMemrayFailure('Failed to attach a debugger to the process.', { ...env, inContainer: true, hasSysPtrace: false })!.kind, 'container');
  assert.equal(explainMemrayFailure('/usr/bin/python3: No module named memray', env)!.kind, 'no-memray');
  assert.equal(explainMemrayFailure('something else entirely', env), undefined);
});

test('counts read as toLocaleString("en") writes them, without Intl', () => {
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(1000), '1,000');
  assert.equal(formatCount(5_207_004), '5,207,004');
  assert.equal(formatCount(-1234.6), '-1,235');
  fc.assert(
    fc.property(fc.oneof(fc.double({ noNaN: false }), fc.integer(), fc.maxSafeInteger(), fc.constantFrom(-0, 0.5, -0.5, 1e21, -1e21, 999.5, Infinity, -Infinity)), (x) => {
      assert.equal(formatCount(x), Math.round(x).toLocaleString('en'));
    }),
    { numRuns: 2000 },
  );
});

test('bytes read like memray prints them; series keep their spikes when shortened', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(-5 * 2 ** 20), '−5.00 MiB');
  assert.equal(formatBytes(123.4 * 2 ** 30), '123 GiB');
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 300 }), fc.integer({ min: 1, max: 60 }), (xs, n) => {
      const d = downsample(xs, n);
      assert.ok(d.length === Math.min(xs.length, n));
      if (xs.length) assert.equal(Math.max(...d), Math.max(...xs));
    }),
  );
});
