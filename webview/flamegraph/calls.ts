// The exact callers/callees table of a deterministic profile (cProfile), next to the flame graph that is
// only approximated from it: functions sortable by tottime, cumtime or calls, and for the selected
// function who called it and what it called, with the time each pair measured.
import { format } from 'd3-format';
import type { CallsTable } from '../../src/protocol/flamegraph';
import { h, replaceChildren } from '../shared/dom';

type Key = 'tt' | 'ct' | 'nc' | 'name';
const ROWS = 200;
const sec = (x: number): string => (x >= 1 ? `${x.toFixed(3)} s` : x >= 1e-3 ? `${(x * 1e3).toFixed(3)} ms` : `${(x * 1e6).toFixed(1)} µs`);
const pct = format('.1%');

export function callsSection(t: CallsTable, open: (file: string, line: number) => void): HTMLElement {
  let key: Key = 'tt';
  let filter = '';
  let selected = -1;
  const n = t.name.length;
  const callers: number[][] = Array.from({ length: n }, () => []);
  const callees: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < t.edgeCaller.length; e++) {
    callers[t.edgeCallee[e]!]!.push(e);
    callees[t.edgeCaller[e]!]!.push(e);
  }
  const label = (i: number) => `${t.name[i]}${t.file[i] ? ` (${t.file[i]!.slice(t.file[i]!.lastIndexOf('/') + 1)}:${t.line[i]})` : ''}`;
  const calls = (i: number) => (t.nc[i] !== t.cc[i] ? `${t.nc[i]}/${t.cc[i]}` : String(t.nc[i]));
  const nameCell = (i: number) => {
    const pick = h('button', { class: 'link', title: 'Show its callers and callees', 'aria-pressed': String(i === selected) }, label(i));
    pick.addEventListener('click', () => {
      selected = i;
      draw();
      detail.querySelector('h3')?.focus();
    });
    const src = t.file[i] ? h('button', { class: 'link fg-open', title: `Open ${t.file[i]}:${t.line[i]}`, 'aria-label': `Open the source of ${t.name[i]}` }, '↗') : null;
    src?.addEventListener('click', () => open(t.file[i]!, t.line[i]!));
    return h('td', {}, pick, ' ', src);
  };
  const body = h('tbody');
  const detail = h('div', { class: 'fg-calls-detail' });
  const search = h('input', { type: 'search', class: 'fg-search', placeholder: 'Filter functions', 'aria-label': 'Filter functions' }) as HTMLInputElement;
  search.addEventListener('input', () => {
    filter = search.value.toLowerCase();
    draw();
  });
  const header = (k: Key, text: string) => {
    const b = h('button', { class: 'link', title: `Sort by ${text}` }, text);
    b.addEventListener('click', () => {
      key = k;
      draw();
    });
    return h('th', { scope: 'col', 'aria-sort': key === k ? (k === 'name' ? 'ascending' : 'descending') : 'none', 'data-key': k }, b);
  };
  const table = h('table', { class: 'fg-calls' });
  const count = h('p', { class: 'muted' });

  function edgeTable(title: string, edges: number[], other: (e: number) => number): HTMLElement {
    const sorted = [...edges].sort((a, b) => t.edgeCt[b]! - t.edgeCt[a]!);
    return h(
      'div',
      {},
      h('h4', {}, `${title} (${edges.length})`),
      edges.length === 0
        ? h('p', { class: 'empty' }, 'None recorded.')
        : h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Function'), h('th', { scope: 'col' }, 'calls'), h('th', { scope: 'col' }, 'tottime'), h('th', { scope: 'col' }, 'cumtime'))), h('tbody', {}, ...sorted.slice(0, 100).map((e) => h('tr', {}, nameCell(other(e)), h('td', { class: 'num' }, String(t.edgeNc[e])), h('td', { class: 'num' }, sec(t.edgeTt[e]!)), h('td', { class: 'num' }, sec(t.edgeCt[e]!)))))),
    );
  }

  function draw(): void {
    const order = [...Array(n).keys()].filter((i) => !filter || t.name[i]!.toLowerCase().includes(filter) || t.file[i]!.toLowerCase().includes(filter));
    const col = key === 'name' ? undefined : t[key];
    order.sort(col ? (a, b) => col[b]! - col[a]! : (a, b) => t.name[a]!.localeCompare(t.name[b]!));
    replaceChildren(
      table,
      h('thead', {}, h('tr', {}, header('name', 'Function'), header('nc', 'ncalls'), header('tt', 'tottime'), h('th', { scope: 'col' }, 'percall'), header('ct', 'cumtime'), h('th', { scope: 'col' }, 'percall'))),
      body,
    );
    replaceChildren(
      body,
      ...order.slice(0, ROWS).map((i) =>
        h('tr', { class: i === selected ? 'fg-row-selected' : '' }, nameCell(i), h('td', { class: 'num' }, calls(i)), h('td', { class: 'num', title: pct(t.tt[i]! / (t.totalTime || 1)) }, sec(t.tt[i]!)), h('td', { class: 'num' }, t.nc[i] ? sec(t.tt[i]! / t.nc[i]!) : ''), h('td', { class: 'num', title: pct(t.ct[i]! / (t.totalTime || 1)) }, sec(t.ct[i]!)), h('td', { class: 'num' }, t.cc[i] ? sec(t.ct[i]! / t.cc[i]!) : '')),
      ),
    );
    count.textContent = `${order.length.toLocaleString('en')} of ${n.toLocaleString('en')} functions${order.length > ROWS ? `, the first ${ROWS} shown` : ''} · total ${sec(t.totalTime)} (the functions' own times added up)`;
    if (selected < 0) replaceChildren(detail, h('p', { class: 'muted' }, 'Pick a function to see its callers and callees.'));
    else replaceChildren(detail, h('h3', { tabindex: -1 }, label(selected)), h('div', { class: 'fg-calls-cols' }, edgeTable('Callers', callers[selected]!, (e) => t.edgeCaller[e]!), edgeTable('Callees', callees[selected]!, (e) => t.edgeCallee[e]!)));
  }
  draw();
  return h('section', { class: 'fg-calls-section', 'aria-labelledby': 'fg-calls-title' }, h('h2', { id: 'fg-calls-title' }, 'Callers and callees (exact)'), search, count, h('div', { class: 'fg-table-scroll' }, table), detail);
}
