import { formatDuration } from '../../src/core/traces/waterfallView';
import type { WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h, icon } from '../shared/dom';

/**
 * What the trace is at a glance, above the rows: id, duration, services, errors, the slowest span, the
 * critical path, N+1 queries and notes about the file. `select` reveals a row.
 */
export function traceHeader(s: WaterfallSnapshot, select: (row: number) => void): HTMLElement {
  const sum = s.summary!;
  const slow = sum.slowest;
  return h('header', { class: 'wf-header' },
    h('h1', {}, 'Trace ', h('span', { class: 'mono' }, s.traceId ?? '')),
    h('div', { class: 'meta' },
      h('span', { title: 'Duration' }, icon('watch'), ' ', formatDuration(s.durationUs ?? 0)),
      h('span', {}, icon('list-tree'), ` ${sum.spanCount} spans`),
      h('span', {}, icon('server'), ` ${s.services!.filter((x) => x).join(', ')}`),
      sum.errorCount ? h('span', { class: 'wf-err' }, icon('error'), ` ${sum.errorCount} error${sum.errorCount === 1 ? '' : 's'}`) : null,
      h('span', { class: 'muted' }, `${s.file} (${s.format})`),
    ),
    slow
      ? h('p', { class: 'wf-slowest', 'data-testid': 'slowest' },
          h('strong', {}, 'Slowest span: '),
          h('button', { class: 'link', onclick: () => select(slow.row) }, `${slow.service} ${slow.operation}`),
          ` — ${slow.durationMs} ms, ${slow.percentage}% of the request (${slow.criticalMs} ms on the critical path)`,
        )
      : null,
    h('p', { 'data-testid': 'critical' }, h('span', { class: 'wf-critical-key' }), ` Critical path: ${sum.criticalSpans} span${sum.criticalSpans === 1 ? '' : 's'} (thick line on the bars)`),
    ...sum.nPlusOne.slice(0, 5).map((p) =>
      h('p', { class: 'wf-warn' }, icon('warning'), ` N+1: ${p.count} × `, h('code', {}, p.statement), ` under `, h('button', { class: 'link', onclick: () => select(p.parentRow) }, p.parentOperation), ` (${p.totalMs} ms, ${p.percentOfParent}% of it)`),
    ),
    sum.nPlusOne.length > 5 ? h('p', { class: 'wf-warn' }, `… and ${sum.nPlusOne.length - 5} more N+1 patterns (see the database table below).`) : null,
    sum.problems.length ? h('details', { class: 'wf-problems' }, h('summary', {}, icon('warning'), ` ${sum.problems.length} note${sum.problems.length === 1 ? '' : 's'} about this file`), h('ul', {}, ...sum.problems.map((p) => h('li', {}, p)))) : null,
  );
}

/** Time by service and operation, and database statements, under everything else. */
export function summaryTables(s: WaterfallSnapshot): HTMLElement {
  const sum = s.summary!;
  return h('section', {},
    h('h2', {}, 'Time by service and operation'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Operation'), h('th', {}, 'Count'), h('th', {}, 'Total'), h('th', {}, 'Avg'), h('th', {}, 'Max'), h('th', {}, 'Self'), h('th', {}, 'Self % of trace'))),
      h('tbody', {}, ...sum.statistics.map((r) => h('tr', {}, h('td', {}, r.service), h('td', {}, r.operation), h('td', {}, r.count), h('td', {}, `${r.totalMs} ms`), h('td', {}, `${r.avgMs} ms`), h('td', {}, `${r.maxMs} ms`), h('td', {}, `${r.selfMs} ms`), h('td', {}, `${r.selfPercent}%`)))),
    ),
    h('h2', {}, `Database queries by statement (${sum.slowQueries.length})`),
    sum.slowQueries.length
      ? h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Statement'), h('th', {}, 'Count'), h('th', {}, 'Mean'), h('th', {}, 'p95'), h('th', {}, 'Max'))),
          h('tbody', {}, ...sum.slowQueries.map((q) => h('tr', {}, h('td', { class: 'mono text' }, q.statement), h('td', {}, q.count), h('td', {}, `${q.meanMs} ms`), h('td', {}, `${q.p95Ms} ms`), h('td', {}, `${q.maxMs} ms`)))),
        )
      : h('p', { class: 'empty' }, 'No database spans (db.statement / db.query.text).'),
  );
}
