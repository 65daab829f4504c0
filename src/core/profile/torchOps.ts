import { JsonSyntaxError, parseJsonStream } from './jsonStream';
import { ProfileParseError } from './model';

/**
 * CPU versus device time in a torch.profiler Chrome trace (Kineto's `export_chrome_trace`), the figures
 * `prof.key_averages().table()` prints, plus what the trace adds: kernels per stream, device idle time,
 * copies and the ops behind the longest kernels.
 *
 * Events read (Kineto output, checked against the traces published as Holistic Trace Analysis' test data):
 * `ph:"X"` with `cat` `cpu_op` and `user_annotation` (ops and record_function ranges), `cuda_runtime` /
 * `cuda_driver` (launches, syncs, mallocs: CPU time too, rows of their own as in key_averages), and on the
 * device side `kernel`, `gpu_memcpy`, `gpu_memset` with `args.device`, `args.stream`, `args.correlation`
 * (equal to the launching runtime call's `args.correlation`) and for copies `args.bytes`.
 *
 * - Self CPU of an event: its duration less the durations of the events directly nested in it on the same
 *   thread. CPU total: its duration. Rows add up per name, so `cpuTotalUs` counts an op nested in an op of
 *   the same name twice, as key_averages does; the trace's `cpuTotalUs` is the sum of self CPU (the
 *   table's "Self CPU time total").
 * - A device event belongs to the innermost op around the runtime call that launched it (by correlation;
 *   by `External id` when the trace has no runtime events): self device time there, device total there
 *   and in every op around it.
 * - Device idle (as Holistic Trace Analysis' temporal breakdown): per device, the time between its first
 *   and last device event when no kernel, copy or memset runs on any stream; the share is summed over
 *   devices.
 */

export interface OpRow {
  name: string;
  calls: number;
  selfCpuUs: number;
  cpuTotalUs: number;
  selfDeviceUs: number;
  deviceTotalUs: number;
}

export interface KernelRow {
  name: string;
  calls: number;
  totalUs: number;
}

export interface CopyRow {
  /** HtoD, DtoH, DtoD, HtoH, Memset, or the event's name when it says none of those. */
  kind: string;
  calls: number;
  totalUs: number;
  bytes: number;
}

export interface LongKernel {
  name: string;
  durUs: number;
  device: number;
  stream: number;
  /** Microseconds from the first event of the trace. */
  startUs: number;
  /** The op around the launch, innermost first, as far as the trace says. */
  ops: string[];
}

export interface StreamLane {
  device: number;
  stream: number;
  busyUs: number;
  events: number;
}

/** Device events of one stream for the timeline: starts (µs from the trace's start), durations, kinds, names. */
export interface StreamEvents {
  device: number;
  stream: number;
  start: Float64Array;
  dur: Float64Array;
  /** 0 kernel, 1 memcpy, 2 memset. */
  kind: Uint8Array;
  /** Index into TorchOps.names. */
  name: Int32Array;
}

export interface TorchOps {
  cpuTotalUs: number;
  deviceTotalUs: number;
  /** null when the trace has no device events. */
  deviceIdlePct: number | null;
  ops: OpRow[];
  kernels: KernelRow[];
  copies: CopyRow[];
  longest: LongKernel[];
  streams: StreamLane[];
  /** The span the timeline covers, µs. */
  windowUs: number;
  deviceWindowUs: number;
  deviceIdleUs: number;
  timeline: StreamEvents[];
  /** Kernel and copy names the timeline refers to. */
  names: string[];
  warnings: string[];
}

