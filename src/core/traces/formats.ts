/**
 * Converters from each trace format's JSON to `Span`s. Each takes one parsed unit (an OTLP export request or
 * one of its `resourceSpans`; a Jaeger trace from `data[]`; Zipkin spans) so the same code serves whole
 * documents, JSON Lines and streamed huge files. Unknown fields are ignored; missing or odd ones are
 * repaired and reported through `problem`, never thrown.
 */
import type { Attributes, Span, SpanEvent, SpanLink } from './types';
import { isObject, jaegerTags, normalizeId, otlpAttributes, plainValue, spanKind, statusCode, stringAttr, toMicros } from './values';

export type Emit = (span: Span) => void;
export type Problem = (message: string) => void;

function fixTimes(span: Span, problem: Problem): Span {
  if (!Number.isFinite(span.startUs) && Number.isFinite(span.endUs)) span.startUs = span.endUs;
  if (!Number.isFinite(span.endUs) && Number.isFinite(span.startUs)) span.endUs = span.startUs;
  if (!Number.isFinite(span.startUs)) {
    problem(`span ${span.spanId || '(no id)'} "${span.name}" has no start time; placed at 0`);
    span.startUs = 0;
    span.endUs = 0;
  }
  if (span.endUs < span.startUs) {
    problem(`span ${span.spanId} "${span.name}" ends before it starts; its duration is taken as 0`);
    span.endUs = span.startUs;
  }
  return span;
}

function idOrProblem(id: string, what: string, problem: Problem): string {
  if (id === '') problem(`a span has no ${what}`);
  return id;
}

// ---------- OTLP/JSON (and protobuf JSON with base64 ids and string enums) ----------

/** One `resourceSpans` entry. */
export function otlpResourceSpans(rs: unknown, emit: Emit, problem: Problem): void {
  if (!isObject(rs)) return;
  const resource = otlpAttributes(isObject(rs.resource) ? rs.resource.attributes : undefined);
  const service = stringAttr(resource, 'service.name') ?? 'unknown_service';
  const scopes = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
  for (const ss of scopes) {
    if (!isObject(ss)) continue;
    const scopeObj = isObject(ss.scope) ? ss.scope : isObject(ss.instrumentationLibrary) ? ss.instrumentationLibrary : undefined;
    const scope = typeof scopeObj?.name === 'string' ? scopeObj.name : undefined;
    if (!Array.isArray(ss.spans)) continue;
    for (const s of ss.spans) {
      if (!isObject(s)) {
        problem('a span entry is not an object; skipped');
        continue;
      }
      emit(otlpSpan(s, service, resource, scope, problem));
    }
  }
}

export function otlpSpan(s: Record<string, unknown>, service: string, resource: Attributes | undefined, scope: string | undefined, problem: Problem): Span {
  // Hot path (100k+ spans): plain property writes, no intermediate objects.
  const status = isObject(s.status) ? s.status : undefined;
  const events: SpanEvent[] = [];
  if (Array.isArray(s.events)) {
    for (const e of s.events) if (isObject(e)) events.push({ timeUs: toMicros(e.timeUnixNano, 'ns') ?? NaN, name: String(e.name ?? ''), attributes: otlpAttributes(e.attributes) });
  }
  const links: SpanLink[] = [];
  if (Array.isArray(s.links)) {
    for (const l of s.links) if (isObject(l)) links.push({ traceId: normalizeId(l.traceId, 16), spanId: normalizeId(l.spanId, 8), attributes: otlpAttributes(l.attributes) });
  }
  const span: Span = {
    traceId: idOrProblem(normalizeId(s.traceId, 16), 'trace id', problem),
    spanId: idOrProblem(normalizeId(s.spanId, 8), 'span id', problem),
    name: typeof s.name === 'string' ? s.name : String(s.name ?? ''),
    service,
    kind: spanKind(s.kind),
    startUs: toMicros(s.startTimeUnixNano, 'ns') ?? NaN,
    endUs: toMicros(s.endTimeUnixNano, 'ns') ?? NaN,
    status: status ? statusCode(status.code) : 'UNSET',
    attributes: otlpAttributes(s.attributes),
    events,
    links,
  };
  const parent = s.parentSpanId ? normalizeId(s.parentSpanId, 8) : '';
  if (parent) span.parentSpanId = parent;
  if (status && typeof status.message === 'string' && status.message) span.statusMessage = status.message;
  if (resource) span.resource = resource;
  if (scope) span.scope = scope;
  return fixTimes(span, problem);
}

