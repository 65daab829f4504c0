import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import type { AbIntent, AbSnapshot, AbState } from '../../src/protocol/abtest';
import { sampleSizePerArm } from '../../src/core/stats/power';
import { connect, savedPageState } from '../shared/bridge';
import { h, icon, replaceChildren, tableWrap } from '../shared/dom';
import '../shared/elements';
import { button, int, loadDecisionsCss, pct, pp } from '../shared/decisions';
import { minus } from '../shared/format';
import { keyboardHelp } from '../shared/help';
import { errorMessage } from '../../src/core/util/errors';

loadDecisionsCss();
const root = document.getElementById('app')!;
/** The selected row of the Arms table (a variant name), kept through hide/show. */
let selected: string | undefined = savedPageState<AbState>()?.selected;
const help = keyboardHelp([
  ['Tab', 'between the controls: the Arms table is one stop, on its selected row'],
  ['↑ / ↓', 'select the previous / next variant in the Arms table'],
  ['Enter', 'open the file beside this page at the selected variant'],
  ['Home / End', 'first / last variant'],
]);
const bridge = connect<AbSnapshot, AbIntent, AbState>({ render, state: () => (selected ? { selected } : {}) });

/**
 * The Arms table as a one-row-selected grid: arrow keys move the selection (one tab stop, the selected row),
 * Enter opens the file at that variant beside the page.
 */
