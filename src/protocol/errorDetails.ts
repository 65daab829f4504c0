/** The error cluster details webview: what the host sends, and what the page may ask for. */

import type { ClusterPattern, ClusterSummary, Count, ReportFrame, ReportSample } from '../core/errors/report';

export const ERROR_DETAILS_VIEW_TYPE = 'incidentWorkbench.errorClusterDetails';

export type DetailsCount = Count;

/** A frame as the page lists it (the source line stays on the host). */
export type DetailsFrame = Omit<ReportFrame, 'source'>;

export type DetailsSample = Pick<ReportSample, 'timestamp' | 'source' | 'line' | 'message' | 'userId' | 'endpoint' | 'service' | 'version' | 'requestId' | 'traceId'> & {
  /** The exception as Python would print it (type, message, frames), or the log message. */
  text: string;
};

type SpikePattern = Extract<ClusterPattern, { type: 'spike' }>;

export interface ErrorDetailsSnapshot {
  cluster?: Pick<
    ClusterSummary,
    'id' | 'fingerprint' | 'exceptionType' | 'category' | 'hypothesis' | 'actionItems' | 'count' | 'firstSeen' | 'lastSeen' | 'reason' | 'timeline' | 'users' | 'endpoints' | 'services' | 'versions' | 'distinctUsers' | 'distinctEndpoints'
  > & {
    title: string;
    /** The spike bucket to mark, when there is one. */
    spike?: Pick<SpikePattern, 'at' | 'count' | 'magnitude' | 'description'> & { bucketMs: number };
    /** The raised exception's frames, most recent call first. */
    frames: DetailsFrame[];
    patterns: Pick<ClusterPattern, 'type' | 'description'>[];
    samples: DetailsSample[];
  };
  /** Why there is no cluster (logs reloaded without it, nothing loaded). */
  missing?: string;
  sources: string[];
}

export type ErrorDetailsIntent =
  | { type: 'openFrame'; index: number }
  | { type: 'openSample'; index: number }
  | { type: 'addToIncident' }
  | { type: 'copyFingerprint' }
  | { type: 'revealInTree' };

const INTENTS = new Set(['openFrame', 'openSample', 'addToIncident', 'copyFingerprint', 'revealInTree']);

export function isErrorDetailsIntent(m: { type: string }): m is ErrorDetailsIntent {
  if (!INTENTS.has(m.type)) return false;
  if (m.type === 'openFrame' || m.type === 'openSample') return Number.isInteger((m as { index?: unknown }).index);
  return true;
}

/** What the panel needs to open again after a window reload (the host's `reopen`, see common.ts). */
export interface ErrorDetailsReopen {
  fingerprint: string;
}

export function isErrorDetailsReopen(v: unknown): v is ErrorDetailsReopen {
  return typeof v === 'object' && v !== null && typeof (v as { fingerprint?: unknown }).fingerprint === 'string';
}
