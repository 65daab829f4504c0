/**
 * Triage that lasts: the state of error clusters in `.incidents/triage.json` (schemas/triage.schema.json),
 * a file in the workspace that is reviewed in pull requests like the incidents, never extension storage.
 * Changes are pure functions applied by the one writer (IncidentWriter.changeTriage: lock, atomic write,
 * schema check); `applyTriage` folds the file into a freshly loaded report, which is how a cluster resolved
 * in release X and seen again in a later release comes back as `regressed` when logs are reloaded.
 */
import type { ClusterSummary, ErrorReport } from '../errors/report';
import { compareReleaseNames } from '../changes/releases';
import { orderReleases, type ClusterStatus } from '../errors/releases';
import { clusterTitle } from '../errors/report';
import type { FileProblem } from '../validation/problems';
import { validateText } from '../validation/validate';

export type TriageState = 'open' | 'resolved' | 'ignored';

export interface TriageEntry {
  title: string;
  state: TriageState;
  resolvedIn?: string;
  resolvedAt?: string;
  ignoreUntil?: { count?: number; date?: string };
  incidents?: string[];
  note?: string;
  updatedAt: string;
  updatedBy: string;
  [unknown: string]: unknown;
}

export interface TriageFile {
  $schema?: string;
  version: 1;
  clusters: Record<string, TriageEntry>;
  [unknown: string]: unknown;
}

/** What triage says about one loaded cluster. */
export interface ClusterTriage {
  state: TriageState;
  resolvedIn?: string;
  resolvedAt?: string;
  /** Ignored and still within its count or date. */
  ignored: boolean;
  /** Was ignored, but passed its count or date: worth a look again. */
  ignoreExpired?: string;
  incidents: string[];
  note?: string;
  /** One line: "resolved in 1.8.0, seen again in 1.9.0", "ignored until 100 events (36 now)". */
  summary: string;
}

export interface TriagedCluster extends ClusterSummary {
  triage?: ClusterTriage;
}

export type TriagedReport = Omit<ErrorReport, 'clusters'> & { clusters: TriagedCluster[] };

export interface Actor {
  at: string;
  by: string;
}

/** The triage file's content, or what is wrong with it (line and column) so it is never overwritten blind. */
export function parseTriage(text: string): { file?: TriageFile; problems: FileProblem[] } {
  const result = validateText<TriageFile>(text, 'triage');
  return result.valid && result.value ? { file: result.value, problems: [] } : { problems: result.problems };
}

export function emptyTriage(): TriageFile {
  return { $schema: '../schemas/triage.schema.json', version: 1, clusters: {} };
}

function entryFor(file: TriageFile | undefined, cluster: Pick<ClusterSummary, 'fingerprint' | 'exceptionType' | 'template'>, actor: Actor): { file: TriageFile; entry: TriageEntry } {
  const next: TriageFile = file ? { ...file, clusters: { ...file.clusters } } : emptyTriage();
  const old = next.clusters[cluster.fingerprint];
  const entry: TriageEntry = { ...(old ?? { state: 'open' as const }), title: clusterTitle(cluster).slice(0, 300), updatedAt: actor.at, updatedBy: actor.by } as TriageEntry;
  next.clusters[cluster.fingerprint] = entry;
  return { file: next, entry };
}

/** Resolved in `release` (the one that fixes it), or at `actor.at` when no release is named. */
export function resolveCluster(file: TriageFile | undefined, cluster: Pick<ClusterSummary, 'fingerprint' | 'exceptionType' | 'template'>, release: string | undefined, actor: Actor, note?: string): TriageFile {
  const { file: next, entry } = entryFor(file, cluster, actor);
  entry.state = 'resolved';
  delete entry.ignoreUntil;
  if (release?.trim()) entry.resolvedIn = release.trim();
  else delete entry.resolvedIn;
  entry.resolvedAt = actor.at;
  if (note?.trim()) entry.note = note.trim();
  return next;
}

/** Ignored until the loaded logs hold more than `count` of its events, or until `date`; forever when neither. */
export function ignoreCluster(file: TriageFile | undefined, cluster: Pick<ClusterSummary, 'fingerprint' | 'exceptionType' | 'template'>, until: { count?: number; date?: string }, actor: Actor): TriageFile {
  const { file: next, entry } = entryFor(file, cluster, actor);
  entry.state = 'ignored';
  delete entry.resolvedIn;
  delete entry.resolvedAt;
  const u: { count?: number; date?: string } = {};
  if (until.count !== undefined && Number.isInteger(until.count) && until.count >= 1) u.count = until.count;
  if (until.date) u.date = until.date;
  if (u.count !== undefined || u.date !== undefined) entry.ignoreUntil = u;
  else delete entry.ignoreUntil;
  return next;
}

