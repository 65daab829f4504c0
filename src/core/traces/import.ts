/**
 * Reading trace files: OTLP/JSON (one export request, or the file exporter's JSON Lines), Jaeger
 * `/api/traces` JSON and Zipkin v2 arrays, detected from the content. Small inputs are parsed whole; big
 * ones are streamed (JSON Lines line by line; a single huge document element by element, each element by
 * JSON.parse on its own slice of the text: json/elements), optionally keeping only one trace, so a 2 GB export never has to fit in a string.
 */
import { scanJsonElements } from '../json/elements';
import { dedupeZipkinShared, jaegerDocument, jaegerTrace, otlpDocument, otlpResourceSpans, zipkinSpan, type Emit } from './formats';
import type { ImportProblem, ImportResult, Span, TraceFormat } from './types';
import { isObject } from './values';
import { errorMessage } from '../util/errors';

export interface ImportOptions {
  /** Keep only this trace's spans (hex, any case). */
  traceId?: string;
  /** Stop keeping spans after this many (the summaries still count every span). Default 2,000,000. */
  maxSpans?: number;
  /** Problems beyond this many are counted, not listed. Default 50. */
  maxProblems?: number;
  /** Sees every span as it is read (statistics over more spans than memory would hold as objects). */
  onSpan?: (span: Span) => void;
  /** False: spans go only to `onSpan` and the trace summaries; none is kept. Default true. */
  keepSpans?: boolean;
}

/** One trace in a file, for the trace list. */
export interface TraceSummary {
  traceId: string;
  spanCount: number;
  errorCount: number;
  startUs: number;
  endUs: number;
  durationUs: number;
  services: string[];
  rootService?: string;
  rootOperation?: string;
}

export interface TraceFileResult extends ImportResult {
  traces: TraceSummary[];
  /** Spans were dropped because of `maxSpans`. */
  truncated: boolean;
}

class Collector {
  readonly spans: Span[] = [];
  readonly problems: ImportProblem[] = [];
  private readonly summaries = new Map<string, TraceSummary & { serviceSet: Set<string> }>();
  spanCount = 0;
  truncated = false;
  format: TraceFormat | 'unknown' = 'unknown';
  line: number | undefined;
  private dropped = 0;
  private readonly wanted: string | undefined;
  private readonly maxSpans: number;
  private readonly maxProblems: number;
  private readonly onSpan: ((span: Span) => void) | undefined;
  private readonly keep: boolean;

  constructor(options: ImportOptions) {
    this.wanted = options.traceId?.trim().toLowerCase() || undefined;
    this.maxSpans = options.maxSpans ?? 2_000_000;
    this.maxProblems = options.maxProblems ?? 50;
    this.onSpan = options.onSpan;
    this.keep = options.keepSpans !== false;
  }

  readonly emit: Emit = (span) => {
    this.spanCount++;
    let t = this.summaries.get(span.traceId);
    if (!t) {
      t = { traceId: span.traceId, spanCount: 0, errorCount: 0, startUs: span.startUs, endUs: span.endUs, durationUs: 0, services: [], serviceSet: new Set() };
      this.summaries.set(span.traceId, t);
    }
    t.spanCount++;
    if (span.status === 'ERROR') t.errorCount++;
    if (span.startUs < t.startUs) t.startUs = span.startUs;
    if (span.endUs > t.endUs) t.endUs = span.endUs;
    t.serviceSet.add(span.service);
    if (!span.parentSpanId && (t.rootOperation === undefined || span.startUs <= t.startUs)) {
      t.rootService = span.service;
      t.rootOperation = span.name;
    }
    if (this.wanted !== undefined && span.traceId !== this.wanted && !span.traceId.endsWith(this.wanted)) return;
    this.onSpan?.(span);
    if (!this.keep) return;
    if (this.spans.length >= this.maxSpans) {
      this.truncated = true;
      return;
    }
    this.spans.push(span);
  };

  readonly problem = (message: string): void => {
    if (this.problems.length < this.maxProblems) this.problems.push(this.line === undefined ? { message } : { line: this.line, message });
    else this.dropped++;
  };

