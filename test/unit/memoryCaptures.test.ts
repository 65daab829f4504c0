// Memory captures made at test time by the real tools from small workloads whose lines are known: memray
// (read through memray itself), a tracemalloc snapshot, memory_profiler's line report, mprof's time series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leakSuspects, memoryAsProfile, rangeValues, summarizeMemory, topLocations, viewThread } from '../../src/core/memory/analysis';
import { diffMemory } from '../../src/core/memory/diff';
import type { MemoryCapture } from '../../src/core/memory/model';
import { lineHeat } from '../../src/core/profile/summary';
import { findMemrayPython, readMemoryFile } from '../../src/node/memoryReader';
import { HELPERS, PROFILED, PYTHON, WORKLOAD, markerLine, memoryProfilerReport, memrayCapture, mprofData, tracemallocSnapshot } from './memoryHelpers';

const LEAK = markerLine(WORKLOAD, 'LEAK');
const PEAK = markerLine(WORKLOAD, 'PEAK');
const CHURN = markerLine(WORKLOAD, 'CHURN');
const KEEP = markerLine(PROFILED, 'KEEP');
const SCRATCH = markerLine(PROFILED, 'SCRATCH');

const reads = new Map<string, Promise<MemoryCapture>>();
/** Each capture is read once (with its timeline) and shared: the tests only look at it. */
function read(file: string): Promise<MemoryCapture> {
  let r = reads.get(file);
  if (!r) {
    r = readMemoryFile(file, { pythons: [PYTHON], helperDir: HELPERS, time: true }).then((x) => {
      assert.ok('capture' in x, 'error' in x ? x.error : '');
      return x.capture;
    });
    reads.set(file, r);
  }
  return r;
}

const at = (file: string, line: number) => (s: { file: string; line: number }) => s.file === file && s.line === line;

test('memray: found next to the configured Python, with its version', async () => {
  const found = await findMemrayPython(['/nonexistent/python', PYTHON]);
  assert.ok(found, 'a Python with memray');
  assert.equal(found.python, PYTHON);
  assert.match(found.memray, /^\d+\.\d+/);
});

