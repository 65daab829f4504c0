import type { StatsView, TraceRow, TraceSearchForm, TraceSearchIntent, TraceSearchSnapshot, TraceSearchState } from '../../src/protocol/traceSearch';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';
import { button, int, loadDecisionsCss, pct } from '../shared/decisions';

loadDecisionsCss();
const root = document.getElementById('app')!;
let state: TraceSearchState = { sort: { column: 'duration', descending: true }, tab: 'results' };
let last: TraceSearchSnapshot | undefined;
const bridge = connect<TraceSearchSnapshot, TraceSearchIntent, TraceSearchState>({
  render,
  state: () => state,
  restore: (saved) => {
    state = { ...state, ...saved };
    if (last) render(last);
  },
});

function field(label: string, input: HTMLElement): HTMLElement {
  return h('label', { class: 'ts-field' }, h('span', {}, label), input);
}

function textInput(name: keyof TraceSearchForm, value: string, placeholder = '', list?: string): HTMLInputElement {
  return h('input', { type: 'text', name, value, placeholder, list, 'aria-label': name, spellcheck: 'false' }) as HTMLInputElement;
}

function readForm(form: HTMLFormElement): TraceSearchForm {
  const v = (n: string) => ((form.elements.namedItem(n) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '').trim();
  const range = v('range');
  return { service: v('service'), operation: v('operation'), tags: v('tags'), minDuration: v('minDuration'), maxDuration: v('maxDuration'), range: range === 'incident' || range === 'range' ? range : 'lookback', lookback: v('lookback'), start: v('start'), end: v('end'), limit: v('limit') };
}

function searchForm(s: TraceSearchSnapshot): HTMLElement {
  const f = s.form;
  const services = h('datalist', { id: 'ts-services' }, ...s.services.map((x) => h('option', { value: x })));
  const operations = h('datalist', { id: 'ts-operations' }, ...s.operations.map((x) => h('option', { value: x })));
  const range = h('select', { name: 'range', 'aria-label': 'time range' },
    h('option', { value: 'lookback', selected: f.range === 'lookback' }, 'Last…'),
    h('option', { value: 'incident', selected: f.range === 'incident', disabled: !s.incident }, s.incident ? `Incident ${s.incident.id} (${s.incident.startText} – ${s.incident.endText})` : 'Incident window (no active incident)'),
    h('option', { value: 'range', selected: f.range === 'range' }, 'From … to …'));
  const service = textInput('service', f.service, 'service (required)', 'ts-services');
  service.addEventListener('change', () => bridge.send({ type: 'loadOperations', service: service.value.trim() }));
  const running = s.status.state === 'running';
  const form = h('form', { class: 'ts-form', 'aria-label': 'Trace search' },
    services, operations,
    field('Service', service),
    field('Operation', textInput('operation', f.operation, 'all', 'ts-operations')),
    field('Tags', textInput('tags', f.tags, 'key=value key=value')),
    field('Min duration', textInput('minDuration', f.minDuration, 'e.g. 100ms')),
    field('Max duration', textInput('maxDuration', f.maxDuration, 'e.g. 2s')),
    field('Time', range),
    field('Lookback', textInput('lookback', f.lookback, '1h')),
    field('Start', textInput('start', f.start, '2026-11-20T09:00:00Z')),
    field('End', textInput('end', f.end, 'now')),
    field('Limit', textInput('limit', f.limit, '100')),
    h('div', { class: 'ts-actions' },
      running ? button('Cancel', 'debug-stop', () => bridge.send({ type: 'cancel' })) : h('vscode-button', { icon: 'search', type: 'submit', onclick: () => form.requestSubmit() }, 'Search'),
      button('Load Services', 'refresh', () => bridge.send({ type: 'loadServices' }), { secondary: true }),
      button('Statistics of a File…', 'graph', () => bridge.send({ type: 'statsOfFile' }), { secondary: true })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    bridge.send({ type: 'search', form: readForm(form) });
  });
  return form;
}

const SCATTER_H = 220;

/** Duration over start time, like Jaeger UI's: errors in the error colour; a click opens the nearest trace. */
function scatter(rows: TraceRow[], fromMs: number, toMs: number): HTMLElement {
  const canvas = h('canvas', { class: 'ts-scatter', role: 'img', 'aria-label': `Duration over time of ${rows.length} traces; the list below has the same traces` }) as HTMLCanvasElement;
  const wrap = h('div', { class: 'ts-scatter-wrap' }, canvas);
  const maxMs = Math.max(1, ...rows.map((r) => r.durationMs));
  const pad = { l: 56, r: 12, t: 10, b: 22 };
  const pos = (r: TraceRow, w: number) => ({ x: pad.l + ((r.startMs - fromMs) / Math.max(1, toMs - fromMs)) * (w - pad.l - pad.r), y: pad.t + (1 - r.durationMs / maxMs) * (SCATTER_H - pad.t - pad.b) });
  const draw = () => {
    const w = Math.max(320, wrap.clientWidth || 640);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = w * dpr;
    canvas.height = SCATTER_H * dpr;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${SCATTER_H}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.scale(dpr, dpr);
    const css = getComputedStyle(document.body);
    const fg = css.getPropertyValue('--vscode-foreground') || '#ccc';
    const err = css.getPropertyValue('--vscode-errorForeground') || '#f48771';
    const dot = css.getPropertyValue('--vscode-charts-blue') || '#3794ff';
    g.strokeStyle = fg;
    g.globalAlpha = 0.4;
    g.beginPath();
    g.moveTo(pad.l, pad.t);
    g.lineTo(pad.l, SCATTER_H - pad.b);
    g.lineTo(w - pad.r, SCATTER_H - pad.b);
    g.stroke();
    g.globalAlpha = 1;
    g.fillStyle = fg;
    g.font = '11px var(--vscode-font-family)';
    g.fillText(`${int(maxMs)} ms`, 4, pad.t + 8);
    g.fillText('0', pad.l - 12, SCATTER_H - pad.b);
    g.fillText(new Date(fromMs).toISOString().slice(11, 19), pad.l, SCATTER_H - 6);
    const endText = new Date(toMs).toISOString().slice(11, 19);
    g.fillText(endText, w - pad.r - g.measureText(endText).width, SCATTER_H - 6);
    for (const r of rows) {
      const p = pos(r, w);
      g.fillStyle = r.errors ? err : dot;
      g.beginPath();
      g.arc(p.x, p.y, Math.min(9, 3 + Math.log10(1 + r.spanCount)), 0, Math.PI * 2);
      g.globalAlpha = 0.7;
      g.fill();
    }
    g.globalAlpha = 1;
  };
  canvas.addEventListener('click', (e) => {
    const rect = canvas.getBoundingClientRect();
    const w = rect.width;
    let best: TraceRow | undefined;
    let bestD = 144;
    for (const r of rows) {
      const p = pos(r, w);
      const d = (p.x - (e.clientX - rect.left)) ** 2 + (p.y - (e.clientY - rect.top)) ** 2;
      if (d < bestD) {
        bestD = d;
        best = r;
      }
    }
    if (best) bridge.send({ type: 'openTrace', traceId: best.traceId });
  });
  requestAnimationFrame(draw);
  new ResizeObserver(() => draw()).observe(wrap);
  return wrap;
}

type Column = NonNullable<TraceSearchState['sort']>['column'];
const COLUMNS: [Column, string][] = [['start', 'Start (UTC)'], ['duration', 'Duration'], ['spans', 'Spans'], ['errors', 'Errors'], ['root', 'Root operation']];

function sorted(rows: TraceRow[]): TraceRow[] {
  const { column, descending } = state.sort ?? { column: 'duration', descending: true };
  const key = (r: TraceRow): number | string => (column === 'start' ? r.startMs : column === 'duration' ? r.durationMs : column === 'spans' ? r.spanCount : column === 'errors' ? r.errors : r.rootOperation);
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -c : c;
  });
}

