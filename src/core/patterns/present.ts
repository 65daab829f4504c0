/** Small text renderings of pattern data shared by the CLI and the Patterns view. */

const BARS = '▁▂▃▄▅▆▇█';

/** Counts as a line of block characters, `width` wide at most (buckets summed down to fit). */
export function sparkline(counts: readonly number[], width = 24): string {
  if (counts.length === 0) return '';
  const per = Math.max(1, Math.ceil(counts.length / width));
  const cells: number[] = [];
  for (let i = 0; i < counts.length; i += per) {
    let s = 0;
    for (let j = i; j < Math.min(counts.length, i + per); j++) s += counts[j]!;
    cells.push(s);
  }
  const max = Math.max(...cells);
  if (max === 0) return BARS[0]!.repeat(cells.length);
  return cells.map((c) => (c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1) + 0.5))]!)).join('');
}

/** `INFO 120, ERROR 3` */
export function levelMix(levels: Record<string, number>): string {
  return Object.entries(levels)
    .map(([k, v]) => `${k === 'NONE' ? 'no level' : k} ${v.toLocaleString('en-US')}`)
    .join(', ');
}

/** A rate ratio for people: `×3.5`, `×42`, `×320,385` (three decimals say nothing at that size). */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '×∞';
  if (r >= 100) return `×${Math.round(r).toLocaleString('en-US')}`;
  if (r >= 10) return `×${Number(r.toFixed(1))}`;
  return `×${Number(r.toFixed(2))}`;
}
