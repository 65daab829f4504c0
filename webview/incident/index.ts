import type { IncidentOverviewIntent, IncidentOverviewSnapshot } from '../../src/protocol/incidentOverview';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren, tableWrap } from '../shared/dom';
import '../shared/elements';
import { timeElement } from '../shared/format';
import { keyboardHelp } from '../shared/help';

/**
 * The incident at a glance, in the order of the method: what happened, reproduction, evidence, hypotheses,
 * root cause, fix, verification, prevention, post-mortem, and the timeline. Times read as short UTC with
 * the full ISO value in their tooltip; tables scroll sideways in a narrow editor group.
 */
const root = document.getElementById('app')!;
const help = keyboardHelp([
  ['Tab / Shift+Tab', 'next / previous link or button (evidence files, the post-mortem, incident.json)'],
  ['Enter / Space', 'open the focused link, press the focused button'],
]);

const bridge = connect<IncidentOverviewSnapshot, IncidentOverviewIntent>({ render });

function button(label: string, codicon: string, intent: IncidentOverviewIntent, secondary = false): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary, onclick: () => bridge.send(intent) }, label);
}

const notYet = (what: string) => h('p', { class: 'empty' }, what);
const th = (text: string, className?: string) => h('th', { scope: 'col', class: className }, text);

function render(s: IncidentOverviewSnapshot): void {
  root.removeAttribute('aria-busy');
  const i = s.incident;
  if (!i) {
    replaceChildren(
      root,
      help,
      h('h1', {}, s.id),
      h('div', { class: 'banner', role: 'alert' }, icon('error'),
        h('div', {},
          h('p', {}, 'This incident file cannot be shown. Incident Workbench will not change it until it is fixed.'),
          ...s.problems.map((p) =>
            h('p', {}, h('button', { class: 'link', type: 'button', onclick: () => bridge.send({ type: 'openIncidentFile', line: p.line, column: p.column }) }, `${p.line}:${p.column}`), ' ', p.message),
          ),
        ),
      ),
      button('Open as text', 'go-to-file', { type: 'openIncidentFile' }),
    );
    return;
  }
  const r = i.reproduction;
  const pm = s.postmortem;
  replaceChildren(
    root,
    help,
    h('h1', {}, h('span', { class: 'muted' }, s.id), ' ', i.title),
    h('div', { class: 'meta' },
      h('span', { class: `severity severity-${i.severity}`, title: 'Severity' }, i.severity),
      h('span', { title: 'Status' }, icon('pulse'), ' ', i.status),
      h('span', { title: 'Reported by' }, icon('person'), ' ', i.reportedBy),
      h('span', { title: 'Reported at' }, icon('calendar'), ' ', timeElement(i.reportedAt)),
    ),
    h('div', { class: 'toolbar' },
      button('Open incident.json', 'go-to-file', { type: 'openIncidentFile' }),
      button(pm.exists ? 'Open Post-Mortem' : 'Write Post-Mortem', 'book', { type: 'openPostmortem' }, true),
      button('Reveal in Incidents', 'list-tree', { type: 'revealInTree' }, true),
    ),
    h('h2', {}, 'Description'),
    i.description ? h('p', { class: 'description' }, i.description) : notYet('No description yet.'),

    h('h2', {}, 'Reproduction', r.rate !== undefined ? h('span', { class: 'muted' }, ` — reproduced ${Math.round(r.rate * 100)} % of ${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'}`) : null),
    r.steps.length ? h('ol', { class: 'steps' }, ...r.steps.map((step) => h('li', { class: 'text' }, step))) : notYet('No reproduction steps yet.'),
    r.attempts.length
      ? tableWrap(h('table', { class: 'attempts' },
          h('thead', {}, h('tr', {}, th('When', 'when'), th('Result'), th('Note'))),
          h('tbody', {}, ...r.attempts.map((a) => h('tr', {},
            h('td', { class: 'when' }, timeElement(a.at)),
            h('td', { class: 'nowrap' }, icon(a.reproduced ? 'check' : 'circle-slash'), a.reproduced ? ' Reproduced' : ' Not reproduced'),
            h('td', { class: 'text' }, a.note ?? ''))))), 'Reproduction attempts')
      : null,

    h('h2', {}, `Evidence (${i.evidence.length})`),
    i.evidence.length === 0
      ? notYet('No evidence yet: profiles, error clusters, traces and logs attached to this incident appear here.')
      : tableWrap(h('table', { class: 'evidence' },
          h('thead', {}, h('tr', {}, th('Kind'), th('File'), th('Note'), th('Added', 'when'))),
          h('tbody', {}, ...i.evidence.map((e) =>
            h('tr', {},
              h('td', {}, e.kind),
              h('td', { class: 'file' }, h('button', { class: 'link', type: 'button', onclick: () => bridge.send({ type: 'openEvidence', path: e.path }) }, e.path)),
              h('td', { class: 'text' }, e.note ?? ''),
              h('td', { class: 'when' }, timeElement(e.at)),
            ))),
        ), 'Evidence'),

    h('h2', {}, `Hypotheses (${i.hypotheses.length})`),
    i.hypotheses.length === 0
      ? notYet('No hypotheses yet.')
      : h('ul', {}, ...i.hypotheses.map((x) => h('li', {}, x.text, x.result ? h('span', { class: 'muted' }, ` — ${x.result}`) : null))),

    h('h2', {}, 'Root cause'),
    i.rootCause ? h('p', { class: 'description' }, i.rootCause) : notYet('Not found yet.'),

    h('h2', {}, 'Fix'),
    i.fix ? h('p', { class: 'description' }, i.fix.description ?? '', i.fix.ref ? h('span', { class: 'muted' }, `${i.fix.description ? ' — ' : ''}${i.fix.ref}`) : null) : notYet('No fix recorded yet.'),

    h('h2', {}, 'Verification'),
    i.fixVerification
      ? h('p', {}, icon(i.fixVerification.verified ? 'pass' : 'circle-slash'), h('strong', {}, i.fixVerification.verified ? ' Verified' : ' Not verified'), ` (`, timeElement(i.fixVerification.at), `): ${i.fixVerification.method}`)
      : notYet('The fix is not verified yet.'),

    h('h2', {}, `Prevention (${i.prevention.length})`),
    i.prevention.length ? h('ul', {}, ...i.prevention.map((p) => h('li', { class: 'text' }, p))) : notYet('No prevention measures yet.'),

    h('h2', {}, 'Post-mortem'),
    pm.exists
      ? h('p', { 'data-testid': 'postmortem' },
          pm.problem ? icon('warning') : icon('book'), ' ',
          h('button', { class: 'link', type: 'button', onclick: () => bridge.send({ type: 'openPostmortem' }) }, 'postmortem.json'),
          pm.problem ? ` cannot be read: ${pm.problem}` : ` — ${pm.actionItems} action item${pm.actionItems === 1 ? '' : 's'}, ${pm.openActionItems} open`)
      : h('p', { class: 'empty', 'data-testid': 'postmortem' }, 'Not written yet: Write Post-Mortem starts one from this incident.'),

    h('h2', {}, `Timeline (${i.events.length})`),
    tableWrap(h('table', { class: 'timeline' },
      h('thead', {}, h('tr', {}, th('When', 'when'), th('Who'), th('What'), th('Details'))),
      h('tbody', {}, ...i.events.map((e) => h('tr', {}, h('td', { class: 'when' }, timeElement(e.at)), h('td', {}, e.actor), h('td', { class: 'nowrap' }, e.kind), h('td', { class: 'text' }, e.text)))),
    ), 'Timeline'),
  );
}
