// The memory view: a capture's facts, memory over time (select a range to see what was allocated in it),
// three flame views of the same capture (peak, leaks, temporary) in bytes or allocations, the leak
// suspects, and in diff mode the per-location changes. Frames and suspects open their source line. Every
// string is rendered as text (function and file names come from the profiled program).
import { formatBytes, formatCount, rangeValues, viewThread, type LeakSuspect } from '../../src/core/memory/analysis';
import type { MemoryDiffRow } from '../../src/core/memory/diff';
import { FrameKeys, buildDiffTree, buildFlameTree, sortChildren, type FlameTree, type TreeInput } from '../../src/core/profile/flameTree';
import { decodeFrames, type FlameData, type FlameFrame } from '../../src/protocol/flamegraph';
import { isMemoryViewState, type MemoryIntent, type MemoryMeasure, type MemoryPageView, type MemorySnapshot, type MemoryViewState } from '../../src/protocol/memory';
import { connect, type PageBridge } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import { FlameChart, ROW } from '../shared/flameChart';
import { vscodeApi } from '../shared/vscodeApi';
import { TimelineChart } from './timeline';
import { keyboardHelp } from '../shared/help';

const root = document.getElementById('app')!;
const shared = document.querySelector<HTMLLinkElement>('link[href*="webview.css"]');
if (shared) document.head.appendChild(h('link', { rel: 'stylesheet', href: shared.href.replace('webview.css', 'memory.css') }));

const saved = vscodeApi<{ view?: unknown }>().getState()?.view;
const view: Required<Pick<MemoryViewState, 'view' | 'measure' | 'icicle'>> & { range?: [number, number] } = {
  view: 'leaks',
  measure: 'bytes',
  icicle: false,
  ...(isMemoryViewState(saved) ? (saved as MemoryViewState) : {}),
};

const VIEW_LABELS: Record<MemoryPageView, string> = { peak: 'Peak', leaks: 'Leaks', temporary: 'Temporary', range: 'Allocated in range' };
const VIEW_HELP: Record<MemoryPageView, string> = {
  peak: 'What was live when memory was highest',
  leaks: 'Allocated while tracked and never freed',
  temporary: 'Freed right after being allocated (churn)',
  range: 'Allocated in the selected time range (drag on the chart above)',
};

let snap: MemorySnapshot | undefined;
let keys = new FrameKeys();
let frames: FlameFrame[] = [];
let input: (TreeInput & { frames: FlameFrame[] }) | undefined;
let baseInput: (TreeInput & { frames: FlameFrame[] }) | undefined;
let canon: Int32Array = new Int32Array(0);
let baseCanon: Int32Array = new Int32Array(0);
let tree: FlameTree | undefined;
/** Set once the page is connected; render can run from saved state inside connect(), before that. */
// eslint-disable-next-line prefer-const -- assigned from connect(), which may call render first
let bridge: PageBridge<MemoryIntent> | undefined;

// ---------------------------------------------------------------- DOM

