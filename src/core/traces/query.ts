/**
 * A trace search as the user writes it (service, operation, `key=value` tags, durations like `250ms`, a
 * lookback or a time range, a limit), checked and turned into the query strings of Jaeger's HTTP JSON API
 * (`/api/traces`, what Jaeger UI uses) and of its api_v3 (`/api/v3/traces`, the only one some deployments
 * expose). Pure: the HTTP client is in jaeger.ts.
 */

export interface TraceQuery {
  service: string;
  operation?: string;
  /** Span attributes every returned trace must have somewhere (`error=true` finds failed requests). */
  tags?: Record<string, string>;
  minDurationUs?: number;
  maxDurationUs?: number;
  /** The time range, microseconds since the epoch. */
  startUs: number;
  endUs: number;
  limit: number;
}

export class QueryError extends Error {}

const UNITS: Record<string, number> = { ns: 0.001, us: 1, µs: 1, μs: 1, ms: 1000, s: 1e6, m: 60e6, min: 60e6, h: 3600e6, d: 86400e6 };

/**
 * A duration as Jaeger UI and Go write it: `250ms`, `1.5s`, `2m`, `1h30m`, `500us`; a bare number is
 * milliseconds. Returns microseconds.
 */
export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '') throw new QueryError('a duration is empty');
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)\s*(ns|us|µs|μs|ms|s|min|m|h|d)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    end = re.lastIndex;
  }
  if (end !== t.length || end === 0) throw new QueryError(`"${text}" is not a duration (write e.g. 250ms, 1.5s, 2m, 1h)`);
  if (!Number.isFinite(total)) throw new QueryError(`"${text}" is too long a duration`);
  return total;
}

/** Microseconds as Go's time.ParseDuration reads them (Jaeger's minDuration/maxDuration). */
export function goDuration(us: number): string {
  if (us >= 1000 && us % 1000 === 0) return `${us / 1000}ms`;
  return `${Math.round(us * 1000) / 1000}us`;
}

/** `key=value` (the first `=` splits; the value may hold more). */
export function parseTag(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new QueryError(`tag "${text}" is not key=value`);
  const key = text.slice(0, eq).trim();
  if (key === '') throw new QueryError(`tag "${text}" has no key`);
  return [key, text.slice(eq + 1).trim()];
}

/**
 * A point in time: ISO-8601 (`2026-11-20T09:12:00Z`), or seconds / milliseconds since the epoch (told
 * apart by size). Returns microseconds.
 */
export function parseTime(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    // Seconds until the year 5138; larger numbers are milliseconds, then microseconds.
    if (n < 1e11) return n * 1e6;
    if (n < 1e14) return n * 1000;
    return n;
  }
  const ms = Date.parse(t);
  if (!Number.isFinite(ms)) throw new QueryError(`"${text}" is not a time (write an ISO-8601 time such as 2026-11-20T09:12:00Z, or seconds since 1970)`);
  return ms * 1000;
}

export interface QueryInput {
  service?: string;
  operation?: string;
  tags?: readonly string[] | Record<string, string>;
  minDuration?: string;
  maxDuration?: string;
  lookback?: string;
  start?: string;
  end?: string;
  limit?: number | string;
}

export const DEFAULT_LOOKBACK_US = 3600e6;
export const DEFAULT_LIMIT = 20;
/** Jaeger's own UI offers up to 1,500; a stats run may ask for more. */
export const MAX_LIMIT = 100_000;

/** Checks a search as written and resolves the time range against `nowUs`. */
export function buildQuery(input: QueryInput, nowUs: number): TraceQuery {
  const service = input.service?.trim();
  if (!service) throw new QueryError('a service is required (Jaeger searches one service at a time)');
  const tags: Record<string, string> = {};
  if (Array.isArray(input.tags)) {
    for (const t of input.tags as readonly string[]) {
      const [k, v] = parseTag(t);
      tags[k] = v;
    }
  } else if (input.tags) Object.assign(tags, input.tags);
  const limitValue = input.limit === undefined || input.limit === '' ? DEFAULT_LIMIT : Number(input.limit);
  if (!Number.isInteger(limitValue) || limitValue < 1 || limitValue > MAX_LIMIT) throw new QueryError(`the limit must be a whole number from 1 to ${MAX_LIMIT}`);
  let startUs: number;
  let endUs: number;
  if (input.start || input.end) {
    if (input.lookback) throw new QueryError('give either a lookback or a start and end, not both');
    endUs = input.end ? parseTime(input.end) : nowUs;
    startUs = input.start ? parseTime(input.start) : endUs - DEFAULT_LOOKBACK_US;
  } else {
    endUs = nowUs;
    startUs = nowUs - (input.lookback ? parseDuration(input.lookback) : DEFAULT_LOOKBACK_US);
  }
  if (!(startUs < endUs)) throw new QueryError('the time range is empty: the start must come before the end');
  const q: TraceQuery = { service, startUs: Math.floor(startUs), endUs: Math.ceil(endUs), limit: limitValue };
  const operation = input.operation?.trim();
  if (operation) q.operation = operation;
  if (Object.keys(tags).length) q.tags = tags;
  if (input.minDuration?.trim()) q.minDurationUs = parseDuration(input.minDuration);
  if (input.maxDuration?.trim()) q.maxDurationUs = parseDuration(input.maxDuration);
  if (q.minDurationUs !== undefined && q.maxDurationUs !== undefined && q.maxDurationUs < q.minDurationUs) throw new QueryError('the maximum duration is below the minimum');
  return q;
}

