import { defaultThreads, sampleCount, type Profile } from './model';
import { FORMAT_LABELS } from './parse';

export { formatWeight } from './units';

/**
 * Self and total time per function and per source line. A function is its name and file (py-spy puts the
 * current line into every frame, so one function shows up as many frames); its `line` is the line with
 * the most self time (else the most total), the one worth opening. Total counts a stack once per
 * function even when the function recurses, as speedscope and pprof do.
 */
export interface FunctionStat {
  function: string;
  file: string;
  line: number;
  self: number;
  total: number;
  selfPct: number;
  totalPct: number;
  /** Deterministic profilers only: how often it was called (all calls, recursive ones included). */
  calls?: number;
}

export interface LineStat {
  self: number;
  total: number;
}

export interface ProfileSummary {
  format: Profile['format'];
  formatLabel: string;
  exporter?: string;
  unit: Profile['unit'];
  samples: number;
  totalWeight: number;
  threads: { name: string; samples: number; weight: number; pct: number; device?: boolean }[];
  top: FunctionStat[];
  warnings: string[];
}

export interface Weighted {
  /** Weight per stack (index = stack id), all chosen threads merged. */
  stackSelf: Float64Array;
  total: number;
}

/** Merges the chosen threads' weights per stack. */
export function stackWeights(profile: Profile, threads?: readonly number[]): Weighted {
  const stackSelf = new Float64Array(profile.stackParent.length);
  let total = 0;
  for (const t of threads ?? profile.threads.map((_, i) => i)) {
    const th = profile.threads[t];
    if (!th) continue;
    for (let k = 0; k < th.stacks.length; k++) {
      stackSelf[th.stacks[k]!] += th.weights[k]!;
      total += th.weights[k]!;
    }
  }
  return { stackSelf, total };
}

export const functionKey = (name: string, file: string): string => `${name}\u0000${file}`;

interface Acc {
  name: string;
  file: string;
  self: number;
  total: number;
  lines: Map<number, LineStat>;
}

/** Per function (name+file) and, inside it, per line: self and total weight. */
export function functionStats(profile: Profile, threads?: readonly number[]): { functions: Map<string, Acc>; total: number } {
  const { stackSelf, total } = stackWeights(profile, threads);
  const { frames, stackParent, stackFrame } = profile;
  const funcOfFrame = new Int32Array(frames.length);
  const accs: Acc[] = [];
  const byKey = new Map<string, number>();
  frames.forEach((f, i) => {
    const key = functionKey(f.name, f.file);
    let id = byKey.get(key);
    if (id === undefined) {
      id = accs.length;
      byKey.set(key, id);
      accs.push({ name: f.name, file: f.file, self: 0, total: 0, lines: new Map() });
    }
    funcOfFrame[i] = id;
  });
  const funcStamp = new Int32Array(accs.length).fill(-1);
  const frameStamp = new Int32Array(frames.length).fill(-1);
  // Per frame first, in typed arrays; lines are per function and filled from the frames afterwards. A
  // line map updated at every step of every stack cost most of a 200k-stack summary.
  const frameSelf = new Float64Array(frames.length);
  const frameTotal = new Float64Array(frames.length);
  const funcSelf = new Float64Array(accs.length);
  const funcTotal = new Float64Array(accs.length);
  for (let s = 0; s < stackSelf.length; s++) {
    const w = stackSelf[s]!;
    if (w <= 0) continue;
    const leafFrame = stackFrame[s]!;
    funcSelf[funcOfFrame[leafFrame]!] += w;
    frameSelf[leafFrame] += w;
    for (let p = s; p >= 0; p = stackParent[p]!) {
      const fr = stackFrame[p]!;
      const fn = funcOfFrame[fr]!;
      if (funcStamp[fn] !== s) {
        funcStamp[fn] = s;
        funcTotal[fn] += w;
      }
      if (frameStamp[fr] !== s) {
        frameStamp[fr] = s;
        frameTotal[fr] += w;
      }
    }
  }
  accs.forEach((acc, fn) => {
    acc.self = funcSelf[fn]!;
    acc.total = funcTotal[fn]!;
  });
  for (let fr = 0; fr < frames.length; fr++) {
    if (frameTotal[fr] === 0 && frameSelf[fr] === 0) continue;
    const acc = accs[funcOfFrame[fr]!]!;
    const line = frames[fr]!.line;
    let l = acc.lines.get(line);
    if (!l) acc.lines.set(line, (l = { self: 0, total: 0 }));
    l.self += frameSelf[fr]!;
    l.total += frameTotal[fr]!;
  }
  const functions = new Map<string, Acc>();
  for (const [key, id] of byKey) if (accs[id]!.total > 0) functions.set(key, accs[id]!);
  return { functions, total };
}

