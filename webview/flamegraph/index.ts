import { treeInput, type FlamegraphIntent, type FlamegraphSnapshot, type FlamegraphViewState, type FlameData } from '../../src/protocol/flamegraph';
import { FrameKeys, buildDiffTree, buildFlameTree, children, functionTotals, matchedShare, pathTo, sandwich, sortChildren, type FlameTree } from '../../src/core/profile/flameTree';
import { formatWeight } from '../../src/core/profile/units';
import { connect, savedPageState } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import { minus } from '../shared/format';
import { keyboardHelp } from '../shared/help';
import { FlameChart, ROW } from '../shared/flameChart';
import { callsSection } from './calls';
import { opsSection } from './ops';

/**
 * The flame graph page: a fixed layout (title, toolbar, status line, then the chart filling the editor and,
 * when open, the sandwich or the diff table beside or under it), opened on the roots, where the bulk of
 * the profile is. The chart is a tree for assistive technology: the focusable chart pane points at one
 * hidden tree item describing the selected frame.
 */
const root = document.getElementById('app')!;
const saved = savedPageState<FlamegraphViewState>();
const view: Required<Pick<FlamegraphViewState, 'icicle' | 'leftHeavy' | 'onlyMine' | 'hideIdle' | 'thread' | 'search'>> = {
  icicle: saved?.icicle ?? false,
  leftHeavy: saved?.leftHeavy ?? true,
  onlyMine: saved?.onlyMine ?? false,
  hideIdle: saved?.hideIdle ?? false,
  thread: saved?.thread ?? -1,
  search: saved?.search ?? '',
};
const pct = (x: number) => minus(`${(x * 100).toFixed(1)} %`);

let snap: FlamegraphSnapshot | undefined;
let keys = new FrameKeys();
/** The snapshot's profile (and diff base) as the flame tree reads them, decoded once per snapshot id. */
let input: ReturnType<typeof treeInput> | undefined;
let baseInput: ReturnType<typeof treeInput> | undefined;
let canon: Int32Array = new Int32Array(0);
let baseCanon: Int32Array = new Int32Array(0);
let tree: FlameTree | undefined;
let sandwichFunc: number | undefined;

const weight = (value: number) => formatWeight(value, snap?.data?.unit ?? 'samples');

// ---------------------------------------------------------------- DOM
const canvas = h('canvas', { class: 'fg-canvas', 'aria-hidden': 'true' });
const chart = new FlameChart(canvas, { icicle: view.icicle, diff: false, mine: (k) => !!keys.frames[k]?.mine });
/** The selected frame as assistive technology reads it: the tree's active item. */
const activeItem = h('div', { role: 'treeitem', id: 'fg-active', class: 'sr-only', 'aria-selected': 'true' });
const chartPane = h('div', {
  class: 'fg-chart fg-main-chart',
  tabindex: 0,
  role: 'tree',
  'aria-label': 'Flame graph: arrow keys move between frames, Enter opens the source, Space zooms, Escape zooms out, ? lists all keys',
  'aria-activedescendant': 'fg-active',
}, canvas, activeItem);
const callersCanvas = h('canvas', { class: 'fg-canvas', 'aria-hidden': 'true' });
const calleesCanvas = h('canvas', { class: 'fg-canvas', 'aria-hidden': 'true' });
const callers = new FlameChart(callersCanvas, { icicle: false, diff: false, mine: (k) => !!keys.frames[k]?.mine });
const callees = new FlameChart(calleesCanvas, { icicle: true, diff: false, mine: (k) => !!keys.frames[k]?.mine });
const tooltip = h('div', { class: 'fg-tooltip', role: 'tooltip' });
const status = h('div', { class: 'fg-status', 'data-testid': 'status' });
const crumbs = h('nav', { class: 'fg-crumbs', 'aria-label': 'Zoom path' });
const searchBox = h('input', { type: 'search', class: 'fg-search', placeholder: 'Search functions and files', 'aria-label': 'Search functions and files', value: view.search }) as HTMLInputElement;
const searchInfo = h('span', { class: 'fg-search-info', role: 'status' });
const threadSelect = h('select', { 'aria-label': 'Thread' }) as HTMLSelectElement;
const orientation = h('select', { 'aria-label': 'Orientation', title: 'Flame graph (roots at the bottom) or icicle (roots at the top)' },
  h('option', { value: 'flame', selected: !view.icicle }, 'Flame (roots at the bottom)'),
  h('option', { value: 'icicle', selected: view.icicle }, 'Icicle (roots at the top)'),
) as HTMLSelectElement;
const heatButton = h('button', { class: 'fg-button', type: 'button', title: 'Show self/total share per line in the editors' });
/** "The editor heat shows only …" with its reset, while the heat follows a zoom or a thread. */
const heatNote = h('div', { class: 'fg-note fg-heat-note', role: 'status', hidden: true });
const sandwichButton = h('button', { class: 'fg-button', type: 'button', title: 'Callers and callees of the selected function (S)', 'aria-expanded': 'false' }, icon('split-vertical'), ' Sandwich');
const sandwichPane = h('section', { class: 'fg-sandwich', 'aria-label': 'Sandwich: callers and callees', hidden: true });
const diffTable = h('section', { class: 'fg-diff', 'aria-label': 'Biggest changes' });
/** cProfile's exact table and torch's op table, beside the flame graph when the file has them. */
const extras = h('div', { class: 'fg-extras' });
const aside = h('div', { class: 'fg-aside' }, sandwichPane, diffTable, extras);
const main = h('div', { class: 'fg-main' }, chartPane, aside);
const help = keyboardHelp([
  ['↑ / ↓', 'into the heaviest callee / back to the caller (icicle: the other way round)'],
  ['← / →', 'previous / next frame at the same depth'],
  ['Enter', 'open the selected frame’s source beside the chart'],
  ['Space', 'zoom into the selected frame'],
  ['Escape / Backspace', 'zoom out one level'],
  ['Home', 'select the root (all samples)'],
  ['S', 'show or hide the sandwich (callers and callees) of the selected function'],
  ['/ / Ctrl+F', 'search functions and files'],
  ['Tab', 'from the chart to the sandwich and the tables'],
]);

