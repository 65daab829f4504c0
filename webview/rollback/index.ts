import type { RollbackIntent, RollbackSnapshot } from '../../src/protocol/rollback';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren, tableWrap } from '../shared/dom';
import '../shared/elements';
import { button, loadDecisionsCss, pct } from '../shared/decisions';
import { minus, timeElement } from '../shared/format';
import { keyboardHelp } from '../shared/help';

loadDecisionsCss();
const root = document.getElementById('app')!;
const help = keyboardHelp([
  ['Tab / Shift+Tab', 'next / previous button or file link'],
  ['Enter / Space', 'press the focused button (Roll Back… asks before it runs anything)'],
]);
const bridge = connect<RollbackSnapshot, RollbackIntent>({ render });

/** The verdict's headline says the decision once, in words (the data attribute keeps its code). */
const DECISION_STYLE = { PROCEED: ['good', 'pass', 'Safe to proceed'], HOLD: ['warn', 'warning', 'Hold: investigate and monitor'], ROLLBACK: ['bad', 'error', 'Roll back the new version'] } as const;

/** What the score is made of, in words: it is Kayenta's share of passing metrics, not the decision. */
function scoreLine(s: RollbackSnapshot): string {
  const judged = s.metrics.filter((m) => m.status === 'pass' || m.status === 'fail' || m.status === 'warn');
  const passing = judged.filter((m) => m.status === 'pass').length;
  const criticalFails = s.metrics.filter((m) => m.critical && m.status === 'fail').map((m) => m.label);
  return `Canary score ${s.score} of 100: ${passing} of ${judged.length} judged metric${judged.length === 1 ? '' : 's'} pass${criticalFails.length ? `, and a failing critical metric (${criticalFails.join(', ')}) sets the score to 0` : ''}. The score weighs every judged metric alike; the decision above comes from the thresholds and the critical metrics.`;
}
const STATUS_ICON: Record<RollbackSnapshot['metrics'][number]['status'], string> = { pass: 'pass', fail: 'error', warn: 'warning', insufficient: 'watch', nodata: 'circle-slash', unmeasured: 'dash' };

function render(s: RollbackSnapshot): void {
  root.removeAttribute('aria-busy');
  const style = s.decision ? DECISION_STYLE[s.decision] : (['bad', 'error', 'No decision'] as const);
  replaceChildren(
    root,
    help,
    h('h1', {}, 'Rollback judgement'),
    h('p', { class: 'meta' },
      h('span', {}, 'baseline ', h('button', { class: 'link', onclick: () => bridge.send({ type: 'openFile', which: 'baseline' }) }, s.baselineFile), s.baselineLabel ? h('span', { class: 'muted' }, ` (${s.baselineLabel})`) : null),
      h('span', {}, 'current ', h('button', { class: 'link', onclick: () => bridge.send({ type: 'openFile', which: 'current' }) }, s.currentFile), s.currentLabel ? h('span', { class: 'muted' }, ` (${s.currentLabel})`) : null)),
    h('div', { class: `verdict ${style[0]}`, role: 'status', 'data-decision': s.decision ?? 'none' },
      icon(style[1]),
      h('div', {},
        h('h2', {}, style[2]),
        s.error ? h('p', {}, s.error) : h('p', {}, s.reasoning ?? ''),
        s.score !== undefined ? h('p', { 'data-testid': 'score' }, scoreLine(s)) : null)),
    h('div', { class: 'toolbar' },
      button('Roll Back…', 'history', () => bridge.send({ type: 'rollBack' }), {
        secondary: s.decision !== 'ROLLBACK',
        disabled: !s.rollback.available || !s.decision,
        title: s.rollback.available ? `Writes an evidence snapshot into ${s.rollback.incidentId ?? 'an incident'}, asks, then runs: ${s.rollback.command}` : s.rollback.reason,
      }),
      button('Judge Again', 'refresh', () => bridge.send({ type: 'refresh' }), { secondary: true }),
      button('Thresholds and Command…', 'settings-gear', () => bridge.send({ type: 'openSettings' }), { secondary: true }),
    ),
    s.rollback.available
      ? h('p', { class: 'muted' }, `Roll Back runs "${s.rollback.command}" as a task after saving the evidence into ${s.rollback.incidentId ?? 'the incident you pick'} and asking you.`)
      : h('p', { class: 'muted' }, icon('lock'), ' ', s.rollback.reason ?? ''),
    s.lastRun
      ? h('p', { class: s.lastRun.exitCode === 0 ? 'status-pass' : 'status-warn' }, icon(s.lastRun.exitCode === 0 ? 'pass' : 'warning'), ' Last run ', timeElement(s.lastRun.at), `: ${s.lastRun.status}${s.lastRun.exitCode === null ? '' : ` (exit ${s.lastRun.exitCode})`}; evidence ${s.lastRun.incidentId}/${s.lastRun.evidencePath}`)
      : null,
    h('h2', {}, 'Metrics'),
    s.metrics.length
      ? tableWrap(h('table', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col', class: 'num' }, 'Baseline'), h('th', { scope: 'col', class: 'num' }, 'Current'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Severity'), h('th', { scope: 'col', class: 'num', title: 'p-value of the one-sided test' }, 'p'), h('th', { scope: 'col' }, 'Why'))),
          h('tbody', {}, ...s.metrics.map((m) =>
            h('tr', { 'data-metric': m.metric },
              h('td', {}, m.label, m.critical ? h('span', { class: 'tag', title: 'A failure of this metric alone means roll back' }, 'critical') : null),
              h('td', { class: 'num' }, minus(m.baselineText)),
              h('td', { class: 'num' }, minus(m.currentText)),
              h('td', { class: `status-${m.status}` }, icon(STATUS_ICON[m.status]), ' ', m.status),
              h('td', {}, m.severity),
              h('td', { class: 'num', title: m.test }, m.pValueText),
              h('td', { class: 'text' }, m.reason),
            )))), 'Metrics')
      : h('p', { class: 'empty' }, 'No metrics to judge.'),
    s.thresholds
      ? h('p', { class: 'muted' }, `Thresholds: error rate ${pct(s.thresholds.errorRate, 0)}, p95 latency +${pct(s.thresholds.latencyIncrease, 0)}, success-rate drop ${pct(s.thresholds.successRateDrop, 0)}; critical: ${s.thresholds.critical.join(', ') || 'none'}. A metric fails only when the change is significant (one-sided, α 0.01) and past its margin.`)
      : null,
    s.notes.length ? h('section', {}, h('h2', {}, 'Notes'), h('ul', {}, ...s.notes.map((n) => h('li', {}, n)))) : null,
  );
}
