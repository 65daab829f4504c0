/**
 * The one span shape every trace format is read into. Times are microseconds since the Unix epoch (a
 * double: nanosecond OTLP times lose precision below ~0.25 µs, which no waterfall can show anyway).
 */
export type SpanKind = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  timeUs: number;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface Span {
  /** Lower-case hex when the input had hex or base64 ids; otherwise the id as written. */
  traceId: string;
  spanId: string;
  /** Absent (or empty) for a root span. */
  parentSpanId?: string;
  /** The parent reference does not block the parent (Jaeger FOLLOWS_FROM). */
  followsFrom?: boolean;
  name: string;
  service: string;
  kind: SpanKind;
  startUs: number;
  endUs: number;
  status: StatusCode;
  statusMessage?: string;
  attributes: Attributes;
  resource?: Attributes;
  scope?: string;
  events: SpanEvent[];
  links: SpanLink[];
}

export type TraceFormat = 'otlp' | 'otlp-jsonl' | 'jaeger' | 'zipkin';

/** Something in the input that was repaired or skipped; import never fails on these. */
export interface ImportProblem {
  /** 1-based line for JSON Lines input, the span index otherwise, when known. */
  line?: number;
  message: string;
}

export interface ImportResult {
  format: TraceFormat | 'unknown';
  spans: Span[];
  problems: ImportProblem[];
  /** Spans seen in the input (kept or not). */
  spanCount: number;
}

export const SPAN_KINDS: readonly SpanKind[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
