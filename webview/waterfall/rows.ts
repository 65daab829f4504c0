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
  /** Enter on a span without a code location: say so. */
  noCode(row: number): void;
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
 * For assistive technology the scroller is a tree grid whose active descendant is one hidden row: the
 * selected span, its name and its duration (all a screen reader announces on each arrow key).
 */
export class SpanRows {
  readonly scroller = h('div', {
    class: 'wf-scroll',
    id: 'wf-rows',
    tabindex: 0,
    role: 'treegrid',
    'aria-label': 'Spans: up and down arrows select, left and right collapse and expand, Enter opens the code beside, ? lists all keys',
    'aria-readonly': 'true',
    'aria-colcount': 2,
    'aria-activedescendant': 'wf-active-row',
  });
  readonly canvas = h('canvas', { class: 'wf-canvas', 'aria-hidden': 'true' });
  private readonly spacer = h('div', { class: 'wf-spacer' });
  private readonly nameCell = h('span', { role: 'gridcell' });
  private readonly durationCell = h('span', { role: 'gridcell' });
  private readonly activeRow = h('div', { role: 'row', id: 'wf-active-row', class: 'sr-only', 'aria-selected': 'false' }, this.nameCell, this.durationCell);
  /** "k of n spans shown", for screen readers; the page places it. */
  readonly summary = h('span', { class: 'sr-only', 'aria-live': 'polite' });
  hover = -1;

  constructor(
    private readonly view: WaterfallView,
    private readonly snapshot: () => WaterfallSnapshot | undefined,
    private readonly actions: RowsActions,
  ) {
    this.scroller.append(this.canvas, this.spacer, this.activeRow);
    this.listen();
  }

  /** The hidden row describes the selected span (or, with none selected, the first one, not selected). */
  describeActive(): void {
    const s = this.snapshot();
    const rows = s?.rows;
    const view = this.view;
    const row = view.selected >= 0 ? view.selected : (view.visible[0] ?? -1);
    if (!rows || row < 0) {
      this.nameCell.textContent = 'No spans';
      this.durationCell.textContent = '';
      return;
    }
    const service = s.services![rows.service[row]!];
    const error = rows.flags[row]! & FLAG.error ? ', error' : '';
    this.nameCell.textContent = `${service ? `${service}: ` : ''}${s.names![rows.name[row]!]}${error}`;
    this.durationCell.textContent = formatDuration(rows.dur[row]!);
    const k = view.indexOf(row);
    this.activeRow.setAttribute('aria-selected', String(view.selected === row));
    this.activeRow.setAttribute('aria-rowindex', String(k + 1));
    this.activeRow.setAttribute('aria-level', String(rows.depth[row]! + 1));
    if (view.hasChildren(row) && !view.filtering) this.activeRow.setAttribute('aria-expanded', String(!view.collapsed.has(row)));
    else this.activeRow.removeAttribute('aria-expanded');
    this.scroller.setAttribute('aria-rowcount', String(view.visible.length));
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
    this.describeActive();
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
      const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_H) - 2);
      const delta = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity }[e.key];
      if (delta !== undefined) {
        e.preventDefault();
        const next = Number.isFinite(delta) ? view.step(delta) : view.visible.length ? view.visible[delta > 0 ? view.visible.length - 1 : 0]! : -1;
        if (next >= 0) actions.select(next, true);
      } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && view.selected >= 0 && !view.filtering) {
        e.preventDefault();
        const done = e.key === 'ArrowLeft' ? view.left() : view.right();
        if (done === 'selected') actions.select(view.selected, true);
        actions.changed();
      } else if (e.key === 'Enter' && view.selected >= 0) {
        e.preventDefault();
        if (rows.flags[view.selected]! & FLAG.code) actions.openCode(view.selected);
        else actions.noCode(view.selected);
      }
    });
    // Focus with nothing selected selects the first row in view (without scrolling: a click that focused
    // the rows is about to select its own row), so the arrow keys and the screen reader start there.
    scroller.addEventListener('focus', () => {
      if (view.selected >= 0 || !view.visible.length) return;
      const first = Math.min(Math.ceil(scroller.scrollTop / ROW_H), view.visible.length - 1);
      actions.select(view.visible[first]!);
    });
    new ResizeObserver(() => actions.resized()).observe(scroller);
  }
}