function resultTable(s: TraceSearchSnapshot, rows: TraceRow[]): HTMLElement {
  const sort = state.sort ?? { column: 'duration', descending: true };
  return h('table', { class: 'ts-results', 'aria-label': 'Traces found' },
    h('thead', {}, h('tr', {},
      ...COLUMNS.map(([c, label]) => h('th', { 'aria-sort': sort.column === c ? (sort.descending ? 'descending' : 'ascending') : 'none', class: c === 'root' ? '' : 'num' },
        h('button', { class: 'link', onclick: () => {
          state = { ...state, sort: { column: c, descending: sort.column === c ? !sort.descending : c !== 'root' } };
          bridge.saveState();
          render(s);
        } }, label, sort.column === c ? (sort.descending ? ' ▼' : ' ▲') : ''))),
      h('th', {}, 'Services'), h('th', {}, 'Trace'), h('th', {}, ''))),
    h('tbody', {}, ...sorted(rows).map((r) =>
      h('tr', {},
        h('td', { class: 'num mono' }, r.startText),
        h('td', { class: 'num' }, `${r.durationMs.toFixed(1)} ms`),
        h('td', { class: 'num' }, int(r.spanCount)),
        h('td', { class: r.errors ? 'num sev-error' : 'num' }, int(r.errors)),
        h('td', {}, r.rootOperation),
        h('td', {}, r.services.join(', ')),
        h('td', { class: 'mono' }, h('button', { class: 'link', title: 'Open in the waterfall', onclick: () => bridge.send({ type: 'openTrace', traceId: r.traceId }) }, r.traceId)),
        h('td', { class: 'ts-row-actions' },
          h('button', { class: 'link', title: 'Attach to the active incident', onclick: () => bridge.send({ type: 'attachTrace', traceId: r.traceId }) }, 'Attach'), ' ',
          h('button', { class: `link${s.compare.a === r.traceId ? ' ts-picked' : ''}`, title: 'Compare as A (the normal one)', 'aria-pressed': String(s.compare.a === r.traceId), onclick: () => bridge.send({ type: 'pick', which: 'a', traceId: r.traceId }) }, 'A'), ' ',
          h('button', { class: `link${s.compare.b === r.traceId ? ' ts-picked' : ''}`, title: 'Compare as B (the slow one)', 'aria-pressed': String(s.compare.b === r.traceId), onclick: () => bridge.send({ type: 'pick', which: 'b', traceId: r.traceId }) }, 'B'))))));
}

