import { scaleLinear, scaleUtc, utcFormat } from 'd3';
import { formatSeriesValue } from '../../src/core/metrics/units';
import type { WaterfallView } from '../../src/core/traces/waterfallView';
import type { WaterfallIntent, WaterfallMetric, WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h, replaceChildren } from '../shared/dom';
import { canvasFont, colors, fitCanvas, pixelRatio, serviceColor } from './paint';

const ROW = 44;
const AXIS = 22;
const clock = utcFormat('%H:%M:%S');

/**
 * The metrics of the same minutes under the rows, one row per series: its full name (as text, wrapping,
 * never cut) with "Analyze anomaly", and a plot with its highest and lowest values in their unit; under
 * them a clock-time axis (UTC). Metrics are scraped every few seconds, so the band shows its own minutes
 * around the trace, with the trace and the zoomed window shaded, rather than the trace's milliseconds.
 */
export class MetricsBand {
  readonly element = h('section', { class: 'wf-band', 'aria-label': 'Metrics around the trace' });
  private plots: { canvas: HTMLCanvasElement; series: WaterfallMetric }[] = [];
  private readonly axis = h('canvas', { class: 'wf-band-axis', 'aria-hidden': 'true' });
  private shown: WaterfallSnapshot['metrics'] | undefined;

  constructor(
    private readonly view: WaterfallView,
    private readonly send: (intent: WaterfallIntent) => void,
  ) {}

  /** Rebuilds the rows when the snapshot's metrics changed. */
  render(s: WaterfallSnapshot): void {
    const m = s.metrics;
    if (this.shown === m) return;
    this.shown = m;
    if (!m.series.length) {
      this.plots = [];
      replaceChildren(this.element,
        h('p', { class: 'empty' }, m.source ? `No points of ${m.source} fall near this trace (±1 min).${m.note ? ` ${m.note}` : ''}` : 'No metrics loaded: Load Metrics… (Prometheus query_range JSON, OTLP metrics, CSV)' + (s.prometheus.configured ? ' or Query Prometheus.' : ', or set incidentWorkbench.prometheusUrl to query a live Prometheus.')));
      return;
    }
    this.plots = m.series.map((series) => ({ canvas: h('canvas', { class: 'wf-band-plot', role: 'img' }), series }));
    replaceChildren(this.element,
      h('h2', { class: 'sr-only' }, 'Metrics'),
      ...this.plots.map(({ canvas, series }, i) =>
        h('div', { class: 'wf-band-row' },
          h('div', { class: 'wf-band-name' },
            h('span', { class: 'mono', 'data-testid': 'band-series' }, series.series),
            ' ',
            h('button', { class: 'link', type: 'button', onclick: () => this.send({ type: 'analyzeAnomaly', series: i }) }, 'Analyze anomaly')),
          canvas)),
      h('div', { class: 'wf-band-row' }, h('div', { class: 'wf-band-name muted' }, 'UTC'), this.axis),
      h('p', { class: 'muted wf-band-source' }, `From ${m.source ?? ''}`, m.note ? ` (${m.note})` : ''),
    );
  }

  /** The time scale shared by every plot and the axis: the metrics' own minutes (µs after the trace start). */
  private scale(s: WaterfallSnapshot, width: number) {
    let lo = 0;
    let hi = Math.max(1, s.durationUs ?? 1);
    for (const x of s.metrics.series)
      for (const [tMs] of x.points) {
        lo = Math.min(lo, tMs * 1000);
        hi = Math.max(hi, tMs * 1000);
      }
    return scaleLinear().domain([lo, hi]).range([6, Math.max(7, width - 8)]);
  }

  draw(s: WaterfallSnapshot | undefined): void {
    if (!s || !this.plots.length) return;
    const width = this.plots[0]!.canvas.clientWidth;
    if (width <= 0) return;
    const x = this.scale(s, width);
    const dpr = pixelRatio();
    const { from, to } = this.view.window;
    this.plots.forEach(({ canvas, series }, k) => {
      fitCanvas(canvas, width, ROW);
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, ROW);
      ctx.fillStyle = colors.sel;
      ctx.globalAlpha = 0.35;
      ctx.fillRect(x(0), 0, Math.max(2, x(s.durationUs ?? 0) - x(0)), ROW);
      ctx.globalAlpha = 0.6;
      ctx.fillRect(x(from), 0, Math.max(1, x(to) - x(from)), 2);
      ctx.globalAlpha = 1;
      const values = series.points.map((p) => p[1]);
      const bottom = Math.min(...values);
      const top = Math.max(...values);
      const y = scaleLinear()
        .domain(bottom === top ? [bottom - 1, top + 1] : [bottom, top])
        .range([ROW - 6, 6]);
      ctx.strokeStyle = serviceColor(k + 3);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      series.points.forEach(([tMs, v], i) => {
        const px = x(tMs * 1000);
        const py = y(v);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.stroke();
      for (const [tMs, v] of series.points) ctx.fillRect(x(tMs * 1000) - 1.5, y(v) - 1.5, 3, 3);
      // The value range in the series' unit, at the left edge of the plot.
      ctx.font = canvasFont();
      ctx.fillStyle = colors.fg;
      ctx.textBaseline = 'top';
      const high = formatSeriesValue(top, series.unit);
      const low = formatSeriesValue(bottom, series.unit);
      ctx.fillText(`max ${high}`, 8, 2);
      ctx.textBaseline = 'bottom';
      ctx.fillText(`min ${low}`, 8, ROW - 2);
      ctx.strokeStyle = colors.grid;
      ctx.beginPath();
      ctx.moveTo(0, ROW - 0.5);
      ctx.lineTo(width, ROW - 0.5);
      ctx.stroke();
      canvas.setAttribute('aria-label', `${series.series}: from ${low} to ${high} over ${series.points.length} points`);
    });
    // The clock-time axis under the plots.
    fitCanvas(this.axis, width, AXIS);
    const ctx = this.axis.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, AXIS);
    const start = s.startMs ?? 0;
    const [d0, d1] = x.domain() as [number, number];
    const time = scaleUtc().domain([new Date(start + d0 / 1000), new Date(start + d1 / 1000)]).range(x.range());
    ctx.font = canvasFont();
    ctx.fillStyle = colors.fg;
    ctx.strokeStyle = colors.grid;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'center';
    for (const t of time.ticks(Math.max(2, Math.floor(width / 110)))) {
      const px = Math.round(time(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, 0);
      ctx.lineTo(px, 4);
      ctx.stroke();
      ctx.fillText(clock(t), Math.min(width - 28, Math.max(28, px)), 5);
    }
    ctx.textAlign = 'left';
  }
}