const CPU_CATS = new Set(['cpu_op', 'user_annotation', 'cuda_runtime', 'cuda_driver']);
const DEVICE_CATS = new Map([['kernel', 0], ['gpu_memcpy', 1], ['gpu_memset', 2]]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const round = (x: number): number => Math.round(x * 1000) / 1000;

interface CpuEvent {
  name: number;
  ts: number;
  dur: number;
  runtime: boolean;
  correlation: number;
  external: number;
}

interface DeviceEvent {
  name: number;
  kind: number;
  ts: number;
  dur: number;
  device: number;
  stream: number;
  correlation: number;
  external: number;
  bytes: number;
}

/** The timeline keeps at most this many device events (the longest ones when there are more). */
export const MAX_TIMELINE_EVENTS = 200_000;

export async function analyzeTorchTrace(chunks: AsyncIterable<string>, options: { longest?: number } = {}): Promise<TorchOps> {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const nameId = (s: string): number => {
    let id = nameIds.get(s);
    if (id === undefined) {
      id = names.length;
      names.push(s);
      nameIds.set(s, id);
    }
    return id;
  };
  const threads = new Map<string, CpuEvent[]>();
  const device: DeviceEvent[] = [];
  let events = 0;
  let torchLike = false;
  let minTs = Infinity;
  let maxTs = -Infinity;
  const onEvent = (e: unknown): void => {
    if (!isObject(e) || e.ph !== 'X') return;
    events++;
    const cat = typeof e.cat === 'string' ? e.cat : '';
    const ts = num(e.ts);
    const dur = Math.max(0, num(e.dur) ?? 0);
    if (ts === undefined) return;
    const args = isObject(e.args) ? e.args : {};
    const name = nameId(typeof e.name === 'string' ? e.name : String(e.name ?? ''));
    if (CPU_CATS.has(cat)) {
      torchLike = true;
      const key = `${String(e.pid)}\u0000${String(e.tid)}`;
      let list = threads.get(key);
      if (!list) threads.set(key, (list = []));
      list.push({ name, ts, dur, runtime: cat === 'cuda_runtime' || cat === 'cuda_driver', correlation: num(args.correlation) ?? -1, external: num(args['External id']) ?? -1 });
    } else {
      const kind = DEVICE_CATS.get(cat);
      if (kind === undefined) return;
      torchLike = true;
      device.push({ name, kind, ts, dur, device: num(args.device) ?? num(e.pid) ?? 0, stream: num(args.stream) ?? num(e.tid) ?? 0, correlation: num(args.correlation) ?? -1, external: num(args['External id']) ?? -1, bytes: num(args.bytes) ?? 0 });
    }
    if (ts < minTs) minTs = ts;
    if (ts + dur > maxTs) maxTs = ts + dur;
  };
  const warnings: string[] = [];
  try {
    const r = await parseJsonStream(chunks, {
      streamArray: (path) => path.length === 0 || (path.length === 1 && path[0] === 'traceEvents'),
      onElement: (_path, value) => onEvent(value),
    });
    if (!r.complete) warnings.push(`the trace is cut off (truncated file?); the ${events} complete events were read`);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    if (events === 0) throw new ProfileParseError(e.message);
    warnings.push(`only the part before the error was read: ${e.message}`);
  }
  if (!torchLike) throw new ProfileParseError('not a torch.profiler trace: no cpu_op, cuda_runtime or kernel events');

  // ---- CPU: nest per thread, self time, and which op each runtime call sits in.
  type Acc = { calls: number; self: number; total: number; selfDev: number; devTotal: number };
  const rows = new Map<number, Acc>();
  const row = (name: number): Acc => {
    let a = rows.get(name);
    if (!a) rows.set(name, (a = { calls: 0, self: 0, total: 0, selfDev: 0, devTotal: 0 }));
    return a;
  };
  /** Correlation → the ops around the launch, innermost first (as names), and their event indices. */
  const launchedBy = new Map<number, { names: number[] }>();
  const byExternal = new Map<number, number>();
  let cpuTotal = 0;
  for (const list of threads.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const self = list.map((e) => e.dur);
    const open: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      while (open.length > 0 && list[open[open.length - 1]!]!.ts + list[open[open.length - 1]!]!.dur <= e.ts) open.pop();
      const parent = open.length > 0 ? open[open.length - 1]! : -1;
      if (parent >= 0) self[parent] = self[parent]! - Math.min(e.dur, list[parent]!.ts + list[parent]!.dur - e.ts);
      if (e.runtime && e.correlation >= 0) {
        const around: number[] = [];
        for (let k = open.length - 1; k >= 0; k--) if (!list[open[k]!]!.runtime) around.push(list[open[k]!]!.name);
        launchedBy.set(e.correlation, { names: around });
      }
      if (!e.runtime && e.external >= 0 && !byExternal.has(e.external)) byExternal.set(e.external, e.name);
      open.push(i);
    }
    list.forEach((e, i) => {
      const a = row(e.name);
      a.calls++;
      a.total += e.dur;
      const s = Math.max(0, self[i]!);
      a.self += s;
      cpuTotal += s;
    });
  }

  // ---- Device: attribute each event to the ops around its launch; kernels, copies, streams, idle.
  const kernels = new Map<number, KernelRow>();
  const copies = new Map<string, CopyRow>();
  let deviceTotal = 0;
  let unattributed = 0;
  const ownerOf = (d: DeviceEvent): number[] => {
    const l = d.correlation >= 0 ? launchedBy.get(d.correlation) : undefined;
    if (l) return l.names;
    const op = d.external >= 0 ? byExternal.get(d.external) : undefined;
    return op !== undefined ? [op] : [];
  };
  const owners: number[][] = device.map((d) => {
    deviceTotal += d.dur;
    const around = ownerOf(d);
    if (around.length === 0) unattributed++;
    around.forEach((name, k) => {
      const a = row(name);
      if (k === 0) a.selfDev += d.dur;
      a.devTotal += d.dur;
    });
    if (d.kind === 0) {
      const k = kernels.get(d.name) ?? { name: names[d.name]!, calls: 0, totalUs: 0 };
      k.calls++;
      k.totalUs += d.dur;
      kernels.set(d.name, k);
    } else {
      const label = names[d.name]!;
      const kind = d.kind === 2 ? 'Memset' : (/\b(HtoD|DtoH|DtoD|HtoH|PtoP)\b/.exec(label)?.[1] ?? label);
      const c = copies.get(kind) ?? { kind, calls: 0, totalUs: 0, bytes: 0 };
      c.calls++;
      c.totalUs += d.dur;
      c.bytes += d.bytes;
      copies.set(kind, c);
    }
    return around;
  });
  if (device.length > 0 && unattributed > 0) warnings.push(`${unattributed} of ${device.length} device events have no launching op in the trace (their runtime call was not recorded); they count in the totals and the kernel table only`);

  // Idle per device: union of busy intervals over all its streams.
  const perDevice = new Map<number, DeviceEvent[]>();
  for (const d of device) (perDevice.get(d.device) ?? perDevice.set(d.device, []).get(d.device)!).push(d);
  let windowSum = 0;
  let idleSum = 0;
  for (const list of perDevice.values()) {
    list.sort((a, b) => a.ts - b.ts);
    const start = list[0]!.ts;
    let end = -Infinity;
    let busy = 0;
    let curStart = NaN;
    let curEnd = -Infinity;
    for (const d of list) {
      end = Math.max(end, d.ts + d.dur);
      if (d.ts > curEnd) {
        if (curEnd > -Infinity) busy += curEnd - curStart;
        curStart = d.ts;
        curEnd = d.ts + d.dur;
      } else curEnd = Math.max(curEnd, d.ts + d.dur);
    }
    busy += curEnd - curStart;
    windowSum += end - start;
    idleSum += Math.max(0, end - start - busy);
  }

  // Streams and the timeline (the longest events when there are too many to draw).
  const lanes = new Map<string, { device: number; stream: number; idx: number[]; busy: number }>();
  device.forEach((d, i) => {
    const key = `${d.device}:${d.stream}`;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { device: d.device, stream: d.stream, idx: [], busy: 0 }));
    lane.idx.push(i);
    lane.busy += d.dur;
  });
  let keep: Uint8Array | undefined;
  if (device.length > MAX_TIMELINE_EVENTS) {
    const order = device.map((_, i) => i).sort((a, b) => device[b]!.dur - device[a]!.dur);
    keep = new Uint8Array(device.length);
    for (let k = 0; k < MAX_TIMELINE_EVENTS; k++) keep[order[k]!] = 1;
    warnings.push(`the timeline shows the ${MAX_TIMELINE_EVENTS.toLocaleString('en')} longest of ${device.length.toLocaleString('en')} device events`);
  }
  const origin = Number.isFinite(minTs) ? minTs : 0;
  const sortedLanes = [...lanes.values()].sort((a, b) => a.device - b.device || a.stream - b.stream);
  const timeline: StreamEvents[] = sortedLanes.map((lane) => {
    const idx = keep ? lane.idx.filter((i) => keep![i]) : lane.idx;
    idx.sort((a, b) => device[a]!.ts - device[b]!.ts);
    return {
      device: lane.device,
      stream: lane.stream,
      start: Float64Array.from(idx, (i) => device[i]!.ts - origin),
      dur: Float64Array.from(idx, (i) => device[i]!.dur),
      kind: Uint8Array.from(idx, (i) => device[i]!.kind),
      name: Int32Array.from(idx, (i) => device[i]!.name),
    };
  });

  const longestCount = options.longest ?? 10;
  const longest = device
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.kind === 0)
    .sort((a, b) => b.d.dur - a.d.dur)
    .slice(0, longestCount)
    .map(({ d, i }) => ({ name: names[d.name]!, durUs: round(d.dur), device: d.device, stream: d.stream, startUs: round(d.ts - origin), ops: owners[i]!.map((n) => names[n]!) }));

  const ops: OpRow[] = [...rows.entries()].map(([name, a]) => ({ name: names[name]!, calls: a.calls, selfCpuUs: round(a.self), cpuTotalUs: round(a.total), selfDeviceUs: round(a.selfDev), deviceTotalUs: round(a.devTotal) }));
  const hasDevice = device.length > 0;
  ops.sort((x, y) => (hasDevice ? y.deviceTotalUs - x.deviceTotalUs : 0) || y.cpuTotalUs - x.cpuTotalUs || x.name.localeCompare(y.name));
  return {
    cpuTotalUs: round(cpuTotal),
    deviceTotalUs: round(deviceTotal),
    deviceIdlePct: hasDevice && windowSum > 0 ? Math.round((idleSum / windowSum) * 1e4) / 100 : null,
    ops,
    kernels: [...kernels.values()].map((k) => ({ ...k, totalUs: round(k.totalUs) })).sort((a, b) => b.totalUs - a.totalUs || a.name.localeCompare(b.name)),
    copies: [...copies.values()].map((c) => ({ ...c, totalUs: round(c.totalUs) })).sort((a, b) => b.totalUs - a.totalUs),
    longest,
    streams: sortedLanes.map((l) => ({ device: l.device, stream: l.stream, busyUs: round(l.busy), events: l.idx.length })),
    windowUs: Number.isFinite(maxTs - minTs) ? round(maxTs - minTs) : 0,
    deviceWindowUs: round(windowSum),
    deviceIdleUs: round(idleSum),
    timeline,
    names,
    warnings,
  };
}