let sentFocus = '';
/** Tells the host what the chart shows (zoomed frame path, threads), so the source heat follows it. */
function sendFocus(): void {
  if (!tree || !snap?.data) return;
  const path = pathTo(tree, chart.zoom).map((n) => {
    const f = keys.frames[tree!.key[n]!]!;
    return { name: f.name, file: f.file, line: f.line };
  });
  const intent: FlamegraphIntent = { type: 'focus', path, threads: chosenThreads(snap.data), onlyMine: view.onlyMine, hideIdle: view.hideIdle };
  const key = JSON.stringify(intent);
  if (key === sentFocus) return;
  sentFocus = key;
  bridge.send(intent);
}

function renderHeatNote(s: FlamegraphSnapshot): void {
  // Reset from the editor: the next zoom, even into the same frame, is sent again.
  if (!s.heatFilter) sentFocus = '';
  heatNote.hidden = !s.heatFilter || !s.heatOn;
  if (heatNote.hidden) return;
  const reset = h('button', { class: 'link fg-heat-reset', type: 'button' }, s.mode === 'diff' ? 'Show the whole diff' : 'Show the whole profile');
  reset.onclick = () => {
    sentFocus = '';
    zoomTo(0);
    bridge.send({ type: 'resetHeatFilter' });
  };
  replaceChildren(heatNote, icon('filter'), ` Editor heat is filtered to ${s.heatFilter} · `, reset);
}

function persist(): void {
  bridge.saveState();
}

function checkbox(label: string, keyName: 'leftHeavy' | 'onlyMine' | 'hideIdle', title: string): HTMLElement {
  const box = h('input', { type: 'checkbox', checked: view[keyName] }) as HTMLInputElement;
  box.addEventListener('change', () => {
    view[keyName] = box.checked;
    persist();
    rebuild(true);
  });
  return h('label', { class: 'fg-check', title }, box, label);
}