const canvas = h('canvas', { class: 'fg-canvas', tabindex: 0, role: 'img', 'aria-label': 'Memory flame graph. Arrow keys move between frames, Enter opens the source, Space zooms, Escape zooms out.' });
const chart = new FlameChart(canvas, { icicle: view.icicle, diff: false, mine: (k) => !!keys.frames[k]?.mine });
const chartPane = h('div', { class: 'fg-chart mem-chart' }, canvas);
const status = h('div', { class: 'fg-status', 'aria-live': 'polite' });
const announcer = h('div', { class: 'wf-visually-hidden', 'aria-live': 'polite' });
const tooltip = h('div', { class: 'fg-tooltip', role: 'tooltip' });
const tabs = h('div', { class: 'mem-tabs', role: 'radiogroup', 'aria-label': 'Flame view' });
const measureGroup = h('div', { class: 'mem-tabs', role: 'radiogroup', 'aria-label': 'Measure' });
const heatButton = h('button', { class: 'fg-button', title: 'Show bytes per line of this view in the editors' });
const cpuButton = h('button', { class: 'fg-button', title: 'Show CPU heat (of the last focused profile) in the editors instead' }, icon('flame'), ' CPU heat');
const rangeInfo = h('p', { class: 'muted mem-range-info', 'aria-live': 'polite' });
const clearRange = h('button', { class: 'fg-button', hidden: true }, 'Clear range');
const timeline = new TimelineChart(
  (range) => setRange(range),
  (text) => (announcer.textContent = text),
);
const suspectsSection = h('section', { class: 'mem-suspects' });
const help = keyboardHelp([
  ['Tab / Shift+Tab', 'next / previous control: the timeline, the leak suspects, the flame graph'],
  ['Left / Right', 'on the timeline: move the cursor (Ctrl: bigger steps); on the view and measure choices: the next one'],
  ['Shift+Left / Shift+Right', 'on the timeline: select a time range (the flame graph shows what it allocated)'],
  ['Up / Down', 'in the flame graph: the biggest callee / the caller'],
  ['Left / Right', 'in the flame graph: the previous / next sibling frame'],
  ['Enter', 'in the flame graph: open the selected frame\'s source beside; on a suspect: open its line'],
  ['Space', 'in the flame graph: zoom into the selected frame'],
  ['Escape / Backspace', 'in the flame graph: zoom out one level; on the timeline: clear the range'],
]);
const diffSection = h('section', { class: 'mem-diff' });

function persist(): void {
  bridge?.saveState();
}

function radio(group: HTMLElement, items: { value: string; label: string; title: string; disabled?: boolean }[], current: string, onPick: (value: string) => void): void {
  replaceChildren(
    group,
    ...items.map((item) => {
      const b = h('button', { class: 'fg-button mem-tab', role: 'radio', 'aria-checked': String(item.value === current), title: item.title, disabled: item.disabled, 'data-value': item.value }, item.label);
      b.addEventListener('click', () => onPick(item.value));
      b.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const enabled = items.filter((i) => !i.disabled);
        const at = enabled.findIndex((i) => i.value === item.value);
        const next = enabled[(at + (e.key === 'ArrowRight' ? 1 : enabled.length - 1)) % enabled.length]!;
        onPick(next.value);
        (group.querySelector(`[data-value="${next.value}"]`) as HTMLElement | null)?.focus();
        e.preventDefault();
      });
      return b;
    }),
  );
}

function renderTabs(): void {
  if (!snap) return;
  const s = snap;
  const views: MemoryPageView[] = ['peak', 'leaks', 'temporary', ...(s.lifetimes && s.mode === 'capture' ? (['range'] as const) : [])];
  radio(
    tabs,
    views.map((v) => ({ value: v, label: VIEW_LABELS[v], title: v !== 'range' && !s.available[v] ? `${VIEW_HELP[v]}: not known for this format` : VIEW_HELP[v], disabled: v === 'range' ? !view.range : !s.available[v] })),
    view.view,
    (v) => {
      view.view = v as MemoryPageView;
      persist();
      rebuild();
    },
  );
  radio(
    measureGroup,
    [
      { value: 'bytes', label: 'Bytes', title: 'Box widths: bytes' },
      { value: 'allocations', label: 'Allocations', title: 'Box widths: number of allocations' },
    ],
    view.measure,
    (m) => {
      view.measure = m as MemoryMeasure;
      persist();
      rebuild();
    },
  );
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
  return h('div', { class: 'fg-toolbar mem-toolbar' }, tabs, measureGroup, orientation, heatButton, cpuButton);
}

// ---------------------------------------------------------------- model

/** The page's data restricted to one thread (a view and measure), as the flame tree reads it. */
function one(inp: TreeInput & { frames: FlameFrame[] }, thread: number): TreeInput & { frames: FlameFrame[] } {
  const t = inp.threads[thread];
  return { ...inp, threads: t ? [t] : [] };
}

