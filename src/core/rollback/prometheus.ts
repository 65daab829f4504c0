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

/**
 * A Prometheus address as consent is remembered for it: scheme, host, port and path, without credentials,
 * query or a trailing slash (`http://prom:9090/` and `http://prom:9090` are one address). Undefined when it
 * is not an http(s) URL.
 */
export function normalizePrometheusUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * The Prometheus addresses a metrics window names itself (its `prometheusUrl`, a metric's `url`), other than
 * `userUrl` (the setting, --prometheus): the ones that need the user's consent before anything is sent there.
 */
export function fileChosenPrometheusUrls(window: MetricsWindow, userUrl: string | undefined): string[] {
  const mine = userUrl === undefined ? undefined : normalizePrometheusUrl(userUrl);
  const urls = new Set<string>();
  for (const value of Object.values(window.metrics)) {
    if (value?.kind !== 'prometheus' || value.source.url === undefined) continue;
    const url = normalizePrometheusUrl(value.source.url) ?? value.source.url;
    if (url !== mine) urls.add(url);
  }
  return [...urls];
}

export interface PrometheusAccess {
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
  /**
   * Whether an address the metrics file chose (see fileChosenPrometheusUrls) may be queried; by default none
   * is: a file in a repository must not choose where the extension or a CI job sends requests.
   */
  allowFileUrl?: (normalizedUrl: string) => boolean;
  /** What allows a refused address, for the reason shown (the setting's consent prompt, a CLI flag). */
  consentHint?: string;
  /** When set, nothing is queried at all and this is the reason (an untrusted workspace). */
  disabled?: string;
}

/**
 * Replaces every Prometheus-sourced metric of a window with the samples it returns (or "no data" with the
 * reason). The user's URL (`defaultUrl`) is queried; an address the file names only when `allowFileUrl` says so.
 */
export async function resolvePrometheus(window: MetricsWindow, defaultUrl: string | undefined, options: PrometheusAccess = {}): Promise<{ window: MetricsWindow; notes: string[] }> {
  const notes: string[] = [];
  const metrics: MetricsWindow['metrics'] = {};
  const mine = defaultUrl === undefined ? undefined : normalizePrometheusUrl(defaultUrl);
  const refused = new Set<string>();
  for (const [key, value] of Object.entries(window.metrics) as [keyof MetricsWindow['metrics'], MetricValue][]) {
    if (value.kind !== 'prometheus') {
      metrics[key] = value;
      continue;
    }
    if (options.disabled) {
      metrics[key] = { kind: 'none', reason: `${key} comes from Prometheus, which was not queried: ${options.disabled}` };
      continue;
    }
    const chosen = value.source.url;
    if (chosen !== undefined) {
      const normalized = normalizePrometheusUrl(chosen);
      if (normalized === undefined) {
        metrics[key] = { kind: 'none', reason: `${window.label} names "${chosen}" as its Prometheus, which is not an http(s) URL` };
        continue;
      }
      if (normalized !== mine && !options.allowFileUrl?.(normalized)) {
        metrics[key] = { kind: 'none', reason: `${window.label} asks to query Prometheus at ${normalized}, which is only done with your consent${options.consentHint ? ` (${options.consentHint})` : ''}` };
        if (!refused.has(normalized)) notes.push(`${window.label}: Prometheus at ${normalized} (named by the metrics file) was not queried without consent${options.consentHint ? `; ${options.consentHint}` : ''}`);
        refused.add(normalized);
        continue;
      }
    }
    const url = chosen ?? defaultUrl;
    if (!url) {
      metrics[key] = { kind: 'none', reason: `${key} comes from Prometheus but no URL is set (incidentWorkbench.prometheusUrl or --prometheus)` };
      continue;
    }
    try {
      const series = await queryRange(url, value.source, { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      const samples = series.flatMap((s) => s.values.map(([, v]) => v));
      if (series.length > 1) notes.push(`${window.label}: ${key} query returned ${series.length} series; their values were pooled (aggregate the query with sum()/avg() to avoid this)`);
      metrics[key] = samples.length ? { kind: 'samples', samples, aggregate: value.aggregate } : { kind: 'none', reason: `the Prometheus query for ${key} returned no data in the window` };
    } catch (e) {
      metrics[key] = { kind: 'none', reason: errorMessage(e) };
    }
  }
  return { window: { ...window, metrics }, notes };
}