function toolbar(): HTMLElement {
  orientation.onchange = () => {
    view.icicle = orientation.value === 'icicle';
    chart.options.icicle = view.icicle;
    persist();
    paintChart();
    showRoots();
  };
  sandwichButton.onclick = () => toggleSandwich();
  heatButton.onclick = () => bridge.send({ type: 'setHeat', on: !snap?.heatOn });
  threadSelect.onchange = () => {
    view.thread = Number(threadSelect.value);
    persist();
    rebuild(true);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  searchBox.oninput = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      view.search = searchBox.value;
      persist();
      applySearch();
      paintChart();
    }, 120);
  };
  searchBox.onkeydown = (e) => {
    if (e.key === 'Enter') {
      // Select the widest match and show it.
      const m = chart.options.matches;
      if (!m || !tree) return;
      let best = -1;
      for (let n = 1; n < tree.count; n++) if (m[n] && (best < 0 || tree.total[n]! > tree.total[best]!)) best = n;
      if (best > 0) {
        select(best);
        chartPane.focus();
      }
    }
  };
  return h('div', { class: 'fg-toolbar' },
    orientation,
    checkbox('Left heavy', 'leftHeavy', 'Order callees by weight, heaviest first'),
    checkbox('Only my code', 'onlyMine', 'Hide frames outside the workspace (libraries, the standard library)'),
    checkbox('Hide idle', 'hideIdle', 'Drop samples where the thread waits (sleep, select, locks)'),
    threadSelect, searchBox, searchInfo, sandwichButton, heatButton);
}

// ---------------------------------------------------------------- model

/** Builds the tree for the current options; `keepSelection` maps the selected frame into the new tree. */
function rebuild(keepSelection = false): void {
  if (!snap?.data || !input) return;
  const previous = keepSelection && tree ? framePath(chart.selected) : undefined;
  const options = { threads: chosenThreads(snap.data), onlyMine: view.onlyMine, hideIdle: view.hideIdle };
  tree = snap.mode === 'diff' && baseInput ? buildDiffTree(input, canon, baseInput, baseCanon, options) : buildFlameTree(input, canon, options);
  sortChildren(tree, keys.frames, view.leftHeavy);
  chart.options.diff = snap.mode === 'diff';
  chart.setTree(tree, keys);
  applySearch();
  paintChart();
  updateCrumbs();
  const again = previous ? nodeAt(previous) : 0;
  if (again > 0) select(again);
  else describe(0);
  sendFocus();
  showRoots();
  if (sandwichFunc !== undefined) showSandwich(sandwichFunc);
}

/** Frame keys from the root to `node`: a selection that survives a rebuild and a new page. */
function framePath(node: number): number[] {
  return tree ? pathTo(tree, node).map((n) => tree!.key[n]!) : [];
}

function nodeAt(path: readonly number[]): number {
  if (!tree) return 0;
  let node = 0;
  for (const key of path) {
    const next = Array.from(children(tree, node)).find((c) => tree!.key[c] === key);
    if (next === undefined) return node;
    node = next;
  }
  return node;
}

/**
 * Paints the main chart. In a flame graph the roots are at the bottom: a repaint that changes the chart's
 * height or the pane's (another width, a zoom, options) keeps what is below the pane's bottom edge, so the
 * rows in view stay in view.
 */
let below = 0;
function paintChart(): void {
  chart.paint();
  if (!view.icicle) chartPane.scrollTop = Math.max(0, chartPane.scrollHeight - chartPane.clientHeight - below);
}
// How far the user scrolled up from the roots, kept from scroll to scroll: a resize of the pane alone (a
// toolbar line that wraps) moves no scroll position, so it is measured here and not at the next paint.
chartPane.addEventListener('scroll', () => {
  below = chartPane.scrollHeight - chartPane.scrollTop - chartPane.clientHeight;
}, { passive: true });

/**
 * The roots in view: a deep stack makes the chart much taller than its pane, and the roots (where the
 * bulk of the profile is) are at its bottom in a flame graph.
 */
function showRoots(): void {
  below = 0;
  chartPane.scrollTop = view.icicle ? 0 : chartPane.scrollHeight;
  chartPane.scrollLeft = 0;
}

function applySearch(): void {
  if (!tree || view.search.trim() === '') {
    chart.options.matches = undefined;
    searchInfo.textContent = '';
    return;
  }
  const q = view.search.trim().toLowerCase();
  const matchKey = new Uint8Array(keys.frames.length);
  keys.frames.forEach((f, i) => {
    if (f.name.toLowerCase().includes(q) || f.file.toLowerCase().includes(q)) matchKey[i] = 1;
  });
  const r = matchedShare(tree, (k) => matchKey[k] === 1);
  chart.options.matches = r.nodes;
  let count = 0;
  for (let n = 0; n < r.nodes.length; n++) count += r.nodes[n]!;
  searchInfo.textContent = count === 0 ? 'no match' : `${count} frame${count === 1 ? '' : 's'} · ${weight(r.share * tree.total[0]!)} (${pct(r.share)} of samples)`;
}

