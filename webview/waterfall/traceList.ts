import type { WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h } from '../shared/dom';

/** The other traces of the file, slowest first; a click on a root operation opens that trace. */
export function traceList(s: WaterfallSnapshot, openTrace: (traceId: string) => void): HTMLElement {
  return h('details', { class: 'wf-traces', open: true },
    h('summary', {}, `${s.traces.length} traces in this file (slowest first)`),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Root operation'), h('th', {}, 'Duration'), h('th', {}, 'Spans'), h('th', {}, 'Errors'), h('th', {}, 'Trace id'))),
      h('tbody', {}, ...s.traces.map((t) =>
        h('tr', { class: t.traceId === s.traceId ? 'current' : '' },
          h('td', {}, t.rootService),
          h('td', {}, h('button', { class: 'link', onclick: () => openTrace(t.traceId) }, t.rootOperation)),
          h('td', {}, `${t.durationMs} ms`),
          h('td', {}, t.spans),
          h('td', { class: t.errors ? 'wf-err' : '' }, t.errors),
          h('td', { class: 'mono' }, t.traceId),
        ))),
    ),
  );
}
