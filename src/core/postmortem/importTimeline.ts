import type { TimelineEntry } from './types';

const pick = (o: Record<string, unknown>, keys: string[]): string | undefined => {
  for (const k of keys) if (typeof o[k] === 'string' && o[k] !== '') return o[k] as string;
  for (const k of keys) if (typeof o[k] === 'number') return new Date(o[k] as number).toISOString();
  return undefined;
};

/** The schema's timestamp form: date, time and a zone. */
const SCHEMA_TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

function normalizeTimestamp(value: string): string | undefined {
  if (SCHEMA_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  return SCHEMA_TIMESTAMP.test(iso) ? iso : undefined;
}

/**
 * Timeline entries from a forensics export: a JSON array, `{timeline: [...]}`/`{events: [...]}`, or JSON lines,
 * each with a time (timestamp|at|time|ts) and text (event|message|text|summary). Rows without both are skipped.
 */
export function parseForensicsTimeline(text: string): TimelineEntry[] {
  let rows: unknown[];
  const trimmed = text.trim();
  try {
    const v = JSON.parse(trimmed) as unknown;
    rows = Array.isArray(v) ? v : v && typeof v === 'object' ? (((v as Record<string, unknown>).timeline ?? (v as Record<string, unknown>).events ?? []) as unknown[]) : [];
  } catch {
    rows = trimmed.split(/\r?\n/).flatMap((l) => {
      try {
        return [JSON.parse(l) as unknown];
      } catch {
        return [];
      }
    });
  }
  if (!Array.isArray(rows)) return [];
  const out: TimelineEntry[] = [];
  for (const r of rows) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    const timestamp = pick(o, ['timestamp', 'at', 'time', 'ts']);
    const event = pick(o, ['event', 'message', 'text', 'summary', 'msg']);
    if (!timestamp || !event) continue;
    const iso = normalizeTimestamp(timestamp);
    if (!iso) continue;
    const actor = pick(o, ['actor', 'source', 'service', 'span']);
    const action = pick(o, ['action', 'kind', 'level', 'type']);
    const link = typeof o.link === 'string' && o.link ? o.link : undefined;
    out.push({ timestamp: iso, event, ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(link ? { link } : {}) });
  }
  return out;
}
