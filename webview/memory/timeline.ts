import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { pointer, select, type Selection } from 'd3-selection';
import { line } from 'd3-shape';
import { formatBytes } from '../../src/core/memory/analysis';
import type { MemoryTimeline } from '../../src/core/memory/model';

/**
 * Memory over time: one line per series (memray's tracked heap and RSS, or mprof's memory), the
 * high-water mark marked, and a time range to select with the pointer (drag) or the keyboard (arrows move
 * a cursor, Shift+arrows select from where Shift was first held, Escape clears). A range is a pair of
 * snapshot indices [from, to]: the allocations made after snapshot `from` up to snapshot `to`.
 * Data are few points (memray keeps at most ~1,000 snapshots per capture), so SVG with d3 is enough.
 */
const HEIGHT = 170;
const MARGIN = { top: 12, right: 16, bottom: 24, left: 64 };
const SERIES_CLASSES = ['mem-series-a', 'mem-series-b', 'mem-series-c'];

export class TimelineChart {
  readonly element: SVGSVGElement;
  private data: MemoryTimeline | undefined;
  private range: [number, number] | undefined;
  private cursor = 0;
  private anchor: number | undefined;
  private dragFrom: number | undefined;
  private width = 600;
  /** Which series are drawn; the first (memray's tracked heap, mprof's memory) at first, the rest on request. */
  private visible: boolean[] = [];
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;

  constructor(
    private readonly onRange: (range: [number, number] | undefined) => void,
    private readonly announce: (text: string) => void,
  ) {
    this.element = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg = select(this.element);
    this.svg
      .attr('class', 'mem-timeline-chart')
      .attr('tabindex', 0)
      .attr('role', 'img')
      .attr('aria-label', 'Memory over time. Left and Right move the cursor; Shift with Left or Right selects a time range; Escape clears it.');
    this.element.addEventListener('pointerdown', (e) => this.down(e));
    this.element.addEventListener('pointermove', (e) => this.move(e));
    this.element.addEventListener('pointerup', (e) => this.up(e));
    this.element.addEventListener('keydown', (e) => this.key(e));
  }

  /** `width`: the chart's width when the caller has just measured it (see measure). */
  set(data: MemoryTimeline, range: [number, number] | undefined, width?: number): void {
    if (this.data !== data) this.visible = data.series.map((_, i) => i === 0);
    this.data = data;
    this.range = range;
    this.cursor = Math.min(this.cursor, data.t.length - 1);
    this.draw(width);
  }

  /** The width the chart takes (a layout of the page, if it changed). */
  measure(): number {
    return Math.max(320, this.element.parentElement?.clientWidth ?? 600);
  }

  /** Shows or hides series `i` (the y-axis follows the series shown). */
  setVisible(i: number, on: boolean): void {
    this.visible[i] = on;
    this.draw();
  }

  isVisible(i: number): boolean {
    return !!this.visible[i];
  }

  setRange(range: [number, number] | undefined): void {
    this.range = range;
    this.draw();
  }

  private x() {
    const t = this.data!.t;
    return scaleLinear().domain([0, Math.max(1, t[t.length - 1] ?? 1)]).range([MARGIN.left, this.width - MARGIN.right]);
  }

  /** The snapshot index nearest to a pixel. */
  private indexAt(px: number): number {
    const t = this.data!.t;
    const ms = this.x().invert(px);
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t[mid]! < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && Math.abs(t[lo - 1]! - ms) < Math.abs(t[lo]! - ms) ? lo - 1 : lo;
  }

