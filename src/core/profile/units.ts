import type { WeightUnit } from './model';

/**
 * A profile weight with its unit, at the precision worth reading ("9.97 s", "12.4 ms", "1.5 MiB",
 * "42 samples"). Small and import-free so the flame graph page can show units everywhere it shows numbers.
 */
export function formatWeight(value: number, unit: WeightUnit): string {
  const scale: Partial<Record<WeightUnit, number>> = { seconds: 1, milliseconds: 1e-3, microseconds: 1e-6, nanoseconds: 1e-9 };
  const factor = scale[unit];
  if (factor !== undefined) {
    const s = value * factor;
    if (s >= 1) return `${s.toFixed(s >= 100 ? 0 : 2)} s`;
    if (s >= 1e-3) return `${(s * 1e3).toFixed(2)} ms`;
    return `${(s * 1e6).toFixed(0)} µs`;
  }
  if (unit === 'samples') return `${Math.round(value).toLocaleString('en-US')} sample${Math.round(value) === 1 ? '' : 's'}`;
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(Math.abs(v) >= 100 ? 0 : 1)} ${units[i]}`;
  }
  return String(Math.round(value * 1000) / 1000);
}
