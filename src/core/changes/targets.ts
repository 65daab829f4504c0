/**
 * What suspects are ranked for, from each kind of evidence: an error cluster (its in-app frames, raising frame
 * first), a profile's hot functions (or a memory profile's leak suspects), a trace's slow or failing spans with
 * `code.*` attributes. Pure: the callers read the files.
 */
import type { ClusterSummary, ReportFrame } from '../errors/report';
import { clusterTitle } from '../errors/report';
import type { ErrorReport } from '../errors/report';
import { startOf } from '../errors/releases';
import { isIdleFrame } from '../profile/idle';
import type { Profile } from '../profile/model';
import { functionKey, stackWeights, summarize, type FunctionStat } from '../profile/summary';
import { codeLocation } from '../traces/analysis';
import type { Span } from '../traces/types';
import type { SuspectFrame, SuspectTarget } from './types';

function frameOf(f: ReportFrame): SuspectFrame {
  return { file: f.file, ...(f.line !== undefined ? { line: f.line } : {}), function: f.function };
}

/**
 * An error cluster: the raised exception's in-app frames, innermost first, then those of its causes; the
 * release it started in (for a regression: the release it came back in) and its first sighting there.
 */
export function targetFromCluster(cluster: ClusterSummary, report?: Pick<ErrorReport, 'releases'>): SuspectTarget {
  const frames: SuspectFrame[] = [];
  const seen = new Set<string>();
  const push = (list: readonly ReportFrame[]) => {
    for (const f of [...list].reverse()) {
      if (!f.inApp) continue;
      const key = `${f.file}:${f.line ?? ''}:${f.function}`;
      if (seen.has(key)) continue;
      seen.add(key);
      frames.push(frameOf(f));
    }
  };
  push(cluster.frames);
  for (const e of [...cluster.chain].reverse()) push(e.frames);
  const start = cluster.releases?.length ? startOf(cluster.releases, report?.releases ?? []) : undefined;
  const firstSeen = start?.firstSeen ?? cluster.firstSeen;
  return {
    kind: 'error',
    label: clusterTitle(cluster),
    frames,
    ...(firstSeen ? { firstSeen } : {}),
    ...(start ? { release: start.name } : {}),
    id: cluster.id,
  };
}

/** Each caller on a hot path counts this much less than the frame below it: the cost flows through callers. */
export const CALLER_WEIGHT = 0.8;

/**
 * The heaviest path through a function: the function at the line where its time goes on that path, then its
 * callers outward (frames with a file only), at most `depth` frames. A hot function is often old code made hot
 * by a new caller (a loop around it), so its suspects are looked for along the path, not in it alone.
 */
export function hotPath(profile: Profile, fn: Pick<FunctionStat, 'function' | 'file'>, depth = 6): SuspectFrame[] {
  const { stackSelf } = stackWeights(profile);
  const want = functionKey(fn.function, fn.file);
  const chains = new Map<string, { weight: number; frames: number[] }>();
  for (let s = 0; s < stackSelf.length; s++) {
    const w = stackSelf[s]!;
    if (w <= 0) continue;
    let p = s;
    while (p >= 0) {
      const f = profile.frames[profile.stackFrame[p]!]!;
      if (functionKey(f.name, f.file) === want) break;
      p = profile.stackParent[p]!;
    }
    if (p < 0) continue;
    const frames: number[] = [];
    for (let q = p; q >= 0 && frames.length < depth; q = profile.stackParent[q]!) {
      const id = profile.stackFrame[q]!;
      if (profile.frames[id]!.file !== '') frames.push(id);
    }
    const key = frames.join(',');
    const c = chains.get(key);
    if (c) c.weight += w;
    else chains.set(key, { weight: w, frames });
  }
  let best: { weight: number; frames: number[] } | undefined;
  for (const c of chains.values()) if (!best || c.weight > best.weight) best = c;
  return (best?.frames ?? []).map((id, i) => {
    const f = profile.frames[id]!;
    return { file: f.file, ...(f.line > 0 ? { line: f.line } : {}), function: f.name, weight: CALLER_WEIGHT ** i };
  });
}

