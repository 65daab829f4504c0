/**
 * What the trace waterfall shows, without drawing it: which rows are visible (collapsed subtrees, filters,
 * attribute matches), the zoomed time window, the selection and how keys move it, and the geometry that
 * turns rows into pixels and back. Pure and DOM-free, like profile/flameTree.ts: the page draws this state
 * (webview/waterfall/), the unit tests check it under Node.
 *
 * Rows are the snapshot's columns (one array per field, a row per span in depth-first order), so a
 * subtree is the run of deeper rows after its root. Flag bits are the protocol's; this module only tests
 * the bits a filter asks for (`requireFlags`), it gives them no meaning.
 */

/** The columns of the waterfall snapshot this module reads (number[] from the host, or typed arrays). */
export interface SpanColumns {
  /** Start, µs after the trace start. */
  start: ArrayLike<number>;
  dur: ArrayLike<number>;
  depth: ArrayLike<number>;
  /** Parent row, -1 for a root. */
  parent: ArrayLike<number>;
  /** Index into the table's `services`. */
  service: ArrayLike<number>;
  /** Index into the table's `names`. */
  name: ArrayLike<number>;
  /** Bits the protocol names (FLAG in src/protocol/waterfall.ts). */
  flags: ArrayLike<number>;
  spanId: ArrayLike<string>;
}

export interface SpanTable {
  rows: SpanColumns;
  names: readonly string[];
  services: readonly string[];
  /** Critical sections as [row, startUs, endUs] triples, flattened. */
  critical?: readonly number[];
  durationUs?: number;
}

export interface SpanFilters {
  /** Words that must all appear in "name service spanId"; a word starting with "-" must not. */
  text: string;
  /** Service index, -1 for all. */
  service: number;
  /** Rows must have every one of these flag bits. */
  requireFlags: number;
  minMs: number;
}

export const NO_FILTERS: Readonly<SpanFilters> = { text: '', service: -1, requireFlags: 0, minMs: 0 };

/** A time window of the trace, µs after its start. */
export interface TimeWindow {
  from: number;
  to: number;
}

// ---------------------------------------------------------------- geometry (CSS pixels)

export const ROW_H = 20;
export const AXIS_H = 22;

/** Width of the name column for a waterfall `width` pixels wide. */
export function nameColumnWidth(width: number): number {
  return Math.max(180, Math.min(420, Math.floor(width * 0.34)));
}

/** Where the twisty of a row at `depth` starts; its label and bar marker follow. */
export function rowIndent(depth: number): number {
  return 6 + Math.min(depth, 40) * 10;
}

/** The pixel range the time axis maps the window onto, right of a name column `nameWidth` wide. */
export function timeRange(nameWidth: number, width: number): [number, number] {
  return [nameWidth + 4, width - 8];
}

/** Index into the visible rows under `y` (pixels from the top of the canvas), or -1 (axis, past the end). */
export function rowIndexAt(y: number, scrollTop: number, count: number): number {
  if (y < AXIS_H) return -1;
  const k = Math.floor((y - AXIS_H + scrollTop) / ROW_H);
  return k >= 0 && k < count ? k : -1;
}

/** Top of visible row `k` on the canvas (pixels), for a scroller at `scrollTop`. */
export function rowTop(k: number, scrollTop: number): number {
  return AXIS_H + k * ROW_H - scrollTop;
}

/** The visible rows [first, last) a canvas `height` pixels tall shows at `scrollTop`. */
export function rowsInView(scrollTop: number, height: number, count: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / ROW_H));
  const last = Math.min(count, Math.ceil((scrollTop + height - AXIS_H) / ROW_H) + 1);
  return [first, Math.max(first, last)];
}

/** The scroll position that brings visible row `k` into a view `height` tall (unchanged if it is in view). */
export function revealScrollTop(k: number, scrollTop: number, height: number): number {
  const y = k * ROW_H;
  if (y < scrollTop || y > scrollTop + height - AXIS_H - ROW_H) return Math.max(0, y - height / 3);
  return scrollTop;
}