/** `/api/traces?…` (times in µs, durations as Go durations, tags as one JSON object). */
export function v1SearchPath(q: TraceQuery): string {
  const p = new URLSearchParams();
  p.set('service', q.service);
  if (q.operation) p.set('operation', q.operation);
  if (q.tags) p.set('tags', JSON.stringify(q.tags));
  if (q.minDurationUs !== undefined) p.set('minDuration', goDuration(q.minDurationUs));
  if (q.maxDurationUs !== undefined) p.set('maxDuration', goDuration(q.maxDurationUs));
  p.set('start', String(q.startUs));
  p.set('end', String(q.endUs));
  p.set('limit', String(q.limit));
  return `/api/traces?${p.toString()}`;
}

function rfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  const micros = Math.floor(us - ms * 1000);
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** `/api/v3/traces?query.…` (RFC 3339 times, durations as Go durations, query.num_traces the limit). */
export function v3SearchPath(q: TraceQuery): string {
  const p = new URLSearchParams();
  p.set('query.service_name', q.service);
  if (q.operation) p.set('query.operation_name', q.operation);
  for (const [k, v] of Object.entries(q.tags ?? {})) p.set(`query.attributes[${k}]`, v);
  if (q.minDurationUs !== undefined) p.set('query.duration_min', goDuration(q.minDurationUs));
  if (q.maxDurationUs !== undefined) p.set('query.duration_max', goDuration(q.maxDurationUs));
  p.set('query.start_time_min', rfc3339(q.startUs));
  p.set('query.start_time_max', rfc3339(q.endUs));
  p.set('query.num_traces', String(q.limit));
  return `/api/v3/traces?${p.toString()}`;
}

/** Trace ids as Jaeger accepts them in a path: hex only (anything else would change the URL). */
export function checkTraceId(id: string): string {
  const t = id.trim().toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(t)) throw new QueryError(`"${id}" is not a trace id (1 to 32 hex digits)`);
  return t;
}

/** The service list of `/api/services` (`{data: [...]}`) or `/api/v3/services` (`{services: [...]}`). */
export function parseServices(doc: unknown): string[] | undefined {
  const o = doc as { data?: unknown; services?: unknown } | null;
  const list = Array.isArray(o?.data) ? o.data : Array.isArray(o?.services) ? o.services : undefined;
  if (!list) return undefined;
  return [...new Set(list.filter((s): s is string => typeof s === 'string'))].sort();
}

/**
 * The operations of `/api/services/{s}/operations` (`{data: ["name", …]}` in old versions,
 * `{data: [{name, spanKind}]}` in new ones) or `/api/v3/operations` (`{operations: [{name, spanKind}]}`).
 */
export function parseOperations(doc: unknown): string[] | undefined {
  const o = doc as { data?: unknown; operations?: unknown } | null;
  const list = Array.isArray(o?.data) ? o.data : Array.isArray(o?.operations) ? o.operations : undefined;
  if (!list) return undefined;
  const names = list.map((x) => (typeof x === 'string' ? x : typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string' ? (x as { name: string }).name : undefined));
  return [...new Set(names.filter((s): s is string => s !== undefined))].sort();
}

/**
 * The time range to search by default for an incident: from an hour before it was reported (the trouble
 * starts before anyone notices) to half an hour after its last event, or to now while it is open.
 */
export function incidentWindow(incident: { reportedAt: string; status?: string; events?: readonly { at: string }[] }, nowUs: number): { startUs: number; endUs: number } {
  const times = [incident.reportedAt, ...(incident.events ?? []).map((e) => e.at)].map((t) => Date.parse(t) * 1000).filter(Number.isFinite);
  if (times.length === 0) return { startUs: nowUs - DEFAULT_LOOKBACK_US, endUs: nowUs };
  const startUs = Math.min(...times) - 3600e6;
  const closed = incident.status === 'RESOLVED' || incident.status === 'CLOSED';
  const endUs = closed ? Math.min(nowUs, Math.max(...times) + 1800e6) : nowUs;
  return { startUs, endUs: Math.max(endUs, startUs + 1) };
}

/** Auth headers as `Name: value` lines or a JSON object of names to values (checked names, string values). */
export function parseHeaderText(text: string): Record<string, string> {
  const t = text.trim();
  if (t === '') return {};
  const out: Record<string, string> = {};
  const name = (n: string) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n)) throw new QueryError(`"${n.slice(0, 60)}" is not an HTTP header name`);
    return n;
  };
  if (t.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch {
      throw new QueryError('the auth headers are not a JSON object');
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new QueryError('the auth headers are not a JSON object');
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new QueryError(`auth header ${name(k)} is not a string`);
      out[name(k)] = v;
    }
    return out;
  }
  for (const line of t.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new QueryError('an auth header is not "Name: value"');
    const value = line.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) throw new QueryError('an auth header value holds a line break');
    out[name(line.slice(0, colon).trim())] = value;
  }
  return out;
}
