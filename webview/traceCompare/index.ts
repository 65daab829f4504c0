import type { CriticalStep, PathStat } from '../../src/core/traces/compare';
import type { TraceCompareIntent, TraceCompareSnapshot } from '../../src/protocol/traceSearch';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';
import { button, int, loadDecisionsCss } from '../shared/decisions';

loadDecisionsCss();
const root = document.getElementById('app')!;
const bridge = connect<TraceCompareSnapshot, TraceCompareIntent>({ render });

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)} ms`;

function only(title: string, rows: PathStat[]): HTMLElement {
  return h('section', {}, h('h2', {}, `${title} (${rows.length})`),
    rows.length
      ? h('table', { 'aria-label': title }, h('thead', {}, h('tr', {}, h('th', {}, 'Path'), h('th', { class: 'num' }, 'Spans'), h('th', { class: 'num' }, 'Time'))),
          h('tbody', {}, ...rows.slice(0, 100).map((r) => h('tr', {}, h('td', { class: 'mono' }, r.path), h('td', { class: 'num' }, int(r.count)), h('td', { class: 'num' }, `${r.durationMs.toFixed(2)} ms`)))))
      : h('p', { class: 'empty' }, 'None.'));
}

function critical(title: string, steps: CriticalStep[]): HTMLElement {
  return h('section', {}, h('h3', {}, title),
    h('ol', {}, ...steps.slice(0, 8).map((s) => h('li', {}, h('span', { class: 'mono' }, s.path), ` — ${s.criticalMs.toFixed(2)} ms`))));
}

function render(s: TraceCompareSnapshot): void {
  root.removeAttribute('aria-busy');
  if (!s.a.traceId) {
    replaceChildren(root, h('h1', {}, 'Trace Comparison'), h('p', { role: 'status' }, s.source));
    return;
  }
  const head = h('div', { class: 'verdict neutral', role: 'status' }, icon('diff'),
    h('div', {},
      h('h2', {}, `B took ${signed(s.b.durationMs - s.a.durationMs)} against A`),
      h('p', {}, 'A ', h('button', { class: 'link mono', onclick: () => bridge.send({ type: 'openTrace', which: 'a' }) }, s.a.traceId), ` ${s.a.durationMs.toFixed(2)} ms, ${int(s.a.spanCount)} spans`),
      h('p', {}, 'B ', h('button', { class: 'link mono', onclick: () => bridge.send({ type: 'openTrace', which: 'b' }) }, s.b.traceId), ` ${s.b.durationMs.toFixed(2)} ms, ${int(s.b.spanCount)} spans`),
      h('p', { class: 'muted' }, s.source)));
  const findings = h('section', { 'aria-label': 'What differs' },
    h('h2', {}, 'What differs'),
    s.superlinear.length || s.nPlusOneChanges.length
      ? h('ul', {},
          ...s.superlinear.map((q) => h('li', { class: 'sev-warning' }, h('strong', {}, q.kind === 'quadratic' ? 'Quadratic: ' : 'Superlinear: '), h('span', { class: 'mono' }, q.path), ` — own time ${q.aSelfMs.toFixed(1)} → ${q.bSelfMs.toFixed(1)} ms while ${q.drivenBy}: grows as count^${q.exponent}`)),
          ...s.nPlusOneChanges.map((n) => h('li', {}, h('strong', {}, 'N+1: '), `${int(n.aCount)} → ${int(n.bCount)} × `, h('span', { class: 'mono' }, n.statement), ' under ', h('span', { class: 'mono' }, n.path), ` (${n.aMs.toFixed(1)} → ${n.bMs.toFixed(1)} ms)`)))
      : h('p', { class: 'empty' }, 'No N+1 pattern or superlinear span changed.'));
  const changed = h('section', {}, h('h2', {}, `Matched by operation path (${s.changed.length}), biggest difference first`),
    h('table', { 'aria-label': 'Spans matched by path' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Path'), h('th', { class: 'num' }, 'A'), h('th', { class: 'num' }, 'B'), h('th', { class: 'num' }, 'B − A'))),
      h('tbody', {}, ...s.changed.slice(0, 200).map((c) => h('tr', {}, h('td', { class: 'mono' }, c.path), h('td', { class: 'num' }, `${c.aMs.toFixed(2)} ms`), h('td', { class: 'num' }, `${c.bMs.toFixed(2)} ms`), h('td', { class: c.deltaMs > 0 ? 'num sev-warning' : 'num' }, signed(c.deltaMs)))))));
  replaceChildren(root,
    h('h1', {}, 'Trace Comparison'),
    head,
    h('div', { class: 'ts-actions' },
      button('Attach to Incident', 'attach', () => bridge.send({ type: 'attach' })),
      button('Swap A and B', 'arrow-swap', () => bridge.send({ type: 'swap' }), { secondary: true })),
    s.attached ? h('p', { class: 'status-pass', role: 'status' }, `Attached: ${s.attached}`) : null,
    findings,
    h('div', { class: 'two-col' }, critical('Critical path of A', s.criticalA), critical('Critical path of B', s.criticalB)),
    changed,
    h('div', { class: 'two-col' }, only('Only in A', s.onlyInA), only('Only in B', s.onlyInB)));
}