/** Height of the element under the sticky canvas that makes the scroller as tall as all `count` rows. */
export function spacerHeight(count: number, height: number): number {
  return Math.max(0, count * ROW_H + AXIS_H - height);
}

// ---------------------------------------------------------------- rows

/** Number of direct children of each row. */
export function childCounts(rows: SpanColumns): Int32Array {
  const n = rows.spanId.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = rows.parent[i]!;
    if (p >= 0 && p < n) out[p]!++;
  }
  return out;
}

/** Critical sections per row: [start, end, start, end, …] µs. */
export function criticalByRow(critical: readonly number[] | undefined): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const c = critical ?? [];
  for (let i = 0; i + 2 < c.length; i += 3) {
    let list = out.get(c[i]!);
    if (!list) out.set(c[i]!, (list = []));
    list.push(c[i + 1]!, c[i + 2]!);
  }
  return out;
}

export interface TextQuery {
  include: string[];
  exclude: string[];
}

/** The text filter as lower-case words to find and words (written "-word") to reject. */
export function parseTextQuery(text: string): TextQuery {
  const terms = text
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== '');
  return {
    include: terms.filter((t) => !t.startsWith('-')),
    exclude: terms.filter((t) => t.startsWith('-') && t.length > 1).map((t) => t.slice(1)),
  };
}

/** Whether a lower-case haystack passes the text query. */
export function matchesText(hay: string, q: TextQuery): boolean {
  return !q.include.some((t) => !hay.includes(t)) && !q.exclude.some((t) => hay.includes(t));
}

/** What the text filter searches in a row: its name, service and span id. */
export function rowText(table: SpanTable, i: number): string {
  const r = table.rows;
  return `${table.names[r.name[i]!]} ${table.services[r.service[i]!]} ${r.spanId[i]}`.toLowerCase();
}

/** Whether any filter (or an attribute match set) is on; then rows show flat, without collapse. */
export function isFiltering(filters: SpanFilters, matches?: ReadonlySet<number>): boolean {
  return filters.text !== '' || filters.service >= 0 || filters.requireFlags !== 0 || filters.minMs > 0 || matches !== undefined;
}

/**
 * Rows to show, in row (depth-first) order: every row passing the filters when any is on, else every row
 * not inside a collapsed subtree.
 */
export function computeVisible(table: SpanTable, collapsed: ReadonlySet<number>, filters: SpanFilters, matches?: ReadonlySet<number>): Int32Array {
  const rows = table.rows;
  const n = rows.spanId.length;
  const out = new Int32Array(n);
  let k = 0;
  if (isFiltering(filters, matches)) {
    const q = parseTextQuery(filters.text);
    const words = q.include.length > 0 || q.exclude.length > 0;
    const minUs = filters.minMs * 1000;
    const need = filters.requireFlags;
    for (let i = 0; i < n; i++) {
      if ((rows.flags[i]! & need) !== need) continue;
      if (filters.service >= 0 && rows.service[i] !== filters.service) continue;
      if (rows.dur[i]! < minUs) continue;
      if (matches && !matches.has(i)) continue;
      if (words && !matchesText(rowText(table, i), q)) continue;
      out[k++] = i;
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[k++] = i;
      if (collapsed.has(i)) {
        // Skip the subtree: rows are depth-first, so it is the run of deeper rows that follows.
        const d = rows.depth[i]!;
        while (i + 1 < n && rows.depth[i + 1]! > d) i++;
      }
    }
  }
  return out.subarray(0, k);
}

/** The row whose span id is `spanIdOrName`, else the first row with that operation name, else -1. */
export function rowOf(table: SpanTable, spanIdOrName: string): number {
  const r = table.rows;
  const n = r.spanId.length;
  for (let i = 0; i < n; i++) if (r.spanId[i] === spanIdOrName) return i;
  for (let i = 0; i < n; i++) if (table.names[r.name[i]!] === spanIdOrName) return i;
  return -1;
}

// ---------------------------------------------------------------- time window

/** The window of a trace `durationUs` long (at least 1 µs, as an empty trace still draws an axis). */
export function traceSpan(durationUs: number | undefined): number {
  return Math.max(1, durationUs ?? 1);
}

