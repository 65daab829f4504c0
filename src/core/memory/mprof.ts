/**
 * mprof's time series (`mprof run` writes mprofile_<time>.dat), as memory_profiler 0.61's mprof writes it:
 *
 *     CMDLINE python app.py
 *     MEM 50.351562 1796520918.2472          memory of the process in MiB, at a Unix time
 *     FUNC __main__.work 50.35 1796520918.24 72.99 1796520918.57 0
 *                                            a call of a @profile function (`mprof run --python`):
 *                                            memory and time at entry and at return, nesting level
 *     CHLD 4242 12.5 1796520918.2472         a child process (`--include-children`)
 *
 * The timeline is the process memory (and its children's, summed per sampling time). Per call of a
 * profiled function: the rise is the highest memory during the call minus the memory at entry; what it
 * kept (memory at return minus at entry) goes to leaks, the rest of the rise to temporary, and the calls
 * running at the high-water mark to peak, by how much memory rose during them up to it.
 */
import { MemoryParseError, MemoryTables, addToStack, emptyValues, type MemoryCapture, type StackValues } from './model';

const MIB = 2 ** 20;

interface MprofCall {
  function: string;
  startBytes: number;
  start: number;
  endBytes: number;
  end: number;
}

export function parseMprof(text: string): MemoryCapture {
  if (text.trim() === '') throw new MemoryParseError('the file is empty');
  const mem: [number, number][] = [];
  const children = new Map<number, number>();
  const calls: MprofCall[] = [];
  const warnings: string[] = [];
  let command: string | undefined;
  let bad = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const parts = line.split(/\s+/);
    const num = (k: number) => Number(parts[k]);
    const ok = (...ks: number[]) => ks.every((k) => parts[k] !== undefined && Number.isFinite(num(k)));
    switch (parts[0]) {
      case 'CMDLINE':
        command = line.slice('CMDLINE'.length).trim();
        return;
      case 'MEM':
        if (ok(1, 2) && num(1) >= 0) {
          mem.push([num(2), num(1) * MIB]);
          return;
        }
        break;
      case 'CHLD':
        if (ok(1, 2, 3) && num(2) >= 0) {
          children.set(num(3), (children.get(num(3)) ?? 0) + num(2) * MIB);
          return;
        }
        break;
      case 'FUNC':
        if (parts[1] && ok(2, 3, 4, 5)) {
          calls.push({ function: parts[1], startBytes: num(2) * MIB, start: num(3), endBytes: num(4) * MIB, end: num(5) });
          return;
        }
        break;
    }
    if (++bad <= 3) warnings.push(`line ${i + 1} is not an mprof record: "${raw.slice(0, 60)}"`);
  });
  if (bad > 3) warnings.push(`… ${bad - 3} more lines that are not mprof records`);
  if (mem.length === 0) throw new MemoryParseError(bad > 0 && bad === lines.filter((l) => l.trim() !== '').length ? 'not an mprof file: no line is a CMDLINE, MEM, FUNC or CHLD record' : 'no MEM samples in it');
  mem.sort((a, b) => a[0] - b[0]);
  const t0 = mem[0]![0];
  const t = mem.map(([time]) => (time - t0) * 1000);
  const own = mem.map(([, bytes]) => bytes);
  const series = [{ name: 'memory (RSS)', values: own }];
  let total = own;
  if (children.size > 0) {
    const kids = mem.map(([time]) => children.get(time) ?? 0);
    series.push({ name: 'children', values: kids });
    total = own.map((v, i) => v + kids[i]!);
    series.push({ name: 'with children', values: total });
  }
  let peakIndex = 0;
  for (let i = 1; i < total.length; i++) if (total[i]! > total[peakIndex]!) peakIndex = i;
  const peakTime = mem[peakIndex]![0];
  const tables = new MemoryTables();
  const peak: StackValues = emptyValues();
  const leaks: StackValues = emptyValues();
  const temporary: StackValues = emptyValues();
  const highest = (from: number, to: number, floor: number) => {
    let best = floor;
    for (const [time, bytes] of mem) if (time >= from && time <= to && bytes > best) best = bytes;
    return best;
  };
  for (const c of calls) {
    const stack = tables.stack([tables.frame(c.function, '', 0, 'python')]);
    const top = highest(c.start, c.end, Math.max(c.startBytes, c.endBytes));
    const kept = Math.max(0, c.endBytes - c.startBytes);
    const rise = Math.max(0, top - c.startBytes);
    if (kept > 0) addToStack(leaks, stack, kept, 1);
    if (rise - kept > 0) addToStack(temporary, stack, rise - kept, 1);
    if (c.start <= peakTime && peakTime <= c.end) addToStack(peak, stack, Math.max(0, total[peakIndex]! - c.startBytes), 1);
  }
  const hasCalls = calls.length > 0;
  return {
    format: 'mprof',
    tool: '',
    ...(t.length > 1 ? { durationMs: t[t.length - 1]! } : {}),
    startTime: t0 * 1000,
    ...(command ? { command } : {}),
    peakBytes: total[peakIndex]!,
    totalAllocations: 0,
    totalBytes: 0,
    frames: tables.frames,
    stackParent: tables.stackParent,
    stackFrame: tables.stackFrame,
    views: hasCalls ? { peak, leaks, temporary } : { peak: undefined, leaks: undefined, temporary: undefined },
    timeline: { t, series, peakIndex },
    notes: hasCalls
      ? ['mprof samples the process memory over time. Per call of a @profile function: peak is how much memory rose during the calls running at the high-water mark, leaks what a call kept, temporary what it gave back before returning. It does not count allocations.']
      : ['mprof samples the process memory over time only; record with `mprof run --python` and @profile on functions to see which calls kept memory.'],
    warnings,
  };
}
