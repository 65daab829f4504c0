import type { RollbackIntent, RollbackSnapshot } from '../../src/protocol/rollback';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';
import { button, loadDecisionsCss, pct } from '../shared/decisions';

loadDecisionsCss();
const root = document.getElementById('app')!;
const bridge = connect<RollbackSnapshot, RollbackIntent>({ render });

const DECISION_STYLE = { PROCEED: ['good', 'pass', 'Safe to proceed'], HOLD: ['warn', 'warning', 'Hold: investigate and monitor'], ROLLBACK: ['bad', 'error', 'Roll back'] } as const;
const STATUS_ICON: Record<RollbackSnapshot['metrics'][number]['status'], string> = { pass: 'pass', fail: 'error', warn: 'warning', insufficient: 'watch', nodata: 'circle-slash', unmeasured: 'dash' };

function render(s: RollbackSnapshot): void {
  root.removeAttribute('aria-busy');
  const style = s.decision ? DECISION_STYLE[s.decision] : (['bad', 'error', 'No decision'] as const);
  replaceChildren(
    root,
    h('h1', {}, 'Rollback judgement'),
    h('p', { class: 'meta' },
      h('span', {}, 'baseline ', h('button', { class: 'link', onclick: () => bridge.send({ type: 'openFile', which: 'baseline' }) }, s.baselineFile), s.baselineLabel ? h('span', { class: 'muted' }, ` (${s.baselineLabel})`) : null),
      h('span', {}, 'current ', h('button', { class: 'link', onclick: () => bridge.send({ type: 'openFile', which: 'current' }) }, s.currentFile), s.currentLabel ? h('span', { class: 'muted' }, ` (${s.currentLabel})`) : null)),
    h('div', { class: `verdict ${style[0]}`, role: 'status', 'data-decision': s.decision ?? 'none' },
      icon(style[1]),
      h('div', {},
        h('h2', {}, s.decision ? `${s.decision} — ${style[2]}` : 'No decision'),
        s.error ? h('p', {}, s.error) : h('p', {}, s.reasoning ?? ''),
        s.score !== undefined ? h('p', { class: 'muted' }, `Score ${s.score}/100 (share of judged metrics that pass; 0 when a critical metric fails).`) : null)),
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
      ? h('p', { class: s.lastRun.exitCode === 0 ? 'status-pass' : 'status-warn' }, `Last run ${s.lastRun.at}: ${s.lastRun.status}${s.lastRun.exitCode === null ? '' : ` (exit ${s.lastRun.exitCode})`}; evidence ${s.lastRun.incidentId}/${s.lastRun.evidencePath}`)
      : null,
    h('h2', {}, 'Metrics'),
    s.metrics.length
      ? h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Metric'), h('th', { class: 'num' }, 'Baseline'), h('th', { class: 'num' }, 'Current'), h('th', {}, 'Status'), h('th', {}, 'Severity'), h('th', { class: 'num' }, 'p'), h('th', {}, 'Why'))),
          h('tbody', {}, ...s.metrics.map((m) =>
            h('tr', { 'data-metric': m.metric },
              h('td', {}, m.label, m.critical ? h('span', { class: 'tag', title: 'A failure of this metric alone means roll back' }, 'critical') : null),
              h('td', { class: 'num' }, m.baselineText),
              h('td', { class: 'num' }, m.currentText),
              h('td', { class: `status-${m.status}` }, icon(STATUS_ICON[m.status]), ' ', m.status),
              h('td', {}, m.severity),
              h('td', { class: 'num', title: m.test }, m.pValueText),
              h('td', { class: 'text' }, m.reason),
            ))))
      : h('p', { class: 'empty' }, 'No metrics to judge.'),
    s.thresholds
      ? h('p', { class: 'muted' }, `Thresholds: error rate ${pct(s.thresholds.errorRate, 0)}, p95 latency +${pct(s.thresholds.latencyIncrease, 0)}, success-rate drop ${pct(s.thresholds.successRateDrop, 0)}; critical: ${s.thresholds.critical.join(', ') || 'none'}. A metric fails only when the change is significant (one-sided, α 0.01) and past its margin.`)
      : null,
    s.notes.length ? h('section', {}, h('h2', {}, 'Notes'), h('ul', {}, ...s.notes.map((n) => h('li', {}, n)))) : null,
  );
}
