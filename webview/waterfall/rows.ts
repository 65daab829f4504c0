import { scaleLinear } from 'd3';
import {
  AXIS_H,
  ROW_H,
  formatDuration,
  nameColumnWidth,
  revealScrollTop,
  rowIndent,
  rowIndexAt,
  rowTop,
  rowsInView,
  spacerHeight,
  timeRange,
  type WaterfallView,
} from '../../src/core/traces/waterfallView';
import { FLAG, type WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h } from '../shared/dom';
import { canvasFont, colors, fitCanvas, pixelRatio, serviceColor } from './paint';

/** What the rows' pointer and keys ask of the page. */
export interface RowsActions {
  select(row: number, reveal?: boolean): void;
  openCode(row: number): void;
  /** The view state changed (collapse): lay out and draw again. */
  changed(): void;
  /** Hover or scroll: draw again. */
  redraw(): void;
  /** The scroller changed size: lay out, repaint the minimap, draw. */
  resized(): void;
  /** Zoom the time window by `factor` around time `at` (µs). */
  zoom(at: number, factor: number): void;
}

/**
 * The span rows: one canvas stuck to the top of a scroller, redrawn with only the rows in view
 * (virtualised), so 100k spans scroll as smoothly as 100. A spacer under the canvas gives the scroller the
 * height of all visible rows. d3 gives the time scale and its ticks; row geometry comes from the view.
 */
export class SpanRows {
  readonly scroller = h('div', { class: 'wf-scroll', tabindex: 0, role: 'grid', 'aria-label': 'Trace waterfall: arrow keys move, left/right collapse and expand, Enter opens the code' });
  readonly canvas = h('canvas', { class: 'wf-canvas' });
  private readonly spacer = h('div', { class: 'wf-spacer' });
  /** "k of n spans shown", for screen readers; the page places it. */
  readonly summary = h('span', { class: 'wf-visually-hidden', 'aria-live': 'polite' });
  hover = -1;

  constructor(
    private readonly view: WaterfallView,
    private readonly snapshot: () => WaterfallSnapshot | undefined,
    private readonly actions: RowsActions,
  ) {
    this.scroller.append(this.canvas, this.spacer);
    this.listen();
  }

  get width(): number {
    return this.scroller.clientWidth;
  }

  get nameWidth(): number {
    return nameColumnWidth(this.scroller.clientWidth);
  }

  /** After the visible rows changed: the scroll height and the summary follow them. */
  layout(): void {
    const k = this.view.visible.length;
    this.spacer.style.height = `${spacerHeight(k, this.scroller.clientHeight)}px`;
    this.summary.textContent = `${k} of ${this.view.rowCount} spans shown`;
  }

  /** Scrolls visible row `k` into view if it is not. */
  scrollToIndex(k: number): void {
    if (k < 0) return;
    const top = revealScrollTop(k, this.scroller.scrollTop, this.scroller.clientHeight);
    if (top !== this.scroller.scrollTop) this.scroller.scrollTop = top;
  }

  /** Canvas position (CSS pixels) of visible row `k`'s middle. */
  rowMiddle(k: number): number {
    return rowTop(k, this.scroller.scrollTop) + ROW_H / 2;
  }

  private timeScale(width: number) {
    return scaleLinear().domain([this.view.window.from, this.view.window.to]).range(timeRange(this.nameWidth, width));
  }