function statsPanel(st: StatsView): HTMLElement {
  const max = Math.max(1, ...st.histogram.map((b) => b.count));
  return h('section', { 'aria-label': 'Statistics' },
    h('p', {}, `${int(st.traces)} traces, ${int(st.spans)} spans over ${st.windowText} (${st.source}).`),
    h('h2', {}, 'What the slow traces share'),
    h('p', { class: 'muted' }, `${int(st.slowTraces)} traces slower than ${st.thresholdMs} ms against the others: attribute values found more often in the slow ones.`),
    st.slowAttributes.length
      ? h('table', { class: 'ts-attrs', 'aria-label': 'Attributes over-represented in slow traces' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Attribute'), h('th', {}, 'Value'), h('th', { class: 'num' }, 'In slow traces'), h('th', { class: 'num' }, 'In the others'))),
          h('tbody', {}, ...st.slowAttributes.map((a) => h('tr', {}, h('td', { class: 'mono' }, a.key), h('td', { class: 'mono' }, a.value), h('td', { class: 'num' }, pct(a.slowShare, 0)), h('td', { class: 'num' }, pct(a.normalShare, 0))))))
      : h('p', { class: 'empty' }, 'Nothing stands out.'),
    h('h2', {}, 'Request durations'),
    h('table', { class: 'ts-histogram', 'aria-label': 'Latency histogram with exemplar traces' },
      h('tbody', {}, ...st.histogram.filter((b) => b.count > 0).map((b) =>
        h('tr', {},
          h('td', { class: 'num' }, `${b.fromMs.toFixed(1)} – ${b.toMs.toFixed(1)} ms`),
          h('td', { class: 'ts-bar-cell' }, h('span', { class: 'ts-bar', 'data-w': String(Math.max(1, Math.round((b.count / max) * 100))) })),
          h('td', { class: 'num' }, int(b.count)),
          h('td', { class: 'mono' }, ...b.exemplars.map((id) => h('button', { class: 'link', title: 'Open this exemplar', onclick: () => bridge.send({ type: 'openTrace', traceId: id }) }, `${id.slice(0, 12)} `))))))),
    h('h2', {}, 'Operations (by p95)'),
    h('table', { class: 'ts-ops', 'aria-label': 'Per service and operation' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Operation'), h('th', { class: 'num' }, 'Count'), h('th', { class: 'num' }, 'Rate /s'), h('th', { class: 'num' }, 'Errors'), h('th', { class: 'num' }, 'p50 ms'), h('th', { class: 'num' }, 'p95 ms'), h('th', { class: 'num' }, 'p99 ms'))),
      h('tbody', {}, ...st.operations.slice(0, 200).map((o) => h('tr', {}, h('td', {}, o.service), h('td', {}, o.operation), h('td', { class: 'num' }, int(o.count)), h('td', { class: 'num' }, o.perSecond.toFixed(2)), h('td', { class: o.errorRate ? 'num sev-error' : 'num' }, pct(o.errorRate)), h('td', { class: 'num' }, o.p50Ms.toFixed(1)), h('td', { class: 'num' }, o.p95Ms.toFixed(1)), h('td', { class: 'num' }, o.p99Ms.toFixed(1)))))),
    ...st.notes.map((n) => h('p', { class: 'muted' }, n)));
}

function render(s: TraceSearchSnapshot): void {
  last = s;
  root.removeAttribute('aria-busy');
  const b = s.backend;
  const backend = h('div', { class: 'ts-backend' },
    b.url ? h('span', {}, icon('server'), ` ${b.url}${b.api ? ` (${b.api === 'v1' ? 'HTTP JSON API' : 'api_v3'})` : ''} `, h('span', { class: 'muted' }, b.headers ? '· auth headers stored' : '· no auth headers')) : h('span', { class: 'sev-warning' }, icon('warning'), ' No Jaeger set: incidentWorkbench.traces.jaegerUrl'),
    ' ', button('Settings', 'settings-gear', () => bridge.send({ type: 'openSettings' }), { secondary: true }),
    ' ', button('Auth Headers…', 'key', () => bridge.send({ type: 'setHeaders' }), { secondary: true }),
    b.trusted ? null : h('p', { class: 'sev-warning' }, icon('lock'), ' Restricted Mode: the query URL from workspace settings is ignored until you trust this workspace.'));
  const status = h('p', { class: `ts-status ${s.status.state === 'error' ? 'sev-error' : ''}`, role: 'status', 'aria-live': 'polite' }, s.status.state === 'running' ? icon('loading') : null, s.status.text ? ` ${s.status.text}` : '');
  const tab = state.tab ?? 'results';
  const tabs = h('div', { class: 'ts-tabs', role: 'tablist' },
    ...(['results', 'stats'] as const).map((t) => h('button', { role: 'tab', class: `ts-tab${tab === t ? ' ts-tab-on' : ''}`, 'aria-selected': String(tab === t), onclick: () => {
      state = { ...state, tab: t };
      bridge.saveState();
      render(s);
    } }, t === 'results' ? `Results${s.results ? ` (${s.results.rows.length})` : ''}` : 'Statistics')));
  let body: HTMLElement;
  if (tab === 'stats') body = s.stats ? statsPanel(s.stats) : h('p', { class: 'empty' }, 'Search, or open the statistics of a file.');
  else if (!s.results) body = h('p', { class: 'empty' }, 'Pick a service and search; the slowest traces come first.');
  else {
    const r = s.results;
    body = h('section', {},
      h('p', { class: 'muted' }, r.query, r.limitReached ? ' — the limit was reached: raise it or narrow the search.' : ''),
      r.rows.length ? scatter(r.rows, r.fromMs, r.toMs) : h('p', { class: 'empty' }, 'No trace matched.'),
      h('div', { class: 'ts-actions' },
        button(`Compare A ↔ B${s.compare.a && s.compare.b ? '' : ' (pick both)'}`, 'diff', () => bridge.send({ type: 'compare' }), { disabled: !(s.compare.a && s.compare.b) }),
        button('Compare the Slowest with a Typical One', 'diff', () => bridge.send({ type: 'compareSlowest' }), { secondary: true, disabled: r.rows.length < 2 })),
      r.rows.length ? resultTable(s, r.rows) : null,
      ...r.notes.map((n) => h('p', { class: 'muted' }, n)));
  }
  replaceChildren(root, h('h1', {}, 'Trace Search'), backend, searchForm(s), status, tabs, body);
  for (const bar of root.querySelectorAll<HTMLElement>('.ts-bar')) bar.style.width = `${bar.dataset.w}%`;
}
