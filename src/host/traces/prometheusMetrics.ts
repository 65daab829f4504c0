import * as vscode from 'vscode';
import type { MetricSeries } from '../../core/metrics/types';
import { queryRange } from '../../core/rollback/prometheus';
import { errorMessage } from '../../core/util/errors';

export interface PrometheusSettings {
  url: string | undefined;
  queries: string[];
}

export function prometheusSettings(): PrometheusSettings {
  const c = vscode.workspace.getConfiguration('incidentWorkbench');
  const url = (c.get<string>('prometheusUrl') ?? '').trim() || undefined;
  const queries = (c.get<unknown[]>('traceMetricsQueries') ?? []).filter((q): q is string => typeof q === 'string' && q.trim() !== '');
  return { url, queries };
}

/**
 * Runs each configured PromQL query over [fromMs, toMs] with a step that keeps about 240 points, and
 * returns the series (named after the query when the result has no `__name__`). Failures of single
 * queries are collected as notes; the others still count.
 */
export async function queryPrometheusWindow(settings: PrometheusSettings, fromMs: number, toMs: number, signal?: AbortSignal): Promise<{ series: MetricSeries[]; notes: string[] }> {
  if (!settings.url) throw new Error('Set incidentWorkbench.prometheusUrl (for example http://localhost:9090) to query Prometheus.');
  if (settings.queries.length === 0) throw new Error('Add PromQL queries to incidentWorkbench.traceMetricsQueries (for example rate(http_requests_total[1m])).');
  const step = Math.max(1, Math.ceil((toMs - fromMs) / 1000 / 240));
  const series: MetricSeries[] = [];
  const notes: string[] = [];
  for (const query of settings.queries) {
    if (signal?.aborted) break;
    try {
      const result = await queryRange(settings.url, { query, start: fromMs / 1000, end: toMs / 1000, step });
      if (result.length === 0) notes.push(`"${query}" returned no data between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
      for (const r of result) {
        const { __name__: name, ...labels } = r.metric;
        series.push({ name: name ?? query, labels, points: r.values.map(([t, v]) => ({ t: t * 1000, v })) });
      }
    } catch (e) {
      notes.push(errorMessage(e));
    }
  }
  return { series, notes };
}