/**
 * `from`..`to` made a valid window of a trace `total` µs long: ordered, inside the trace, and at least a
 * millionth of it (and 1 µs) wide so the scale never collapses.
 */
export function clampWindow(from: number, to: number, total: number): TimeWindow {
  let a = Math.max(0, Math.min(from, to));
  let b = Math.min(total, Math.max(from, to));
  const minSpan = Math.min(total, Math.max(1, total / 1e6));
  if (!(b - a >= minSpan)) {
    const c = Number.isFinite(a + b) ? (a + b) / 2 : total / 2;
    a = Math.max(0, c - minSpan / 2);
    b = Math.min(total, a + minSpan);
    a = Math.min(a, b - minSpan);
  }
  return { from: a, to: b };
}

/** The window scaled by `factor` around time `at` (a wheel zoom keeps the time under the pointer). */
export function zoomAround(w: TimeWindow, at: number, factor: number, total: number): TimeWindow {
  return clampWindow(at - (at - w.from) * factor, at + (w.to - at) * factor, total);
}

/** The same window width centred on time `c` (a click on the minimap). */
export function centreWindow(w: TimeWindow, c: number, total: number): TimeWindow {
  const half = (w.to - w.from) / 2;
  return clampWindow(c - half, c + half, total);
}

/** Whether the window shows the whole trace. */
export function isWholeTrace(w: TimeWindow, total: number): boolean {
  return w.from === 0 && w.to === total;
}

/**
 * The window a drag over the minimap (`x0` to `x1`, pixels of a minimap `width` wide) asks for: the dragged
 * range, or for a click (under 3 pixels) the current window moved to centre there.
 */
export function minimapWindow(x0: number, x1: number, width: number, w: TimeWindow, total: number): TimeWindow {
  const a = Math.max(0, Math.min(x0, x1));
  const b = Math.min(width, Math.max(x0, x1));
  if (b - a >= 3) return clampWindow((a / width) * total, (b / width) * total, total);
  return centreWindow(w, (a / width) * total, total);
}

// ---------------------------------------------------------------- formatting

/** A duration in µs as the waterfall writes it: µs, ms or s with the digits that matter. */
export function formatDuration(us: number): string {
  const ms = us / 1000;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.01) return `${ms.toFixed(2)} ms`;
  return `${us.toFixed(0)} µs`;
}

/** A metric value: three decimals, or exponent notation when very large or small. */
export function formatValue(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 || (a > 0 && a < 0.01) ? v.toExponential(2) : String(Math.round(v * 1000) / 1000);
}

// ---------------------------------------------------------------- the state the page keeps

/** What a left or right arrow did to the selection (the page scrolls for `selected`). */
export type ArrowResult = 'collapsed' | 'expanded' | 'selected' | 'none';

/**
 * The waterfall's view state over one trace: collapsed rows, filters, attribute matches, window and
 * selection, with the visible rows kept up to date by every change.
 */
export class WaterfallView {
  table: SpanTable | undefined;
  readonly collapsed = new Set<number>();
  filters: SpanFilters = { ...NO_FILTERS };
  /** Rows matching the attribute filter `attributeQuery` (the host answers it); undefined: no such filter. */
  matches: Set<number> | undefined;
  attributeQuery = '';
  selected = -1;
  window: TimeWindow = { from: 0, to: 1 };
  visible: Int32Array = new Int32Array(0);
  childCount: Int32Array = new Int32Array(0);
  critical = new Map<number, number[]>();

  get total(): number {
    return traceSpan(this.table?.durationUs);
  }

  get rowCount(): number {
    return this.table?.rows.spanId.length ?? 0;
  }

  get filtering(): boolean {
    return isFiltering(this.filters, this.matches);
  }

  /** A new trace: everything about the previous one (collapse, selection, matches, zoom) is dropped. */
  load(table: SpanTable | undefined): void {
    this.table = table;
    this.collapsed.clear();
    this.selected = -1;
    this.matches = undefined;
    this.attributeQuery = '';
    this.window = { from: 0, to: this.total };
    this.childCount = table ? childCounts(table.rows) : new Int32Array(0);
    this.critical = criticalByRow(table?.critical);
    this.refresh();
  }