test('memray capture: the leak, the peak and the churn each top their view, on their lines', async () => {
  const c = await read(memrayCapture());
  assert.equal(c.format, 'memray');
  assert.match(c.tool, /^read with memray \d+\.\d+\.\d+ \(Python 3\./);
  const s = summarizeMemory(c, { top: 5 });
  assert.ok(s.peak.length > 0 && s.leaks.length > 0 && s.temporary.length > 0);
  // 300 iterations: one 4 KiB buffer kept each, 20 × 64 KiB freed at once each, 40 × 100 KiB held once.
  assert.ok(at(WORKLOAD, LEAK)(s.leaks[0]!), JSON.stringify(s.leaks[0]));
  assert.ok(s.leaks[0]!.allocations >= 300 && s.leaks[0]!.bytes >= 300 * 4096, JSON.stringify(s.leaks[0]));
  assert.ok(at(WORKLOAD, PEAK)(s.peak[0]!), JSON.stringify(s.peak[0]));
  assert.ok(s.peak[0]!.bytes >= 40 * 100 * 1024);
  assert.ok(at(WORKLOAD, CHURN)(s.temporary[0]!), JSON.stringify(s.temporary[0]));
  assert.equal(s.temporary[0]!.allocations, 300 * 20);
  assert.ok(s.peakBytes >= 40 * 100 * 1024 && s.peakBytes < 64 * 2 ** 20, String(s.peakBytes));
  assert.ok(s.totalAllocations >= 300 * 21 + 40);
  assert.ok(s.totalBytes >= 300 * 20 * 65536);
  for (const view of [s.peak, s.leaks, s.temporary]) for (let i = 1; i < view.length; i++) assert.ok(view[i - 1]!.bytes >= view[i]!.bytes);
});

test('memray capture: memory over time with the high-water mark, and the leaking line as the top suspect', async () => {
  const c = await read(memrayCapture());
  const tl = c.timeline!;
  assert.ok(tl.t.length >= 20, `snapshots: ${tl.t.length}`);
  assert.deepEqual(tl.series.map((x) => x.name), ['heap (tracked by memray)', 'RSS']);
  const heap = tl.series[0]!.values;
  assert.equal(heap[tl.peakIndex], Math.max(...heap));
  const suspects = leakSuspects(c);
  assert.ok(suspects.length >= 1);
  assert.ok(at(WORKLOAD, LEAK)(suspects[0]!), JSON.stringify(suspects.slice(0, 3).map((x) => [x.function, x.line])));
  // ~300 × 4 KiB over about a second.
  assert.ok(suspects[0]!.growthPerSecond! > 100_000, String(suspects[0]!.growthPerSecond));
  assert.ok(suspects[0]!.steadiness! > 0.8);
  // The churn and the batch are freed: never suspects.
  assert.ok(!suspects.some(at(WORKLOAD, CHURN)) && !suspects.some(at(WORKLOAD, PEAK)));
});

test('memray capture: the second half of the run allocated (and kept) the leak, not the batch', async () => {
  const c = await read(memrayCapture());
  const n = c.timeline!.t.length;
  const late = rangeValues(c, Math.floor((n * 3) / 4), n);
  const tops = topLocations(c, late.allocated);
  assert.ok(at(WORKLOAD, LEAK)(tops[0]!), JSON.stringify(tops[0]));
  assert.ok(!tops.some(at(WORKLOAD, PEAK)), 'the batch was built half-way');
  const kept = topLocations(c, late.live);
  assert.ok(at(WORKLOAD, LEAK)(kept[0]!));
  // Ranges add up: the whole run is the sum of its two halves.
  const all = topLocations(c, rangeValues(c, -1, n).allocated).reduce((a, x) => a + x.bytes, 0);
  const halves = [rangeValues(c, -1, n / 2), rangeValues(c, n / 2, n)].map((r) => topLocations(c, r.allocated).reduce((a, x) => a + x.bytes, 0));
  assert.equal(halves[0]! + halves[1]!, all);
});

test('memray capture as a profile: one thread per view and measure; line heat of the leaks is on the leaking line', async () => {
  const c = await read(memrayCapture());
  const p = memoryAsProfile(c);
  assert.equal(p.threads.length, 6);
  const heat = lineHeat(p, [viewThread('leaks', 'bytes')]).get(WORKLOAD)!;
  const hottest = [...heat].sort((a, b) => b[1].self - a[1].self)[0]!;
  assert.equal(hottest[0], LEAK);
  const churn = lineHeat(p, [viewThread('temporary', 'allocations')]).get(WORKLOAD)!;
  assert.equal([...churn].sort((a, b) => b[1].self - a[1].self)[0]![0], CHURN);
});

test('memray diff: the bounded cache removes most of the leak; the churn does not move', async () => {
  const [before, after] = await Promise.all([read(memrayCapture()), read(memrayCapture(true))]);
  const d = diffMemory(before, after);
  const leak = d.leaks.find(at(WORKLOAD, LEAK))!;
  assert.ok(leak.deltaBytes < -250 * 4096, JSON.stringify(leak));
  assert.equal(d.leaks[0], leak, 'the biggest change');
  const churn = d.temporary.find(at(WORKLOAD, CHURN))!;
  assert.equal(churn.beforeAllocations, churn.afterAllocations);
  assert.equal(churn.deltaBytes, 0);
});

test('tracemalloc snapshot: what was live, by line, with function names from the source', async () => {
  const c = await read(tracemallocSnapshot());
  assert.equal(c.format, 'tracemalloc');
  assert.equal(c.views.temporary, undefined);
  const s = summarizeMemory(c);
  assert.ok(at(WORKLOAD, LEAK)(s.leaks[0]!), JSON.stringify(s.leaks[0]));
  assert.equal(s.leaks[0]!.function, 'remember');
  assert.ok(s.leaks[0]!.allocations >= 200);
  assert.deepEqual(s.temporary, []);
  // The snapshot's tracebacks carry the callers: step calls remember.
  const leafStack = c.views.leaks!.stacks[c.views.leaks!.bytes.indexOf(Math.max(...c.views.leaks!.bytes))]!;
  assert.equal(c.frames[c.stackFrame[c.stackParent[leafStack]!]!]!.name, 'step');
  const d = diffMemory(c, await read(tracemallocSnapshot(true)));
  assert.ok(d.leaks.find(at(WORKLOAD, LEAK))!.deltaBytes < 0);
});

test('memory_profiler line report: the scratch buffer is the peak and temporary, the kept buffers leak', async () => {
  const c = await read(memoryProfilerReport());
  assert.equal(c.format, 'memory_profiler');
  const s = summarizeMemory(c);
  assert.ok(at(PROFILED, SCRATCH)(s.peak[0]!), JSON.stringify(s.peak));
  assert.equal(s.peak[0]!.function, 'handle');
  assert.ok(s.temporary.some(at(PROFILED, SCRATCH)), JSON.stringify(s.temporary));
  assert.ok(s.leaks.some(at(PROFILED, KEEP)), JSON.stringify(s.leaks));
  assert.ok(s.peakBytes > 24 * 2 ** 20);
  // Every rise is either kept or given back.
  const sum = (xs: { bytes: number }[]) => xs.reduce((a, x) => a + x.bytes, 0);
  assert.ok(Math.abs(sum(s.peak) - sum(s.leaks) - sum(s.temporary)) < 1);
});

test('mprof time series: memory over time, and the profiled function keeps memory call after call', async () => {
  const c = await read(mprofData());
  assert.equal(c.format, 'mprof');
  assert.ok(c.timeline!.t.length >= 5);
  assert.equal(c.peakBytes, Math.max(...c.timeline!.series[0]!.values));
  const s = summarizeMemory(c);
  assert.equal(s.leaks[0]!.function, '__main__.handle');
  assert.equal(s.leaks[0]!.allocations, 3, 'three calls');
  assert.ok(s.leaks[0]!.bytes >= 3 * 2 * (2 << 20) * 0.9, String(s.leaks[0]!.bytes));
  const suspects = leakSuspects(c);
  assert.equal(suspects[0]!.function, '__main__.handle');
  assert.ok(suspects[0]!.growthPerSecond! > 0);
});