function frameOf(node: number) {
  return tree && node > 0 ? keys.frames[tree.key[node]!] : undefined;
}

/** A weight and its share of all samples: "9.97 s (90.0 %)". */
const share = (value: number, of: number) => `${weight(value)} (${pct(value / (of || 1))})`;

/**
 * The status line and the chart's active tree item. "Here" is the selected frame in this call path; "in
 * all call paths" is the function's share as the sandwich defines it (functionTotals), so the two never
 * disagree about one number.
 */
function describe(node: number): void {
  if (!tree) return;
  const t = tree.total[node]!;
  const rootTotal = tree.total[0]! || 1;
  const f = frameOf(node);
  const where = f ? `${f.name}${f.file ? ` — ${f.file}${f.line ? `:${f.line}` : ''}` : ''}` : `All samples${view.thread >= 0 ? ` of ${snap?.data?.threads[view.thread]?.name}` : ''}`;
  const parts = [where, `${f ? 'here: ' : ''}total ${share(t, rootTotal)}`, `self ${share(tree.self[node]!, rootTotal)}`];
  if (f) {
    const all = functionTotals(tree, keys, keys.func[tree.key[node]!]!);
    parts.push(`${f.name} in all call paths: total ${share(all.total, rootTotal)}, self ${share(all.self, rootTotal)}`);
  }
  if (snap?.mode === 'diff') parts.push(minus(`before ${pct(tree.base[node]! / rootTotal)} → after ${pct(t / rootTotal)}`));
  status.textContent = parts.join(' · ');
  activeItem.textContent = f ? `${f.name}, ${share(t, rootTotal)}${f.file ? `, ${f.file.slice(f.file.lastIndexOf('/') + 1)}${f.line ? ` line ${f.line}` : ''}` : ''}` : `All samples, ${weight(t)}`;
  activeItem.setAttribute('aria-level', String(tree.depth[node]! + 1));
  canvas.dataset.selectedLabel = node > 0 ? chart.label(node) : 'all';
  persist();
}

function updateCrumbs(): void {
  if (!tree) return;
  const items: HTMLElement[] = [];
  const all = h('button', { class: 'link', type: 'button' }, 'all');
  all.addEventListener('click', () => zoomTo(0));
  items.push(all);
  for (const n of pathTo(tree, chart.zoom)) {
    const b = h('button', { class: 'link', type: 'button' }, chart.label(n));
    b.addEventListener('click', () => zoomTo(n));
    items.push(h('span', { class: 'muted', 'aria-hidden': 'true' }, ' › '), b);
  }
  replaceChildren(crumbs, ...items);
}

function zoomTo(node: number): void {
  chart.zoom = node;
  chart.selected = node;
  showSelection(node);
}

function select(node: number): void {
  if (!tree) return;
  chart.selectVisible(node);
  showSelection(node);
  if (sandwichFunc !== undefined && node > 0) showSandwich(keys.func[tree.key[node]!]!);
}

/** After the chart's zoom or selection moved: draws it, and tells the crumbs, the status, the host and the scroll position. */
function showSelection(node: number): void {
  paintChart();
  updateCrumbs();
  describe(node);
  sendFocus();
  reveal(node);
}

/** Scrolls the chart pane so the box of `node` is in view (both ways), if it is drawn. */
function reveal(node: number): void {
  const box = chart.boxOf(node);
  if (!box) return;
  const { clientHeight, clientWidth } = chartPane;
  if (box.py < chartPane.scrollTop || box.py + ROW > chartPane.scrollTop + clientHeight) chartPane.scrollTop = Math.max(0, box.py - clientHeight / 2);
  if (box.px < chartPane.scrollLeft || box.px > chartPane.scrollLeft + clientWidth - 20) chartPane.scrollLeft = Math.max(0, box.px - 20);
}