  /** The same trace again (a new snapshot with logs or metrics): keeps the state, takes the new columns. */
  update(table: SpanTable): void {
    this.table = table;
    this.refresh();
  }

  refresh(): void {
    this.visible = this.table ? computeVisible(this.table, this.collapsed, this.filters, this.matches) : new Int32Array(0);
  }

  setFilters(change: Partial<SpanFilters>): void {
    this.filters = { ...this.filters, ...change };
    this.refresh();
  }

  /**
   * A new attribute query: an empty one clears the matches at once (true), any other waits for the host's
   * answer (false: ask the host).
   */
  setAttributeQuery(query: string): boolean {
    this.attributeQuery = query;
    if (query) return false;
    this.matches = undefined;
    this.refresh();
    return true;
  }

  /** The host's rows for an attribute query; an answer to an older query is ignored (false). */
  applyMatches(query: string, rows: readonly number[]): boolean {
    if (query !== this.attributeQuery) return false;
    this.matches = new Set(rows);
    this.refresh();
    return true;
  }

  isRow(row: number): boolean {
    return Number.isInteger(row) && row >= 0 && row < this.rowCount;
  }

  hasChildren(row: number): boolean {
    return this.childCount[row]! > 0;
  }

  /** Collapse toggles only apply to the tree (no filter on). */
  canCollapse(row: number): boolean {
    return !this.filtering && this.isRow(row) && this.hasChildren(row);
  }

  toggle(row: number): void {
    if (this.collapsed.has(row)) this.collapsed.delete(row);
    else this.collapsed.add(row);
    this.refresh();
  }

  collapse(row: number): void {
    this.collapsed.add(row);
    this.refresh();
  }

  expand(row: number): void {
    this.collapsed.delete(row);
    this.refresh();
  }

  /** Expands the row's collapsed ancestors; its index among the visible rows, or -1 (filtered out). */
  reveal(row: number): number {
    const rows = this.table?.rows;
    if (!rows || !this.isRow(row)) return -1;
    let changed = false;
    for (let p = rows.parent[row]!; p >= 0; p = rows.parent[p]!) changed = this.collapsed.delete(p) || changed;
    if (changed) this.refresh();
    return this.indexOf(row);
  }

  indexOf(row: number): number {
    return this.visible.indexOf(row);
  }

  /** Selects a row; false (nothing changes) if there is no such row. */
  select(row: number): boolean {
    if (!this.isRow(row)) return false;
    this.selected = row;
    return true;
  }

  /**
   * The row `delta` visible rows away from the selection (clamped to the first and last; from no selection,
   * the first row), or -1 when nothing is visible.
   */
  step(delta: number): number {
    if (!this.visible.length) return -1;
    const k = this.selected >= 0 ? this.indexOf(this.selected) : -1;
    return this.visible[Math.max(0, Math.min(this.visible.length - 1, k + delta))]!;
  }

  /** Left arrow: collapse the selected row, or if it is collapsed or a leaf, select its parent. */
  left(): ArrowResult {
    const rows = this.table?.rows;
    const s = this.selected;
    if (!rows || s < 0 || this.filtering) return 'none';
    if (this.hasChildren(s) && !this.collapsed.has(s)) {
      this.collapse(s);
      return 'collapsed';
    }
    const p = rows.parent[s]!;
    if (p >= 0 && this.select(p)) return 'selected';
    return 'none';
  }

  /** Right arrow: expand the selected row. */
  right(): ArrowResult {
    const s = this.selected;
    if (!this.table || s < 0 || this.filtering) return 'none';
    this.expand(s);
    return 'expanded';
  }

  setWindow(from: number, to: number): void {
    this.window = clampWindow(from, to, this.total);
  }

  resetWindow(): void {
    this.window = { from: 0, to: this.total };
  }

  get wholeTrace(): boolean {
    return isWholeTrace(this.window, this.total);
  }
}