function hotLine(acc: Acc): number {
  let best = 0;
  let bestSelf = -1;
  let bestTotal = -1;
  for (const [line, s] of acc.lines) {
    if (s.self > bestSelf || (s.self === bestSelf && s.total > bestTotal)) {
      best = line;
      bestSelf = s.self;
      bestTotal = s.total;
    }
  }
  return best;
}

const pct = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e4 : 0);

export function toFunctionStats(functions: Map<string, Acc>, total: number): FunctionStat[] {
  return [...functions.values()].map((a) => ({
    function: a.name,
    file: a.file,
    line: hotLine(a),
    self: a.self,
    total: a.total,
    selfPct: pct(a.self, total),
    totalPct: pct(a.total, total),
  }));
}

/**
 * Every function with its self and total time: exact for deterministic profilers (cProfile's tottime and
 * cumtime), else summed from the stacks of the chosen threads (the CPU threads by default).
 */
export function functionTable(profile: Profile, threads?: readonly number[]): { functions: FunctionStat[]; total: number } {
  const g = profile.callGraph;
  if (g) {
    const total = g.totalTime;
    const functions = g.functions
      .filter((f) => f.nc > 0 || f.ct > 0)
      .map((f) => ({ function: f.name, file: f.file === '~' ? '' : f.file, line: f.line, self: f.tt, total: f.ct, selfPct: pct(f.tt, total), totalPct: Math.min(100, pct(f.ct, total)), calls: f.nc }));
    return { functions, total };
  }
  const { functions, total } = functionStats(profile, threads ?? defaultThreads(profile));
  return { functions: toFunctionStats(functions, total), total };
}

export function summarize(profile: Profile, options: { top?: number; threads?: readonly number[] } = {}): ProfileSummary {
  const { functions, total } = functionTable(profile, options.threads);
  const top = functions
    .sort((a, b) => b.self - a.self || b.total - a.total || a.function.localeCompare(b.function))
    .slice(0, options.top ?? 20);
  const threads = profile.threads.map((t) => {
    const weight = t.weights.reduce((a, b) => a + b, 0);
    return { name: t.name, samples: t.samples, weight, pct: pct(weight, total), ...(t.device ? { device: true } : {}) };
  });
  return {
    format: profile.format,
    formatLabel: FORMAT_LABELS[profile.format],
    ...(profile.exporter ? { exporter: profile.exporter } : {}),
    unit: profile.unit,
    samples: sampleCount(profile),
    totalWeight: total,
    threads,
    top,
    warnings: profile.warnings,
  };
}

/** Per file, per line: self and total share (0..1) — what source heat paints. */
export function lineHeat(profile: Profile, threads?: readonly number[]): Map<string, Map<number, { self: number; total: number }>> {
  const { functions, total } = functionStats(profile, threads ?? defaultThreads(profile));
  const out = new Map<string, Map<number, { self: number; total: number }>>();
  if (total <= 0) return out;
  for (const acc of functions.values()) {
    if (acc.file === '') continue;
    let lines = out.get(acc.file);
    if (!lines) out.set(acc.file, (lines = new Map()));
    for (const [line, s] of acc.lines) {
      if (line <= 0) continue;
      const prev = lines.get(line) ?? { self: 0, total: 0 };
      // Two functions on one line (a lambda, a generator expression): self adds up, total is the larger.
      lines.set(line, { self: prev.self + s.self / total, total: Math.max(prev.total, s.total / total) });
    }
  }
  return out;
}

/** Hides a weight unit's size: 1234.5 µs -> "1.23 ms". */