function openSource(node: number): void {
  const f = frameOf(node);
  if (!f) return;
  if (!f.file) {
    status.textContent = `${f.name} has no source file in this profile.`;
    return;
  }
  bridge.send({ type: 'openSourceFor', file: f.file, line: f.line });
}

function layoutAside(): void {
  const open = !sandwichPane.hidden || diffTable.childElementCount > 0 || extras.childElementCount > 0;
  main.classList.toggle('split', open);
  aside.hidden = !open;
}

function toggleSandwich(): void {
  if (sandwichFunc !== undefined) {
    sandwichFunc = undefined;
    sandwichPane.hidden = true;
    sandwichButton.setAttribute('aria-expanded', 'false');
    layoutAside();
    paintChart();
    return;
  }
  const node = chart.selected > 0 ? chart.selected : chart.hovered;
  if (!tree || node <= 0) {
    status.textContent = 'Select a frame first (click it or use the arrow keys), then open the sandwich view.';
    return;
  }
  showSandwich(keys.func[tree.key[node]!]!);
}

function showSandwich(func: number): void {
  if (!tree) return;
  sandwichFunc = func;
  const s = sandwich(tree, keys, func);
  const rootTotal = tree.total[0]! || 1;
  const f = keys.frames[keys.func.indexOf(func)]!;
  for (const t of [s.callers, s.callees]) sortChildren(t, keys.frames, true);
  callers.setTree(s.callers, keys);
  callees.setTree(s.callees, keys);
  // The synthetic root adds nothing: start at the function itself.
  callers.zoom = s.callers.count > 1 ? 1 : 0;
  callees.zoom = s.callees.count > 1 ? 1 : 0;
  const pane = (label: string, c: HTMLCanvasElement) => h('div', { class: 'fg-chart', tabindex: 0, role: 'group', 'aria-label': label }, c);
  replaceChildren(
    sandwichPane,
    h('h2', { 'data-testid': 'sandwich-title' }, `Sandwich: ${f.name}`),
    h('p', { class: 'fg-sandwich-total', 'data-testid': 'sandwich-total' }, `In all call paths: total ${share(s.total, rootTotal)}, self ${share(s.self, rootTotal)}`),
    h('h3', {}, 'Callers'),
    pane(`Callers of ${f.name}`, callersCanvas),
    h('h3', {}, 'Callees'),
    pane(`Callees of ${f.name}`, calleesCanvas),
  );
  sandwichPane.hidden = false;
  sandwichButton.setAttribute('aria-expanded', 'true');
  layoutAside();
  paintChart();
  callers.paint();
  callees.paint();
  sandwichPane.scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------- interaction

function attachPointer(c: FlameChart, onClick: (node: number, e: MouseEvent) => void): void {
  c.canvas.addEventListener('mousemove', (e) => {
    const node = c.hit(e.offsetX, e.offsetY);
    if (node !== c.hovered) {
      c.hovered = node;
      c.paint();
    }
    if (node < 0 || !c.tree) {
      tooltip.hidden = true;
      return;
    }
    const t = c.tree;
    const rootTotal = tree?.total[0] || t.total[0] || 1;
    const f = node > 0 ? keys.frames[t.key[node]!] : undefined;
    replaceChildren(
      tooltip,
      h('strong', {}, f ? f.name : 'all'),
      f?.file ? h('div', { class: 'muted' }, `${f.file}${f.line ? `:${f.line}` : ''}`) : null,
      h('div', {}, `total: ${share(t.total[node]!, rootTotal)}`),
      h('div', {}, `self: ${share(t.self[node]!, rootTotal)}`),
      snap?.mode === 'diff' ? h('div', {}, minus(`before: ${pct(t.base[node]! / rootTotal)} → after: ${pct(t.total[node]! / rootTotal)}`)) : null,
      f?.file ? h('div', { class: 'muted' }, 'Click: select · double-click: zoom · Ctrl/Cmd+click or Enter: open source') : null,
    );
    tooltip.hidden = false;
    const x = Math.min(e.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    const y = Math.min(e.clientY + 14, window.innerHeight - tooltip.offsetHeight - 8);
    tooltip.style.left = `${Math.max(0, x)}px`;
    tooltip.style.top = `${Math.max(0, y)}px`;
  });
  c.canvas.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
    c.hovered = -1;
    c.paint();
  });
  c.canvas.addEventListener('click', (e) => {
    const node = c.hit(e.offsetX, e.offsetY);
    if (node >= 0) onClick(node, e);
  });
}

