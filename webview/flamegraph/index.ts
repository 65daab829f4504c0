import { format } from 'd3-format';
import { treeInput, type FlamegraphIntent, type FlamegraphSnapshot, type FlamegraphViewState, type FlameData } from '../../src/protocol/flamegraph';
import { FrameKeys, buildDiffTree, buildFlameTree, children, matchedShare, pathTo, sandwich, sortChildren, type FlameTree } from '../../src/core/profile/flameTree';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { FlameChart, ROW } from './chart';
import { callsSection } from './calls';
import { opsSection } from './ops';

const root = document.getElementById('app')!;
const api = vscodeApi<{ snapshot?: FlamegraphSnapshot; view?: FlamegraphViewState }>();
const view: Required<Pick<FlamegraphViewState, 'icicle' | 'leftHeavy' | 'onlyMine' | 'hideIdle' | 'thread' | 'search'>> = {
  icicle: false,
  leftHeavy: true,
  onlyMine: false,
  hideIdle: false,
  thread: -1,
  search: '',
  ...(api.getState()?.view ?? {}),
};
const pct = format('.1%');
const num = format(',.4~r');

let snap: FlamegraphSnapshot | undefined;
let keys = new FrameKeys();
/** The snapshot's profile (and diff base) as the flame tree reads them, decoded once per snapshot id. */
let input: ReturnType<typeof treeInput> | undefined;
let baseInput: ReturnType<typeof treeInput> | undefined;
let canon: Int32Array = new Int32Array(0);
let baseCanon: Int32Array = new Int32Array(0);
let tree: FlameTree | undefined;
let sandwichFunc: number | undefined;

// ---------------------------------------------------------------- DOM
const canvas = h('canvas', { class: 'fg-canvas', tabindex: 0, role: 'img', 'aria-label': 'Flame graph. Arrow keys move between frames, Enter opens the source, Space zooms, Escape zooms out.' });
const chart = new FlameChart(canvas, { icicle: view.icicle, diff: false, mine: (k) => !!keys.frames[k]?.mine });
const callersCanvas = h('canvas', { class: 'fg-canvas', tabindex: 0, 'aria-label': 'Callers of the selected function' });
const calleesCanvas = h('canvas', { class: 'fg-canvas', tabindex: 0, 'aria-label': 'Callees of the selected function' });
const callers = new FlameChart(callersCanvas, { icicle: false, diff: false, mine: (k) => !!keys.frames[k]?.mine });
const callees = new FlameChart(calleesCanvas, { icicle: true, diff: false, mine: (k) => !!keys.frames[k]?.mine });
const tooltip = h('div', { class: 'fg-tooltip', role: 'tooltip' });
const status = h('div', { class: 'fg-status', 'aria-live': 'polite' });
const crumbs = h('nav', { class: 'fg-crumbs', 'aria-label': 'Zoom path' });
const searchBox = h('input', { type: 'search', class: 'fg-search', placeholder: 'Search functions and files', 'aria-label': 'Search', value: view.search }) as HTMLInputElement;
const searchInfo = h('span', { class: 'muted fg-search-info' });
const threadSelect = h('select', { 'aria-label': 'Thread' }) as HTMLSelectElement;
const heatButton = h('button', { class: 'fg-button', title: 'Show self/total share per line in the editors' });
/** "The editor heat shows only …" with its reset, while the heat follows a zoom or a thread. */
const heatNote = h('div', { class: 'fg-note fg-heat-note', role: 'status', hidden: true });
const sandwichPane = h('section', { class: 'fg-sandwich', hidden: true });
const chartPane = h('div', { class: 'fg-chart' }, canvas);
const diffTable = h('section', { class: 'fg-diff' });
/** cProfile's exact table and torch's op table, under the flame graph when the file has them. */
const extras = h('div', { class: 'fg-extras' });

let sentFocus = '';
/** Tells the host what the chart shows (zoomed frame path, threads), so the source heat follows it. */
function sendFocus(): void {
  if (!tree || !snap?.data || snap.mode !== 'profile') return;
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
  const reset = h('button', { class: 'link fg-heat-reset' }, 'Show the whole profile');
  reset.addEventListener('click', () => {
    sentFocus = '';
    zoomTo(0);
    bridge.send({ type: 'resetHeatFilter' });
  });
  replaceChildren(heatNote, icon('filter'), ` Editor heat is filtered to ${s.heatFilter} · `, reset);
}

function persist(): void {
  api.setState({ ...(api.getState() ?? {}), view });
}

