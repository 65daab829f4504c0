/**
 * Reads a metrics window (baseline or current) and a thresholds file. Never throws for bad content: problems
 * come back as messages naming the field.
 *
 * Metrics file: {"label"?, "window"?: {"start", "end", "step"?}, "prometheusUrl"?, "previousConsecutiveFailures"?,
 *   "evidence"?: ["logs/app.log", ...], "metrics": {
 *     "errorRate":   0.012 | {"errors": 12, "requests": 1000} | {"samples": [...]} | {"prometheus": "query" | {...}},
 *     "successRate": 0.99  | {"successes": 990, "requests": 1000} | ...,
 *     "latencyP95":  240 (ms) | {"samples": [ms, ...]} (raw request latencies, p95 taken) | {"prometheus": ...},
 *     "throughput", "cpu", "memory": number | {"samples": [...]} | {"prometheus": ...} }}
 * The seed's snake_case names (error_rate, latency_p95_ms, success_rate, throughput_qps, cpu_usage_percent,
 * memory_usage_percent) are accepted too, at the top level or under "metrics".
 */
import { DEFAULT_THRESHOLDS, METRIC_KEYS, type MetricKey, type MetricValue, type MetricsWindow, type PrometheusSource, type Thresholds } from './types';
import { errorMessage } from '../util/errors';

const ALIASES: Record<string, MetricKey> = {
  errorrate: 'errorRate', error_rate: 'errorRate', errors: 'errorRate',
  successrate: 'successRate', success_rate: 'successRate',
  latencyp95: 'latencyP95', latency_p95: 'latencyP95', latency_p95_ms: 'latencyP95', p95: 'latencyP95', latency: 'latencyP95',
  throughput: 'throughput', throughput_qps: 'throughput', qps: 'throughput', rps: 'throughput',
  cpu: 'cpu', cpu_usage_percent: 'cpu', cpu_percent: 'cpu',
  memory: 'memory', memory_usage_percent: 'memory', memory_percent: 'memory', mem: 'memory',
};