function armsTable(s: AbSnapshot): HTMLElement {
  if (!s.arms.some((a) => a.name === selected)) selected = s.arms[0]?.name;
  const rows = s.arms.map((a, i) => {
    const isSelected = a.name === selected;
    const tr = h('tr', { 'aria-selected': String(isSelected), tabindex: isSelected ? 0 : -1, 'data-variant': a.name, class: isSelected ? 'selected' : '' },
      h('td', {}, a.name, i === 0 && a.name.toLowerCase() !== 'control' ? h('span', { class: 'muted' }, ' (control)') : null),
      h('td', { class: 'num' }, int(a.sampleSize)),
      h('td', { class: 'num' }, int(a.successes)),
      h('td', { class: 'num' }, pct(a.rate, 2)),
      h('td', { class: 'num' }, `${pct(a.wilsonLow, 2)} – ${pct(a.wilsonHigh, 2)}`),
    );
    tr.addEventListener('click', () => choose(tr));
    tr.addEventListener('dblclick', () => bridge.send({ type: 'openSource', variant: a.name }));
    return tr;
  });
  const tbody = h('tbody', {}, ...rows);
  const choose = (tr: HTMLElement, focus = true) => {
    for (const r of rows) {
      const on = r === tr;
      r.setAttribute('aria-selected', String(on));
      r.tabIndex = on ? 0 : -1;
      r.classList.toggle('selected', on);
    }
    selected = tr.dataset.variant;
    document.body.dataset.selectedVariant = selected ?? '';
    if (focus) tr.focus();
    bridge.saveState();
  };
  tbody.addEventListener('keydown', (e) => {
    const i = rows.findIndex((r) => r.dataset.variant === selected);
    const to = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : undefined;
    if (to !== undefined) {
      e.preventDefault();
      const tr = rows[Math.max(0, Math.min(rows.length - 1, to))];
      if (tr) choose(tr);
    } else if (e.key === 'Enter' && selected !== undefined) {
      e.preventDefault();
      bridge.send({ type: 'openSource', variant: selected });
    }
  });
  document.body.dataset.selectedVariant = selected ?? '';
  return h('table', { class: 'arms', role: 'grid', 'aria-label': 'Arms: arrow keys select a variant, Enter opens it in the file', 'aria-readonly': 'true' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Variant'), h('th', { scope: 'col', class: 'num' }, 'Users'), h('th', { scope: 'col', class: 'num' }, 'Successes'), h('th', { scope: 'col', class: 'num' }, 'Rate'), h('th', { scope: 'col', class: 'num' }, `Wilson ${pct(1 - s.alpha, 0)} interval`))),
    tbody,
  );
}


const VERDICT_STYLE: Record<AbSnapshot['verdict']['kind'], [string, string]> = {
  winner: ['good', 'pass'],
  loser: ['bad', 'error'],
  'no-difference': ['neutral', 'info'],
  inconclusive: ['warn', 'question'],
  'not-enough-data': ['warn', 'warning'],
  untrustworthy: ['bad', 'error'],
  invalid: ['bad', 'error'],
};

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`;

const SEVERITY_ICON = { error: 'error', warning: 'warning', info: 'info' } as const;

function forestPlot(s: AbSnapshot): SVGSVGElement | null {
  if (!s.forest.length) return null;
  const rowH = 28;
  const margin = { top: 10, right: 20, bottom: 34, left: 250 };
  const width = 720;
  const height = margin.top + margin.bottom + rowH * s.forest.length;
  const lo = Math.min(0, ...s.forest.map((r) => r.ciLow));
  const hi = Math.max(0, ...s.forest.map((r) => r.ciHigh));
  const pad = (hi - lo) * 0.08 || 0.01;
  const x = scaleLinear().domain([lo - pad, hi + pad]).range([margin.left, width - margin.right]).nice();
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'chart forest')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('role', 'img')
    .attr('aria-label', 'Forest plot: difference in success rate (treatment − control) with confidence intervals, overall and per segment');
  svg.append('line').attr('class', 'zero').attr('x1', x(0)).attr('x2', x(0)).attr('y1', margin.top - 4).attr('y2', height - margin.bottom);
  s.forest.forEach((r, i) => {
    const y = margin.top + rowH * i + rowH / 2;
    const cls = r.overall ? ' overall' : '';
    svg.append('text').attr('x', margin.left - 10).attr('y', y + 4).attr('text-anchor', 'end').text(`${r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label} (n ${int(r.controlN)} / ${int(r.treatmentN)})`).append('title').text(r.label);
    svg.append('line').attr('class', `ci${cls}`).attr('x1', x(r.ciLow)).attr('x2', x(r.ciHigh)).attr('y1', y).attr('y2', y);
    svg.append('rect').attr('class', `point${cls}`).attr('x', x(r.diff) - 5).attr('y', y - 5).attr('width', 10).attr('height', 10);
    svg.append('title').text(`${r.label}: ${pp(r.diff)} [${pp(r.ciLow)}, ${pp(r.ciHigh)}]`);
  });
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - margin.bottom})`).call(axisBottom(x).ticks(6).tickFormat((d) => minus(`${(Number(d) * 100).toFixed(1)}`)));
  svg.append('text').attr('x', (margin.left + width - margin.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').text('difference in success rate, percentage points (treatment − control)');
  return svg.node();
}

function powerChart(s: AbSnapshot): SVGSVGElement | null {
  const p = s.power;
  if (!p || !p.curve.length) return null;
  const width = 720;
  const height = 260;
  const margin = { top: 12, right: 20, bottom: 40, left: 50 };
  const maxN = Math.max(...p.curve.map((c) => c.n));
  const x = scaleLinear().domain([0, maxN]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([0, 1]).range([height - margin.bottom, margin.top]);
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'chart power')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('role', 'img')
    .attr('aria-label', `Power curve: chance of detecting a ${pct(p.mde)} change by users per arm`);
  svg.append('line').attr('class', 'target').attr('x1', margin.left).attr('x2', width - margin.right).attr('y1', y(p.target)).attr('y2', y(p.target));
  svg.append('path').attr('class', 'curve').attr('d', line<{ n: number; power: number }>().x((d) => x(d.n)).y((d) => y(d.power))([{ n: 0, power: s.alpha }, ...p.curve]) ?? '');
  const nowN = Math.min(p.controlN, p.treatmentN);
  svg.append('line').attr('class', 'marker').attr('x1', x(Math.min(nowN, maxN))).attr('x2', x(Math.min(nowN, maxN))).attr('y1', margin.top).attr('y2', height - margin.bottom);
  svg.append('text').attr('x', x(Math.min(nowN, maxN)) + 4).attr('y', margin.top + 12).text(`this test: ${int(nowN)} (${pct(p.achieved, 0)})`);
  if (p.requiredPerArm <= maxN) {
    svg.append('line').attr('class', 'marker-required').attr('x1', x(p.requiredPerArm)).attr('x2', x(p.requiredPerArm)).attr('y1', margin.top).attr('y2', height - margin.bottom);
    svg.append('text').attr('x', x(p.requiredPerArm) + 4).attr('y', margin.top + 28).text(`needed: ${int(p.requiredPerArm)}`);
  }
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - margin.bottom})`).call(axisBottom(x).ticks(6).tickFormat((d) => int(Number(d))));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${margin.left},0)`).call(axisLeft(y).ticks(5).tickFormat((d) => `${Math.round(Number(d) * 100)} %`));
  svg.append('text').attr('x', (margin.left + width - margin.right) / 2).attr('y', height - 6).attr('text-anchor', 'middle').text('users per arm');
  return svg.node();
}