function checkbox(label: string, keyName: 'leftHeavy' | 'onlyMine' | 'hideIdle', title: string): HTMLElement {
  const input = h('input', { type: 'checkbox', checked: view[keyName] }) as HTMLInputElement;
  input.addEventListener('change', () => {
    view[keyName] = input.checked;
    persist();
    rebuild();
  });
  return h('label', { class: 'fg-check', title }, input, label);
}

function toolbar(): HTMLElement {
  const orientation = h('button', { class: 'fg-button', title: 'Flame graph (roots at the bottom) or icicle (roots at the top)' }, view.icicle ? 'Icicle' : 'Flame');
  orientation.addEventListener('click', () => {
    view.icicle = !view.icicle;
    chart.options.icicle = view.icicle;
    orientation.textContent = view.icicle ? 'Icicle' : 'Flame';
    persist();
    chart.paint();
  });
  const sandwichButton = h('button', { class: 'fg-button', title: 'Callers and callees of the selected function' }, icon('split-vertical'), ' Sandwich');
  sandwichButton.addEventListener('click', () => toggleSandwich());
  heatButton.addEventListener('click', () => bridge.send({ type: 'setHeat', on: !snap?.heatOn }));
  threadSelect.addEventListener('change', () => {
    view.thread = Number(threadSelect.value);
    persist();
    rebuild();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  searchBox.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      view.search = searchBox.value;
      persist();
      applySearch();
      chart.paint();
    }, 120);
  });
  searchBox.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      // Select the widest match and show it.
      const m = chart.options.matches;
      if (!m || !tree) return;
      let best = -1;
      for (let n = 1; n < tree.count; n++) if (m[n] && (best < 0 || tree.total[n]! > tree.total[best]!)) best = n;
      if (best > 0) {
        select(best);
        canvas.focus();
      }
    }
  });
  return h('div', { class: 'fg-toolbar' }, orientation, checkbox('Left heavy', 'leftHeavy', 'Order callees by weight, heaviest first'), checkbox('Only my code', 'onlyMine', 'Hide frames outside the workspace (libraries, the standard library)'), checkbox('Hide idle', 'hideIdle', 'Drop samples where the thread waits (sleep, select, locks)'), threadSelect, searchBox, searchInfo, sandwichButton, heatButton);
}

// ---------------------------------------------------------------- model

function rebuild(): void {
  if (!snap?.data || !input) return;
  const options = { threads: chosenThreads(snap.data), onlyMine: view.onlyMine, hideIdle: view.hideIdle };
  tree = snap.mode === 'diff' && baseInput ? buildDiffTree(input, canon, baseInput, baseCanon, options) : buildFlameTree(input, canon, options);
  sortChildren(tree, keys.frames, view.leftHeavy);
  chart.options.diff = snap.mode === 'diff';
  chart.setTree(tree, keys);
  applySearch();
  chart.paint();
  updateCrumbs();
  describe(0);
  sendFocus();
  if (sandwichFunc !== undefined) showSandwich(sandwichFunc);
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
  searchInfo.textContent = count === 0 ? 'no match' : `${count} frame${count === 1 ? '' : 's'} · ${pct(r.share)} of samples`;
}

function frameOf(node: number) {
  return tree && node > 0 ? keys.frames[tree.key[node]!] : undefined;
}

function describe(node: number): void {
  if (!tree) return;
  const t = tree.total[node]!;
  const rootTotal = tree.total[0]! || 1;
  const f = frameOf(node);
  const parts = [
    f ? `${f.name}${f.file ? ` — ${f.file}${f.line ? `:${f.line}` : ''}` : ''}` : `All samples${view.thread >= 0 ? ` of ${snap?.data?.threads[view.thread]?.name}` : ''}`,
    `total ${num(t)} (${pct(t / rootTotal)})`,
    `self ${num(tree.self[node]!)} (${pct(tree.self[node]! / rootTotal)})`,
  ];
  if (snap?.mode === 'diff') parts.push(`before ${pct(tree.base[node]! / rootTotal)} → after ${pct(t / rootTotal)}`);
  status.textContent = parts.join(' · ');
  // Where the selected frame is drawn (CSS pixels in the canvas), for assistive tooling and the e2e test.
  const box = chart.boxOf(node);
  canvas.dataset.selected = box ? `${Math.round(box.px)},${Math.round(box.py)},${Math.round(box.pw)},${ROW}` : '';
  canvas.dataset.selectedLabel = node > 0 ? chart.label(node) : 'all';
}

