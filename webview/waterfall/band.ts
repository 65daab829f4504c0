import { scaleLinear } from 'd3';
import { formatValue, type WaterfallView } from '../../src/core/traces/waterfallView';
import type { WaterfallIntent, WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h } from '../shared/dom';
import { canvasFont, colors, fitCanvas, pixelRatio, serviceColor } from './paint';

const BAND_ROW = 34;

/**
 * The metrics of the same minutes under the rows, one line per series. Metrics are scraped every few
 * seconds: the band shows its own minutes around the trace (µs after the trace start), with the trace and
 * the zoomed window shaded, rather than the trace's milliseconds.
 */
export class MetricsBand {
  readonly canvas = h('canvas', { class: 'wf-band', 'aria-hidden': 'true' });

  constructor(private readonly view: WaterfallView) {}

  /** Draws under rows `width` wide with a name column `nameWidth` wide. */
  draw(snap: WaterfallSnapshot | undefined, width: number, nameWidth: number): void {
    const { canvas } = this;
    const series = snap?.metrics.series ?? [];
    canvas.hidden = series.length === 0;
    if (!series.length) return;
    const dpr = pixelRatio();
    const w = width;
    const hgt = series.length * BAND_ROW;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${hgt}px`;
    fitCanvas(canvas, w, hgt);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const nw = nameWidth;
    let lo = 0;
    let hi = Math.max(1, snap?.durationUs ?? 1);
    for (const s of series)
      for (const [tMs] of s.points) {
        lo = Math.min(lo, tMs * 1000);
        hi = Math.max(hi, tMs * 1000);
      }
    const x = scaleLinear().domain([lo, hi]).range([nw + 4, w - 8]);
    const { from, to } = this.view.window;
    ctx.fillStyle = colors.sel;
    ctx.globalAlpha = 0.35;
    ctx.fillRect(x(0), 0, Math.max(2, x(snap?.durationUs ?? 0) - x(0)), hgt);
    ctx.globalAlpha = 0.6;
    ctx.fillRect(x(from), 0, Math.max(1, x(to) - x(from)), 2);
    ctx.globalAlpha = 1;
    ctx.font = canvasFont();
    ctx.textBaseline = 'middle';
    series.forEach((s, k) => {
      const y0 = k * BAND_ROW;
      ctx.fillStyle = colors.muted;
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, y0, nw - 6, BAND_ROW);
      ctx.clip();
      ctx.fillText(s.series, 6, y0 + BAND_ROW / 2);
      ctx.restore();
      const values = s.points.map((p) => p[1]);
      const bottom = Math.min(...values);
      const top = Math.max(...values);
      const y = scaleLinear()
        .domain(bottom === top ? [bottom - 1, top + 1] : [bottom, top])
        .range([y0 + BAND_ROW - 4, y0 + 4]);
      ctx.strokeStyle = serviceColor(k + 3);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let started = false;
      for (const [tMs, v] of s.points) {
        const px = x(tMs * 1000);
        const py = y(v);
        if (!started) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
        started = true;
      }
      ctx.save();
      ctx.beginPath();
      ctx.rect(nw, y0, w - nw, BAND_ROW);
      ctx.clip();
      ctx.beginPath();
      started = false;
      for (const [tMs, v] of s.points) {
        const px = x(tMs * 1000);
        const py = y(v);
        if (!started) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
        started = true;
        ctx.fillStyle = ctx.strokeStyle;
        ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
      }
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = colors.muted;
      ctx.fillText(`${formatValue(top)}`, w - 60, y0 + 8);
      ctx.strokeStyle = colors.grid;
      ctx.beginPath();
      ctx.moveTo(0, y0 + BAND_ROW - 0.5);
      ctx.lineTo(w, y0 + BAND_ROW - 0.5);
      ctx.stroke();
    });
  }
}

/** Under the band: where the metrics come from, and "Analyze anomaly" per series. */
export function metricsLegend(s: WaterfallSnapshot, send: (intent: WaterfallIntent) => void): HTMLElement {
  const m = s.metrics;
  if (!m.series.length) {
    return h('p', { class: 'empty' }, m.source ? `No points of ${m.source} fall near this trace (±1 min).${m.note ? ` ${m.note}` : ''}` : 'No metrics loaded: Load Metrics… (Prometheus query_range JSON, OTLP metrics, CSV)' + (s.prometheus.configured ? ' or Query Prometheus.' : ', or set incidentWorkbench.prometheusUrl to query a live Prometheus.'));
  }
  return h('div', { class: 'wf-legend' },
    h('span', { class: 'muted' }, `Metrics from ${m.source ?? ''} around the trace: `),
    ...m.series.map((x, i) => h('span', { class: 'wf-series' }, h('span', { class: 'mono' }, x.series), ' ', h('button', { class: 'link', onclick: () => send({ type: 'analyzeAnomaly', series: i }) }, 'Analyze anomaly'))),
    m.note ? h('span', { class: 'muted' }, ` (${m.note})`) : null,
  );
}