function currentWeights(): TreeInput['threads'][number] | undefined {
  if (!snap?.data || !input) return undefined;
  if (view.view === 'range') {
    if (!view.range || !snap.lifetimes) return undefined;
    const l = snap.lifetimes;
    const r = rangeValues({ lifetimes: { stack: Array.from(l.stack), allocatedBefore: Array.from(l.allocatedBefore), deallocatedBefore: Array.from(l.deallocatedBefore), count: Array.from(l.count), bytes: Array.from(l.bytes) } }, view.range[0], view.range[1]).allocated;
    return { stacks: r.stacks, weights: view.measure === 'bytes' ? r.bytes : r.counts };
  }
  return input.threads[viewThread(view.view, view.measure)];
}

/** `width`: the flame graph's width when the caller has just measured it (no second layout). */
function rebuild(width?: number): void {
  if (!snap?.data || !input) return;
  if (view.view !== 'range' && !snap.available[view.view]) view.view = (['leaks', 'peak', 'temporary'] as const).find((v) => snap!.available[v]) ?? 'peak';
  if (view.view === 'range' && !view.range) view.view = 'leaks';
  renderTabs();
  if (snap.mode === 'diff' && baseInput) {
    const t = viewThread(view.view === 'range' ? 'leaks' : view.view, view.measure);
    tree = buildDiffTree(one(input, t), canon, one(baseInput, t), baseCanon, {}, 'absolute');
  } else {
    const w = currentWeights();
    tree = buildFlameTree({ ...input, threads: w ? [w] : [] }, canon);
  }
  sortChildren(tree, keys.frames, true);
  chart.options.diff = snap.mode === 'diff';
  chart.setTree(tree, keys);
  chart.paint(width);
  describe(0);
  if (snap.mode === 'diff') renderDiffTables(snap);
  bridge?.send({ type: 'heatView', view: view.view, measure: view.measure, ...(view.view === 'range' && view.range ? { range: view.range } : {}) });
}

const amount = (v: number) => (view.measure === 'bytes' ? formatBytes(v) : `${formatCount(v)} allocation${Math.round(v) === 1 ? '' : 's'}`);
const share = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

function frameOf(node: number) {
  return tree && node > 0 ? keys.frames[tree.key[node]!] : undefined;
}

function describe(node: number): void {
  if (!tree) return;
  const t = tree.total[node]!;
  const rootTotal = tree.total[0]!;
  const f = frameOf(node);
  const parts = [
    f ? `${f.name}${f.file ? ` — ${f.file}${f.line ? `:${f.line}` : ''}` : ''}` : `${VIEW_LABELS[view.view]}: all`,
    `total ${amount(t)} (${share(t, rootTotal)})`,
    `self ${amount(tree.self[node]!)} (${share(tree.self[node]!, rootTotal)})`,
  ];
  if (snap?.mode === 'diff') parts.push(`before ${amount(tree.base[node]!)} → after ${amount(t)}`);
  if (rootTotal === 0) parts.splice(1, 2, 'nothing in this view');
  status.textContent = parts.join(' · ');
  const box = chart.boxOf(node);
  canvas.dataset.selected = box ? `${Math.round(box.px)},${Math.round(box.py)},${Math.round(box.pw)},${ROW}` : '';
  canvas.dataset.selectedLabel = node > 0 ? chart.label(node) : 'all';
}

function select(node: number): void {
  if (!tree) return;
  chart.selectVisible(node);
  chart.paint();
  describe(node);
  const box = chart.boxOf(node);
  if (box) chartPane.scrollTop = Math.max(0, box.py - chartPane.clientHeight / 2);
}

function zoomTo(node: number): void {
  chart.zoom = node;
  chart.selected = node;
  chart.paint();
  describe(node);
}

function openSource(file: string, line: number, name: string): void {
  if (!file) {
    status.textContent = `${name} has no source file in this capture.`;
    return;
  }
  bridge?.send({ type: 'openSourceFor', file, line });
}

function openNode(node: number): void {
  const f = frameOf(node);
  if (f) openSource(f.file, f.line, f.name);
}

// ---------------------------------------------------------------- interaction

