/**
 * A minimal Prometheus HTTP API client: `query_range` (REFERENCE.md: {status, data: {resultType: "matrix",
 * result: [{metric, values: [[unixSeconds, "value"], ...]}]}}). Uses the global fetch (Node 20, browsers).
 */
import type { MetricValue, MetricsWindow, PrometheusSource } from './types';
import { errorMessage } from '../util/errors';

export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, number][];
}

export class PrometheusError extends Error {}

function toSeconds(t: string | number): number {
  if (typeof t === 'number') return t;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new PrometheusError(`"${t}" is not a time (use RFC 3339 such as 2026-11-29T10:00:00Z, or unix seconds)`);
  return ms / 1000;
}

export async function queryRange(baseUrl: string, source: PrometheusSource, options: { timeoutMs?: number; fetchImpl?: typeof fetch; signal?: AbortSignal } = {}): Promise<RangeSeries[]> {
  let url: URL;
  try {
    url = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new PrometheusError(`"${baseUrl}" is not a URL; set incidentWorkbench.prometheusUrl (e.g. http://localhost:9090)`);
  }
  url.searchParams.set('query', source.query);
  url.searchParams.set('start', String(toSeconds(source.start)));
  url.searchParams.set('end', String(toSeconds(source.end)));
  url.searchParams.set('step', String(source.step ?? '15s'));
  const doFetch = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 15000);
    response = await doFetch(url, { signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout, headers: { accept: 'application/json' } });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    if (options.signal?.aborted) throw new PrometheusError('cancelled');
    throw new PrometheusError(`cannot reach Prometheus at ${url.origin}${cause ? ` (${cause})` : `: ${errorMessage(e)}`}`);
  }
  const text = await response.text();
  let body: { status?: string; error?: string; errorType?: string; data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new PrometheusError(`Prometheus at ${url.origin} answered HTTP ${response.status} with something that is not JSON`);
  }
  if (body.status !== 'success') throw new PrometheusError(`Prometheus rejected the query "${source.query}": ${body.errorType ?? ''} ${body.error ?? `HTTP ${response.status}`}`.replace(/\s+/g, ' '));
  if (body.data?.resultType !== 'matrix') throw new PrometheusError(`expected a matrix from query_range, got ${body.data?.resultType}`);
  return (body.data.result ?? []).map((s) => ({
    metric: s.metric ?? {},
    values: (s.values ?? []).map(([t, v]) => [t, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)),
  }));
}

/** Replaces every Prometheus-sourced metric of a window with the samples it returns (or "no data"). */
export async function resolvePrometheus(window: MetricsWindow, defaultUrl: string | undefined, options: { timeoutMs?: number; fetchImpl?: typeof fetch; signal?: AbortSignal } = {}): Promise<{ window: MetricsWindow; notes: string[] }> {
  const notes: string[] = [];
  const metrics: MetricsWindow['metrics'] = {};
  for (const [key, value] of Object.entries(window.metrics) as [keyof MetricsWindow['metrics'], MetricValue][]) {
    if (value.kind !== 'prometheus') {
      metrics[key] = value;
      continue;
    }
    const url = value.source.url ?? defaultUrl;
    if (!url) {
      metrics[key] = { kind: 'none', reason: `${key} comes from Prometheus but no URL is set (incidentWorkbench.prometheusUrl or --prometheus)` };
      continue;
    }
    try {
      const series = await queryRange(url, value.source, options);
      const samples = series.flatMap((s) => s.values.map(([, v]) => v));
      if (series.length > 1) notes.push(`${window.label}: ${key} query returned ${series.length} series; their values were pooled (aggregate the query with sum()/avg() to avoid this)`);
      metrics[key] = samples.length ? { kind: 'samples', samples, aggregate: value.aggregate } : { kind: 'none', reason: `the Prometheus query for ${key} returned no data in the window` };
    } catch (e) {
      metrics[key] = { kind: 'none', reason: errorMessage(e) };
    }
  }
  return { window: { ...window, metrics }, notes };
}
