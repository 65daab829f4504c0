/**
 * Log stores (issue #20): the logs where they live, asked rather than copied. One interface every store
 * implements — query lines, count over time, count by filter — so errors and patterns push filtering and
 * counting to the store and read back only what they need. VictoriaLogs is the one implemented
 * (./victorialogs.ts); another store joins only with a real server in the tests.
 */

/** A half-open time window [start, end), in milliseconds since the epoch. */
export interface TimeWindow {
  start: number;
  end: number;
}

export interface QueryOptions {
  window: TimeWindow;
  /** Most records returned; the store is asked for one more so a cut is known. */
  limit?: number;
  signal?: AbortSignal;
  /** Called as bytes arrive (the total so far). */
  onBytes?: (bytes: number) => void;
}

export interface HitsResult {
  /** Bucket starts (ms) and their counts, oldest first. */
  timestamps: number[];
  counts: number[];
  total: number;
}

/** A filter counted by the store: lines whose message matches `messageRegex` (RE2 syntax, the JS subset). */
export interface MessageFilter {
  messageRegex: string;
}

/** One row of a count by filter: which filter matched first (-1: none), the group's values and counts. */
export interface FilterCountRow {
  filter: number;
  group: Record<string, string>;
  count: number;
  first?: number;
  last?: number;
}

export interface CountOptions {
  window: TimeWindow;
  /** Extra fields to group by (a level field; `_time:STEP` style buckets are `bucketMs`). */
  groupBy?: string[];
  bucketMs?: number;
  signal?: AbortSignal;
}

export interface LogStore {
  readonly kind: string;
  /** The store's address without credentials, for reports. */
  readonly url: string;
  /** Bytes received from the store so far (response bodies). */
  readonly bytesTransferred: number;
  /** Records of `query` in the window as JSON Lines text chunks, streamed. `cut` is set when `limit` cut. */
  query(query: string, options: QueryOptions): { chunks: AsyncGenerator<string>; result: () => { lines: number; cut: boolean } };
  /** Counts over time (the store's own bucketing). */
  hits(query: string, options: { window: TimeWindow; stepMs: number; signal?: AbortSignal }): Promise<HitsResult>;
  /**
   * Each line counted once, under the first filter its message matches (in the order given), with the
   * first and last time of each group: exact counts computed by the store over the whole window.
   */
  countByFilters(query: string, filters: MessageFilter[], options: CountOptions): Promise<FilterCountRow[]>;
  /** A bounded random sample of the lines matching no filter (all lines when `filters` is empty), with only `fields` when given. */
  sampleUnmatched(query: string, filters: MessageFilter[], options: { window: TimeWindow; size: number; expected: number; fields?: string[]; signal?: AbortSignal }): AsyncGenerator<string>;
  /** Field names seen in the window (to check a field mapping against the data). */
  fieldNames(query: string, options: { window: TimeWindow; signal?: AbortSignal }): Promise<string[]>;
}

export type StoreErrorKind = 'unreachable' | 'timeout' | 'auth' | 'query' | 'http' | 'cancelled' | 'mapping' | 'limit' | 'input';

/** A store problem with a message meant for the user (no stack): the CLI prints it, the host shows it. */
export class LogStoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
  }
}