/** An OTLP export request `{resourceSpans:[…]}`. */
export function otlpDocument(doc: unknown, emit: Emit, problem: Problem): void {
  if (!isObject(doc) || !Array.isArray(doc.resourceSpans)) return;
  for (const rs of doc.resourceSpans) otlpResourceSpans(rs, emit, problem);
}

// ---------- Jaeger /api/traces ----------

/** One trace object from Jaeger's `data[]`: `{traceID, spans, processes}`. */
export function jaegerTrace(trace: unknown, emit: Emit, problem: Problem): void {
  if (!isObject(trace) || !Array.isArray(trace.spans)) return;
  const processes = isObject(trace.processes) ? trace.processes : {};
  for (const s of trace.spans) {
    if (!isObject(s)) {
      problem('a Jaeger span entry is not an object; skipped');
      continue;
    }
    const proc = isObject(s.process) ? s.process : typeof s.processID === 'string' && isObject(processes[s.processID]) ? (processes[s.processID] as Record<string, unknown>) : undefined;
    const service = typeof proc?.serviceName === 'string' ? proc.serviceName : 'unknown_service';
    const tags = jaegerTags(s.tags);
    const refs = Array.isArray(s.references) ? s.references.filter(isObject) : [];
    const childOf = refs.find((r) => r.refType === 'CHILD_OF') ?? refs[0];
    let parent = childOf ? normalizeId(childOf.spanID, 8) : '';
    if (!parent && typeof s.parentSpanID === 'string') parent = normalizeId(s.parentSpanID, 8);
    const start = toMicros(s.startTime, 'us') ?? NaN;
    const dur = toMicros(s.duration, 'us') ?? 0;
    const kindTag = typeof tags['span.kind'] === 'string' ? tags['span.kind'] : undefined;
    const error = tags.error === true || tags.error === 'true' || tags['otel.status_code'] === 'ERROR';
    const span: Span = {
      traceId: idOrProblem(normalizeId(s.traceID ?? trace.traceID, 16), 'trace id', problem),
      spanId: idOrProblem(normalizeId(s.spanID, 8), 'span id', problem),
      ...(parent ? { parentSpanId: parent } : {}),
      ...(childOf && childOf.refType === 'FOLLOWS_FROM' ? { followsFrom: true } : {}),
      name: typeof s.operationName === 'string' ? s.operationName : String(s.operationName ?? ''),
      service,
      kind: spanKind(kindTag),
      startUs: start,
      endUs: start + dur,
      status: error ? 'ERROR' : tags['otel.status_code'] === 'OK' ? 'OK' : 'UNSET',
      ...(typeof tags['otel.status_description'] === 'string' ? { statusMessage: tags['otel.status_description'] } : {}),
      attributes: tags,
      ...(proc ? { resource: jaegerTags(proc.tags) } : {}),
      ...(typeof tags['otel.scope.name'] === 'string' ? { scope: tags['otel.scope.name'] } : {}),
      events: Array.isArray(s.logs)
        ? s.logs.filter(isObject).map((l) => {
            const fields = jaegerTags(l.fields);
            const name = typeof fields.event === 'string' ? fields.event : typeof fields.message === 'string' ? fields.message : 'log';
            return { timeUs: toMicros(l.timestamp, 'us') ?? NaN, name, attributes: fields };
          })
        : [],
      links: refs.filter((r) => r !== childOf).map((r) => ({ traceId: normalizeId(r.traceID, 16), spanId: normalizeId(r.spanID, 8), attributes: {} })),
    };
    emit(fixTimes(span, problem));
  }
}

export function jaegerDocument(doc: unknown, emit: Emit, problem: Problem): void {
  if (!isObject(doc) || !Array.isArray(doc.data)) return;
  for (const t of doc.data) jaegerTrace(t, emit, problem);
}

// ---------- Zipkin v2 ----------

