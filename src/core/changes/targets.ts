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
import type { FunctionStat } from '../profile/summary';
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

/** Hot functions of a profile (self time first), skipping idle frames and frames without a file. */
export function targetsFromProfile(top: readonly FunctionStat[], options: { kind?: 'function' | 'leak'; firstSeen?: string; release?: string; limit?: number } = {}): SuspectTarget[] {
  return top
    .filter((f) => f.file !== '' && !isIdleFrame({ name: f.function, file: f.file }) && f.self > 0)
    .slice(0, options.limit ?? 10)
    .map((f) => ({
      kind: options.kind ?? 'function',
      label: `${f.function} (${f.selfPct.toFixed(1)}% self, ${f.totalPct.toFixed(1)}% total)`,
      frames: [{ file: f.file, ...(f.line > 0 ? { line: f.line } : {}), function: f.function }],
      ...(options.firstSeen ? { firstSeen: options.firstSeen } : {}),
      ...(options.release ? { release: options.release } : {}),
      id: `${f.function} ${f.file}`,
    }));
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * Spans with code locations, one target per location: failing ones first, then the slowest. Its first sighting
 * is the earliest such span; its release the resource's `service.version`.
 */
export function targetsFromSpans(spans: readonly Span[], options: { limit?: number } = {}): SuspectTarget[] {
  const groups = new Map<string, { frame: SuspectFrame; name: string; count: number; errors: number; maxUs: number; firstUs: number; release?: string; statusMessage?: string; spanId: string }>();
  for (const s of spans) {
    const loc = codeLocation(s);
    if (!loc) continue;
    const key = `${loc.file}\0${loc.function ?? s.name}`;
    const dur = s.endUs - s.startUs;
    let g = groups.get(key);
    const release = stringOf(s.resource?.['service.version']) ?? stringOf(s.attributes['service.version']);
    if (!g) {
      groups.set(key, (g = { frame: { file: loc.file, ...(loc.line !== undefined ? { line: loc.line } : {}), function: loc.function ?? s.name }, name: s.name, count: 0, errors: 0, maxUs: dur, firstUs: s.startUs, spanId: s.spanId, ...(release ? { release } : {}) }));
    }
    g.count++;
    if (s.status === 'ERROR') {
      g.errors++;
      g.statusMessage ??= s.statusMessage;
    }
    if (dur > g.maxUs) {
      g.maxUs = dur;
      g.spanId = s.spanId;
    }
    if (s.startUs < g.firstUs) g.firstUs = s.startUs;
    if (!g.release && release) g.release = release;
  }
  const ms = (us: number) => (us >= 1e6 ? `${(us / 1e6).toFixed(2)} s` : `${(us / 1e3).toFixed(1)} ms`);
  return [...groups.values()]
    .sort((a, b) => Number(b.errors > 0) - Number(a.errors > 0) || b.maxUs - a.maxUs)
    .slice(0, options.limit ?? 20)
    .map((g) => ({
      kind: 'span' as const,
      label: `${g.name}: ${g.errors ? `${g.errors} of ${g.count} failed${g.statusMessage ? ` (${g.statusMessage})` : ''}, ` : ''}slowest ${ms(g.maxUs)}${g.count > 1 ? ` of ${g.count}` : ''}`,
      frames: [g.frame],
      firstSeen: new Date(Math.floor(g.firstUs / 1000)).toISOString(),
      ...(g.release ? { release: g.release } : {}),
      id: g.spanId,
    }));
}
