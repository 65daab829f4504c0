/**
 * Turns one parsed JSON value into log records: an object per line in most loggers; an OTLP/JSON export
 * line (`{"resourceLogs": [...]}`) holds many records, flattened here so the same field mapping applies
 * (`attributes.exception.type`, `resource.service.name`, `traceId`, `severityNumber`, `body`).
 */
import type { CanonicalField, FieldResolver } from './fieldMapping';
import { parseTraceback, fromStructuredExceptions } from './traceback';
import { ERROR_LEVELS, type ExceptionInfo, type LogRecord } from './types';
import { asText, normaliseId, normaliseLevel, parseTimestamp } from './values';

/** OTLP AnyValue → plain JS value. */
function anyValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return typeof o.intValue === 'string' ? Number(o.intValue) : o.intValue;
  if ('doubleValue' in o) return o.doubleValue;
  if ('boolValue' in o) return o.boolValue;
  if ('bytesValue' in o) return o.bytesValue;
  if ('arrayValue' in o) return ((o.arrayValue as { values?: unknown[] })?.values ?? []).map(anyValue);
  if ('kvlistValue' in o) return attributes((o.kvlistValue as { values?: unknown[] })?.values);
  return undefined;
}

/** OTLP `[{key, value}]` → `{key: value}` (keys keep their dots; the path resolver handles them). */
function attributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (kv && typeof kv === 'object' && typeof (kv as { key?: unknown }).key === 'string') {
      out[(kv as { key: string }).key] = anyValue((kv as { value?: unknown }).value);
    }
  }
  return out;
}

/** The objects a JSON line stands for: itself, or the flattened records of an OTLP logs export. */
export function expandJson(value: unknown): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const o = value as Record<string, unknown>;
  if (!Array.isArray(o.resourceLogs)) return [o];
  const out: Record<string, unknown>[] = [];
  for (const rl of o.resourceLogs as Record<string, unknown>[]) {
    const resource = attributes((rl?.resource as { attributes?: unknown })?.attributes);
    for (const sl of (rl?.scopeLogs as Record<string, unknown>[] | undefined) ?? []) {
      const scope = (sl?.scope as Record<string, unknown>) ?? {};
      for (const lr of (sl?.logRecords as Record<string, unknown>[] | undefined) ?? []) {
        if (!lr || typeof lr !== 'object') continue;
        out.push({ ...lr, body: anyValue(lr.body), attributes: attributes(lr.attributes), resource, scope });
      }
    }
  }
  return out;
}

function exceptionFrom(v: unknown): ExceptionInfo | undefined {
  if (typeof v === 'string') return v.includes('File "') || /Traceback|Error|Exception/.test(v) ? parseTraceback(v) : undefined;
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === 'string')) return parseTraceback(v.join(''));
    return fromStructuredExceptions(v);
  }
  if (v && typeof v === 'object') {
    // {type, message, traceback|stacktrace} objects (the seed's StructuredLogger, ECS `error`).
    const o = v as Record<string, unknown>;
    const inner = o.traceback ?? o.stacktrace ?? o.stack_trace ?? o.stack;
    if (inner !== undefined) return exceptionFrom(inner);
    return fromStructuredExceptions([v]);
  }
  return undefined;
}

const levelCache = new Map<unknown, string | undefined>();

/** normaliseLevel with a cache: a log has a handful of distinct level values and millions of lines. */
export function normaliseLevelCached(v: unknown): string | undefined {
  let r = levelCache.get(v);
  if (r === undefined && !levelCache.has(v)) {
    r = normaliseLevel(v);
    if (levelCache.size < 256) levelCache.set(v, r);
  }
  return r;
}

/** True when the record is worth a full read for errors: an error level, or no level but an exception. */
export function quickIsError(o: Record<string, unknown>, fields: FieldResolver): boolean | 'noFields' {
  return quickIsErrorOf((f) => fields.get(o, f));
}

/** `quickIsError` over any source of field values. */
export function quickIsErrorOf(get: (field: CanonicalField) => unknown): boolean | 'noFields' {
  const level = normaliseLevelCached(get('level'));
  if (level !== undefined) return ERROR_LEVELS.has(level);
  if (get('stackTrace') !== undefined || get('exceptionType') !== undefined) return true;
  return get('message') === undefined ? 'noFields' : false;
}

/** Reads every canonical field of one object. Returns undefined when it has none of the fields we read. */
export function toRecord(o: Record<string, unknown>, fields: FieldResolver, source: string, line: number): LogRecord | undefined {
  return recordOf((f) => fields.get(o, f), source, line);
}

/** `toRecord` over any source of field values (a parsed object, or a raw line read in place). */
export function recordOf(get: (field: CanonicalField) => unknown, source: string, line: number, timestamp?: number): LogRecord | undefined {
  const levelRaw = get('level');
  const messageRaw = get('message');
  const stackRaw = get('stackTrace');
  const typeRaw = get('exceptionType');
  if (levelRaw === undefined && messageRaw === undefined && stackRaw === undefined && typeRaw === undefined) return undefined;
  const record: LogRecord = { source, line, message: asText(messageRaw) ?? '' };
  const level = normaliseLevelCached(levelRaw);
  if (level) record.level = level;
  const ts = timestamp ?? parseTimestamp(get('timestamp'));
  if (ts !== undefined) record.timestamp = ts;
  const exc = stackRaw !== undefined ? exceptionFrom(stackRaw) : undefined;
  if (exc) record.exception = exc;
  const et = asText(typeRaw);
  if (et) record.exceptionType = et;
  const em = asText(get('exceptionMessage'));
  if (em !== undefined) record.exceptionMessage = em;
  const service = asText(get('service'), 300);
  if (service) record.service = service;
  const version = asText(get('version'), 300);
  if (version) record.version = version;
  const endpoint = asText(get('endpoint'), 300);
  if (endpoint) record.endpoint = endpoint;
  const logger = asText(get('logger'), 300);
  if (logger) record.logger = logger;
  const user = get('userId');
  if (user !== undefined && user !== null && user !== '') record.userId = asText(user, 200)!;
  const req = normaliseId(get('requestId'));
  if (req) record.requestId = req;
  const trace = normaliseId(get('traceId'));
  if (trace && !/^0+$/.test(trace)) record.traceId = trace;
  const span = normaliseId(get('spanId'));
  if (span && !/^0+$/.test(span)) record.spanId = span;
  return record;
}