export function zipkinSpan(s: unknown, emit: Emit, problem: Problem): void {
  if (!isObject(s)) {
    problem('a Zipkin span entry is not an object; skipped');
    return;
  }
  const local = isObject(s.localEndpoint) ? s.localEndpoint : {};
  const remote = isObject(s.remoteEndpoint) ? s.remoteEndpoint : undefined;
  const tags: Attributes = {};
  if (isObject(s.tags)) for (const [k, v] of Object.entries(s.tags)) Object.defineProperty(tags, k, { value: plainValue(v), enumerable: true, writable: true, configurable: true });
  if (remote && typeof remote.serviceName === 'string') tags['peer.service'] ??= remote.serviceName;
  const start = toMicros(s.timestamp, 'us') ?? NaN;
  const dur = toMicros(s.duration, 'us') ?? 0;
  const parent = normalizeId(s.parentId, 8);
  const error = 'error' in tags || tags['otel.status_code'] === 'ERROR';
  const span: Span = {
    traceId: idOrProblem(normalizeId(s.traceId, 16), 'trace id', problem),
    spanId: idOrProblem(normalizeId(s.id, 8), 'span id', problem),
    ...(parent ? { parentSpanId: parent } : {}),
    name: typeof s.name === 'string' ? s.name : '',
    service: typeof local.serviceName === 'string' && local.serviceName ? local.serviceName : 'unknown_service',
    kind: spanKind(s.kind),
    startUs: start,
    endUs: start + dur,
    status: error ? 'ERROR' : tags['otel.status_code'] === 'OK' ? 'OK' : 'UNSET',
    ...(error && typeof tags.error === 'string' && tags.error !== '' ? { statusMessage: tags.error } : {}),
    attributes: tags,
    ...(typeof tags['otel.library.name'] === 'string' ? { scope: tags['otel.library.name'] } : typeof tags['otel.scope.name'] === 'string' ? { scope: tags['otel.scope.name'] } : {}),
    events: Array.isArray(s.annotations)
      ? s.annotations.filter(isObject).map((a) => ({ timeUs: toMicros(a.timestamp, 'us') ?? NaN, name: String(a.value ?? ''), attributes: {} }))
      : [],
    links: [],
  };
  if (s.shared === true) span.attributes['zipkin.shared'] = true;
  emit(fixTimes(span, problem));
}

/**
 * Zipkin's RPC halves: the server may report its half with the client's span id (`shared: true`). Both are
 * kept as spans (they are two processes' views), but the shared server half gets its own id and the client
 * half as parent; spans of the server's service that named the shared id as parent move under the server half.
 * Exact re-reports (same id, service and kind) are merged.
 */
export function dedupeZipkinShared(spans: Span[], problem: Problem): Span[] {
  const byKey = new Map<string, Span[]>();
  for (const s of spans) {
    const key = `${s.traceId}/${s.spanId}`;
    const list = byKey.get(key);
    if (list) list.push(s);
    else byKey.set(key, [s]);
  }
  const out: Span[] = [];
  const serverHalves = new Map<string, Span>();
  let merged = 0;
  let split = 0;
  for (const [key, list] of byKey) {
    if (list.length === 1) {
      out.push(list[0]!);
      continue;
    }
    const kept: Span[] = [];
    for (const s of list) {
      const same = kept.find((k) => k.service === s.service && k.kind === s.kind);
      if (same) {
        same.startUs = Math.min(same.startUs, s.startUs);
        same.endUs = Math.max(same.endUs, s.endUs);
        Object.assign(same.attributes, s.attributes);
        same.events.push(...s.events);
        if (s.status === 'ERROR') same.status = 'ERROR';
        merged++;
      } else kept.push(s);
    }
    const client = kept.find((s) => s.kind === 'CLIENT' || s.kind === 'PRODUCER') ?? kept.find((s) => s.attributes['zipkin.shared'] !== true) ?? kept[0]!;
    out.push(client);
    for (const s of kept) {
      if (s === client) continue;
      split++;
      const halfId = `${s.spanId}-${s.kind === 'SERVER' || s.kind === 'CONSUMER' ? s.kind.toLowerCase() : 'shared'}${split}`;
      serverHalves.set(`${key}/${s.service}`, s);
      s.parentSpanId = client.spanId;
      s.spanId = halfId;
      out.push(s);
    }
  }
  if (serverHalves.size > 0) {
    for (const s of out) {
      if (!s.parentSpanId) continue;
      const half = serverHalves.get(`${s.traceId}/${s.parentSpanId}/${s.service}`);
      if (half && half !== s) s.parentSpanId = half.spanId;
    }
  }
  if (merged) problem(`${merged} Zipkin span report${merged === 1 ? ' was a duplicate' : 's were duplicates'} of the same span and merged`);
  if (split) problem(`${split} shared Zipkin RPC span${split === 1 ? '' : 's'} (client and server under one id) split into client and server halves`);
  return out;
}
