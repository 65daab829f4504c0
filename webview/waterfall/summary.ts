import { formatDuration } from '../../src/core/traces/waterfallView';
import type { WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h, icon, tableWrap } from '../shared/dom';

/**
 * What the trace is at a glance, above the rows (kept short: the rows fill the editor under it): id,
 * duration, services, errors and the slowest span. `select` reveals a row.
 */
export function traceHeader(s: WaterfallSnapshot, select: (row: number) => void, extra: HTMLElement[]): HTMLElement {
  const sum = s.summary!;
  const slow = sum.slowest;
  return h('header', { class: 'wf-header' },
    ...extra,
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
          h('button', { class: 'link', type: 'button', onclick: () => select(slow.row) }, `${slow.service} ${slow.operation}`),
          ` — ${slow.durationMs} ms, ${slow.percentage}% of the request (${slow.criticalMs} ms on the critical path)`,
        )
      : null,
  );
}

/**
 * The trace's findings for the side pane: the critical path, N+1 queries and notes about the file.
 * `select` reveals a row.
 */
export function traceFindings(s: WaterfallSnapshot, select: (row: number) => void): HTMLElement {
  const sum = s.summary!;
  return h('section', { class: 'wf-findings', 'aria-label': 'Trace findings' },
    h('p', { 'data-testid': 'critical' }, h('span', { class: 'wf-critical-key', 'aria-hidden': 'true' }), ` Critical path: ${sum.criticalSpans} span${sum.criticalSpans === 1 ? '' : 's'} (thick line on the bars)`),
    ...sum.nPlusOne.slice(0, 5).map((p) =>
      h('p', { class: 'wf-warn' }, icon('warning'), ` N+1: ${p.count} × `, h('code', {}, p.statement), ` under `, h('button', { class: 'link', type: 'button', onclick: () => select(p.parentRow) }, p.parentOperation), ` (${p.totalMs} ms, ${p.percentOfParent}% of it)`),
    ),
    sum.nPlusOne.length > 5 ? h('p', { class: 'wf-warn' }, icon('warning'), ` … and ${sum.nPlusOne.length - 5} more N+1 patterns (see the database table below).`) : null,
    sum.problems.length ? h('details', { class: 'wf-problems' }, h('summary', {}, icon('warning'), ` ${sum.problems.length} note${sum.problems.length === 1 ? '' : 's'} about this file`), h('ul', {}, ...sum.problems.map((p) => h('li', {}, p)))) : null,
  );
}

/** Time by service and operation, and database statements, at the end of the side pane. */
export function summaryTables(s: WaterfallSnapshot): HTMLElement {
  const sum = s.summary!;
  const th = (text: string, num = false) => h('th', { scope: 'col', class: num ? 'num' : undefined }, text);
  return h('section', { 'aria-label': 'Trace statistics' },
    h('h2', {}, 'Time by service and operation'),
    tableWrap(h('table', {},
      h('thead', {}, h('tr', {}, th('Service'), th('Operation'), th('Count', true), th('Total', true), th('Avg', true), th('Max', true), th('Self', true), th('Self % of trace', true))),
      h('tbody', {}, ...sum.statistics.map((r) => h('tr', {}, h('td', {}, r.service), h('td', {}, r.operation), h('td', { class: 'num' }, r.count), h('td', { class: 'num' }, `${r.totalMs} ms`), h('td', { class: 'num' }, `${r.avgMs} ms`), h('td', { class: 'num' }, `${r.maxMs} ms`), h('td', { class: 'num' }, `${r.selfMs} ms`), h('td', { class: 'num' }, `${r.selfPercent} %`)))),
    ), 'Time by service and operation'),
    h('h2', {}, `Database queries by statement (${sum.slowQueries.length})`),
    sum.slowQueries.length
      ? tableWrap(h('table', {},
          h('thead', {}, h('tr', {}, th('Statement'), th('Count', true), th('Mean', true), th('p95', true), th('Max', true))),
          h('tbody', {}, ...sum.slowQueries.map((q) => h('tr', {}, h('td', { class: 'mono text' }, q.statement), h('td', { class: 'num' }, q.count), h('td', { class: 'num' }, `${q.meanMs} ms`), h('td', { class: 'num' }, `${q.p95Ms} ms`), h('td', { class: 'num' }, `${q.maxMs} ms`)))),
        ), 'Database queries')
      : h('p', { class: 'empty' }, 'No database spans (db.statement / db.query.text).'),
  );
}