function updateCrumbs(): void {
  if (!tree) return;
  const items: HTMLElement[] = [];
  const all = h('button', { class: 'link' }, 'all');
  all.addEventListener('click', () => zoomTo(0));
  items.push(all);
  for (const n of pathTo(tree, chart.zoom)) {
    const b = h('button', { class: 'link' }, chart.label(n));
    b.addEventListener('click', () => zoomTo(n));
    items.push(h('span', { class: 'muted' }, ' › '), b);
  }
  replaceChildren(crumbs, ...items);
}

function zoomTo(node: number): void {
  chart.zoom = node;
  chart.selected = node;
  chart.paint();
  updateCrumbs();
  describe(node);
  sendFocus();
}

function select(node: number): void {
  if (!tree) return;
  // Keep the selection visible: zoom out to an ancestor that contains it.
  let z = chart.zoom;
  while (z !== 0 && !pathTo(tree, node).includes(z) && node !== z) z = tree.parent[z]!;
  chart.zoom = z;
  chart.selected = node;
  chart.paint();
  updateCrumbs();
  describe(node);
  sendFocus();
  const box = chart.boxOf(node);
  if (box) chartPane.scrollTop = Math.max(0, box.py - chartPane.clientHeight / 2);
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

function toggleSandwich(): void {
  if (sandwichFunc !== undefined) {
    sandwichFunc = undefined;
    sandwichPane.hidden = true;
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
  replaceChildren(
    sandwichPane,
    h('h2', {}, `Sandwich: ${f.name}`, h('span', { class: 'muted' }, ` — total ${pct(s.total / rootTotal)}, self ${pct(s.self / rootTotal)}`)),
    h('div', { class: 'fg-sandwich-cols' },
      h('div', {}, h('h3', {}, 'Callers'), h('div', { class: 'fg-chart' }, callersCanvas)),
      h('div', {}, h('h3', {}, 'Callees'), h('div', { class: 'fg-chart' }, calleesCanvas)),
    ),
  );
  sandwichPane.hidden = false;
  callers.paint();
  callees.paint();
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
      h('div', {}, `total: ${num(t.total[node]!)} ${snap?.data?.unit ?? ''} (${pct(t.total[node]! / rootTotal)})`),
      h('div', {}, `self: ${num(t.self[node]!)} (${pct(t.self[node]! / rootTotal)})`),
      snap?.mode === 'diff' ? h('div', {}, `before: ${pct(t.base[node]! / rootTotal)} → after: ${pct(t.total[node]! / rootTotal)}`) : null,
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
  chart.selected = node;
  chart.paint();
  describe(node);
  if (sandwichFunc !== undefined && tree && node > 0) showSandwich(keys.func[tree.key[node]!]!);
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

canvas.addEventListener('keydown', (e) => {
  if (!tree) return;
  const n = chart.selected;
  const up = view.icicle ? 'ArrowDown' : 'ArrowUp';
  const down = view.icicle ? 'ArrowUp' : 'ArrowDown';
  let next = -1;
  if (e.key === up) {
    // into the heaviest child
    let best = -1;
    for (let i = tree.childStart[n]!; i < tree.childStart[n + 1]!; i++) {
      const ch = tree.childIndex[i]!;
      if (best < 0 || tree.total[ch]! > tree.total[best]!) best = ch;
    }
    next = best;
  } else if (e.key === down) next = n > 0 ? tree.parent[n]! : -1;
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    const p = n > 0 ? tree.parent[n]! : -1;
    if (p >= 0) {
      const siblings = children(tree, p);
      const i = siblings.indexOf(n);
      const j = e.key === 'ArrowLeft' ? i - 1 : i + 1;
      if (j >= 0 && j < siblings.length) next = siblings[j]!;
    }
  } else if (e.key === 'Enter') {
    openSource(n);
    e.preventDefault();
    return;
  } else if (e.key === ' ') {
    zoomTo(n);
    e.preventDefault();
    return;
  } else if (e.key === 'Escape' || e.key === 'Backspace') {
    zoomTo(chart.zoom > 0 ? tree.parent[chart.zoom]! : 0);
    e.preventDefault();
    return;
  } else if (e.key === '/' || (e.key === 'f' && (e.ctrlKey || e.metaKey))) {
    searchBox.focus();
    e.preventDefault();
    return;
  } else if (e.key === 's') {
    toggleSandwich();
    return;
  }
  if (next >= 0) {
    e.preventDefault();
    select(next);
  }
});

window.addEventListener('resize', () => {
  chart.paint();
  if (sandwichFunc !== undefined) {
    callers.paint();
    callees.paint();
  }
});

// ---------------------------------------------------------------- snapshot

function renderDiffTable(s: FlamegraphSnapshot): HTMLElement | null {
  if (s.mode !== 'diff' || !s.diffRows) return null;
  const rows = s.diffRows;
  const worse = rows.filter((r) => r.deltaPct > 0).slice(0, 15);
  const better = rows.filter((r) => r.deltaPct < 0).slice(0, 15);
  const table = (title: string, list: typeof rows) =>
    h('div', {},
      h('h3', {}, title),
      list.length === 0
        ? h('p', { class: 'empty' }, 'None.')
        : h('table', {},
            h('thead', {}, h('tr', {}, h('th', {}, 'Function'), h('th', {}, 'Before'), h('th', {}, 'After'), h('th', {}, 'Change'))),
            h('tbody', {}, ...list.map((r) => {
              const link = h('button', { class: 'link', title: r.file ? `${r.file}:${r.line}` : '' }, r.function);
              link.addEventListener('click', () => r.file && bridge.send({ type: 'openSourceFor', file: r.file, line: r.line }));
              return h('tr', {}, h('td', {}, link), h('td', {}, `${r.beforePct.toFixed(2)}%`), h('td', {}, `${r.afterPct.toFixed(2)}%`), h('td', { class: r.deltaPct > 0 ? 'fg-worse' : 'fg-better' }, `${r.deltaPct > 0 ? '+' : ''}${r.deltaPct.toFixed(2)} pp`));
            })),
          ),
    );
  return h('div', { class: 'fg-diff-cols' }, table('Biggest regressions (self share grew)', worse), table('Biggest improvements (self share fell)', better));
}

function render(s: FlamegraphSnapshot): void {
  root.removeAttribute('aria-busy');
  const first = snap === undefined || snap.id !== s.id;
  snap = s;
  heatButton.replaceChildren(icon('flame'), s.heatOn ? ' Heat on' : ' Heat off');
  heatButton.setAttribute('aria-pressed', String(s.heatOn));
  renderHeatNote(s);
  if (s.error || !s.data) {
    replaceChildren(root, h('h1', {}, s.title), h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error ?? 'Nothing to show.'))));
    return;
  }
  if (!first) return;
  input = treeInput(s.data);
  baseInput = s.base ? treeInput(s.base) : undefined;
  keys = new FrameKeys();
  canon = keys.intern(input.frames);
  baseCanon = baseInput ? keys.intern(baseInput.frames) : new Int32Array(0);
  fillThreads(s.data);
  replaceChildren(
    root,
    h('header', { class: 'fg-header' }, h('h1', {}, s.title), h('p', { class: 'muted' }, s.description)),
    ...s.warnings.map((w) => h('div', { class: 'fg-warning', role: 'status' }, icon('warning'), ' ', w)),
    toolbar(),
    crumbs,
    heatNote,
    status,
    s.note ? h('div', { class: 'fg-note', role: 'note' }, icon('info'), ' ', s.note) : null,
    chartPane,
    sandwichPane,
    diffTable,
    extras,
    tooltip,
  );
  tooltip.hidden = true;
  replaceChildren(diffTable, renderDiffTable(s));
  replaceChildren(extras, s.calls ? callsSection(s.calls, (file, line) => bridge.send({ type: 'openSourceFor', file, line })) : null, s.ops ? opsSection(s.ops) : null);
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
  const device = data.threads.filter((t) => t.device).length;
  const split = device > 0 && device < data.threads.length;
  if (!split && view.thread === -2) view.thread = -1;
  const total = data.threads.reduce((a, t) => a + t.weights.reduce((x, y) => x + y, 0), 0) || 1;
  replaceChildren(
    threadSelect,
    split ? h('option', { value: '-1', selected: view.thread === -1 }, `All ${data.threads.length - device} CPU thread${data.threads.length - device === 1 ? '' : 's'} (merged)`) : null,
    split ? h('option', { value: '-2', selected: view.thread === -2 }, `All ${device} GPU stream${device === 1 ? '' : 's'} (merged, device time)`) : null,
    split ? null : h('option', { value: '-1', selected: view.thread < 0 }, `All ${data.threads.length} thread${data.threads.length === 1 ? '' : 's'} (merged)`),
    ...data.threads.map((t, i) => h('option', { value: String(i), selected: view.thread === i }, `${t.name} — ${pct(t.weights.reduce((x, y) => x + y, 0) / total)}`)),
  );
}

const bridge = connect<FlamegraphSnapshot, FlamegraphIntent, { view: FlamegraphViewState }>({ render, state: () => ({ view }) });
