import type { SpanDetail, WaterfallLog, WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h, icon, replaceChildren } from '../shared/dom';
import { minus } from '../shared/format';

/**
 * The selected span's attributes, events, links and resource (the host sends them as `spanDetail` when a
 * span is selected), and the logs of that span or of the whole trace. It sits in the pane beside (or
 * under) the rows and follows the selection; it is not a live region: the rows announce the span's name
 * and duration, and this pane is read when the user goes to it.
 */
export class DetailPane {
  readonly element = h('section', { class: 'wf-detail', 'aria-label': 'Selected span' });
  detail: SpanDetail | undefined;
  private showTraceLogs = false;

  constructor(
    private readonly snapshot: () => WaterfallSnapshot | undefined,
    private readonly openCode: (row: number) => void,
  ) {}

  show(detail: SpanDetail | undefined): void {
    this.detail = detail;
    this.render();
  }

  render(): void {
    const s = this.snapshot();
    if (!s?.rows) return;
    const detail = this.detail;
    const logsSource = s.logs.source ? `from ${s.logs.source}` : '';
    const logsHeader = h('h2', {}, this.showTraceLogs || !detail ? `Logs of the trace (${s.logs.count}) ${logsSource}` : `Logs of ${detail.name} (${detail.logs.length}) ${logsSource}`);
    const toggleLogs = h(
      'button',
      {
        class: 'link',
        onclick: () => {
          this.showTraceLogs = !this.showTraceLogs;
          this.render();
        },
      },
      this.showTraceLogs ? 'Show the selected span’s logs' : 'Show the whole trace’s logs',
    );
    const logs = !s.logs.source
      ? h('p', { class: 'empty' }, 'No logs loaded. Load Logs… reads JSON Lines with trace_id/span_id (the Errors view’s field mapping) or OTLP logs.')
      : logTable(this.showTraceLogs || !detail ? s.logs.all : detail.logs);
    if (!detail) {
      replaceChildren(this.element, h('h2', {}, 'Span'), h('p', { class: 'empty' }, 'Select a span (click, or arrow keys) to see its attributes, events and logs.'), logsHeader, logs);
      return;
    }
    const d = detail;
    replaceChildren(
      this.element,
      h('h2', {}, `${d.service}: ${d.name}`),
      h('div', { class: 'meta' },
        h('span', {}, `${d.kind}`),
        h('span', { class: d.status === 'ERROR' ? 'wf-err' : '' }, d.status === 'ERROR' ? icon('error') : null, `${d.status === 'ERROR' ? ' ' : ''}status ${d.status}${d.statusMessage ? `: ${d.statusMessage}` : ''}`),
        h('span', {}, minus(`starts +${d.startOffsetMs.toFixed(3)} ms`.replace('+-', '-'))),
        h('span', {}, `duration ${d.durationMs.toFixed(3)} ms`),
        h('span', {}, `self ${d.selfMs.toFixed(3)} ms`),
        d.criticalMs > 0 ? h('span', {}, `critical ${d.criticalMs.toFixed(3)} ms`) : null,
        h('span', { class: 'mono muted' }, d.spanId),
      ),
      d.code ? h('p', {}, icon('code'), ' ', h('button', { class: 'link', 'data-testid': 'open-code', onclick: () => this.openCode(d.row) }, `${d.code.file}${d.code.line ? `:${d.code.line}` : ''}`)) : null,
      h('h3', {}, `Attributes (${d.attributes.length})`),
      kv(d.attributes),
      d.events.length ? h('h3', {}, `Events (${d.events.length})`) : null,
      ...d.events.map((e) => h('div', { class: 'wf-event' }, h('strong', {}, `+${e.offsetMs.toFixed(3)} ms ${e.name}`), kv(e.attributes))),
      d.links.length ? h('h3', {}, 'Links') : null,
      d.links.length ? h('ul', {}, ...d.links.map((l) => h('li', { class: 'mono' }, `${l.traceId} / ${l.spanId}`))) : null,
      d.resource.length ? h('details', {}, h('summary', {}, `Resource (${d.resource.length})`), kv(d.resource)) : null,
      logsHeader,
      toggleLogs,
      logs,
    );
  }
}

export function logTable(logs: WaterfallLog[]): HTMLElement {
  if (!logs.length) return h('p', { class: 'empty' }, 'No logs.');
  return h('table', { class: 'wf-logs' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', title: 'Milliseconds after the trace start' }, '+ms'), h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Service'), h('th', { scope: 'col' }, 'Message'), h('th', { scope: 'col' }, 'Source'))),
    h('tbody', {}, ...logs.slice(0, 1000).map((l) =>
      h('tr', { class: /ERR|CRIT|FATAL/.test(l.level) ? 'wf-err' : '' },
        h('td', { class: 'mono num' }, l.offsetMs === null ? '' : minus(l.offsetMs.toFixed(1))),
        h('td', { class: 'nowrap' }, /ERR|CRIT|FATAL/.test(l.level) ? icon('error') : null, /ERR|CRIT|FATAL/.test(l.level) ? ' ' : '', l.level),
        h('td', {}, l.service),
        h('td', { class: 'text' }, l.message),
        h('td', { class: 'muted' }, l.source),
      ))),
  );
}

export function kv(pairs: [string, string][]): HTMLElement {
  return h('table', { class: 'wf-kv' }, h('tbody', {}, ...pairs.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'text' }, v)))));
}
