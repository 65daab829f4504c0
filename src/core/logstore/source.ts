/**
 * A store named as a URL (`victorialogs://host:port/path?query=LogsQL`, or `victorialogs+https://…`) and a
 * time window from --start/--end or --lookback. Pure parsing: nothing here talks to the network.
 */
import { parseTimestamp } from '../logs/values';
import { LogStoreError, type TimeWindow } from './types';

export interface StoreSource {
  kind: 'victorialogs';
  /** The HTTP base URL (credentials removed). */
  baseUrl: string;
  /** The LogsQL filter for the service (`*` when none). */
  query: string;
  /** Basic credentials given in the URL, as an Authorization header value. */
  authorization?: string;
}

function base64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function parseStoreUrl(text: string): StoreSource {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LogStoreError('input', `--source "${text}" is not a URL; use victorialogs://HOST:PORT?query=LOGSQL (e.g. victorialogs://127.0.0.1:9428?query=service:checkout)`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  const http = scheme === 'victorialogs' || scheme === 'victorialogs+http' ? 'http' : scheme === 'victorialogs+https' ? 'https' : undefined;
  if (!http) throw new LogStoreError('input', `--source "${text}": unsupported store "${scheme}"; supported: victorialogs:// (VictoriaLogs over HTTP) and victorialogs+https://`);
  if (!url.hostname) throw new LogStoreError('input', `--source "${text}" names no host`);
  const query = url.searchParams.get('query')?.trim() || '*';
  const authorization = url.username ? `Basic ${base64(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}` : undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return { kind: 'victorialogs', baseUrl: `${http}://${url.host}${path}`, query, ...(authorization ? { authorization } : {}) };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `2h`, `7d`, `1h30m` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 ? ms : undefined;
}

/** The window of --start/--end/--lookback (`now` for an open end); defaults to the last hour. */
export function resolveWindow(o: { start?: string; end?: string; lookback?: string }, now: number): TimeWindow {
  const time = (name: string, v: string): number => {
    const t = parseTimestamp(v);
    if (t === undefined || !/\d{4}-\d{2}-\d{2}/.test(v)) throw new LogStoreError('input', `--${name} needs an ISO time such as 2026-11-29T03:00:00Z; got "${v}"`);
    return t;
  };
  if (o.lookback !== undefined && o.start !== undefined) throw new LogStoreError('input', '--lookback and --start both set the start; pick one');
  const end = o.end !== undefined ? time('end', o.end) : now;
  let start: number;
  if (o.start !== undefined) start = time('start', o.start);
  else {
    const d = parseDuration(o.lookback ?? '1h');
    if (d === undefined) throw new LogStoreError('input', `--lookback needs a duration such as 15m, 2h or 7d; got "${o.lookback}"`);
    start = end - d;
  }
  if (!(start < end)) throw new LogStoreError('input', `the window is empty: start ${new Date(start).toISOString()} is not before end ${new Date(end).toISOString()}`);
  return { start, end };
}

/**
 * An incident's window for log queries: an hour before it was reported (or its first event) to an hour
 * after its last event when it is resolved or closed, else to `now`.
 */
export function incidentWindow(incident: { reportedAt?: string; status?: string; events?: { at?: string }[] }, now: number): TimeWindow {
  const times = [incident.reportedAt, ...(incident.events ?? []).map((e) => e.at)].map((t) => (t ? Date.parse(t) : NaN)).filter(Number.isFinite);
  if (times.length === 0) return { start: now - 3_600_000, end: now };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const closed = incident.status === 'RESOLVED' || incident.status === 'CLOSED';
  const end = closed ? last + 3_600_000 : Math.max(now, last + 60_000);
  return { start: first - 3_600_000, end };
}
