import { JsonSyntaxError, parseJsonStream, type JsonPath } from './jsonStream';
import { NO_PYTHON_FRAME, isPyinstrumentJson, isPyinstrumentSession, isScaleneJson, parsePyinstrumentJson, parsePyinstrumentSession, parseScaleneJson } from './pythonProfilers';
import { MAX_FRAMES, ProfileBuilder, ProfileParseError, frameKind, type FrameKind, type Profile, type ProfileFormat, type WeightUnit } from './model';

/**
 * The JSON profile formats, read in one streaming pass because which one a file is shows only as its keys
 * arrive:
 * - speedscope (jlfwong/speedscope src/lib/file-format-spec.ts): `shared.frames`, `profiles[]` of type
 *   `sampled` (samples = frame-index stacks root first, weights) or `evented` (O/C events with `at`).
 *   py-spy writes one sampled profile per thread (src/speedscope.rs), profiles before the frame table.
 * - Chrome Trace Event Format: a bare array (py-spy `chrometrace`: `B`/`E` pairs per sample with
 *   args.filename/line) or `{traceEvents: [...]}` (torch.profiler `export_chrome_trace`: `X` complete
 *   events with `dur`, python_function names like `path/file.py(123): name`).
 */

class Growable<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}
const f64 = () => new Growable(new Float64Array(1024), (n) => new Float64Array(n));
const i32 = () => new Growable(new Int32Array(1024), (n) => new Int32Array(n));

interface SpeedscopeProfileState {
  thread: number;
  stacks: Growable<Int32Array>;
  weights: Growable<Float64Array>;
  // evented
  cur: number;
  openFrames: number[];
  lastAt: number;
  events: number;
}

interface XEvents {
  ts: Growable<Float64Array>;
  dur: Growable<Float64Array>;
  frame: Growable<Int32Array>;
}

interface TraceThread {
  pid: unknown;
  tid: unknown;
  thread: number;
  cur: number;
  lastTs: number;
  x?: XEvents;
  /** Device-side events (kernels, copies) seen on this pid/tid: a GPU stream, not a CPU thread. */
  deviceEvents: number;
  device?: number;
  stream?: number;
}

const DEVICE_CATEGORIES = new Set(['kernel', 'gpu_memcpy', 'gpu_memset', 'gpu_user_annotation', 'cuda_sync']);

const TORCH_CATEGORIES = new Set(['cpu_op', 'python_function', 'kernel', 'gpu_memcpy', 'gpu_memset', 'cuda_runtime', 'cuda_driver', 'user_annotation', 'gpu_user_annotation', 'cpu_instant_event', 'fwdbwd', 'ac2g', 'Trace', 'python_function_call']);
const TORCH_PY_FUNCTION = /^(.*)\((\d+)\): (.+)$/s;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function unitOf(u: unknown): WeightUnit {
  switch (u) {
    case 'seconds':
    case 'milliseconds':
    case 'microseconds':
    case 'nanoseconds':
    case 'bytes':
    case 'none':
      return u;
    default:
      return 'none';
  }
}

function describePath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'the top level';
}

