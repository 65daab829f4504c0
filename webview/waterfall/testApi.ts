import { rowOf, type WaterfallView } from '../../src/core/traces/waterfallView';
import type { WaterfallSnapshot } from '../../src/protocol/waterfall';
import type { SpanRows } from './rows';

/**
 * A small window API for the end-to-end tests and the benchmark (bench/lib/waterfallPage.mjs): where rows
 * are on the canvas, and the drawing counters.
 */
export function exposeTestApi(page: {
  view: WaterfallView;
  rows: SpanRows;
  perf: { draws: number; lastDrawMs: number; firstPaint: number };
  snapshot: () => WaterfallSnapshot | undefined;
  draw: () => void;
  setWindow: (from: number, to: number) => void;
}): void {
  const { view, rows, draw } = page;
  (window as unknown as { iwbWaterfall: unknown }).iwbWaterfall = {
    perf: page.perf,
    visibleCount: () => view.visible.length,
    selected: () => view.selected,
    rowOf: (spanIdOrName: string) => (view.table ? rowOf(view.table, spanIdOrName) : -1),
    /** Scrolls the row into view (expanding its ancestors); positions of its name and code icon on the canvas. */
    locate: (row: number) => {
      if (!page.snapshot()?.rows) return undefined;
      const k = view.reveal(row);
      rows.layout();
      if (k < 0) return undefined;
      // In the middle of the rows, away from the edges a pointer could miss.
      rows.scroller.scrollTop = Math.max(0, rows.rowMiddle(k) + rows.scroller.scrollTop - rows.scroller.clientHeight / 2);
      draw();
      return { x: rows.nameWidth / 2, y: rows.rowMiddle(k), codeX: rows.nameWidth - 14 };
    },
    scrollTo: (y: number) => {
      rows.scroller.scrollTop = y;
      draw();
    },
    zoom: (from: number, to: number) => {
      page.setWindow(from, to);
      draw();
    },
    draw,
  };
}
