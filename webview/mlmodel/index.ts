import { axisBottom, axisLeft, scaleLinear, select } from 'd3';
import type { MlModelErrorView, MlModelIntent, MlModelRateView, MlModelSnapshot } from '../../src/protocol/mlmodel';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren, tableWrap } from '../shared/dom';
import '../shared/elements';
import { button, int, loadDecisionsCss, pct } from '../shared/decisions';
import { keyboardHelp } from '../shared/help';

loadDecisionsCss();
const root = document.getElementById('app')!;
const help = keyboardHelp([
  ['Tab / Shift+Tab', 'next / previous link or button (an error’s id opens its line in the predictions file beside)'],
  ['Enter / Space', 'open the focused line, press the focused button'],
]);
const bridge = connect<MlModelSnapshot, MlModelIntent>({ render });
const th = (text: string, className?: string) => h('th', { scope: 'col', class: className }, text);

function errorTable(rows: MlModelErrorView[], total: number, label: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'empty' }, `No ${label}.`);
  return h('div', {},
    tableWrap(h('table', { 'aria-label': label },
      h('thead', {}, h('tr', {}, th('Confidence', 'num'), th('Id'), th('True'), th('Predicted'), th('Group'), th('Input'), th('Characteristics'))),
      h('tbody', {}, ...rows.map((e) =>
        h('tr', {},
          h('td', { class: 'num' }, e.confidence.toFixed(3)),
          h('td', {}, h('button', { class: 'link', type: 'button', title: `Open line ${e.line}`, onclick: () => bridge.send({ type: 'openLine', line: e.line }) }, e.id)),
          h('td', {}, e.trueLabel),
          h('td', {}, e.predictedLabel),
          h('td', {}, e.group ?? ''),
          h('td', { class: 'input-cell' }, e.input),
          h('td', {}, ...e.characteristics.map((c) => h('span', { class: 'tag' }, c))),
        )))), label),
    total > rows.length ? h('p', { class: 'muted' }, `${total - rows.length} more not shown.`) : null);
}

function rateTable(rows: MlModelRateView[], first: string): HTMLElement {
  return tableWrap(h('table', {},
    h('thead', {}, h('tr', {}, th(first), th('Inputs', 'num'), th('Errors', 'num'), th('Error rate', 'num'), th('95 % interval', 'num'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Compared with the rest')))),
    h('tbody', {}, ...rows.map((r) =>
      h('tr', {},
        h('td', {}, r.name),
        h('td', { class: 'num' }, int(r.count)),
        h('td', { class: 'num' }, int(r.errors)),
        h('td', { class: 'num' }, pct(r.errorRate)),
        h('td', { class: 'num' }, `${pct(r.ciLow)} – ${pct(r.ciHigh)}`),
        h('td', { class: r.significantlyWorse ? 'sev-warning' : 'muted' }, r.significantlyWorse ? icon('warning') : null, r.significantlyWorse ? ' significantly worse than the rest' : ''),
      )))), `Error rate by ${first.toLowerCase()}`);
}

/**
 * The robustness check's changed predictions, grouped by input: one row group per original input (its id
 * and text once), one row per variation that changed what the model said.
 */
function robustnessTable(inconsistent: Extract<MlModelSnapshot['robustness'], { state: 'done' }>['inconsistent']): HTMLElement {
  const groups = new Map<string, typeof inconsistent>();
  for (const i of inconsistent.slice(0, 200)) {
    const list = groups.get(i.id);
    if (list) list.push(i);
    else groups.set(i.id, [i]);
  }
  return tableWrap(h('table', { class: 'robustness' },
    h('thead', {}, h('tr', {}, th('Input'), th('Variation'), th('Varied input'), th('Prediction'))),
    ...[...groups.values()].map((list) =>
      h('tbody', {}, ...list.map((i, k) =>
        h('tr', {},
          k === 0 ? h('th', { scope: 'rowgroup', rowspan: list.length, class: 'input-cell' }, h('strong', {}, i.id), h('br'), i.input) : null,
          h('td', {}, i.variation),
          h('td', { class: 'input-cell' }, i.variedInput),
          h('td', { class: 'nowrap' }, `${i.originalLabel} → ${i.variedLabel}`)))))), 'Changed predictions');
}

function confusion(s: MlModelSnapshot): HTMLElement {
  const { labels, matrix } = s.confusion;
  const max = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => i !== j)));
  return h('table', { class: 'confusion', 'aria-label': 'Confusion matrix: rows are true labels, columns predicted labels' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'true ↓ / predicted →'), ...labels.map((l) => h('th', { scope: 'col', class: 'num' }, l)))),
    h('tbody', {}, ...matrix.map((row, i) =>
      h('tr', {}, h('th', { scope: 'row' }, labels[i]!), ...row.map((n, j) => {
        const level = i === j || n === 0 ? 0 : Math.min(4, Math.ceil((n / max) * 4));
        return h('td', { class: `heat ${i === j ? 'heat-diag' : `heat-${level}`}` }, int(n));
      })))));
}

