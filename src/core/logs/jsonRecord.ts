/**
 * Turns one parsed JSON value into log records: an object per line in most loggers; an OTLP/JSON export
 * line (`{"resourceLogs": [...]}`) holds many records, flattened here so the same field mapping applies
 * (`attributes.exception.type`, `resource.service.name`, `traceId`, `severityNumber`, `body`).
 */
import { CANONICAL_FIELDS, type FieldResolver } from './fieldMapping';
import { parseTraceback, fromStructuredExceptions } from './traceback';
import { goStackArrayFrames, goStackFrames } from './panics';
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

/** A Go stack as text: a function line, then its file under it after a tab. */
const GO_STACK = /^[\w./*()-]+\n\t\S+\.go:\d+/;

function exceptionFrom(v: unknown): ExceptionInfo | undefined {
  if (typeof v === 'string') {
    if (v.includes('File "') || /Traceback|Error|Exception/.test(v)) return parseTraceback(v);
    // zap's `stacktrace` (a Go service's error lines): the frames of an `error`, whose text is the line's `error`.
    const frames = GO_STACK.test(v) ? goStackFrames(v.split('\n')) : [];
    return frames.length ? { chain: [{ type: 'error', message: '', frames }], truncated: false } : undefined;
  }
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === 'string')) return parseTraceback(v.join(''));
    // zerolog's `stack` (a Go service's error lines): the frames of an `error`, whose text is the line's `error`.
    const frames = goStackArrayFrames(v);
    if (frames) return { chain: [{ type: 'error', message: '', frames }], truncated: false };
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
  const level = normaliseLevelCached(fields.get(o, 'level'));
  if (level !== undefined) return ERROR_LEVELS.has(level);
  if (fields.get(o, 'stackTrace') !== undefined || fields.get(o, 'exceptionType') !== undefined) return true;
  return fields.get(o, 'message') === undefined ? 'noFields' : false;
}

// The indices of the fields in `CANONICAL_FIELDS` (FieldResolver `readRecord`).
const [TIMESTAMP, LEVEL, MESSAGE, EXC_TYPE, EXC_MESSAGE, STACK, TRACE, SPAN, REQUEST, USER, ENDPOINT, SERVICE, VERSION, LOGGER] = CANONICAL_FIELDS.map((_, i) => i) as number[];

/** `quickIsError` of a record's fields already read (by CANONICAL_FIELDS index). */
export function quickIsErrorOf(v: readonly unknown[]): boolean | 'noFields' {
  const level = normaliseLevelCached(v[LEVEL]);
  if (level !== undefined) return ERROR_LEVELS.has(level);
  if (v[STACK] !== undefined || v[EXC_TYPE] !== undefined) return true;
  return v[MESSAGE] === undefined ? 'noFields' : false;
}

/** Reads every canonical field of one object. Returns undefined when it has none of the fields we read. */
export function toRecord(o: Record<string, unknown>, fields: FieldResolver, source: string, line: number): LogRecord | undefined {
  const v = new Array<unknown>(CANONICAL_FIELDS.length);
  if (!fields.readRecord(o, v)) return undefined;
  return recordOf(v, source, line, o.error);
}

/**
 * The record of one object's canonical fields as `readRecord` read them (by CANONICAL_FIELDS index; `errorKey`:
 * the object's top-level `error`; `time`: the timestamp's `parseTimestamp`, when the caller has it).
 */
export function recordOf(v: readonly unknown[], source: string, line: number, errorKey: unknown, time?: number): LogRecord {
  const record: LogRecord = { source, line, message: asText(v[MESSAGE]) ?? '' };
  const level = normaliseLevelCached(v[LEVEL]);
  if (level) record.level = level;
  const ts = time ?? parseTimestamp(v[TIMESTAMP]);
  if (ts !== undefined) record.timestamp = ts;
  const exc = v[STACK] !== undefined ? exceptionFrom(v[STACK]) : undefined;
  if (exc) record.exception = exc;
  // (zap's `zap.Error(err)` and zerolog's `Err(err)` write the error's text under `error`, beside the stack)
  const goError = exc?.chain[0]!.type === 'error' && exc.chain[0]!.message === '' ? errorKey : undefined;
  if (typeof goError === 'string') exc!.chain[0]!.message = goError;
  const et = asText(v[EXC_TYPE]);
  if (et) record.exceptionType = et;
  const em = asText(v[EXC_MESSAGE]);
  if (em !== undefined) record.exceptionMessage = em;
  const service = asText(v[SERVICE], 300);
  if (service) record.service = service;
  const version = asText(v[VERSION], 300);
  if (version) record.version = version;
  const endpoint = asText(v[ENDPOINT], 300);
  if (endpoint) record.endpoint = endpoint;
  const logger = asText(v[LOGGER], 300);
  if (logger) record.logger = logger;
  const user = v[USER];
  if (user !== undefined && user !== null && user !== '') record.userId = asText(user, 200)!;
  const req = normaliseId(v[REQUEST]);
  if (req) record.requestId = req;
  const trace = normaliseId(v[TRACE]);
  if (trace && !/^0+$/.test(trace)) record.traceId = trace;
  const span = normaliseId(v[SPAN]);
  if (span && !/^0+$/.test(span)) record.spanId = span;
  return record;
}
