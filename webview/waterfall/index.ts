/**
 * Trace waterfall page: wires the view state (src/core/traces/waterfallView.ts, pure and unit tested) to
 * its parts — the span rows on a canvas (rows.ts), the minimap, the metrics band, the span detail and
 * anomaly panes, the filter bar, the header and tables — and to the host through the typed bridge.
 */
import { WaterfallView, zoomAround, type SpanTable } from '../../src/core/traces/waterfallView';
import { isWaterfallMessage, type WaterfallIntent, type WaterfallMessage, type WaterfallSnapshot, type WaterfallState } from '../../src/protocol/waterfall';
import { connect, type PageBridge } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';
import { AnomalyPane } from './anomaly';
import { MetricsBand, metricsLegend } from './band';
import { DetailPane } from './detail';
import { Minimap } from './minimap';
import { SpanRows } from './rows';
import { traceHeader, summaryTables } from './summary';
import { exposeTestApi } from './testApi';
import { onNextFrame, readColors } from './paint';
import { FilterBar, action } from './toolbar';
import { traceList } from './traceList';

const root = document.getElementById('app')!;
const view = new WaterfallView();
let snap: WaterfallSnapshot | undefined;
const snapshot = () => snap;
// Assigned last, once every part exists: connect() may render a saved snapshot at once.
let bridge: PageBridge<WaterfallIntent> | undefined = undefined;
const send = (intent: WaterfallIntent) => bridge?.send(intent);
const scheduleDraw = onNextFrame(draw);

const rows = new SpanRows(view, snapshot, {
  select,
  openCode,
  changed,
  redraw: scheduleDraw,
  resized: () => {
    minimap.invalidate();
    changed();
  },
  zoom: (at, factor) => {
    const w = zoomAround(view.window, at, factor, view.total);
    setWindow(w.from, w.to);
  },
});
const minimap = new Minimap(view, snapshot, (w) => setWindow(w.from, w.to));
const band = new MetricsBand(view);
const detail = new DetailPane(snapshot, openCode);
const anomaly = new AnomalyPane();
const filterBar = new FilterBar(view, {
  changed,
  askAttribute: (query) => send({ type: 'filterAttribute', query }),
  resetZoom: () => setWindow(0, view.total),
});
const noticeBox = h('div', { class: 'wf-notice', role: 'status' });

const perf = { draws: 0, lastDrawMs: 0, firstPaint: 0 };

function draw(): void {
  const started = performance.now();
  rows.draw();
  if (!snap?.rows) return;
  minimap.draw();
  band.draw(snap, rows.width, rows.nameWidth);
  perf.draws++;
  perf.lastDrawMs = performance.now() - started;
  if (!perf.firstPaint) {
    perf.firstPaint = performance.now();
    performance.mark('iwb-waterfall-first-paint');
  }
}

/** The visible rows changed: the scroll height follows, then a draw. */
function changed(): void {
  rows.layout();
  scheduleDraw();
}

function setWindow(from: number, to: number): void {
  view.setWindow(from, to);
  filterBar.showWindow();
  scheduleDraw();
}

function select(row: number, reveal = false): void {
  if (!snap?.rows || !view.select(row)) return;
  document.body.dataset.selectedSpan = snap.rows.spanId[row]!;
  send({ type: 'selectSpan', row });
  if (reveal) {
    // Expand collapsed ancestors, then scroll the row into view.
    const k = view.reveal(row);
    rows.layout();
    rows.scrollToIndex(k);
  }
  bridge?.saveState();
  scheduleDraw();
}

function openCode(row: number): void {
  send({ type: 'openCode', row });
}

function table(s: WaterfallSnapshot): SpanTable | undefined {
  return s.rows ? { rows: s.rows, names: s.names ?? [], services: s.services ?? [], critical: s.critical ?? [], durationUs: s.durationUs ?? 1 } : undefined;
}

/** Whether two snapshots show the same trace (a new snapshot may only add logs or metrics). */
function sameTrace(a: WaterfallSnapshot | undefined, b: WaterfallSnapshot): boolean {
  return !!a && a.traceId === b.traceId && a.rows?.spanId.length === b.rows?.spanId.length;
}

function onSnapshot(s: WaterfallSnapshot): void {
  const t = table(s);
  if (!sameTrace(snap, s) || !t) {
    view.load(t);
    detail.detail = undefined;
    anomaly.report = undefined;
    minimap.invalidate();
  } else view.update(t);
  snap = s;
  render();
}

function onMessage(m: WaterfallMessage): void {
  if (m.type === 'spanDetail') detail.show(m);
  else if (m.type === 'notice') {
    replaceChildren(noticeBox, icon(m.kind === 'error' ? 'error' : 'info'), ' ', m.text);
    noticeBox.className = `wf-notice ${m.kind}`;
  } else if (m.type === 'anomaly') anomaly.show(m);
  else if (view.applyMatches(m.query, m.rows)) changed();
}

function render(): void {
  root.removeAttribute('aria-busy');
  readColors();
  const s = snap!;
  if (s.error || !s.rows) {
    replaceChildren(
      root,
      h('h1', {}, 'Trace'),
      h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error ?? 'No spans.'), h('p', { class: 'muted' }, s.file))),
      action(send, 'Open as text', 'go-to-file', { type: 'openAsText' }, false),
    );
    return;
  }
  filterBar.setServices(s.services!);
  filterBar.showWindow();
  replaceChildren(
    root,
    traceHeader(s, (row) => select(row, true)),
    s.traces.length > 1 ? traceList(s, (traceId) => send({ type: 'openTrace', traceId })) : null,
    filterBar.element,
    h('div', { class: 'wf-toolbar' },
      action(send, 'Load Logs…', 'output', { type: 'loadLogs' }),
      action(send, 'Load Metrics…', 'graph-line', { type: 'loadMetrics' }),
      s.prometheus.configured ? action(send, 'Query Prometheus', 'cloud-download', { type: 'queryPrometheus' }) : null,
      action(send, 'Append Timeline to Post-Mortem', 'timeline-open', { type: 'appendTimeline' }),
      s.incidentId ? null : action(send, 'Attach to Incident…', 'pin', { type: 'attachToIncident' }),
      action(send, 'Open as Text', 'go-to-file', { type: 'openAsText' }),
      rows.summary,
    ),
    noticeBox,
    minimap.canvas,
    rows.scroller,
    band.canvas,
    metricsLegend(s, send),
    anomaly.element,
    detail.element,
    summaryTables(s),
  );
  rows.layout();
  minimap.invalidate();
  detail.render();
  anomaly.render();
  scheduleDraw();
}

exposeTestApi({ view, rows, perf, snapshot, draw, setWindow });

bridge = connect<WaterfallSnapshot, WaterfallIntent, WaterfallState, WaterfallMessage>({
  render: onSnapshot,
  state: (s) => ({ file: s.file, ...(s.traceId ? { traceId: s.traceId } : {}), ...(view.selected >= 0 && sameTrace(snap, s) ? { selected: view.selected } : {}) }),
  restore: (saved, s) => {
    if (saved.file === s.file && saved.traceId === s.traceId && typeof saved.selected === 'number') select(saved.selected, true);
  },
  events: { guard: isWaterfallMessage, on: onMessage },
});