export async function parseJsonProfile(chunks: AsyncIterable<string>): Promise<Profile> {
  const b = new ProfileBuilder();
  const ss = new Map<number, SpeedscopeProfileState>();
  const traceThreads = new Map<string, TraceThread>();
  let traceEvents = 0;
  let nonEvents = 0;
  let sawPySpyCat = false;
  let sawTorchCat = false;
  let sawX = false;
  let badSample: string | undefined;

  const profileState = (i: number): SpeedscopeProfileState => {
    let s = ss.get(i);
    if (!s) {
      s = { thread: b.thread(`\u0000speedscope ${i}`), stacks: i32(), weights: f64(), cur: -1, openFrames: [], lastAt: NaN, events: 0 };
      ss.set(i, s);
    }
    return s;
  };

  const onSample = (i: number, sample: unknown): void => {
    const s = profileState(i);
    let stack = -1;
    if (Array.isArray(sample)) {
      for (const f of sample) {
        if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= MAX_FRAMES) {
          badSample ??= `profiles[${i}].samples[${s.stacks.length}] contains ${JSON.stringify(f)}, not a frame index`;
          stack = -2;
          break;
        }
        stack = b.stack(stack, f);
      }
    } else badSample ??= `profiles[${i}].samples[${s.stacks.length}] is not a list of frame indices`;
    s.stacks.push(stack < -1 ? -1 : stack);
  };

  const onEvent = (i: number, e: unknown): void => {
    const s = profileState(i);
    if (!isObject(e)) return;
    const at = num(e.at);
    const frame = e.frame;
    if (at === undefined || typeof frame !== 'number' || !Number.isInteger(frame) || frame < 0 || frame >= MAX_FRAMES) {
      badSample ??= `profiles[${i}].events[${s.events}] is not an {type, at, frame} event`;
      return;
    }
    s.events++;
    if (s.cur >= 0 && at > s.lastAt) b.add(s.thread, s.cur, at - s.lastAt, 0);
    s.lastAt = at;
    if (e.type === 'O') {
      s.cur = b.stack(s.cur, frame);
      s.openFrames.push(frame);
      b.add(s.thread, -1, 0, 1);
    } else if (e.type === 'C') {
      if (s.openFrames.length === 0) {
        b.warn(`profiles[${i}]: a close event for frame ${frame} with no open frame was ignored`);
        return;
      }
      if (s.openFrames[s.openFrames.length - 1] !== frame) b.warn(`profiles[${i}]: frame ${frame} closed while another frame was open`);
      s.openFrames.pop();
      s.cur = b.stackParent[s.cur] ?? -1;
    }
  };

  const traceThread = (pid: unknown, tid: unknown): TraceThread => {
    const key = `${str(pid)}\u0000${str(tid)}`;
    let t = traceThreads.get(key);
    if (!t) {
      t = { pid, tid, thread: b.thread(`\u0000trace ${key}`), cur: -1, lastTs: NaN, deviceEvents: 0 };
      traceThreads.set(key, t);
    }
    return t;
  };
  const threadNames = new Map<string, string>();
  const processNames = new Map<string, string>();

  const traceFrame = (e: Record<string, unknown>): number => {
    const name = str(e.name);
    const cat = str(e.cat);
    const args = isObject(e.args) ? e.args : {};
    if (cat === 'python_function') {
      const m = TORCH_PY_FUNCTION.exec(name);
      if (m) return b.frame(m[3]!, m[1]!, Number(m[2]), 'python');
    }
    const file = str(args.filename ?? args.file);
    const line = num(args.line) ?? 0;
    const kind: FrameKind = cat === 'py-spy' ? frameKind(name, file) : file ? frameKind(name, file) : 'op';
    return b.frame(name, file, line, kind);
  };

  const onTraceEvent = (e: unknown): void => {
    if (!isObject(e) || typeof e.ph !== 'string') {
      nonEvents++;
      return;
    }
    traceEvents++;
    const cat = str(e.cat);
    if (cat === 'py-spy') sawPySpyCat = true;
    else if (TORCH_CATEGORIES.has(cat)) sawTorchCat = true;
    const ph = e.ph;
    if (ph === 'M') {
      const args = isObject(e.args) ? e.args : {};
      const key = `${str(e.pid)}\u0000${str(e.tid)}`;
      if (e.name === 'thread_name' && typeof args.name === 'string') threadNames.set(key, args.name);
      if (e.name === 'process_name' && typeof args.name === 'string') processNames.set(str(e.pid), args.name);
      return;
    }
    const ts = num(e.ts);
    if (ts === undefined) return;
    if (ph === 'B' || ph === 'E') {
      const t = traceThread(e.pid, e.tid);
      if (t.cur >= 0 && ts > t.lastTs) b.add(t.thread, t.cur, ts - t.lastTs, 0);
      t.lastTs = ts;
      if (ph === 'B') {
        t.cur = b.stack(t.cur, traceFrame(e));
        b.add(t.thread, -1, 0, 1);
      } else if (t.cur >= 0) t.cur = b.stackParent[t.cur] ?? -1;
    } else if (ph === 'X') {
      // Kineto's own span over the whole recording ("PyTorch Profiler (0)") is not work.
      if (cat === 'Trace') return;
      sawX = true;
      const dur = num(e.dur) ?? 0;
      const t = traceThread(e.pid, e.tid);
      if (DEVICE_CATEGORIES.has(cat)) {
        t.deviceEvents++;
        const args = isObject(e.args) ? e.args : {};
        t.device ??= num(args.device);
        t.stream ??= num(args.stream);
      }
      t.x ??= { ts: f64(), dur: f64(), frame: i32() };
      t.x.ts.push(ts);
      t.x.dur.push(Math.max(0, dur));
      t.x.frame.push(traceFrame(e));
    }
  };

  let result: Awaited<ReturnType<typeof parseJsonStream>> | undefined;
  let syntax: JsonSyntaxError | undefined;
  try {
    result = await parseJsonStream(chunks, {
      streamArray: (path) =>
        path.length === 0 ||
        (path.length === 1 && path[0] === 'traceEvents') ||
        (path.length === 3 && path[0] === 'profiles' && typeof path[1] === 'number' && (path[2] === 'samples' || path[2] === 'weights' || path[2] === 'events')),
      onElement: (path, value) => {
        if (path.length === 3) {
          const i = path[1] as number;
          if (path[2] === 'samples') onSample(i, value);
          else if (path[2] === 'weights') {
            const w = num(value);
            profileState(i).weights.push(w ?? 0);
          } else onEvent(i, value);
        } else onTraceEvent(value);
      },
    });
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    syntax = e;
  }
  const root = result?.value;
  const truncated = result && !result.complete ? `the file ends inside ${describePath(result.openPath)} (truncated?)` : undefined;

  // ---- Chrome trace
  if (traceEvents > 0 || Array.isArray(root) || (isObject(root) && Array.isArray(root.traceEvents))) {
    if (traceEvents === 0) {
      if (syntax) throw new ProfileParseError(syntax.message);
      if (nonEvents > 0) throw new ProfileParseError('a JSON array, but not of Chrome trace events (objects with "ph")');
      throw new ProfileParseError(truncated ? `the trace has no events: ${truncated}` : 'the profile is empty: the trace has no events');
    }
    for (const t of traceThreads.values()) {
      if (t.x) buildCompleteEvents(b, t.thread, t.x);
    }
    const format: ProfileFormat = sawPySpyCat ? 'pyspy-chrometrace' : sawTorchCat || (isObject(root) && ('schemaVersion' in root || 'deviceProperties' in root)) ? 'torch-chrometrace' : 'chrometrace';
    const pids = new Set([...traceThreads.values()].map((t) => str(t.pid)));
    const profile = b.build(format, 'microseconds');
    for (const t of traceThreads.values()) {
      const key = `${str(t.pid)}\u0000${str(t.tid)}`;
      const tn = threadNames.get(key) ?? `tid ${str(t.tid)}`;
      const pn = processNames.get(str(t.pid)) ?? `pid ${str(t.pid)}`;
      const th = profile.threads[t.thread]!;
      th.name = pids.size > 1 ? `${pn} · ${tn}` : tn;
      if (t.deviceEvents > 0) {
        // CPU and device time are different clocks of different hardware: never one base by default.
        th.device = true;
        // Context-wide syncs carry stream -1 (4294967295 as unsigned): not a stream of their own.
        const stream = t.stream ?? num(t.tid);
        th.name = `GPU ${t.device ?? str(t.pid)} · ${stream !== undefined && stream >= 0 && stream < 2 ** 31 ? `stream ${stream}` : 'device-wide'}`;
      }
    }
    profile.threads = profile.threads.filter((t) => t.weights.length > 0);
    if (profile.threads.length === 0) throw new ProfileParseError(sawX || sawPySpyCat ? 'the trace\'s duration events add up to no time' : 'the trace has no duration events (B/E or X) to build stacks from');
    if (syntax) {
      profile.warnings.unshift(`only the part before the error was read: ${syntax.message}`);
      throw new ProfileParseError(syntax.message, profile);
    }
    if (truncated) profile.warnings.unshift(`${truncated}; ${traceEvents} events were read`);
    return profile;
  }

  if (syntax) throw new ProfileParseError(syntax.message);

  // ---- speedscope
  if (isObject(root) && (Array.isArray(root.profiles) || ss.size > 0) && (isObject(root.shared) || ss.size > 0 || String(root.$schema ?? '').includes('speedscope'))) {
    const shared = isObject(root.shared) ? root.shared : undefined;
    if (!shared || !Array.isArray(shared.frames)) {
      throw new ProfileParseError(truncated ? `${truncated}, before the frame table (shared.frames), so no frame has a name` : 'a speedscope file without shared.frames');
    }
    if (badSample) throw new ProfileParseError(`not a valid speedscope file: ${badSample}`);
    for (const f of shared.frames) {
      const fr = isObject(f) ? f : {};
      const name = str(fr.name) || '(unnamed)';
      const file = str(fr.file);
      b.rawFrame({ name, file, line: Math.max(0, Math.floor(num(fr.line) ?? 0)), kind: frameKind(name, file) });
    }
    const profiles = Array.isArray(root.profiles) ? root.profiles : [];
    let noFrameStack = -1;
    const noPythonFrame = (): number => (noFrameStack >= 0 ? noFrameStack : (noFrameStack = b.stack(-1, b.rawFrame({ name: NO_PYTHON_FRAME, file: '', line: 0, kind: 'other' }))));
    let evented = false;
    for (const [i, s] of ss) {
      const meta = isObject(profiles[i]) ? profiles[i] : {};
      if (meta.type === 'evented' || s.events > 0) {
        evented = true;
        continue;
      }
      const n = s.stacks.length;
      const hasWeights = s.weights.length > 0;
      if (hasWeights && s.weights.length !== n) b.warn(`profiles[${i}] has ${n} samples but ${s.weights.length} weights; the extra ones were ignored`);
      const m = hasWeights ? Math.min(n, s.weights.length) : n;
      for (let k = 0; k < m; k++) {
        // An empty sample (no Python frame) is counted under a frame of its own rather than dropped.
        const stack = s.stacks.data[k]!;
        b.add(s.thread, stack < 0 ? noPythonFrame() : stack, hasWeights ? s.weights.data[k]! : 1, 1);
      }
    }
    // A frame index past the table would leave a stack without a name.
    let maxFrame = -1;
    for (const f of b.stackFrame) if (f > maxFrame) maxFrame = f;
    if (maxFrame >= b.frames.length) throw new ProfileParseError(`not a valid speedscope file: a sample refers to frame ${maxFrame} but shared.frames has ${b.frames.length}`);
    const first = profiles.find(isObject);
    const profile = b.build(evented ? 'speedscope-evented' : 'speedscope-sampled', ss.size === 0 ? 'none' : unitOf(first?.unit), typeof root.exporter === 'string' ? root.exporter : undefined);
    for (const [i, s] of ss) {
      const meta = isObject(profiles[i]) ? profiles[i] : {};
      profile.threads[s.thread]!.name = str(meta.name) || `profile ${i}`;
    }
    profile.threads = profile.threads.filter((t) => t.samples > 0 || t.weights.length > 0);
    if (profile.threads.length === 0) throw new ProfileParseError('the profile is empty: no samples');
    if (truncated) profile.warnings.unshift(truncated);
    return profile;
  }

  if (truncated) throw new ProfileParseError(`not a complete JSON document: ${truncated}`);
  if (isPyinstrumentJson(root)) return parsePyinstrumentJson(root);
  if (isPyinstrumentSession(root)) return parsePyinstrumentSession(root);
  if (isScaleneJson(root)) return parseScaleneJson(root);
  if (isObject(root)) {
    if (Array.isArray(root.nodes) && 'startTime' in root) throw new ProfileParseError('a V8/Chrome .cpuprofile, not a format Incident Workbench reads; open it with VS Code\'s built-in profile viewer');
    if ('resourceSpans' in root || 'resourceLogs' in root || 'resourceMetrics' in root) throw new ProfileParseError('OpenTelemetry data (OTLP), not a profile');
    if ('id' in root && 'severity' in root && 'events' in root) throw new ProfileParseError('an incident file, not a profile');
  }
  throw new ProfileParseError('JSON, but not a profile format Incident Workbench reads (speedscope, py-spy chrometrace, torch.profiler Chrome trace, pyinstrument -r json/pyisession, scalene --json)');
}