/** Back to open: neither resolved nor ignored (links to incidents stay). */
export function reopenCluster(file: TriageFile | undefined, cluster: Pick<ClusterSummary, 'fingerprint' | 'exceptionType' | 'template'>, actor: Actor): TriageFile {
  const { file: next, entry } = entryFor(file, cluster, actor);
  entry.state = 'open';
  delete entry.resolvedIn;
  delete entry.resolvedAt;
  delete entry.ignoreUntil;
  return next;
}

export function linkCluster(file: TriageFile | undefined, cluster: Pick<ClusterSummary, 'fingerprint' | 'exceptionType' | 'template'>, incidentId: string, actor: Actor): TriageFile {
  const { file: next, entry } = entryFor(file, cluster, actor);
  entry.incidents = [...new Set([...(entry.incidents ?? []), incidentId])];
  return next;
}

/** Whether `a` is a later release than `b`: by the logs' order when both appear there, else by name. */
function laterThan(a: string, b: string, order: readonly string[]): boolean {
  const ia = order.indexOf(a);
  const ib = order.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia > ib;
  return compareReleaseNames(a, b) > 0;
}

/** The status and triage of one cluster, given the triage entry (if any). */
export function triageCluster(cluster: ClusterSummary, entry: TriageEntry | undefined, releaseOrder: readonly string[], now: number): { status: ClusterStatus; triage?: ClusterTriage } {
  if (!entry) return { status: cluster.status };
  const base = { state: entry.state, incidents: entry.incidents ?? [], ...(entry.note ? { note: entry.note } : {}) };
  const links = base.incidents.length ? `; linked to ${base.incidents.join(', ')}` : '';
  if (entry.state === 'resolved') {
    const resolved = { ...base, ...(entry.resolvedIn ? { resolvedIn: entry.resolvedIn } : {}), ...(entry.resolvedAt ? { resolvedAt: entry.resolvedAt } : {}), ignored: false };
    if (entry.resolvedIn) {
      const later = orderReleases(cluster.releases).filter((r) => laterThan(r.name, entry.resolvedIn!, releaseOrder));
      if (later.length) return { status: 'regressed', triage: { ...resolved, summary: `resolved in ${entry.resolvedIn}, seen again in ${later.map((r) => r.name).join(', ')}${links}` } };
      return { status: 'resolved', triage: { ...resolved, summary: `resolved in ${entry.resolvedIn}${links}` } };
    }
    const at = entry.resolvedAt ? Date.parse(entry.resolvedAt) : NaN;
    const last = cluster.lastSeen ? Date.parse(cluster.lastSeen) : NaN;
    if (Number.isFinite(at) && Number.isFinite(last) && last > at) return { status: 'regressed', triage: { ...resolved, summary: `resolved ${entry.resolvedAt}, seen again until ${cluster.lastSeen}${links}` } };
    return { status: 'resolved', triage: { ...resolved, summary: `resolved${entry.resolvedAt ? ` ${entry.resolvedAt.slice(0, 10)}` : ''}${links}` } };
  }
  if (entry.state === 'ignored') {
    const u = entry.ignoreUntil ?? {};
    const overCount = u.count !== undefined && cluster.count > u.count;
    const pastDate = u.date !== undefined && Number.isFinite(Date.parse(u.date)) && now > Date.parse(u.date);
    const until = [u.count !== undefined ? `${u.count} events (${cluster.count} now)` : '', u.date ? u.date.slice(0, 10) : ''].filter(Boolean).join(' or ');
    if (overCount || pastDate) {
      const why = overCount ? `${cluster.count} events, over the ${u.count} it was ignored for` : `ignored until ${u.date!.slice(0, 10)}, which has passed`;
      return { status: cluster.status, triage: { ...base, ignored: false, ignoreExpired: why, summary: `no longer ignored: ${why}${links}` } };
    }
    return { status: cluster.status, triage: { ...base, ignored: true, summary: `ignored${until ? ` until ${until}` : ''}${links}` } };
  }
  return { status: cluster.status, triage: { ...base, ignored: false, summary: base.incidents.length ? `linked to ${base.incidents.join(', ')}` : 'open' } };
}

/** A report with each cluster's status and `triage` from the file; the report passed in is not changed. */
export function applyTriage(report: ErrorReport, file: TriageFile | undefined, now: number): TriagedReport {
  if (!file) return report;
  const order = orderReleases(report.releases).map((r) => r.name);
  return {
    ...report,
    clusters: report.clusters.map((c) => {
      const entry = Object.hasOwn(file.clusters, c.fingerprint) ? file.clusters[c.fingerprint] : undefined;
      if (!entry) return c;
      const { status, triage } = triageCluster(c, entry, order, now);
      return { ...c, status, ...(triage ? { triage } : {}) };
    }),
  };
}
