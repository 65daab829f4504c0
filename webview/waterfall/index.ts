/**
 * Trace waterfall page: wires the view state (src/core/traces/waterfallView.ts, pure and unit tested) to
 * its parts — the span rows on a canvas (rows.ts), the minimap, the metrics band, the span detail and
 * anomaly panes, the filter bar, the header and tables — and to the host through the typed bridge.
 * A fixed layout: a short header and the controls on top, the rows filling the editor with the minimap
 * over them and the metrics under them, and the selected span's detail in a pane beside them (under
 * them in a narrow editor group) that follows the selection.
 */
import { WaterfallView, zoomAround, type SpanTable } from '../../src/core/traces/waterfallView';
import { isWaterfallMessage, type WaterfallIntent, type WaterfallMessage, type WaterfallSnapshot, type WaterfallState } from '../../src/protocol/waterfall';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';
import { keyboardHelp } from '../shared/help';
import { AnomalyPane } from './anomaly';
import { MetricsBand } from './band';
import { DetailPane } from './detail';
import { Minimap } from './minimap';
import { SpanRows } from './rows';
import { traceFindings, traceHeader, summaryTables } from './summary';
import { exposeTestApi } from './testApi';
import { onNextFrame, readColors } from './paint';
import { FilterBar, action, compactAction } from './toolbar';
import { traceList } from './traceList';

const root = document.getElementById('app')!;
const view = new WaterfallView();
let snap: WaterfallSnapshot | undefined;
const snapshot = () => snap;
const send = (intent: WaterfallIntent) => bridge.send(intent);
const scheduleDraw = onNextFrame(draw);

const rows = new SpanRows(view, snapshot, {
  select,
  openCode,
  noCode: (row) => notice(`${snap?.names?.[snap.rows?.name[row] ?? -1] ?? 'This span'} has no code location (code.file.path) to open.`, 'info'),
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
const band = new MetricsBand(view, send);
const detail = new DetailPane(snapshot, openCode);
const anomaly = new AnomalyPane();
const filterBar = new FilterBar(view, {
  changed,
  askAttribute: (query) => send({ type: 'filterAttribute', query }),
  resetZoom: () => setWindow(0, view.total),
});
const noticeBox = h('div', { class: 'wf-notice', role: 'status' });
const side = h('aside', { class: 'wf-side', 'aria-label': 'Span detail and trace summary', tabindex: -1 });
const chartColumn = h('div', { class: 'wf-chart' });
const skip = h('button', { class: 'skip-link', type: 'button', onclick: () => rows.scroller.focus() }, 'Skip to the spans');
const help = keyboardHelp([
  ['Tab', 'first stop: “Skip to the spans”, then the filters, the time window and the spans'],
  ['↑ / ↓', 'select the previous / next span (the detail beside follows)'],
  ['Page Up / Page Down, Home / End', 'a page of spans up or down, the first or last span'],
  ['← / →', 'collapse the span or go to its parent / expand it'],
  ['Enter', 'open the selected span’s code beside the waterfall'],
  ['Ctrl + mouse wheel', 'zoom the time axis around the pointer'],
  ['Time window: ← / →, Page Up / Page Down', 'move the zoomed window'],
  ['Time window: + / −', 'zoom in or out around its middle'],
  ['Time window: 0 / Home', 'the whole trace'],
]);

const perf = { draws: 0, lastDrawMs: 0, firstPaint: 0 };

function draw(): void {
  const started = performance.now();
  rows.draw();
  if (!snap?.rows) return;
  minimap.draw();
  chartColumn.style.setProperty('--wf-name-width', `${rows.nameWidth}px`);
  band.draw(snap);
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
  rows.describeActive();
  bridge.saveState();
  scheduleDraw();
}

function openCode(row: number): void {
  send({ type: 'openCode', row });
}

function notice(text: string, kind: 'info' | 'error'): void {
  replaceChildren(noticeBox, icon(kind === 'error' ? 'error' : 'info'), ' ', text);
  noticeBox.className = `wf-notice ${kind}`;
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
  if (m.type === 'spanDetail') {
    detail.show(m);
    // The pane shows the span from its top, whatever was read before.
    side.scrollTop = 0;
  } else if (m.type === 'notice') notice(m.text, m.kind);
  else if (m.type === 'anomaly') anomaly.show(m);
  else if (view.applyMatches(m.query, m.rows)) changed();
}

function render(): void {
  root.removeAttribute('aria-busy');
  readColors();
  const s = snap!;
  if (s.error || !s.rows) {
    document.body.classList.remove('wf-page');
    replaceChildren(
      root,
      help,
      h('h1', {}, 'Trace'),
      h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error ?? 'No spans.'), h('p', { class: 'muted' }, s.file))),
      action(send, 'Open as text', 'go-to-file', { type: 'openAsText' }, false),
    );
    return;
  }
  document.body.classList.add('wf-page');
  filterBar.setServices(s.services!);
  filterBar.showWindow();
  band.render(s);
  replaceChildren(chartColumn, minimap.canvas, rows.scroller, band.element);
  replaceChildren(side, anomaly.element, detail.element, traceFindings(s, (row) => select(row, true)), summaryTables(s));
  replaceChildren(
    root,
    traceHeader(s, (row) => select(row, true), [skip, help]),
    h('div', { class: 'wf-controls' },
      s.traces.length > 1 ? traceList(s, (traceId) => send({ type: 'openTrace', traceId })) : null,
      filterBar.element,
    ),
    h('div', { class: 'wf-toolbar wf-actions' },
      compactAction(send, 'Load Logs…', 'output', { type: 'loadLogs' }),
      compactAction(send, 'Load Metrics…', 'graph-line', { type: 'loadMetrics' }),
      s.prometheus.configured ? compactAction(send, 'Query Prometheus', 'cloud-download', { type: 'queryPrometheus' }) : null,
      compactAction(send, 'Append Timeline to Post-Mortem', 'history', { type: 'appendTimeline' }),
      s.incidentId ? null : compactAction(send, 'Attach to Incident…', 'pin', { type: 'attachToIncident' }),
      compactAction(send, 'Open as Text', 'go-to-file', { type: 'openAsText' }),
      rows.summary,
      noticeBox,
    ),
    h('div', { class: 'wf-main' }, chartColumn, side),
  );
  rows.layout();
  minimap.invalidate();
  detail.render();
  anomaly.render();
  scheduleDraw();
}

exposeTestApi({ view, rows, perf, snapshot, draw, setWindow });

const bridge = connect<WaterfallSnapshot, WaterfallIntent, WaterfallState, WaterfallMessage>({
  render: onSnapshot,
  state: (s) => ({ file: s.file, ...(s.traceId ? { traceId: s.traceId } : {}), ...(view.selected >= 0 && sameTrace(snap, s) ? { selected: view.selected } : {}) }),
  restore: (saved, s) => {
    if (saved.file === s.file && saved.traceId === s.traceId && typeof saved.selected === 'number') select(saved.selected, true);
  },
  events: { guard: isWaterfallMessage, on: onMessage },
  themeChanged: () => {
    readColors();
    minimap.invalidate();
    scheduleDraw();
  },
});
