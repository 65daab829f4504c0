/** The error cluster details webview: what the host sends, and what the page may ask for. */

export const ERROR_DETAILS_VIEW_TYPE = 'incidentWorkbench.errorClusterDetails';

export interface DetailsCount {
  value: string;
  count: number;
}

export interface DetailsFrame {
  file: string;
  line?: number;
  function: string;
  inApp: boolean;
}

export interface DetailsSample {
  timestamp?: string;
  source: string;
  line: number;
  message: string;
  userId?: string;
  endpoint?: string;
  service?: string;
  version?: string;
  requestId?: string;
  traceId?: string;
  /** The exception as Python would print it (type, message, frames), or the log message. */
  text: string;
}

export interface ErrorDetailsSnapshot {
  cluster?: {
    id: string;
    fingerprint: string;
    title: string;
    exceptionType: string;
    category: string;
    hypothesis: string;
    actionItems: string[];
    count: number;
    firstSeen?: string;
    lastSeen?: string;
    reason: string[];
    /** Counts per bucket over the whole log's time range. */
    timeline?: { start: number; bucketMs: number; counts: number[] };
    /** The spike bucket to mark, when there is one. */
    spike?: { at: string; bucketMs: number; count: number; magnitude: number; description: string };
    users: DetailsCount[];
    endpoints: DetailsCount[];
    services: DetailsCount[];
    versions: DetailsCount[];
    distinctUsers: number;
    distinctEndpoints: number;
    frames: DetailsFrame[];
    patterns: { type: string; description: string }[];
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

/** State the page keeps through hide/show and window reloads. */
export interface ErrorDetailsState {
  fingerprint: string;
}