  draw(): void {
    const { view, canvas, scroller } = this;
    const snap = this.snapshot();
    const rows = snap?.rows;
    const dpr = pixelRatio();
    const w = scroller.clientWidth;
    const hgt = scroller.clientHeight;
    if (fitCanvas(canvas, w, hgt)) {
      canvas.style.width = `${w}px`;
      canvas.style.height = `${hgt}px`;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    if (!rows || !snap) return;
    const nw = this.nameWidth;
    const x = this.timeScale(w);
    ctx.font = canvasFont();
    ctx.textBaseline = 'middle';
    // Axis with ticks.
    ctx.fillStyle = colors.muted;
    ctx.strokeStyle = colors.grid;
    ctx.lineWidth = 1;
    for (const t of x.ticks(Math.max(2, Math.floor((w - nw) / 110)))) {
      const px = Math.round(x(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, AXIS_H - 4);
      ctx.lineTo(px, hgt);
      ctx.globalAlpha = 0.35;
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.fillText(formatDuration(t), px + 3, AXIS_H / 2);
    }
    ctx.fillText('Span', 6, AXIS_H / 2);
    const top = scroller.scrollTop;
    const visible = view.visible;
    const [first, last] = rowsInView(top, hgt, visible.length);
    const filtered = view.filtering;
    const textFiltered = filtered && view.filters.text !== '';
    const criticalOnly = (view.filters.requireFlags & FLAG.critical) !== 0;
    const { from, to } = view.window;
    for (let k = first; k < last; k++) {
      const i = visible[k]!;
      const y = rowTop(k, top);
      if (y + ROW_H < AXIS_H) continue;
      const f = rows.flags[i]!;
      if (i === view.selected || i === this.hover) {
        ctx.fillStyle = i === view.selected ? colors.sel : colors.hover;
        ctx.fillRect(0, y, w, ROW_H);
      }
      if (view.matches?.has(i) || textFiltered) {
        ctx.fillStyle = colors.match;
        ctx.fillRect(0, y, 3, ROW_H);
      }
      // Name column.
      const indent = rowIndent(rows.depth[i]!);
      const cy = y + ROW_H / 2;
      if (!filtered && view.hasChildren(i)) {
        ctx.fillStyle = colors.muted;
        ctx.fillText(view.collapsed.has(i) ? '▸' : '▾', indent, cy);
      }
      ctx.fillStyle = f & FLAG.synthetic ? colors.muted : serviceColor(rows.service[i]!);
      ctx.fillRect(indent + 12, y + 5, 4, ROW_H - 10);
      let tx = indent + 20;
      if (f & FLAG.error) {
        ctx.fillStyle = colors.error;
        ctx.fillText('●', tx, cy);
        tx += 12;
      }
      ctx.fillStyle = f & FLAG.orphan ? colors.muted : colors.fg;
      const service = snap.services![rows.service[i]!];
      const label = `${service}${service ? ': ' : ''}${snap.names![rows.name[i]!]}`;
      const room = nw - tx - (f & FLAG.code ? 24 : 6);
      ctx.save();
      ctx.beginPath();
      ctx.rect(tx, y, Math.max(0, room), ROW_H);
      ctx.clip();
      ctx.fillText(label, tx, cy);
      ctx.restore();
      if (f & FLAG.code) {
        ctx.fillStyle = colors.link;
        ctx.fillText('</>', nw - 24, cy);
      }
      // Bar.
      const s = rows.start[i]!;
      const e = s + rows.dur[i]!;
      if (e >= from && s <= to) {
        const x0 = Math.max(nw, x(s));
        const x1 = Math.min(w, Math.max(x0 + 1, x(e)));
        ctx.fillStyle = f & FLAG.error ? colors.error : f & FLAG.synthetic ? colors.muted : serviceColor(rows.service[i]!);
        ctx.globalAlpha = f & FLAG.critical || !criticalOnly ? 0.85 : 0.4;
        ctx.fillRect(x0, y + 4, x1 - x0, ROW_H - 8);
        ctx.globalAlpha = 1;
        const sections = view.critical.get(i);
        if (sections) {
          ctx.fillStyle = colors.critical;
          for (let j = 0; j < sections.length; j += 2) {
            const a = Math.max(nw, x(sections[j]!));
            const b = Math.min(w, x(sections[j + 1]!));
            if (b >= a) ctx.fillRect(a, cy - 1.5, Math.max(1, b - a), 3);
          }
        }
        ctx.fillStyle = colors.muted;
        const text = formatDuration(rows.dur[i]!);
        if (x1 + 60 < w) ctx.fillText(text, x1 + 4, cy);
        else if (x0 - 60 > nw) {
          ctx.textAlign = 'right';
          ctx.fillText(text, x0 - 4, cy);
          ctx.textAlign = 'left';
        }
      }
    }
    // Column divider.
    ctx.strokeStyle = colors.grid;
    ctx.beginPath();
    ctx.moveTo(nw + 0.5, 0);
    ctx.lineTo(nw + 0.5, hgt);
    ctx.stroke();
  }

  /** The row under a pointer at `clientY`, or -1. */
  rowAt(clientY: number): number {
    const k = rowIndexAt(clientY - this.canvas.getBoundingClientRect().top, this.scroller.scrollTop, this.view.visible.length);
    return k >= 0 ? this.view.visible[k]! : -1;
  }

  private listen(): void {
    const { canvas, scroller, view, actions } = this;
    canvas.addEventListener('click', (e) => {
      const rows = this.snapshot()?.rows;
      const row = this.rowAt(e.clientY);
      if (row < 0 || !rows) return;
      const xIn = e.clientX - canvas.getBoundingClientRect().left;
      const nw = this.nameWidth;
      const indent = rowIndent(rows.depth[row]!);
      if (view.canCollapse(row) && xIn >= indent - 2 && xIn <= indent + 11) {
        view.toggle(row);
        actions.changed();
        return;
      }
      actions.select(row);
      if (rows.flags[row]! & FLAG.code && xIn >= nw - 28 && xIn <= nw) actions.openCode(row);
    });
    canvas.addEventListener('dblclick', (e) => {
      const row = this.rowAt(e.clientY);
      const rows = this.snapshot()?.rows;
      if (row >= 0 && rows && rows.flags[row]! & FLAG.code) actions.openCode(row);
    });
    canvas.addEventListener('mousemove', (e) => {
      const row = this.rowAt(e.clientY);
      if (row !== this.hover) {
        this.hover = row;
        canvas.style.cursor = row >= 0 ? 'pointer' : 'default';
        actions.redraw();
      }
    });
    canvas.addEventListener('mouseleave', () => {
      this.hover = -1;
      actions.redraw();
    });
    scroller.addEventListener('scroll', () => actions.redraw(), { passive: true });
    scroller.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        const rect = canvas.getBoundingClientRect();
        const nw = this.nameWidth;
        const x = this.timeScale(rect.width);
        actions.zoom(x.invert(Math.max(nw, e.clientX - rect.left)), Math.exp(e.deltaY * 0.002));
      },
      { passive: false },
    );
    scroller.addEventListener('keydown', (e) => {
      const rows = this.snapshot()?.rows;
      if (!rows) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = view.step(e.key === 'ArrowDown' ? 1 : -1);
        if (next >= 0) actions.select(next, true);
      } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && view.selected >= 0 && !view.filtering) {
        e.preventDefault();
        const done = e.key === 'ArrowLeft' ? view.left() : view.right();
        if (done === 'selected') actions.select(view.selected, true);
        actions.changed();
      } else if (e.key === 'Enter' && view.selected >= 0 && rows.flags[view.selected]! & FLAG.code) {
        actions.openCode(view.selected);
      }
    });
    new ResizeObserver(() => actions.resized()).observe(scroller);
  }
}