  result(): TraceFileResult {
    if (this.dropped > 0) this.problems.push({ message: `${this.dropped} more problem${this.dropped === 1 ? '' : 's'} not listed` });
    if (this.truncated) this.problems.push({ message: `only the first ${this.maxSpans} spans were kept; open one trace from the trace list to see all of its spans` });
    let spans = this.spans;
    if (this.format === 'zipkin') spans = dedupeZipkinShared(spans, (m) => this.problems.push({ message: m }));
    const traces = [...this.summaries.values()].map(({ serviceSet, ...t }) => ({ ...t, durationUs: t.endUs - t.startUs, services: [...serviceSet].sort() }));
    traces.sort((a, b) => b.durationUs - a.durationUs);
    return { format: this.format, spans, problems: this.problems, spanCount: this.spanCount, traces, truncated: this.truncated };
  }
}

/** Which format a parsed JSON value is, and feeds it to the collector. */
function feedDocument(doc: unknown, c: Collector): boolean {
  if (Array.isArray(doc)) {
    // Zipkin v2: a flat array of spans; some tools write an array of traces (arrays of spans).
    c.format = c.format === 'unknown' ? 'zipkin' : c.format;
    for (const s of doc) {
      if (Array.isArray(s)) for (const x of s) zipkinSpan(x, c.emit, c.problem);
      else zipkinSpan(s, c.emit, c.problem);
    }
    return true;
  }
  if (!isObject(doc)) return false;
  if (Array.isArray(doc.resourceSpans)) {
    if (c.format === 'unknown') c.format = 'otlp';
    otlpDocument(doc, c.emit, c.problem);
    return true;
  }
  // Jaeger's api_v3 wraps an OTLP export request: {"result": {"resourceSpans": […]}}.
  if (isObject(doc.result) && Array.isArray(doc.result.resourceSpans)) {
    if (c.format === 'unknown') c.format = 'otlp';
    otlpDocument(doc.result, c.emit, c.problem);
    return true;
  }
  if (Array.isArray(doc.data)) {
    c.format = 'jaeger';
    jaegerDocument(doc, c.emit, c.problem);
    return true;
  }
  if (Array.isArray(doc.spans) && (doc.traceID !== undefined || doc.processes !== undefined)) {
    c.format = 'jaeger';
    jaegerTrace(doc, c.emit, c.problem);
    return true;
  }
  if (Array.isArray(doc.scopeSpans) || Array.isArray(doc.instrumentationLibrarySpans)) {
    if (c.format === 'unknown') c.format = 'otlp';
    otlpResourceSpans(doc, c.emit, c.problem);
    return true;
  }
  if (doc.traceId !== undefined && doc.id !== undefined) {
    c.format = 'zipkin';
    zipkinSpan(doc, c.emit, c.problem);
    return true;
  }
  return false;
}

const NOT_TRACES = 'this is not a trace file: expected OTLP/JSON ({"resourceSpans": …}), Jaeger ({"data": [traces]}) or a Zipkin v2 span array';

function looksLikeJsonLines(text: string): boolean {
  const first = text.indexOf('\n');
  if (first < 0) return false;
  const rest = text.slice(first + 1).trimStart();
  if (!rest.startsWith('{') && !rest.startsWith('[')) return false;
  try {
    JSON.parse(text.slice(0, first));
    return true;
  } catch {
    return false;
  }
}

function feedLines(text: string, c: Collector, firstLine: number): number {
  let line = firstLine;
  let start = 0;
  let unknown = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end).trim();
    c.line = line;
    if (raw !== '') {
      let doc: unknown;
      try {
        doc = JSON.parse(raw);
      } catch (e) {
        c.problem(`not valid JSON (${errorMessage(e).replace(/^JSON\.parse: /, '')}); line skipped`);
        doc = undefined;
      }
      if (doc !== undefined && !feedDocument(doc, c)) unknown++;
    }
    line++;
    start = end + 1;
  }
  c.line = undefined;
  if (unknown > 0) c.problem(`${unknown} line${unknown === 1 ? ' holds' : 's hold'} JSON that is not spans; skipped`);
  return line;
}

