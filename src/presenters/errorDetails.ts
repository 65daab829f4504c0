/** The error cluster details page's snapshot from a cluster of the error report (pure: no VS Code). */
import { clusterTitle, type ClusterSummary, type ReportException } from '../core/errors/report';
import type { ErrorDetailsSnapshot } from '../protocol/errorDetails';

/** A chain printed the way Python prints it, for reading samples as text. */
export function formatChain(chain: ReportException[]): string {
  const parts: string[] = [];
  chain.forEach((e, i) => {
    const lines = ['Traceback (most recent call last):'];
    for (const f of e.frames) {
      lines.push(`  File "${f.file}"${f.line !== undefined ? `, line ${f.line}` : ''}, in ${f.function}`);
      if (f.source) lines.push(`    ${f.source}`);
    }
    lines.push(e.message ? `${e.type}: ${e.message}` : e.type);
    parts.push(lines.join('\n'));
    if (i < chain.length - 1) {
      parts.push(e.linkToNext === 'cause' ? '\nThe above exception was the direct cause of the following exception:\n' : '\nDuring handling of the above exception, another exception occurred:\n');
    }
  });
  return parts.join('\n');
}

/** `c` undefined: the cluster is gone from the loaded logs; `sources` are the loaded logs' labels. */
export function toDetailsSnapshot(c: ClusterSummary | undefined, sources: string[]): ErrorDetailsSnapshot {
  if (!c) return { missing: 'This cluster is not in the loaded logs any more. Load the logs it came from again.', sources };
  const spike = c.patterns.find((p) => p.type === 'spike');
  return {
    sources,
    cluster: {
      id: c.id,
      fingerprint: c.fingerprint,
      title: clusterTitle(c),
      exceptionType: c.exceptionType,
      category: c.category,
      hypothesis: c.hypothesis,
      actionItems: c.actionItems,
      count: c.count,
      ...(c.firstSeen ? { firstSeen: c.firstSeen } : {}),
      ...(c.lastSeen ? { lastSeen: c.lastSeen } : {}),
      reason: c.reason,
      ...(c.timeline ? { timeline: c.timeline } : {}),
      ...(spike && spike.type === 'spike'
        ? { spike: { at: spike.at, bucketMs: spike.bucket === 'minute' ? 60_000 : 3_600_000, count: spike.count, magnitude: spike.magnitude, description: spike.description } }
        : {}),
      users: c.users,
      endpoints: c.endpoints,
      services: c.services,
      versions: c.versions,
      distinctUsers: c.distinctUsers,
      distinctEndpoints: c.distinctEndpoints,
      frames: [...c.frames].reverse().map(({ file, line, function: fn, inApp }) => ({ file, function: fn, inApp, ...(line !== undefined ? { line } : {}) })),
      patterns: c.patterns.map((p) => ({ type: p.type, description: p.description })),
      samples: c.samples.map((s) => ({
        ...(s.timestamp ? { timestamp: s.timestamp } : {}),
        source: s.source,
        line: s.line,
        message: s.message,
        ...(s.userId ? { userId: s.userId } : {}),
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        ...(s.service ? { service: s.service } : {}),
        ...(s.version ? { version: s.version } : {}),
        ...(s.requestId ? { requestId: s.requestId } : {}),
        ...(s.traceId ? { traceId: s.traceId } : {}),
        text: s.chain?.length ? formatChain(s.chain) : s.exceptionType ? `${s.exceptionType}: ${s.exceptionMessage ?? ''}` : s.message,
      })),
    },
  };
}
