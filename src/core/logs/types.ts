/**
 * What the log readers produce. A `LogRecord` is one logical log event (a JSON line, an OTLP log record, or a
 * plain-text line with the traceback that follows it), normalised to the fields every feature needs: the
 * error clusters use the exception, the traces feature can join records to spans by `traceId`/`spanId`.
 */

/** One Python stack frame, as printed (`File "f", line N, in fn`) or as a structured logger wrote it. */
export interface StackFrame {
  /** The path exactly as the log has it (a production path such as /app/service/x.py). */
  file: string;
  line?: number;
  function: string;
  /** The dotted module, when the logger wrote one (structured frames); otherwise derived from `file`. */
  module?: string;
  /** The source line the traceback printed under the frame, if any. */
  source?: string;
  /** `[Previous line repeated N more times]` after this frame. */
  repeated?: number;
}

/** How an exception relates to the one printed after it in a chain. */
export type ChainLink = 'cause' | 'context';

export interface ParsedException {
  /** The type as printed: `ValueError`, `json.decoder.JSONDecodeError`, `shop.checkout.CheckoutError`. */
  type: string;
  message: string;
  /** Outermost call first, as Python prints them; the raising frame is last. */
  frames: StackFrame[];
  /** Set when this exception is followed by "The above exception was the direct cause…" (`cause`) or
   * "During handling of the above exception…" (`context`). */
  linkToNext?: ChainLink;
  /** Where a SyntaxError points: not a call frame, so not in `frames`. */
  location?: { file: string; line?: number; text?: string; caret?: number };
  /** Sub-exceptions of an ExceptionGroup. */
  group?: ParsedException[];
  /** The traceback stopped before its exception line (cut log line, truncated file). */
  truncated?: boolean;
}

/** A whole printed traceback: the chain in print order (root cause first, the raised exception last). */
export interface ExceptionInfo {
  chain: ParsedException[];
  truncated: boolean;
}

export interface LogRecord {
  /** The file (or label) the record came from. */
  source: string;
  /** 1-based line of the record's first line in its source. */
  line: number;
  /** Milliseconds since the epoch (UTC), when the record has a time the reader understood. */
  timestamp?: number;
  /** Upper-case level name: DEBUG, INFO, WARNING, ERROR, CRITICAL, FATAL, … */
  level?: string;
  message: string;
  logger?: string;
  service?: string;
  version?: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  userId?: string;
  endpoint?: string;
  /** Parsed traceback (text or structured frames). */
  exception?: ExceptionInfo;
  /** Exception type/message fields of records that carry no traceback. */
  exceptionType?: string;
  exceptionMessage?: string;
}

export const ERROR_LEVELS: ReadonlySet<string> = new Set(['ERROR', 'ERR', 'CRITICAL', 'CRIT', 'FATAL', 'ALERT', 'EMERG', 'EMERGENCY', 'SEVERE', 'EXCEPTION', 'PANIC']);

/** An error event: an error level, or any record that carries an exception. */
export function isErrorRecord(r: LogRecord): boolean {
  return (r.level !== undefined && ERROR_LEVELS.has(r.level)) || r.exception !== undefined || r.exceptionType !== undefined;
}
