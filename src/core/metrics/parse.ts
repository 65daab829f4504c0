/**
 * Metrics readers: Prometheus `query_range` (and instant `query`) answers, OTLP/JSON metrics (gauge, sum,
 * histogram, exponential histogram, summary; also the file exporter's JSON Lines), and CSV with columns
 * timestamp, name, value, labels. Bad rows are skipped and reported, never fatal.
 */
import { anyValue, isObject, otlpAttributes, toMicros } from '../traces/values';
import { readCsvText, type CsvReadSummary } from '../csv/records';
import { parseJsonBounded } from '../json/depth';
import type { MetricPoint, MetricSeries, MetricsResult } from './types';
import { seriesKey } from './types';

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === 'NaN') return NaN;
    if (t === '+Inf' || t === 'Inf') return Infinity;
    if (t === '-Inf') return -Infinity;
    if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
    return Number(t);
  }
  return undefined;
}

/** Seconds, milliseconds, micro- or nanoseconds since the epoch (by magnitude), or ISO-8601, to ms. */
export function timeToMs(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined && Number.isFinite(n)) {
    const a = Math.abs(n);
    if (a < 1e11) return n * 1000;
    if (a < 1e14) return n;
    if (a < 1e17) return n / 1000;
    return n / 1e6;
  }
  if (typeof v === 'string' && v.trim() !== '') {
    const t = Date.parse(v.trim());
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

export class Series {
  private readonly map = new Map<string, MetricSeries>();
  get(name: string, labels: Record<string, string>, unit?: string): MetricSeries {
    const key = seriesKey({ name, labels });
    let s = this.map.get(key);
    if (!s) {
      s = { name, labels, points: [], ...(unit ? { unit } : {}) };
      this.map.set(key, s);
    }
    return s;
  }
  all(): MetricSeries[] {
    const out = [...this.map.values()];
    for (const s of out) s.points.sort((a, b) => a.t - b.t);
    return out;
  }
}

function stringLabels(o: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(o)) return out;
  for (const [k, v] of Object.entries(o)) if (k !== '__name__') Object.defineProperty(out, k, { value: typeof v === 'string' ? v : JSON.stringify(v), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A Prometheus HTTP API answer (`query_range` matrix, `query` vector or scalar). */
export function prometheusResult(doc: unknown, into: Series, problems: MetricsResult['problems']): boolean {
  if (!isObject(doc) || !isObject(doc.data) || doc.status === undefined) return false;
  if (doc.status !== 'success') {
    problems.push({ message: `Prometheus answered ${String(doc.status)}: ${String(doc.error ?? doc.errorType ?? 'no reason given')}` });
    return true;
  }
  const data = doc.data;
  const result = Array.isArray(data.result) ? data.result : [];
  let bad = 0;
  for (const r of result) {
    if (!isObject(r)) continue;
    const metric = isObject(r.metric) ? r.metric : {};
    const name = typeof metric.__name__ === 'string' ? metric.__name__ : 'value';
    const s = into.get(name, stringLabels(metric));
    const pairs = Array.isArray(r.values) ? r.values : Array.isArray(r.value) ? [r.value] : [];
    for (const p of pairs) {
      if (!Array.isArray(p) || p.length < 2) {
        bad++;
        continue;
      }
      const t = num(p[0]);
      const v = num(p[1]);
      if (t === undefined || v === undefined) {
        bad++;
        continue;
      }
      s.points.push({ t: t * 1000, v });
    }
  }
  if (bad) problems.push({ message: `${bad} sample${bad === 1 ? ' was' : 's were'} not [time, "value"] pairs; skipped` });
  return true;
}

function pointTime(p: Record<string, unknown>): number | undefined {
  const us = toMicros(p.timeUnixNano ?? p.startTimeUnixNano, 'ns');
  return us === undefined ? undefined : us / 1000;
}

/** OTLP/JSON metrics `{resourceMetrics:[…]}`. Histograms give `<name>_count`, `_sum` and `_mean` series. */
export function otlpMetrics(doc: unknown, into: Series, problems: MetricsResult['problems']): boolean {
  if (!isObject(doc) || !Array.isArray(doc.resourceMetrics)) return false;
  let bad = 0;
  for (const rm of doc.resourceMetrics) {
    if (!isObject(rm)) continue;
    const resource = otlpAttributes(isObject(rm.resource) ? rm.resource.attributes : undefined);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    const scopes = Array.isArray(rm.scopeMetrics) ? rm.scopeMetrics : [];
    for (const sm of scopes) {
      if (!isObject(sm) || !Array.isArray(sm.metrics)) continue;
      for (const m of sm.metrics) {
        if (!isObject(m) || typeof m.name !== 'string') continue;
        const unit = typeof m.unit === 'string' && m.unit ? m.unit : undefined;
        const body = (isObject(m.gauge) && m.gauge) || (isObject(m.sum) && m.sum) || (isObject(m.histogram) && m.histogram) || (isObject(m.exponentialHistogram) && m.exponentialHistogram) || (isObject(m.summary) && m.summary);
        if (!body || !Array.isArray(body.dataPoints)) continue;
        const histogram = !!(m.histogram || m.exponentialHistogram || m.summary);
        for (const dp of body.dataPoints) {
          if (!isObject(dp)) continue;
          const t = pointTime(dp);
          if (t === undefined) {
            bad++;
            continue;
          }
          const labels: Record<string, string> = {};
          for (const [k, v] of Object.entries(otlpAttributes(dp.attributes))) labels[k] = typeof v === 'string' ? v : JSON.stringify(v);
          if (service && labels['service.name'] === undefined) labels.service = service;
          if (histogram) {
            const count = num(dp.count);
            const sum = num(dp.sum);
            if (count !== undefined) into.get(`${m.name}_count`, labels, unit).points.push({ t, v: count });
            if (sum !== undefined) into.get(`${m.name}_sum`, labels, unit).points.push({ t, v: sum });
            if (count && sum !== undefined) into.get(`${m.name}_mean`, labels, unit).points.push({ t, v: sum / count });
          } else {
            const v = num(dp.asDouble) ?? num(dp.asInt) ?? (dp.value !== undefined ? num(anyValue(dp.value)) : undefined);
            if (v === undefined) {
              bad++;
              continue;
            }
            into.get(m.name, labels, unit).points.push({ t, v });
          }
        }
      }
    }
  }
  if (bad) problems.push({ message: `${bad} OTLP data point${bad === 1 ? ' has' : 's have'} no time or value; skipped` });
  return true;
}

/** Labels written as `a=1;b=2`, `a=1 b=2`, `{a="1",b="2"}` or a JSON object. */
export function parseLabels(text: string): Record<string, string> {
  const t = text.trim();
  if (t === '') return {};
  if (t.startsWith('{') && t.includes('"') && t.includes(':')) {
    try {
      return stringLabels(parseJsonBounded(t));
    } catch {
      /* fall through to key=value */
    }
  }
  const out: Record<string, string> = {};
  const body = t.replace(/^\{|\}$/g, '');
  for (const m of body.matchAll(/([A-Za-z_][\w.]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*))/g)) {
    Object.defineProperty(out, m[1]!, { value: m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * CSV metrics, one record at a time: a header naming timestamp/time, name/metric, value, and optionally
 * labels, in any column order. Records come from src/core/csv (csv-parse), in memory or streamed.
 */
export class CsvMetrics {
  private columns: { ti: number; ni: number; vi: number; li: number } | undefined;
  private headerSeen = false;
  private bad = 0;
  private firstBad: number | undefined;

  constructor(
    private readonly into: Series,
    private readonly problems: MetricsResult['problems'],
  ) {}

  /** False once the header shows this is not a metrics CSV (the rest can be skipped). */
  get usable(): boolean {
    return !this.headerSeen || this.columns !== undefined;
  }

  readonly record = (cells: string[], line: number): void => {
    if (!this.headerSeen) {
      this.headerSeen = true;
      const header = cells.map((h) => h.trim().toLowerCase());
      const ti = header.findIndex((h) => h === 'timestamp' || h === 'time' || h === 'ts');
      const ni = header.findIndex((h) => h === 'name' || h === 'metric' || h === '__name__');
      const vi = header.findIndex((h) => h === 'value' || h === 'v');
      const li = header.findIndex((h) => h === 'labels' || h === 'tags');
      if (ti >= 0 && vi >= 0) this.columns = { ti, ni, vi, li };
      return;
    }
    const c = this.columns;
    if (!c) return;
    const t = timeToMs(cells[c.ti]);
    const v = num(cells[c.vi]);
    if (t === undefined || v === undefined) {
      this.bad++;
      this.firstBad ??= line;
      return;
    }
    const labels = c.li >= 0 ? parseLabels(cells[c.li] ?? '') : {};
    this.into.get(c.ni >= 0 ? (cells[c.ni] ?? 'value').trim() || 'value' : 'value', labels).points.push({ t, v });
  };

  /** Whether this was a metrics CSV; reports skipped rows and what the reader could not read. */
  finish(read: CsvReadSummary): boolean {
    if (!this.columns) return false;
    if (this.bad) this.problems.push({ line: this.firstBad, message: `${this.bad} CSV row${this.bad === 1 ? '' : 's'} without a readable timestamp or value; skipped (first at line ${this.firstBad})` });
    for (const p of read.problems) this.problems.push(p);
    return true;
  }
}

/** CSV metrics held in memory. */
export function csvMetrics(text: string, into: Series, problems: MetricsResult['problems']): boolean {
  const csv = new CsvMetrics(into, problems);
  return csv.finish(readCsvText(text, csv.record));
}

export const NOT_METRICS = 'not a metrics file: expected Prometheus query_range JSON, OTLP metrics JSON, or CSV with a header "timestamp,name,value,labels"';

/** Reads any supported metrics text, detecting the format. */
export function importMetrics(text: string): MetricsResult {
  const into = new Series();
  const problems: MetricsResult['problems'] = [];
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim();
  if (body === '') return { format: 'unknown', series: [], problems: [{ message: 'the file is empty' }] };
  if (body.startsWith('{')) {
    let doc: unknown;
    try {
      doc = parseJsonBounded(body);
    } catch {
      doc = undefined;
    }
    if (doc !== undefined) {
      if (prometheusResult(doc, into, problems)) return { format: 'prometheus', series: into.all(), problems };
      if (otlpMetrics(doc, into, problems)) return { format: 'otlp', series: into.all(), problems };
      return { format: 'unknown', series: [], problems: [{ message: 'this JSON is neither a Prometheus query_range answer ({"status","data":{"result"}}) nor OTLP metrics ({"resourceMetrics"})' }] };
    }
    // JSON Lines (the OTel file exporter): one export request per line.
    let any = false;
    body.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        if (otlpMetrics(parseJsonBounded(line), into, problems)) any = true;
      } catch {
        problems.push({ line: i + 1, message: 'not valid JSON; line skipped' });
      }
    });
    if (any) return { format: 'otlp', series: into.all(), problems };
    return { format: 'unknown', series: [], problems: problems.length ? problems : [{ message: 'not valid JSON' }] };
  }
  if (csvMetrics(body, into, problems)) return { format: 'csv', series: into.all(), problems };
  return { format: 'unknown', series: [], problems: [{ message: NOT_METRICS }] };
}

/** Points of every series inside [fromMs, toMs]. */
export function metricsInWindow(series: readonly MetricSeries[], fromMs: number, toMs: number): MetricSeries[] {
  const out: MetricSeries[] = [];
  for (const s of series) {
    const points: MetricPoint[] = s.points.filter((p) => p.t >= fromMs && p.t <= toMs);
    if (points.length) out.push({ ...s, points });
  }
  return out;
}