  draw(width?: number): void {
    const data = this.data;
    if (!data) return;
    this.width = width ?? this.measure();
    const svg = this.svg.attr('width', this.width).attr('height', HEIGHT);
    svg.selectAll('*').remove();
    const x = this.x();
    const shown = data.series.filter((_, i) => this.visible[i]);
    const max = Math.max(1, ...shown.flatMap((s) => s.values));
    const y = scaleLinear().domain([0, max * 1.05]).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    if (this.range) {
      const [a, b] = this.range;
      const x0 = x(data.t[Math.max(0, a)] ?? 0);
      const x1 = x(data.t[Math.min(data.t.length - 1, b)] ?? 0);
      svg.append('rect').attr('class', 'mem-range').attr('x', Math.min(x0, x1)).attr('y', MARGIN.top).attr('width', Math.max(2, Math.abs(x1 - x0))).attr('height', HEIGHT - MARGIN.top - MARGIN.bottom);
    }
    svg
      .append('g')
      .attr('class', 'mem-axis')
      .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(this.width / 110))).tickFormat((v) => `${(Number(v) / 1000).toFixed(Number(v) < 10_000 ? 1 : 0)} s`));
    svg
      .append('g')
      .attr('class', 'mem-axis')
      .attr('transform', `translate(${MARGIN.left},0)`)
      .call(axisLeft(y).ticks(4).tickFormat((v) => formatBytes(Number(v))));
    data.series.forEach((s, i) => {
      if (!this.visible[i]) return;
      const path = line<number>()
        .x((_, k) => x(data.t[k]!))
        .y((v) => y(v))(s.values);
      svg.append('path').attr('class', `mem-line ${SERIES_CLASSES[i % SERIES_CLASSES.length]}`).attr('d', path ?? '');
    });
    const peak = data.peakIndex;
    const peakSeries = data.series[0];
    if (peakSeries && peak >= 0 && peak < data.t.length) {
      const px = x(data.t[peak]!);
      svg.append('line').attr('class', 'mem-peak').attr('x1', px).attr('x2', px).attr('y1', MARGIN.top).attr('y2', HEIGHT - MARGIN.bottom);
      const label = `peak ${formatBytes(peakSeries.values[peak]!)} at ${(data.t[peak]! / 1000).toFixed(2)} s`;
      const right = px > this.width - 200;
      svg.append('text').attr('class', 'mem-peak-label').attr('x', right ? px - 4 : px + 4).attr('y', MARGIN.top + 10).attr('text-anchor', right ? 'end' : 'start').text(label);
    }
    if (document.activeElement === this.element) {
      const cx = x(data.t[this.cursor] ?? 0);
      svg.append('line').attr('class', 'mem-cursor').attr('x1', cx).attr('x2', cx).attr('y1', MARGIN.top).attr('y2', HEIGHT - MARGIN.bottom);
    }
  }

  private down(e: PointerEvent): void {
    if (!this.data || e.button !== 0) return;
    this.dragFrom = this.indexAt(pointer(e, this.element)[0]);
    this.element.setPointerCapture(e.pointerId);
  }

  private move(e: PointerEvent): void {
    if (this.dragFrom === undefined || !this.data) return;
    const to = this.indexAt(pointer(e, this.element)[0]);
    this.range = [Math.min(this.dragFrom, to), Math.max(this.dragFrom, to)];
    this.draw();
  }

  private up(e: PointerEvent): void {
    if (this.dragFrom === undefined || !this.data) return;
    const to = this.indexAt(pointer(e, this.element)[0]);
    const from = this.dragFrom;
    this.dragFrom = undefined;
    // A click without a drag clears the range.
    this.commit(from === to ? undefined : [Math.min(from, to), Math.max(from, to)]);
  }

  private key(e: KeyboardEvent): void {
    const data = this.data;
    if (!data) return;
    const n = data.t.length;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const step = Math.max(1, Math.round(n / (e.ctrlKey || e.metaKey ? 10 : 50)));
      const next = Math.max(0, Math.min(n - 1, this.cursor + (e.key === 'ArrowLeft' ? -step : step)));
      if (e.shiftKey) {
        this.anchor ??= this.cursor;
        this.cursor = next;
        this.commit(this.anchor === next ? undefined : [Math.min(this.anchor, next), Math.max(this.anchor, next)]);
      } else {
        this.anchor = undefined;
        this.cursor = next;
        this.draw();
        this.announce(`${(data.t[next]! / 1000).toFixed(2)} s: ${data.series.map((s) => `${s.name} ${formatBytes(s.values[next]!)}`).join(', ')}`);
      }
      e.preventDefault();
    } else if (e.key === 'Escape' && this.range) {
      this.anchor = undefined;
      this.commit(undefined);
      e.preventDefault();
    }
  }

  private commit(range: [number, number] | undefined): void {
    this.range = range;
    this.draw();
    this.onRange(range);
  }
}
