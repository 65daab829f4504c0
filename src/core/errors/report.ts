/**
 * The shape of an error report: clusters, their frames, breakdowns and patterns. Kept apart from the
 * analyzer that builds it and the pattern finders that fill it, so both can name it without importing
 * each other.
 */
import type { SkipSummary } from '../logs/skips';
import type { FieldMapping } from '../logs/fieldMapping';
import type { FingerprintKind } from './fingerprint';
import type { ClusterRelease, ClusterStatus, LogRelease } from './releases';

export interface ReportFrame {
  file: string;
  line?: number;
  function: string;
  inApp: boolean;
  source?: string;
}

export interface ReportException {
  type: string;
  message: string;
  frames: ReportFrame[];
  linkToNext?: 'cause' | 'context';
  truncated?: boolean;
}

export interface ReportSample {
  source: string;
  line: number;
  timestamp?: string;
  message: string;
  exceptionType?: string;
  exceptionMessage?: string;
  userId?: string;
  endpoint?: string;
  service?: string;
  version?: string;
  requestId?: string;
  traceId?: string;
  spanId?: string;
  chain?: ReportException[];
}

export interface Count {
  value: string;
  count: number;
}

export interface ClusterSummary {
  /** First 12 hex digits of the fingerprint: short enough for a tree, unique enough for a log. */
  id: string;
  fingerprint: string;
  kind: FingerprintKind;
  /** Why these events are together: the fingerprint's parts. */
  reason: string[];
  count: number;
  category: string;
  hypothesis: string;
  actionItems: string[];
  exceptionType: string;
  template: string;
  firstSeen?: string;
  lastSeen?: string;
  /** The raised exception's frames of the first event, outermost first. */
  frames: ReportFrame[];
  /** The whole chain of the first event (causes first), for details and the tree. */
  chain: ReportException[];
  users: Count[];
  endpoints: Count[];
  services: Count[];
  versions: Count[];
  /** Distinct users/endpoints seen (the lists above are the top ones). */
  distinctUsers: number;
  distinctEndpoints: number;
  /** In-app frames by `file:function` and how many events contain each. */
  frameFrequency: Count[];
  /** Workspace lines that appear in the cluster's stacks: file as logged, line, events. */
  lines: { file: string; line: number; count: number }[];
  samples: ReportSample[];
  timeline?: { start: number; bucketMs: number; counts: number[] };
  patterns: ClusterPattern[];
  /** Events per release the cluster was seen in (the `version` field), in the order the releases started. */
  releases: ClusterRelease[];
  /** new, regressed, ongoing or resolved: from the releases (see releases.ts) and, once applied, triage. */
  status: ClusterStatus;
}

/** The one-line name of a cluster: exception type and message template (tree, details, CLI). */
export function clusterTitle(c: Pick<ClusterSummary, 'exceptionType' | 'template'>): string {
  return c.exceptionType ? `${c.exceptionType}: ${c.template}` : c.template;
}

export interface ErrorReport {
  events: number;
  lines: number;
  records: number;
  sources: string[];
  skipped: SkipSummary[];
  fieldMapping: FieldMapping;
  firstSeen?: string;
  lastSeen?: string;
  /** Releases in the logs (every record's `version`), in the order they started. */
  releases: LogRelease[];
  clusters: ClusterSummary[];
  patterns: ReportPattern[];
  problems: string[];
}

export type ClusterPattern =
  | { type: 'spike'; bucket: 'minute' | 'hour'; at: string; count: number; mean: number; magnitude: number; onset: string; description: string }
  | { type: 'user_specific'; top: Count[]; share: number; description: string }
  | { type: 'endpoint_specific'; top: Count[]; share: number; description: string }
  | { type: 'common_frames'; frames: Count[]; description: string };

export interface ReportPattern {
  type: 'correlated';
  clusters: string[];
  services: string[];
  start: string;
  end: string;
  description: string;
}