export type OpSortKey = 'self-cpu' | 'cpu' | 'self-device' | 'device' | 'calls' | 'name';
export const OP_SORT_KEYS: readonly OpSortKey[] = ['self-cpu', 'cpu', 'self-device', 'device', 'calls', 'name'];

export function sortOps(ops: readonly OpRow[], key: OpSortKey): OpRow[] {
  const by: Record<OpSortKey, (a: OpRow, b: OpRow) => number> = {
    'self-cpu': (a, b) => b.selfCpuUs - a.selfCpuUs,
    cpu: (a, b) => b.cpuTotalUs - a.cpuTotalUs,
    'self-device': (a, b) => b.selfDeviceUs - a.selfDeviceUs,
    device: (a, b) => b.deviceTotalUs - a.deviceTotalUs,
    calls: (a, b) => b.calls - a.calls,
    name: (a, b) => a.name.localeCompare(b.name),
  };
  return [...ops].sort((a, b) => by[key](a, b) || a.name.localeCompare(b.name));
}

/** The `iwb profile ops --json` document (issue #13's contract, field for field). */
export function opsReport(t: TorchOps, ops: readonly OpRow[] = t.ops, kernels: readonly KernelRow[] = t.kernels) {
  return {
    cpuTotalUs: t.cpuTotalUs,
    deviceTotalUs: t.deviceTotalUs,
    deviceIdlePct: t.deviceIdlePct,
    ops: ops.map((o) => ({ name: o.name, calls: o.calls, selfCpuUs: o.selfCpuUs, cpuTotalUs: o.cpuTotalUs, selfDeviceUs: o.selfDeviceUs, deviceTotalUs: o.deviceTotalUs })),
    kernels: kernels.map((k) => ({ name: k.name, calls: k.calls, totalUs: k.totalUs })),
  };
}