/** Parses a whole trace file held in memory. */
export function importTraces(text: string, options: ImportOptions = {}): TraceFileResult {
  const c = new Collector(options);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    c.problem('the file is empty');
    return c.result();
  }
  if (looksLikeJsonLines(body)) {
    c.format = 'otlp-jsonl';
    feedLines(body, c, 1);
    return c.result();
  }
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    // Not one document: JSON Lines whose first line is damaged still has good lines after it.
    if (/\n\s*[[{]/.test(body)) {
      c.format = 'otlp-jsonl';
      feedLines(body, c, 1);
      if (c.spanCount > 0) return c.result();
    }
    c.problem(`not valid JSON: ${errorMessage(e)}`);
    return c.result();
  }
  if (!feedDocument(doc, c)) c.problem(NOT_TRACES);
  return c.result();
}

export interface StreamSource {
  /** One JSON document, never JSON Lines (Jaeger's /api/traces answer): no need to look for a second line first. */
  oneDocument?: boolean;
}

/**
 * Streams a trace file: JSON Lines are read line by line; a single document is parsed by the streaming
 * reader with its span-bearing arrays (`resourceSpans`, Jaeger `data`, a Zipkin top-level array) handed over
 * element by element. Memory is what is kept (one trace with `traceId`), not the file size.
 */
export async function importTraceStream(chunks: AsyncIterable<string>, options: ImportOptions = {}, source: StreamSource = {}): Promise<TraceFileResult> {
  const c = new Collector(options);
  const iterator = chunks[Symbol.asyncIterator]();
  let head = '';
  // Enough of the start to tell JSON Lines from one document (only each new chunk is searched for the line
  // break: searching the whole head again per chunk is quadratic on a file without one). A source known to
  // be one document is read from its first chunk on, while the rest is still arriving.
  let newline = false;
  while (source.oneDocument ? head.trim() === '' : !newline || head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head += next.value;
    newline ||= next.value.includes('\n');
    if (head.length > 64 * 1024 * 1024) break;
  }
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const rest: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => iterator,
  };
  if (head.trim() === '') {
    c.problem('the file is empty');
    return c.result();
  }
  if (!source.oneDocument && looksLikeJsonLines(head)) {
    c.format = 'otlp-jsonl';
    let buf = head;
    let line = 1;
    for await (const chunk of rest) {
      buf += chunk;
      const cut = buf.lastIndexOf('\n');
      if (cut < 0) continue;
      line = feedLines(buf.slice(0, cut), c, line);
      buf = buf.slice(cut + 1);
    }
    if (buf.trim() !== '') feedLines(buf, c, line);
    return c.result();
  }
  async function* all(): AsyncIterable<string> {
    yield head;
    yield* rest;
  }
  let matched = false;
  try {
    const r = await scanJsonElements(all(), {
      streamed: [['resourceSpans'], ['data'], ['result', 'resourceSpans'], []],
      onElement: (path, value) => {
        matched = true;
        if (path.length === 0) {
          c.format = 'zipkin';
          if (Array.isArray(value)) for (const x of value) zipkinSpan(x, c.emit, c.problem);
          else zipkinSpan(value, c.emit, c.problem);
        } else if (path[0] === 'resourceSpans' || path[0] === 'result') {
          c.format = 'otlp';
          otlpResourceSpans(value, c.emit, c.problem);
        } else {
          c.format = 'jaeger';
          jaegerTrace(value, c.emit, c.problem);
        }
      },
    });
    if (!r.complete) c.problem(`the file ends in the middle of the JSON document (inside ${r.openPath.join('.') || 'the top level'}); the complete part was read`);
    if (!matched && !feedDocument(r.value, c)) c.problem(NOT_TRACES);
  } catch (e) {
    c.problem(`${errorMessage(e)}; what came before it was read`);
  }
  return c.result();
}