canvas.addEventListener('mousemove', (e) => {
  const node = chart.hit(e.offsetX, e.offsetY);
  if (node !== chart.hovered) {
    chart.hovered = node;
    chart.paint();
  }
  if (node < 0 || !tree) {
    tooltip.hidden = true;
    return;
  }
  const f = frameOf(node);
  const rootTotal = tree.total[0]!;
  replaceChildren(
    tooltip,
    h('strong', {}, f ? f.name : 'all'),
    f?.file ? h('div', { class: 'muted' }, `${f.file}${f.line ? `:${f.line}` : ''}`) : null,
    h('div', {}, `total: ${amount(tree.total[node]!)} (${share(tree.total[node]!, rootTotal)})`),
    h('div', {}, `self: ${amount(tree.self[node]!)} (${share(tree.self[node]!, rootTotal)})`),
    snap?.mode === 'diff' ? h('div', {}, `before: ${amount(tree.base[node]!)} → after: ${amount(tree.total[node]!)}`) : null,
    f?.file ? h('div', { class: 'muted' }, 'Click: select · click again, Ctrl/Cmd+click or Enter: open source · double-click: zoom') : null,
  );
  tooltip.hidden = false;
  tooltip.style.left = `${Math.max(0, Math.min(e.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8))}px`;
  tooltip.style.top = `${Math.max(0, Math.min(e.clientY + 14, window.innerHeight - tooltip.offsetHeight - 8))}px`;
});
canvas.addEventListener('mouseleave', () => {
  tooltip.hidden = true;
  chart.hovered = -1;
  chart.paint();
});
canvas.addEventListener('click', (e) => {
  const node = chart.hit(e.offsetX, e.offsetY);
  if (node < 0) return;
  if (e.ctrlKey || e.metaKey || (node === chart.selected && node > 0)) {
    openNode(node);
    return;
  }
  chart.selected = node;
  chart.paint();
  describe(node);
});
canvas.addEventListener('dblclick', (e) => {
  const node = chart.hit(e.offsetX, e.offsetY);
  if (node >= 0) zoomTo(node);
});
canvas.addEventListener('keydown', (e) => {
  const action = chart.keyAction(e.key);
  if (!tree || !action) return;
  e.preventDefault();
  if (action.kind === 'open') openNode(action.node);
  else if (action.kind === 'zoom') zoomTo(action.node);
  else select(action.node);
});
heatButton.addEventListener('click', () => bridge?.send({ type: 'setHeat', on: !(snap?.heatOn && snap.heatShown) }));
cpuButton.addEventListener('click', () => bridge?.send({ type: 'showCpuHeat' }));
clearRange.addEventListener('click', () => {
  timeline.setRange(undefined);
  setRange(undefined);
});
window.addEventListener('resize', () => {
  chart.paint();
  timeline.draw();
});

function setRange(range: [number, number] | undefined): void {
  view.range = range;
  if (range) view.view = 'range';
  else if (view.view === 'range') view.view = 'leaks';
  persist();
  describeRange();
  rebuild();
}

function describeRange(): void {
  const tl = snap?.timeline;
  clearRange.hidden = !view.range;
  if (!tl) return;
  if (!view.range || !snap?.lifetimes) {
    rangeInfo.textContent = snap?.lifetimes ? 'Drag across the chart (or focus it and use Shift+arrows) to see what was allocated in a time range.' : '';
    return;
  }
  const [a, b] = view.range;
  const l = snap.lifetimes;
  const r = rangeValues({ lifetimes: { stack: Array.from(l.stack), allocatedBefore: Array.from(l.allocatedBefore), deallocatedBefore: Array.from(l.deallocatedBefore), count: Array.from(l.count), bytes: Array.from(l.bytes) } }, a, b);
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  rangeInfo.textContent = `${(tl.t[a]! / 1000).toFixed(2)} s – ${(tl.t[b]! / 1000).toFixed(2)} s: ${formatBytes(sum(r.allocated.bytes))} in ${formatCount(sum(r.allocated.counts))} allocations that outlived a snapshot; ${formatBytes(sum(r.live.bytes))} of it still allocated at the end.`;
}

