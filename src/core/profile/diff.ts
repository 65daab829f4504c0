import type { Profile } from './model';
import { functionTable, type FunctionStat } from './summary';

/**
 * Compares two profiles by share of time, not absolute time: the "after" run may be longer, sampled at
 * another rate, or use another unit. Functions match by name and file. `deltaPct` is the change in self
 * share (what moved where the CPU actually is); total shares come along for the callers' view.
 */
export interface FunctionDelta {
  function: string;
  file: string;
  line: number;
  beforePct: number;
  afterPct: number;
  deltaPct: number;
  beforeTotalPct: number;
  afterTotalPct: number;
  deltaTotalPct: number;
}

export interface ProfileDiff {
  before: { format: string; samples: number; totalWeight: number; unit: string };
  after: { format: string; samples: number; totalWeight: number; unit: string };
  functions: FunctionDelta[];
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

export interface DiffOptions {
  limit?: number;
  /**
   * Rewrites recorded paths before functions are matched (`--map /app=.`): the same code recorded in a
   * container and in a checkout then matches. Returns the path to use.
   */
  mapFile?: (file: string) => string;
}

export function diffProfiles(before: Profile, after: Profile, options: DiffOptions = {}): ProfileDiff {
  const map = options.mapFile ?? ((f: string) => f);
  const mapped = (fs: FunctionStat[]) => fs.map((f) => (f.file ? { ...f, file: map(f.file) } : f));
  const b = functionTable(before);
  const a = functionTable(after);
  const byKey = new Map<string, { before?: FunctionStat; after?: FunctionStat }>();
  const key = (f: FunctionStat) => `${f.function}\u0000${f.file}`;
  // Two recorded paths that map to one file are one function: add their shares up.
  const merge = (x: FunctionStat | undefined, y: FunctionStat): FunctionStat => (x ? { ...x, self: x.self + y.self, total: x.total + y.total, selfPct: x.selfPct + y.selfPct, totalPct: x.totalPct + y.totalPct } : y);
  for (const f of mapped(b.functions)) {
    const e = byKey.get(key(f));
    byKey.set(key(f), { before: merge(e?.before, f) });
  }
  for (const f of mapped(a.functions)) {
    const e = byKey.get(key(f));
    if (e) e.after = merge(e.after, f);
    else byKey.set(key(f), { after: f });
  }
  const functions: FunctionDelta[] = [];
  for (const { before: x, after: y } of byKey.values()) {
    const f = (y ?? x)!;
    const beforePct = x?.selfPct ?? 0;
    const afterPct = y?.selfPct ?? 0;
    const beforeTotalPct = x?.totalPct ?? 0;
    const afterTotalPct = y?.totalPct ?? 0;
    functions.push({
      function: f.function,
      file: f.file,
      line: f.line,
      beforePct,
      afterPct,
      deltaPct: round(afterPct - beforePct),
      beforeTotalPct,
      afterTotalPct,
      deltaTotalPct: round(afterTotalPct - beforeTotalPct),
    });
  }
  functions.sort(
    (p, q) =>
      Math.abs(q.deltaPct) - Math.abs(p.deltaPct) ||
      Math.abs(q.deltaTotalPct) - Math.abs(p.deltaTotalPct) ||
      p.function.localeCompare(q.function) ||
      p.file.localeCompare(q.file),
  );
  const count = (p: Profile) => p.threads.reduce((n, t) => n + t.samples, 0);
  return {
    before: { format: before.format, samples: count(before), totalWeight: b.total, unit: before.unit },
    after: { format: after.format, samples: count(after), totalWeight: a.total, unit: after.unit },
    functions: options.limit === undefined ? functions : functions.slice(0, options.limit),
  };
}
