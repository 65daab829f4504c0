/**
 * Releases in logs: which release (the events' `release`/`version`/`service.version`, see the field
 * mapping) each cluster was seen in, and what that says about it:
 *
 * - `new`: seen only in the latest release, and the logs hold earlier releases it did not appear in;
 * - `resolved`: not seen in the latest release (gone since), or resolved in triage and not seen again;
 * - `regressed`: seen, then absent from at least one later release, then back in the latest; or resolved in
 *   triage (in release X) and seen again in a release after X;
 * - `ongoing`: everything else, and every cluster of logs with fewer than two releases.
 *
 * Releases are ordered by when the logs first show them (a deploy is when a release starts), not by name.
 */
import { compareReleaseNames } from '../changes/releases';
import { compareCodeUnits } from '../util/order';

export type ClusterStatus = 'new' | 'regressed' | 'ongoing' | 'resolved';

/** A release seen in the logs (every record counts, errors or not: that is its traffic). */
export interface LogRelease {
  name: string;
  /** Records of this release, and how many of them were error events. */
  records: number;
  errors: number;
  /** The earliest record of the release (the first record read of it, or an earlier error event). */
  firstSeen?: string;
}

/** A cluster's events in one release. */
export interface ClusterRelease {
  name: string;
  count: number;
  firstSeen?: string;
}

export function orderReleases<T extends { name: string; firstSeen?: string }>(releases: readonly T[]): T[] {
  return [...releases].sort((a, b) => {
    if (a.firstSeen && b.firstSeen && a.firstSeen !== b.firstSeen) return compareCodeUnits(a.firstSeen, b.firstSeen);
    if (a.firstSeen && !b.firstSeen) return -1;
    if (!a.firstSeen && b.firstSeen) return 1;
    return compareReleaseNames(a.name, b.name);
  });
}

/** The status from the logs alone (triage may change it, see `applyTriage`). */
export function releaseStatus(cluster: readonly ClusterRelease[], logReleases: readonly LogRelease[]): ClusterStatus {
  if (logReleases.length < 2 || cluster.length === 0) return 'ongoing';
  const order = orderReleases(logReleases).map((r) => r.name);
  const seen = new Set(cluster.map((c) => c.name));
  const latest = order[order.length - 1]!;
  if (!seen.has(latest)) return 'resolved';
  const first = order.findIndex((n) => seen.has(n));
  if (first === order.length - 1) return 'new';
  for (let i = first + 1; i < order.length - 1; i++) if (!seen.has(order[i]!)) return 'regressed';
  return 'ongoing';
}

/**
 * The release the problem started in: for a regression, the first release after its last absence;
 * otherwise the first release it was seen in. With its first sighting there.
 */
export function startOf(cluster: readonly ClusterRelease[], logReleases: readonly LogRelease[]): ClusterRelease | undefined {
  if (cluster.length === 0) return undefined;
  const order = orderReleases(logReleases).map((r) => r.name);
  const byName = new Map(cluster.map((c) => [c.name, c]));
  if (order.length === 0) return orderReleases(cluster)[0];
  let start: ClusterRelease | undefined;
  for (const name of order) {
    const c = byName.get(name);
    if (!c) start = undefined;
    else start ??= c;
  }
  return start ?? orderReleases(cluster)[0];
}

/** Events per 1,000 records of each release the cluster appears in: its rate, fair across busy and quiet releases. */
export function ratePerRelease(cluster: readonly ClusterRelease[], logReleases: readonly LogRelease[]): { name: string; count: number; records: number; perThousand: number }[] {
  const traffic = new Map(logReleases.map((r) => [r.name, r.records]));
  return orderReleases(logReleases).map((r) => {
    const count = cluster.find((c) => c.name === r.name)?.count ?? 0;
    const records = traffic.get(r.name) ?? 0;
    return { name: r.name, count, records, perThousand: records > 0 ? Math.round((count / records) * 1e6) / 1e3 : 0 };
  });
}