/** The series' keys; each but the first is a toggle (RSS dwarfs the tracked heap: shown on request). */
function legend(tl: NonNullable<MemorySnapshot['timeline']>): HTMLElement {
  return h(
    'div',
    { class: 'mem-legend' },
    ...tl.series.map((x, i) => {
      if (i === 0) return h('span', { class: `mem-key mem-key-${i}` }, x.name);
      const b = h('button', { class: `fg-button mem-key mem-key-${i}`, 'aria-pressed': 'false', title: `Show ${x.name} on the chart` }, x.name);
      b.addEventListener('click', () => {
        const on = !timeline.isVisible(i);
        timeline.setVisible(i, on);
        b.setAttribute('aria-pressed', String(on));
      });
      return b;
    }),
    h('span', { class: 'mem-key mem-key-peak' }, 'high-water mark'),
  );
}

// ---------------------------------------------------------------- suspects and diff tables

function sparkline(series: number[] | undefined): SVGSVGElement | null {
  if (!series || series.length < 2) return null;
  const w = 72;
  const hgt = 20;
  const max = Math.max(...series, 1);
  const d = series.map((v, i) => `${i === 0 ? 'M' : 'L'}${((i / (series.length - 1)) * w).toFixed(1)},${(hgt - 2 - (v / max) * (hgt - 4)).toFixed(1)}`).join('');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(hgt));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'mem-spark');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}

function location(name: string, file: string, line: number): HTMLElement {
  const short = file ? `${file.slice(file.lastIndexOf('/') + 1)}${line ? `:${line}` : ''}` : '';
  const b = h('button', { class: 'link', title: file ? `${file}${line ? `:${line}` : ''}` : 'no source file' }, name, short ? h('span', { class: 'muted' }, ` ${short}`) : null);
  b.addEventListener('click', () => openSource(file, line, name));
  return b;
}

function renderSuspects(s: MemorySnapshot): void {
  if (s.mode !== 'capture') {
    replaceChildren(suspectsSection);
    return;
  }
  const rows = s.suspects;
  const rate = (x: LeakSuspect) => (x.growthPerSecond === undefined ? '—' : `+${formatBytes(x.growthPerSecond)}/s`);
  replaceChildren(
    suspectsSection,
    h('h2', {}, 'Leak suspects'),
    h('p', { class: 'muted' }, s.suspectsNote),
    rows.length === 0
      ? null
      : h(
          'table',
          { class: 'mem-suspect-table' },
          h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Location'), h('th', { class: 'num' }, 'Growth'), h('th', { class: 'num' }, 'Live at the end'), h('th', {}, h('span', { class: 'wf-visually-hidden' }, 'Trend')))),
          h(
            'tbody',
            {},
            ...rows.map((x, i) =>
              h(
                'tr',
                { class: 'mem-suspect', 'data-rank': String(i + 1) },
                h('td', { class: 'num' }, String(i + 1)),
                h('td', {}, location(x.function, x.file, x.line)),
                h('td', { class: 'num', title: x.steadiness !== undefined ? `R² ${x.steadiness.toFixed(2)}: ${x.steadiness > 0.9 ? 'steady' : 'uneven'} growth` : '' }, rate(x)),
                h('td', { class: 'num' }, `${formatBytes(x.liveBytes)} · ${formatCount(x.liveAllocations)}`),
                h('td', {}, sparkline(x.series)),
              ),
            ),
          ),
        ),
  );
}

function renderDiffTables(s: MemorySnapshot): void {
  const v = view.view === 'range' ? 'leaks' : view.view;
  const rows = s.diffRows?.[v] ?? [];
  const signed = (b: number) => (b > 0 ? `+${formatBytes(b)}` : b < 0 ? formatBytes(b) : '0 B');
  const table = (title: string, list: MemoryDiffRow[]) =>
    h(
      'div',
      {},
      h('h3', {}, title),
      list.length === 0
        ? h('p', { class: 'empty' }, 'None.')
        : h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, 'Location'), h('th', { class: 'num' }, 'Before'), h('th', { class: 'num' }, 'After'), h('th', { class: 'num' }, 'Change'))),
            h('tbody', {}, ...list.map((r) => h('tr', {}, h('td', {}, location(r.function, r.file, r.line)), h('td', { class: 'num' }, formatBytes(r.beforeBytes)), h('td', { class: 'num' }, formatBytes(r.afterBytes)), h('td', { class: `num ${r.deltaBytes > 0 ? 'fg-worse' : 'fg-better'}` }, signed(r.deltaBytes))))),
          ),
    );
  replaceChildren(
    diffSection,
    h('h2', {}, `Changes: ${VIEW_LABELS[v]}`),
    h('div', { class: 'fg-diff-cols' }, table('Grew most', rows.filter((r) => r.deltaBytes > 0).slice(0, 15)), table('Shrank most', rows.filter((r) => r.deltaBytes < 0).slice(0, 15))),
  );
}