/**
 * Hot functions of a profile (self time first; a memory profile's are leak suspects), skipping idle frames
 * and frames without a file; each with its heaviest call path.
 */
export function targetsFromProfile(profile: Profile, options: { kind?: 'function' | 'leak'; firstSeen?: string; release?: string; limit?: number } = {}): SuspectTarget[] {
  return summarize(profile, { top: 40 })
    .top.filter((f) => f.file !== '' && !isIdleFrame({ name: f.function, file: f.file }) && f.self > 0)
    .slice(0, options.limit ?? 10)
    .map((f) => {
      const path = hotPath(profile, f);
      return {
        kind: options.kind ?? 'function',
        label: `${f.function} (${f.selfPct.toFixed(1)}% self, ${f.totalPct.toFixed(1)}% total)`,
        frames: path.length ? path : [{ file: f.file, ...(f.line > 0 ? { line: f.line } : {}), function: f.function }],
        ...(options.firstSeen ? { firstSeen: options.firstSeen } : {}),
        ...(options.release ? { release: options.release } : {}),
        id: `${f.function} ${f.file}`,
      };
    });
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * Spans with code locations, one target per location, the slowest first by self time (the time a span spends
 * outside its children: where a slow request actually waits or computes), failing ones marked. Its first
 * sighting is the earliest such span; its release the resource's `service.version`.
 */
export function targetsFromSpans(spans: readonly Span[], options: { limit?: number } = {}): SuspectTarget[] {
  const childTime = new Map<string, number>();
  for (const s of spans) if (s.parentSpanId) childTime.set(`${s.traceId}/${s.parentSpanId}`, (childTime.get(`${s.traceId}/${s.parentSpanId}`) ?? 0) + (s.endUs - s.startUs));
  const groups = new Map<string, { frame: SuspectFrame; name: string; count: number; errors: number; maxUs: number; maxSelfUs: number; firstUs: number; release?: string; statusMessage?: string; spanId: string }>();
  for (const s of spans) {
    const loc = codeLocation(s);
    if (!loc) continue;
    const key = `${loc.file}\0${loc.function ?? s.name}`;
    const dur = s.endUs - s.startUs;
    const self = Math.max(0, dur - (childTime.get(`${s.traceId}/${s.spanId}`) ?? 0));
    let g = groups.get(key);
    const release = stringOf(s.resource?.['service.version']) ?? stringOf(s.attributes['service.version']);
    if (!g) {
      groups.set(key, (g = { frame: { file: loc.file, ...(loc.line !== undefined ? { line: loc.line } : {}), function: loc.function ?? s.name }, name: s.name, count: 0, errors: 0, maxUs: dur, maxSelfUs: self, firstUs: s.startUs, spanId: s.spanId, ...(release ? { release } : {}) }));
    }
    g.count++;
    if (s.status === 'ERROR') {
      g.errors++;
      g.statusMessage ??= s.statusMessage;
    }
    if (dur > g.maxUs) g.maxUs = dur;
    if (self > g.maxSelfUs || (self === g.maxSelfUs && dur >= g.maxUs)) {
      g.maxSelfUs = self;
      g.spanId = s.spanId;
    }
    if (s.startUs < g.firstUs) g.firstUs = s.startUs;
    if (!g.release && release) g.release = release;
  }
  const ms = (us: number) => (us >= 1e6 ? `${(us / 1e6).toFixed(2)} s` : `${(us / 1e3).toFixed(1)} ms`);
  return [...groups.values()]
    .sort((a, b) => b.maxSelfUs - a.maxSelfUs || b.maxUs - a.maxUs)
    .slice(0, options.limit ?? 20)
    .map((g) => ({
      kind: 'span' as const,
      label: `${g.name}: slowest ${ms(g.maxUs)}${g.count > 1 ? ` of ${g.count}` : ''}, ${ms(g.maxSelfUs)} in itself${g.errors ? `; ${g.errors} failed${g.statusMessage ? ` (${g.statusMessage})` : ''}` : ''}`,
      frames: [g.frame],
      firstSeen: new Date(Math.floor(g.firstUs / 1000)).toISOString(),
      ...(g.release ? { release: g.release } : {}),
      id: g.spanId,
    }));
}