function calculator(s: AbSnapshot): HTMLElement {
  const baseline = s.power?.baseline ?? s.arms[0]?.rate ?? 0.1;
  const state = { baseline: Number(baseline.toFixed(4)) || 0.1, mde: Number((s.power?.mde ?? 0.1).toFixed(4)), alpha: s.alpha, power: s.power?.target ?? 0.8 };
  const result = h('p', { class: 'calc-result', 'aria-live': 'polite' });
  const update = () => {
    try {
      const r = sampleSizePerArm(state.baseline, state.mde, state.alpha, state.power);
      replaceChildren(result, h('strong', {}, `${int(r.perArm)} users per arm`), ` (${int(r.total)} in total) to detect ${pct(r.baseline, 2)} → ${pct(r.target, 2)} with ${pct(r.power, 0)} power at α ${r.alpha}.`);
    } catch (e) {
      replaceChildren(result, icon('warning'), ' ', errorMessage(e));
    }
  };
  const field = (label: string, key: keyof typeof state, step: string, hint: string) =>
    h('label', {}, label,
      h('input', {
        type: 'number', step, value: String(state[key]), 'aria-label': label, title: hint,
        oninput: (ev: Event) => {
          state[key] = Number((ev.target as HTMLInputElement).value);
          update();
        },
      }));
  update();
  return h('section', { 'aria-label': 'Sample-size calculator' },
    h('div', { class: 'calc' },
      field('Baseline rate', 'baseline', '0.001', 'Current conversion rate, e.g. 0.10'),
      field('Relative MDE', 'mde', '0.01', 'Smallest relative change worth detecting, e.g. 0.1 = +10 %'),
      field('α (two-sided)', 'alpha', '0.01', 'False-positive rate, usually 0.05'),
      field('Power', 'power', '0.05', 'Chance to detect a real effect of that size, usually 0.8'),
    ),
    result,
    h('p', { class: 'muted' }, 'Two-sample formula with Cohen\'s h: n = 2·(z₁₋α/₂ + z_power)²/h² per arm. The one-sample formula ((z+z)/h)² halves it — a common bug.'),
  );
}

