import type { WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h } from '../shared/dom';

/**
 * The other traces of the file, slowest first, as one control (a keyboard user passes it with one Tab,
 * not one per trace): choosing one opens it.
 */
export function traceList(s: WaterfallSnapshot, openTrace: (traceId: string) => void): HTMLElement {
  const select = h('select', { class: 'wf-trace-select', 'aria-label': `Trace (${s.traces.length} in this file, slowest first)` },
    ...s.traces.map((t) =>
      h('option', { value: t.traceId, selected: t.traceId === s.traceId },
        `${t.rootService}${t.rootService ? ' ' : ''}${t.rootOperation} — ${t.durationMs} ms, ${t.spans} span${t.spans === 1 ? '' : 's'}${t.errors ? `, ${t.errors} error${t.errors === 1 ? '' : 's'}` : ''} (${t.traceId.slice(0, 8)})`)),
  ) as HTMLSelectElement;
  select.addEventListener('change', () => openTrace(select.value));
  return h('label', { class: 'wf-trace-pick' }, 'Trace ', select);
}