attachPointer(chart, (node, e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) {
    openSource(node);
    return;
  }
  if (node === chart.selected && node > 0) {
    // A second click on the selected frame opens its source (the file at the line).
    openSource(node);
    return;
  }
  select(node);
});
canvas.addEventListener('dblclick', (e) => {
  const node = chart.hit(e.offsetX, e.offsetY);
  if (node >= 0) zoomTo(node);
});
for (const c of [callers, callees]) attachPointer(c, (node) => openSourceInSandwich(c, node));

function openSourceInSandwich(c: FlameChart, node: number): void {
  if (!c.tree || node <= 0) return;
  const f = keys.frames[c.tree.key[node]!];
  if (f?.file) bridge.send({ type: 'openSourceFor', file: f.file, line: f.line });
}

// Focus (Tab, a click, coming back from the source) shows the selected frame.
chartPane.addEventListener('focus', () => reveal(chart.selected));

chartPane.addEventListener('keydown', (e) => {
  if (!tree || e.ctrlKey || e.metaKey || e.altKey) {
    if (tree && e.key === 'f' && (e.ctrlKey || e.metaKey)) {
      searchBox.focus();
      e.preventDefault();
    }
    return;
  }
  if (e.key === 'Home') {
    select(0);
    e.preventDefault();
    return;
  }
  if (e.key === '/') {
    searchBox.focus();
    e.preventDefault();
    return;
  }
  if (e.key === 's' || e.key === 'S') {
    toggleSandwich();
    return;
  }
  const action = chart.keyAction(e.key);
  if (e.key.startsWith('Arrow') || action?.kind === 'zoom' || action?.kind === 'open') e.preventDefault();
  if (action?.kind === 'open') openSource(action.node);
  else if (action?.kind === 'zoom') zoomTo(action.node);
  else if (action) select(action.node);
});

function repaint(): void {
  paintChart();
  if (sandwichFunc !== undefined) {
    callers.paint();
    callees.paint();
  }
}

new ResizeObserver(() => repaint()).observe(chartPane);

// ---------------------------------------------------------------- snapshot

function renderDiffTable(s: FlamegraphSnapshot): HTMLElement | null {
  if (s.mode !== 'diff' || !s.diffRows) return null;
  const rows = s.diffRows;
  const worse = rows.filter((r) => r.deltaPct > 0).slice(0, 15);
  const better = rows.filter((r) => r.deltaPct < 0).slice(0, 15);
  const table = (title: string, list: typeof rows, dir: 'worse' | 'better') =>
    h('div', {},
      h('h3', {}, title),
      list.length === 0
        ? h('p', { class: 'empty' }, 'None.')
        : h('table', {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Function'), h('th', { scope: 'col', class: 'num' }, 'Before'), h('th', { scope: 'col', class: 'num' }, 'After'), h('th', { scope: 'col', class: 'num' }, 'Change'))),
            h('tbody', {}, ...list.map((r) => {
              const link = h('button', { class: 'link', type: 'button', title: r.file ? `${r.file}:${r.line}` : '' }, r.function);
              link.addEventListener('click', () => r.file && bridge.send({ type: 'openSourceFor', file: r.file, line: r.line }));
              return h('tr', {},
                h('td', {}, link),
                h('td', { class: 'num' }, `${r.beforePct.toFixed(2)} %`),
                h('td', { class: 'num' }, `${r.afterPct.toFixed(2)} %`),
                h('td', { class: 'num' }, icon(dir === 'worse' ? 'arrow-up' : 'arrow-down'), minus(` ${r.deltaPct > 0 ? '+' : ''}${r.deltaPct.toFixed(2)} pp`)));
            })),
          ),
    );
  return h('div', { class: 'fg-diff-cols' }, table('Biggest regressions (self share grew)', worse, 'worse'), table('Biggest improvements (self share fell)', better, 'better'));
}

function render(s: FlamegraphSnapshot): void {
  root.removeAttribute('aria-busy');
  const first = snap === undefined || snap.id !== s.id;
  snap = s;
  heatButton.replaceChildren(icon('flame'), s.heatOn ? ' Heat on' : ' Heat off');
  heatButton.setAttribute('aria-pressed', String(s.heatOn));
  renderHeatNote(s);
  if (s.error || !s.data) {
    document.body.classList.remove('fg-page');
    replaceChildren(root, h('h1', {}, s.title), h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error ?? 'Nothing to show.'))));
    return;
  }
  if (!first) return;
  document.body.classList.add('fg-page');
  input = treeInput(s.data);
  baseInput = s.base ? treeInput(s.base) : undefined;
  keys = new FrameKeys();
  canon = keys.intern(input.frames);
  baseCanon = baseInput ? keys.intern(baseInput.frames) : new Int32Array(0);
  fillThreads(s.data);
  document.title = s.mode === 'diff' ? s.title : `Flame graph: ${s.title}`;
  replaceChildren(
    root,
    h('header', { class: 'fg-header' }, h('h1', {}, document.title), h('p', { class: 'muted' }, s.description), help),
    ...s.warnings.map((w) => h('div', { class: 'fg-warning', role: 'status' }, icon('warning'), ' ', w)),
    toolbar(),
    crumbs,
    heatNote,
    status,
    s.note ? h('div', { class: 'fg-note', role: 'note' }, icon('info'), ' ', s.note) : null,
    main,
    tooltip,
  );
  tooltip.hidden = true;
  replaceChildren(diffTable, renderDiffTable(s));
  replaceChildren(extras, s.calls ? callsSection(s.calls, (file, line) => bridge.send({ type: 'openSourceFor', file, line })) : null, s.ops ? opsSection(s.ops) : null);
  layoutAside();
  rebuild();
}

