/**
 * Logs for correlation with traces: JSON Lines (and plain text) through the Errors feature's reader and
 * field mapping (src/core/logs), plus OTLP/JSON logs (`resourceLogs`), which that reader does not take.
 */
import { parseJsonBounded } from '../json/depth';
import type { FieldMapping } from '../logs/fieldMapping';
import { readText } from '../logs/reader';
import type { LogRecord } from '../logs/types';
import { anyValue, isObject, normalizeId, otlpAttributes, stringAttr, toMicros } from '../traces/values';

const SEVERITY_BY_NUMBER = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'FATAL'];

function severity(number: unknown, text: unknown): string | undefined {
  if (typeof text === 'string' && text) return text.toUpperCase() === 'WARN' ? 'WARNING' : text.toUpperCase();
  const n = Number(number);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return SEVERITY_BY_NUMBER[Math.min(5, Math.floor((n - 1) / 4))];
}

/** OTLP/JSON logs `{resourceLogs:[…]}` (one document, or one per line). */
export function otlpLogs(doc: unknown, source: string, line: number, out: LogRecord[]): boolean {
  if (!isObject(doc) || !Array.isArray(doc.resourceLogs)) return false;
  for (const rl of doc.resourceLogs) {
    if (!isObject(rl)) continue;
    const resource = otlpAttributes(isObject(rl.resource) ? rl.resource.attributes : undefined);
    const service = stringAttr(resource, 'service.name');
    for (const sl of Array.isArray(rl.scopeLogs) ? rl.scopeLogs : []) {
      if (!isObject(sl) || !Array.isArray(sl.logRecords)) continue;
      const scope = isObject(sl.scope) && typeof sl.scope.name === 'string' ? sl.scope.name : undefined;
      for (const r of sl.logRecords) {
        if (!isObject(r)) continue;
        const us = toMicros(r.timeUnixNano, 'ns') || toMicros(r.observedTimeUnixNano, 'ns');
        const attrs = otlpAttributes(r.attributes);
        const body = anyValue(r.body);
        const traceId = normalizeId(r.traceId, 16);
        const spanId = normalizeId(r.spanId, 8);
        const excType = stringAttr(attrs, 'exception.type');
        const excMessage = stringAttr(attrs, 'exception.message');
        out.push({
          source,
          line,
          ...(us ? { timestamp: us / 1000 } : {}),
          ...(severity(r.severityNumber, r.severityText) ? { level: severity(r.severityNumber, r.severityText)! } : {}),
          message: typeof body === 'string' ? body : body === null ? '' : JSON.stringify(body),
          ...(scope ? { logger: scope } : {}),
          ...(service ? { service } : {}),
          ...(traceId ? { traceId } : {}),
          ...(spanId ? { spanId } : {}),
          ...(excType ? { exceptionType: excType } : {}),
          ...(excMessage ? { exceptionMessage: excMessage } : {}),
        });
      }
    }
  }
  return true;
}

export interface CorrelationLogs {
  records: LogRecord[];
  format: 'otlp' | 'lines';
  problems: string[];
}

/** Every record of a log file (not only errors), with trace and span ids normalised like spans'. */
export function readCorrelationLogs(text: string, source: string, fields?: FieldMapping): CorrelationLogs {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const head = body.trimStart();
  if (head.startsWith('{') && head.slice(0, 4096).includes('"resourceLogs"')) {
    const out: LogRecord[] = [];
    const problems: string[] = [];
    let parsedWhole = false;
    try {
      parsedWhole = otlpLogs(parseJsonBounded(body), source, 1, out);
    } catch {
      /* JSON Lines */
    }
    if (!parsedWhole) {
      body.split('\n').forEach((l, i) => {
        if (l.trim() === '') return;
        try {
          otlpLogs(parseJsonBounded(l), source, i + 1, out);
        } catch {
          problems.push(`${source}:${i + 1}: not valid JSON; line skipped`);
        }
      });
    }
    return { records: out, format: 'otlp', problems: problems.slice(0, 20) };
  }
  const { records, context } = readText(body, { allRecords: true, source, ...(fields ? { fields } : {}) });
  for (const r of records) {
    if (r.traceId) r.traceId = normalizeId(r.traceId, 16);
    if (r.spanId) r.spanId = normalizeId(r.spanId, 8);
  }
  const problems = context.skips.summaries().map((x) => x.message);
  return { records, format: 'lines', problems };
}