/** Nests `X` events of one thread by time containment and gives each its self time (duration minus children). */
function buildCompleteEvents(b: ProfileBuilder, thread: number, x: XEvents): void {
  const n = x.ts.length;
  const ts = x.ts.data;
  const dur = x.dur.data;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, c) => ts[a]! - ts[c]! || dur[c]! - dur[a]!);
  const self = new Float64Array(n);
  const stackOf = new Int32Array(n);
  const open: number[] = [];
  let overlaps = 0;
  for (let k = 0; k < n; k++) {
    const e = order[k]!;
    const start = ts[e]!;
    while (open.length > 0) {
      const top = open[open.length - 1]!;
      if (ts[top]! + dur[top]! <= start) open.pop();
      else break;
    }
    const parent = open.length > 0 ? open[open.length - 1]! : -1;
    if (parent >= 0 && start + dur[e]! > ts[parent]! + dur[parent]! + 1e-6) overlaps++;
    stackOf[e] = b.stack(parent >= 0 ? stackOf[parent]! : -1, x.frame.data[e]!);
    self[e] = dur[e]!;
    if (parent >= 0) self[parent] -= dur[e]!;
    open.push(e);
  }
  for (let e = 0; e < n; e++) b.add(thread, stackOf[e]!, Math.max(0, self[e]!), 1);
  if (overlaps > 0) b.warn(`${overlaps} events overlapped their parent without being nested in it; they were treated as children`);
}
