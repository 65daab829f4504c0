/** Time series from any metrics source, in one shape: milliseconds since the epoch and float values. */
export interface MetricPoint {
  t: number;
  v: number;
}

export interface MetricSeries {
  name: string;
  labels: Record<string, string>;
  points: MetricPoint[];
  unit?: string;
}

export type MetricFormat = 'prometheus' | 'otlp' | 'csv';

export interface MetricsResult {
  format: MetricFormat | 'unknown';
  series: MetricSeries[];
  problems: { line?: number; message: string }[];
}

/** `name{a="1",b="2"}`: how a series is shown and keyed. */
export function seriesKey(s: { name: string; labels: Record<string, string> }): string {
  const labels = Object.keys(s.labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(s.labels[k])}`);
  return labels.length ? `${s.name}{${labels.join(',')}}` : s.name;
}