// ---------------------------------------------------------------- snapshot

/** A snapshot restored from saved state has no typed arrays left (setState is JSON): wait for the host's. */
function usable(data: FlameData | undefined): boolean {
  return !data || data.frameName instanceof Int32Array;
}

function render(s: MemorySnapshot): void {
  if (!usable(s.data) || !usable(s.base)) return;
  root.removeAttribute('aria-busy');
  const first = snap === undefined || snap.id !== s.id;
  snap = s;
  heatButton.replaceChildren(icon('symbol-numeric'), s.heatOn && s.heatShown ? ' Memory heat on' : ' Memory heat off');
  heatButton.setAttribute('aria-pressed', String(s.heatOn && s.heatShown));
  cpuButton.hidden = !s.heatShown;
  if (s.error || !s.data) {
    replaceChildren(root, help, h('h1', {}, s.title), h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error ?? 'Nothing to show.'))));
    return;
  }
  if (!first) return;
  frames = decodeFrames(s.data);
  input = { frames, stackParent: s.data.stackParent, stackFrame: s.data.stackFrame, threads: s.data.threads };
  baseInput = s.base ? { frames: decodeFrames(s.base), stackParent: s.base.stackParent, stackFrame: s.base.stackFrame, threads: s.base.threads } : undefined;
  keys = new FrameKeys();
  canon = keys.intern(input.frames);
  baseCanon = baseInput ? keys.intern(baseInput.frames) : new Int32Array(0);
  if (view.range && (!s.timeline || view.range[1] >= s.timeline.t.length)) view.range = undefined;
  const facts = h('dl', { class: 'mem-facts' }, ...s.facts.flatMap((f) => [h('dt', {}, f.label), h('dd', { title: f.title }, f.value)]));
  replaceChildren(
    root,
    help,
    h('header', { class: 'fg-header' }, h('h1', {}, s.title), h('p', { class: 'muted' }, s.description)),
    facts,
    ...s.warnings.map((w) => h('div', { class: 'fg-warning', role: 'status' }, icon('warning'), ' ', w)),
    s.notes.length ? h('details', { class: 'mem-notes' }, h('summary', {}, 'What the views mean for this capture'), h('ul', {}, ...s.notes.map((n) => h('li', {}, n)))) : null,
    s.timeline ? h('section', { class: 'mem-timeline' }, h('h2', {}, 'Memory over time'), legend(s.timeline), h('div', { class: 'mem-timeline-box' }, timeline.element), h('div', { class: 'mem-range-row' }, rangeInfo, clearRange)) : null,
    suspectsSection,
    h('h2', {}, s.mode === 'diff' ? 'Flame graph of the change' : 'Flame graph'),
    toolbar(),
    status,
    chartPane,
    diffSection,
    tooltip,
    announcer,
  );
  tooltip.hidden = true;
  describeRange();
  renderSuspects(s);
  // Both charts' widths from one layout of the finished page: measured between drawing them, the second
  // read laid the whole page out again.
  const timelineWidth = s.timeline ? timeline.measure() : 0;
  const chartWidth = chartPane.clientWidth;
  if (s.timeline) timeline.set(s.timeline, view.range, timelineWidth);
  rebuild(chartWidth);
}

bridge = connect<MemorySnapshot, MemoryIntent, { view: MemoryViewState }>({ render, state: () => ({ view }) });