/**
 * The threads the chart merges: one picked, or all — except in a torch trace with GPU streams, where "all"
 * is the CPU threads (-1) or the GPU streams (-2): CPU and device time are never one base.
 */
function chosenThreads(data: FlameData): number[] | null {
  if (view.thread >= 0) return [view.thread];
  const device = data.threads.map((t, i) => (t.device ? i : -1)).filter((i) => i >= 0);
  if (device.length === 0 || device.length === data.threads.length) return null;
  return view.thread === -2 ? device : data.threads.map((t, i) => (t.device ? -1 : i)).filter((i) => i >= 0);
}

function fillThreads(data: FlameData): void {
  if (view.thread >= data.threads.length) view.thread = -1;
  const sum = (t: FlameData['threads'][number]) => t.weights.reduce((x, y) => x + y, 0);
  const device = data.threads.filter((t) => t.device).length;
  const split = device > 0 && device < data.threads.length;
  if (!split && view.thread === -2) view.thread = -1;
  const total = data.threads.reduce((a, t) => a + sum(t), 0) || 1;
  replaceChildren(
    threadSelect,
    split ? h('option', { value: '-1', selected: view.thread === -1 }, `All ${data.threads.length - device} CPU thread${data.threads.length - device === 1 ? '' : 's'} (merged)`) : null,
    split ? h('option', { value: '-2', selected: view.thread === -2 }, `All ${device} GPU stream${device === 1 ? '' : 's'} (merged, device time)`) : null,
    split ? null : h('option', { value: '-1', selected: view.thread < 0 }, `All ${data.threads.length} thread${data.threads.length === 1 ? '' : 's'} (merged)`),
    ...data.threads.map((t, i) => h('option', { value: String(i), selected: view.thread === i }, `${t.name || `thread ${i + 1}`} — ${formatWeight(sum(t), data.unit)} (${pct(sum(t) / total)})`)),
  );
}

/** What a new page of the same profile gets back: the view settings and the selected frame. */
type Saved = FlamegraphViewState & { id?: string; selected?: number[] };

const bridge = connect<FlamegraphSnapshot, FlamegraphIntent, Saved>({
  render,
  state: (s) => ({ ...view, id: s.id, selected: framePath(chart.selected) }),
  restore: (state, s) => {
    if (state.id !== s.id || !state.selected?.length || !tree) return;
    const node = nodeAt(state.selected);
    if (node > 0) select(node);
  },
  themeChanged: () => {
    paintChart();
    if (sandwichFunc !== undefined) {
      callers.paint();
      callees.paint();
    }
  },
});