export function metricKey(name: string): MetricKey | undefined {
  return ALIASES[name.toLowerCase()] ?? ALIASES[name.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRate = (k: MetricKey) => k === 'errorRate' || k === 'successRate';

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function readMetric(key: MetricKey, raw: unknown, where: string, defaults: { window?: Record<string, unknown>; url?: string }, problems: string[]): MetricValue | undefined {
  if (raw === null) return { kind: 'none', reason: `${where} is null (no data)` };
  if (finite(raw)) {
    if (raw < 0) return void problems.push(`${where} is negative (${raw}); metrics cannot be below 0`);
    if (isRate(key) && raw > 1) return void problems.push(`${where} is ${raw}; rates are fractions between 0 and 1 (write 0.05 for 5 %)`);
    return { kind: 'value', value: raw };
  }
  if (!isObject(raw)) return void problems.push(`${where} must be a number or an object, found ${typeof raw === 'string' ? `"${raw.slice(0, 30)}"` : Array.isArray(raw) ? 'a list' : String(raw)}`);
  if ('value' in raw) return readMetric(key, raw.value, `${where}.value`, defaults, problems);
  const total = raw.requests ?? raw.total;
  const events = key === 'successRate' ? (raw.successes ?? raw.events) : (raw.errors ?? raw.failures ?? raw.events);
  if (total !== undefined || events !== undefined) {
    if (!finite(total) || !finite(events) || total < 0 || events < 0 || !Number.isInteger(total) || !Number.isInteger(events)) {
      return void problems.push(`${where} needs whole, non-negative counts, e.g. {"${key === 'successRate' ? 'successes' : 'errors'}": 12, "requests": 1000}`);
    }
    if (events > total) return void problems.push(`${where} has ${events} ${key === 'successRate' ? 'successes' : 'errors'} out of ${total} requests; that cannot exceed the requests`);
    return { kind: 'counts', events, total };
  }
  const aggregate = raw.aggregate === 'mean' || raw.aggregate === 'median' || raw.aggregate === 'p95' ? raw.aggregate : undefined;
  if ('samples' in raw) {
    if (!Array.isArray(raw.samples)) return void problems.push(`${where}.samples must be a list of numbers`);
    const samples = raw.samples.filter(finite);
    const bad = raw.samples.length - samples.length;
    if (bad > 0) problems.push(`${where}.samples: ${bad} entr${bad === 1 ? 'y is' : 'ies are'} not finite numbers and were ignored`);
    if (samples.some((s) => s < 0)) return void problems.push(`${where}.samples has negative values; metrics cannot be below 0`);
    return { kind: 'samples', samples, aggregate: aggregate ?? (key === 'latencyP95' ? 'p95' : 'mean') };
  }
  if ('prometheus' in raw) {
    const p = raw.prometheus;
    const spec: Record<string, unknown> = typeof p === 'string' ? { query: p } : isObject(p) ? p : {};
    const w = defaults.window ?? {};
    const source: Partial<PrometheusSource> = {
      query: typeof spec.query === 'string' ? spec.query : undefined,
      start: (spec.start ?? w.start) as string | number,
      end: (spec.end ?? w.end) as string | number,
      step: (spec.step ?? w.step ?? '15s') as string | number,
    };
    const url = typeof spec.url === 'string' ? spec.url : defaults.url;
    if (url) source.url = url;
    if (!source.query) return void problems.push(`${where}.prometheus needs a "query" (PromQL)`);
    if (source.start === undefined || source.end === undefined) return void problems.push(`${where}.prometheus needs a time window: "start" and "end" on the query or in the file's "window"`);
    return { kind: 'prometheus', source: source as PrometheusSource, aggregate: aggregate ?? 'mean' };
  }
  return void problems.push(`${where} is not understood; use a number, {"errors", "requests"}, {"samples": [...]} or {"prometheus": "query"}`);
}

export interface ParsedWindow {
  window?: MetricsWindow;
  problems: string[];
}

export function parseMetricsWindow(text: string, fallbackLabel: string): ParsedWindow {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { problems: [`not valid JSON: ${errorMessage(e)}`] };
  }
  if (!isObject(doc)) return { problems: ['expected a JSON object with "metrics"'] };
  const source = isObject(doc.metrics) ? doc.metrics : doc;
  const defaults = {
    window: isObject(doc.window) ? doc.window : undefined,
    url: typeof doc.prometheusUrl === 'string' ? doc.prometheusUrl : undefined,
  };
  const metrics: MetricsWindow['metrics'] = {};
  for (const [name, raw] of Object.entries(source)) {
    const key = metricKey(name);
    if (!key) {
      if (source === doc.metrics) problems.push(`metrics.${name} is not a known metric (known: ${METRIC_KEYS.join(', ')})`);
      continue;
    }
    const v = readMetric(key, raw, source === doc ? name : `metrics.${name}`, defaults, problems);
    if (v) metrics[key] = v;
  }
  if (Object.keys(metrics).length === 0 && problems.length === 0) problems.push(`no metrics found; expected "metrics": {${METRIC_KEYS.map((k) => `"${k}"`).join(', ')}}`);
  const window: MetricsWindow = { label: typeof doc.label === 'string' ? doc.label : fallbackLabel, metrics };
  if (finite(doc.previousConsecutiveFailures) && doc.previousConsecutiveFailures >= 0) window.previousConsecutiveFailures = Math.floor(doc.previousConsecutiveFailures);
  if (Array.isArray(doc.evidence)) window.evidence = doc.evidence.filter((e): e is string => typeof e === 'string');
  return { window, problems };
}

const THRESHOLD_ALIASES: Record<string, keyof Thresholds> = {
  error_rate: 'errorRate', latency_increase: 'latencyIncrease', success_rate_drop: 'successRateDrop',
  error_rate_minor: 'errorRateMinor', error_rate_margin: 'errorRateMargin', error_rate_relative_increase: 'errorRateRelativeIncrease', throughput_drop: 'throughputDrop',
  resource_increase: 'resourceIncrease', min_requests: 'minRequests', min_samples: 'minSamples', consecutive_failures: 'consecutiveFailures',
};

/** Thresholds from settings or a file, over the defaults; unknown or bad entries are reported and ignored. */
export function parseThresholds(value: unknown, base: Thresholds = DEFAULT_THRESHOLDS): { thresholds: Thresholds; problems: string[] } {
  const problems: string[] = [];
  const out: Thresholds = { ...base, critical: [...base.critical] };
  if (value === undefined || value === null) return { thresholds: out, problems };
  if (!isObject(value)) return { thresholds: out, problems: ['thresholds must be an object such as {"errorRate": 0.05, "latencyIncrease": 0.25, "successRateDrop": 0.05}'] };
  for (const [rawName, v] of Object.entries(value)) {
    const name = (THRESHOLD_ALIASES[rawName] ?? rawName) as keyof Thresholds;
    if (name === 'critical') {
      if (!Array.isArray(v)) {
        problems.push('critical must be a list of metric names');
        continue;
      }
      const keys = v.map((x) => (typeof x === 'string' ? metricKey(x) : undefined));
      if (keys.some((k) => !k)) problems.push(`critical lists unknown metrics (known: ${METRIC_KEYS.join(', ')})`);
      out.critical = keys.filter((k): k is MetricKey => !!k);
      continue;
    }
    if (!(name in DEFAULT_THRESHOLDS)) {
      problems.push(`unknown threshold "${rawName}"`);
      continue;
    }
    if (!finite(v) || v < 0) {
      problems.push(`threshold ${rawName} must be a non-negative number`);
      continue;
    }
    if ((name === 'alpha' && !(v > 0 && v < 0.5)) || (['errorRate', 'errorRateMinor', 'successRateDrop'].includes(name) && v > 1)) {
      problems.push(`threshold ${rawName} = ${v} is out of range (rates are fractions such as 0.05)`);
      continue;
    }
    (out as unknown as Record<string, number>)[name] = v;
  }
  return { thresholds: out, problems };
}
