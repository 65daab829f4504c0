import type { IncidentOverviewIntent, IncidentOverviewSnapshot } from '../../src/protocol/incidentOverview';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';

const root = document.getElementById('app')!;

const bridge = connect<IncidentOverviewSnapshot, IncidentOverviewIntent>({ render });

function button(label: string, codicon: string, intent: IncidentOverviewIntent, secondary = false): HTMLElement {
  const b = h('vscode-button', { icon: codicon, secondary, onclick: () => bridge.send(intent) }, label);
  return b;
}

function render(s: IncidentOverviewSnapshot): void {
  root.removeAttribute('aria-busy');
  const i = s.incident;
  if (!i) {
    replaceChildren(
      root,
      h('h1', {}, s.id),
      h('div', { class: 'banner', role: 'alert' }, icon('error'),
        h('div', {},
          h('p', {}, 'This incident file cannot be shown. Incident Workbench will not change it until it is fixed.'),
          ...s.problems.map((p) =>
            h('p', {}, h('button', { class: 'link', onclick: () => bridge.send({ type: 'openIncidentFile', line: p.line, column: p.column }) }, `${p.line}:${p.column}`), ' ', p.message),
          ),
        ),
      ),
      button('Open as text', 'go-to-file', { type: 'openIncidentFile' }),
    );
    return;
  }
  replaceChildren(
    root,
    h('h1', {}, h('span', { class: 'muted' }, s.id), ' ', i.title),
    h('div', { class: 'meta' },
      h('span', { class: `severity severity-${i.severity}`, title: 'Severity' }, i.severity),
      h('span', { title: 'Status' }, icon('pulse'), ' ', i.status),
      h('span', {}, icon('person'), ' ', i.reportedBy),
      h('span', {}, icon('calendar'), ' ', i.reportedAt),
    ),
    h('div', { class: 'toolbar' },
      button('Open incident.json', 'go-to-file', { type: 'openIncidentFile' }),
      button('Reveal in Incidents', 'list-tree', { type: 'revealInTree' }, true),
    ),
    h('h2', {}, 'Description'),
    i.description ? h('p', { class: 'description' }, i.description) : h('p', { class: 'empty' }, 'No description yet.'),
    i.rootCause ? h('h2', {}, 'Root cause') : null,
    i.rootCause ? h('p', { class: 'description' }, i.rootCause) : null,
    h('h2', {}, `Evidence (${i.evidence.length})`),
    i.evidence.length === 0
      ? h('p', { class: 'empty' }, 'No evidence yet: profiles, error clusters, traces and logs attached to this incident appear here.')
      : h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Kind'), h('th', {}, 'File'), h('th', {}, 'Note'), h('th', {}, 'Added'))),
          h('tbody', {}, ...i.evidence.map((e) =>
            h('tr', {},
              h('td', {}, e.kind),
              h('td', {}, h('button', { class: 'link', onclick: () => bridge.send({ type: 'openEvidence', path: e.path }) }, e.path)),
              h('td', { class: 'text' }, e.note ?? ''),
              h('td', {}, e.at),
            ))),
        ),
    h('h2', {}, `Hypotheses (${i.hypotheses.length})`),
    i.hypotheses.length === 0
      ? h('p', { class: 'empty' }, 'No hypotheses yet.')
      : h('ul', {}, ...i.hypotheses.map((x) => h('li', {}, x.text, x.result ? h('span', { class: 'muted' }, ` — ${x.result}`) : null))),
    h('h2', {}, `Timeline (${i.events.length})`),
    h('table', { class: 'timeline' },
      h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Who'), h('th', {}, 'What'), h('th', {}, ''))),
      h('tbody', {}, ...i.events.map((e) => h('tr', {}, h('td', {}, e.at), h('td', {}, e.actor), h('td', {}, e.kind), h('td', { class: 'text' }, e.text)))),
    ),
  );
}