function reliability(s: MlModelSnapshot): SVGSVGElement | null {
  const bins = s.calibration.bins;
  if (!bins.length) return null;
  const size = 320;
  const m = { top: 10, right: 10, bottom: 40, left: 46 };
  const x = scaleLinear().domain([0, 1]).range([m.left, size - m.right]);
  const y = scaleLinear().domain([0, 1]).range([size - m.bottom, m.top]);
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'chart reliability')
    .attr('viewBox', `0 0 ${size} ${size}`)
    .attr('width', size)
    .attr('role', 'img')
    .attr('aria-label', 'Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration');
  for (const b of bins) {
    const x0 = x(b.low) + 1;
    const w = x(b.high) - x(b.low) - 2;
    svg.append('rect').attr('class', 'bar').attr('x', x0).attr('width', w).attr('y', y(b.accuracy)).attr('height', y(0) - y(b.accuracy)).append('title').text(`(${b.low.toFixed(1)}, ${b.high.toFixed(1)}]: ${b.count} predictions, accuracy ${pct(b.accuracy)}, mean confidence ${pct(b.confidence)}`);
    const top = Math.max(b.accuracy, b.confidence);
    const bottom = Math.min(b.accuracy, b.confidence);
    svg.append('rect').attr('class', 'gap').attr('x', x0).attr('width', w).attr('y', y(top)).attr('height', y(bottom) - y(top));
  }
  svg.append('line').attr('class', 'diagonal').attr('x1', x(0)).attr('y1', y(0)).attr('x2', x(1)).attr('y2', y(1));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${size - m.bottom})`).call(axisBottom(x).ticks(5));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(axisLeft(y).ticks(5));
  svg.append('text').attr('x', (m.left + size - m.right) / 2).attr('y', size - 6).attr('text-anchor', 'middle').text('confidence');
  svg.append('text').attr('transform', `translate(12,${(m.top + size - m.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('accuracy');
  return svg.node();
}

function robustness(s: MlModelSnapshot): HTMLElement {
  const r = s.robustness;
  const run = (label: string, disabled = false) => button(label, 'beaker', () => bridge.send({ type: 'runRobustness' }), { disabled });
  switch (r.state) {
    case 'unconfigured':
    case 'untrusted':
      return h('div', {}, h('p', { class: 'muted' }, icon(r.state === 'untrusted' ? 'lock' : 'info'), ' ', r.message), button('Model Settings…', 'settings-gear', () => bridge.send({ type: 'openSettings' }), { secondary: true }));
    case 'ready':
      return h('div', {}, h('p', {}, `Sends case-change, whitespace and typo variations of up to 50 inputs (high-confidence errors first) to ${r.predictor}.`), run('Test Robustness'));
    case 'running':
      return h('div', {}, h('p', {}, icon('loading'), ` Asking ${r.predictor}…`), run('Test Robustness', true));
    case 'failed':
      return h('div', {}, h('p', { class: 'sev-error' }, icon('error'), ` ${r.message}`), run('Try Again'));
    case 'done':
      return h('div', {},
        h('p', {}, `${r.inconsistent.length} of ${r.checks} variations changed the prediction (${pct(r.consistency)} consistent over ${r.tested} inputs). `, ...r.byVariation.map((v) => h('span', { class: 'tag' }, `${v.variation}: ${v.flips}/${v.checks}`))),
        r.inconsistent.length ? robustnessTable(r.inconsistent) : h('p', { class: 'status-pass' }, icon('pass'), ' Every variation kept its prediction.'),
        run('Run Again'));
  }
}

function render(s: MlModelSnapshot): void {
  root.removeAttribute('aria-busy');
  if (s.error) {
    replaceChildren(root, h('h1', {}, 'Model predictions ', h('span', { class: 'muted' }, s.file)), h('div', { class: 'banner', role: 'alert' }, icon('error'), h('p', {}, s.error)));
    return;
  }
  replaceChildren(
    root,
    help,
    h('h1', {}, 'Model predictions ', h('span', { class: 'muted' }, s.file)),
    h('div', { class: `verdict ${s.highConfidenceErrorCount ? 'bad' : 'neutral'}`, role: 'status' }, icon(s.highConfidenceErrorCount ? 'flame' : 'info'), h('div', {}, h('h2', {}, `${int(s.errors)} of ${int(s.total)} wrong (${pct(s.errorRate)})`), ...s.summary.slice(1).map((l) => h('p', {}, l)))),
    h('h2', {}, `High-confidence errors (> 0.9): ${s.highConfidenceErrorCount}`),
    errorTable(s.highConfidenceErrors, s.highConfidenceErrorCount, 'high-confidence errors'),
    h('h2', {}, `Low-confidence errors (< 0.6): ${s.lowConfidenceErrorCount}`),
    errorTable(s.lowConfidenceErrors, s.lowConfidenceErrorCount, 'low-confidence errors'),
    h('div', { class: 'two-col' },
      h('section', {}, h('h2', {}, 'Confusion matrix'), confusion(s)),
      h('section', {}, h('h2', {}, `Calibration (ECE ${s.calibration.ece === null ? '—' : s.calibration.ece.toFixed(3)})`), reliability(s) ?? h('p', { class: 'empty' }, 'No confidences to calibrate.'), h('p', { class: 'muted' }, `${int(s.calibration.counted)} predictions in 10 equal-width bins; bars are accuracy, shaded the gap to confidence; the dashed diagonal is perfect calibration.`))),
    h('h2', {}, 'Error rate by input characteristic'),
    s.byCharacteristic.length ? rateTable(s.byCharacteristic, 'Characteristic') : h('p', { class: 'empty' }, 'No text inputs.'),
    h('h2', {}, 'Error rate by group'),
    s.byGroup.length ? rateTable(s.byGroup, 'Group') : h('p', { class: 'empty' }, 'No "group" field in the predictions.'),
    s.inputValidation.length ? h('section', {}, h('h2', {}, 'Input validation'), h('ul', {}, ...s.inputValidation.map((v) => h('li', {}, `${v.count} × ${v.type}: ${v.message} `, h('span', { class: 'muted' }, `e.g. ${v.examples.join(', ')}`))))) : null,
    h('h2', {}, 'Robustness'),
    robustness(s),
    s.issues.length ? h('section', {}, h('h2', {}, `File issues (${s.issues.length})`), h('ul', { class: 'issues' }, ...s.issues.map((i) => h('li', {}, h('span', { class: `sev-${i.severity}` }, icon(i.severity === 'error' ? 'error' : i.severity === 'warning' ? 'warning' : 'info')), i.line ? h('button', { class: 'link', onclick: () => bridge.send({ type: 'openLine', line: i.line! }) }, `line ${i.line}`) : null, ` ${i.message}`)))) : null,
  );
}
