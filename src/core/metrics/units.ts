/**
 * The unit of a metric series and its values written at the precision worth reading: a Prometheus name's
 * base-unit suffix (`_seconds`, `_bytes`, `_ratio`, `_total`, per the Prometheus naming conventions) or an
 * OTLP unit (UCUM: `s`, `ms`, `By`, `1`, `%`, `{requests}`). "0.31800007820129395" reads "318 ms".
 */
export type SeriesUnit = 's' | 'ms' | 'B' | '%' | 'ratio' | 'count' | '' | (string & {});

export function seriesUnit(name: string, unit?: string): SeriesUnit {
  const u = unit?.trim();
  if (u) {
    if (u === 'By' || u === 'bytes') return 'B';
    if (u === '1') return 'ratio';
    if (/^\{.*\}$/.test(u)) return 'count';
    return u;
  }
  const base = name.replace(/\{.*$/, '').replace(/_(sum|count|mean|bucket|created)$/, '');
  if (/_seconds(_total)?$/.test(base)) return 's';
  if (/_(milliseconds|ms)(_total)?$/.test(base)) return 'ms';
  if (/_bytes(_total)?$/.test(base)) return 'B';
  if (/_percent$/.test(base)) return '%';
  if (/_ratio$/.test(base)) return 'ratio';
  if (/_total$/.test(base) || /_count$/.test(name.replace(/\{.*$/, ''))) return 'count';
  return '';
}

/** Three significant digits, grouped thousands, a minus sign (U+2212) for negatives. */
export function significant(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  let text: string;
  if (a === 0) text = '0';
  else if (a >= 1000) text = Math.round(a).toLocaleString('en-US');
  else if (a < 1e-3) text = a.toExponential(2).replace('e-', 'e\u2212');
  else text = String(Number(a.toPrecision(3)));
  return v < 0 ? `\u2212${text}` : text;
}

export function formatSeriesValue(v: number | null, unit: SeriesUnit): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (unit === 's' || unit === 'ms') {
    const s = unit === 'ms' ? v / 1000 : v;
    const a = Math.abs(s);
    if (a === 0) return '0 s';
    if (a >= 1) return `${significant(s)} s`;
    if (a >= 1e-3) return `${significant(s * 1e3)} ms`;
    return `${significant(s * 1e6)} µs`;
  }
  if (unit === 'B') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let x = v;
    let i = 0;
    while (Math.abs(x) >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return `${significant(x)} ${units[i]}`;
  }
  if (unit === '%') return `${significant(v)} %`;
  if (unit === 'ratio' || unit === 'count' || unit === '') return significant(v);
  return `${significant(v)} ${unit}`;
}