function render(s: AbSnapshot): void {
  root.removeAttribute('aria-busy');
  const [style, codicon] = VERDICT_STYLE[s.verdict.kind];
  const t = s.test;
  const hadFocus = root.contains(document.activeElement) && document.activeElement?.closest('table.arms') !== null;
  replaceChildren(
    root,
    help,
    h('h1', {}, s.name, ' ', h('span', { class: 'muted' }, s.file)),
    h('div', { class: `verdict ${style}`, role: 'status', 'data-verdict': s.verdict.kind },
      icon(codicon),
      h('div', {}, h('h2', {}, s.verdict.headline), ...s.interpretation.map((l) => h('p', {}, l)))),
    h('div', { class: 'toolbar' },
      s.canOpenAsText ? button('Open as Text', 'go-to-file', () => bridge.send({ type: 'openAsText' }), { secondary: true }) : null,
      s.error ? null : button('Attach to Incident', 'pin', () => bridge.send({ type: 'attachToIncident' }), { secondary: true }),
    ),
    h('h2', {}, `Issues (${s.issues.length})`),
    s.issues.length
      ? h('ul', { class: 'issues' }, ...s.issues.map((i) => h('li', { 'data-type': i.type }, h('span', { class: `sev-${i.severity}` }, icon(SEVERITY_ICON[i.severity], i.severity)), h('span', {}, i.message, i.where ? h('span', { class: 'muted' }, ` (${i.where})`) : null))))
      : h('p', { class: 'empty' }, 'No design or data problems found.'),
    s.arms.length ? h('section', {}, h('h2', {}, 'Arms'), tableWrap(armsTable(s), 'Arms')) : null,
    t
      ? h('section', {},
          h('h2', {}, `${t.treatment} vs ${t.control}`),
          h('table', {}, h('tbody', {},
            h('tr', {}, h('th', {}, 'Difference (absolute)'), h('td', { class: 'num' }, pp(t.diff)), h('td', { class: 'muted' }, `CI ${pp(t.ciLow)} to ${pp(t.ciHigh)} (unpooled SE)`)),
            h('tr', {}, h('th', {}, 'Relative lift'), h('td', { class: 'num' }, t.relativeLift === null ? '—' : signed(t.relativeLift)), h('td', { class: 'muted' }, t.relativeCiLow === null ? '' : `CI ${signed(t.relativeCiLow)} to ${signed(t.relativeCiHigh!)}`)),
            h('tr', {}, h('th', {}, 'z (pooled SE)'), h('td', { class: 'num' }, minus(t.z.toFixed(4))), h('td', {})),
            h('tr', {}, h('th', {}, 'p-value (two-sided)'), h('td', { class: 'num' }, t.pValueText), h('td', { class: 'muted' }, `${t.significant ? 'below' : 'not below'} α = ${t.alpha}`)),
            s.srm ? h('tr', {}, h('th', {}, 'Sample ratio (χ²)'), h('td', { class: 'num' }, s.srm.chi2.toFixed(3)), h('td', { class: s.srm.mismatch ? 'sev-error' : 'muted' }, s.srm.mismatch ? icon('error') : null, `${s.srm.mismatch ? ' ' : ''}p ${s.srm.pValueText}${s.srm.mismatch ? ' — mismatch (p < 0.001)' : ' — split as planned'}`)) : null,
          )))
      : null,
    s.forest.length ? h('section', {}, h('h2', {}, 'Lift with confidence intervals'), forestPlot(s)) : null,
    s.simpson.segmentDirections.length
      ? h('section', {},
          h('h2', {}, "Segments (Simpson's paradox check)"),
          tableWrap(h('table', {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Segment'), h('th', { scope: 'col' }, 'Direction'), h('th', { scope: 'col', class: 'num' }, 'Difference'), h('th', { scope: 'col', class: 'num' }, 'Control users (share)'), h('th', { scope: 'col', class: 'num' }, 'Treatment users (share)'))),
            h('tbody', {}, ...s.simpson.segmentDirections.map((d) => h('tr', {}, h('td', {}, d.name), h('td', {}, d.direction), h('td', { class: 'num' }, pp(d.diff)), h('td', { class: 'num' }, `${int(d.controlN)} (${pct(d.controlShare, 0)})`), h('td', { class: 'num' }, `${int(d.treatmentN)} (${pct(d.treatmentShare, 0)})`)))),
          ), 'Segments'),
          // The paradox itself is explained once, under Issues; here only what the table shows.
          h('p', { class: 'muted' }, s.simpson.detected ? `Pooled: ${s.simpson.overallDirection}. Per segment: ${s.simpson.segmentDirections[0]?.direction ?? ''} in every one (see Issues).` : 'Pooled and per-segment directions agree.'))
      : null,
    s.power
      ? h('section', {},
          h('h2', {}, 'Power'),
          h('p', {}, `To detect a ${pct(s.power.mde)} change (${s.power.mdeSource === 'planned' ? 'planned MDE' : 'the lift observed — no MDE was planned'}) from ${pct(s.power.baseline, 2)}: ${int(s.power.requiredPerArm)} users per arm for ${pct(s.power.target, 0)} power. This test has ${int(s.power.controlN)} and ${int(s.power.treatmentN)}: power ${pct(s.power.achieved)}.`),
          powerChart(s))
      : null,
    h('h2', {}, 'Sample-size calculator'),
    calculator(s),
  );
  if (hadFocus) document.querySelector<HTMLElement>('table.arms tr[aria-selected="true"]')?.focus();
}
