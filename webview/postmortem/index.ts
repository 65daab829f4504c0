import { lintText } from '../../src/core/postmortem/lint';
import { formatMinutes } from '../../src/core/postmortem/metrics';
import { isPostmortemEvent, type JsonPath, type PostmortemEvent, type PostmortemIntent, type PostmortemSnapshot, type TimelineView } from '../../src/protocol/postmortem';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import './elements';

/**
 * The post-mortem form. It never holds the document: every snapshot from the host (the TextDocument parsed)
 * is rendered from scratch, and every change is sent as an intent on one JSON path, naming the document
 * version it was made against and, through a list, the row's id. A field being typed in keeps its focus,
 * caret and text across re-renders, even when its row moves or the file changes the value under it; a
 * change the host refuses comes back as a draft in its field with the reason.
 */

type Doc = Record<string, unknown>;
type Lint = PostmortemSnapshot['lint'][number];

const PAGE = 100;
const root = document.getElementById('app')!;
const view = { lastRenderMs: 0 };

// Our stylesheet next to the shared one (same origin as webview.css, so the CSP allows it).
const shared = document.querySelector<HTMLLinkElement>('link[href*="webview.css"]');
if (shared) document.head.appendChild(h('link', { rel: 'stylesheet', href: shared.href.replace('webview.css', 'postmortem.css') }));

let current: PostmortemSnapshot | undefined;
let seq = 0;
/** Changes sent and not yet handled by the host, by sequence number: shown meanwhile, given back if refused. */
const pending = new Map<number, { field: string; value: string }>();
/** Set while the form is rebuilt: a field removed from the page then is not the user leaving it. */
let rendering = false;
/**
 * Text typed into a field that is not in the document: kept while the user types across re-renders, and
 * after a refused change. `base` is what the field showed when the typing began.
 */
const drafts = new Map<string, { value: string; base: string; message?: string }>();
/** The last refusal of a change whose field is gone, shown above the form until the next change. */
let notice: string | undefined;
/** Findings of fields as typed (not yet in the document), by path: they replace the snapshot's. */
const liveLint = new Map<string, Lint[]>();

const bridge = connect<PostmortemSnapshot, PostmortemIntent, unknown, PostmortemEvent>({
  render: (s) => render(s),
  events: { guard: isPostmortemEvent, on: (e) => refused(e.seq, e.message) },
});
const send = (intent: PostmortemIntent) => bridge.send(intent);

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : Array.isArray(v) ? v.map(str).join(', ') : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Doc => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {});
const pathKey = (p: JsonPath) => JSON.stringify(p);
const startsWith = (p: JsonPath, prefix: JsonPath) => prefix.every((x, i) => p[i] === x);

function refused(n: number, message: string): void {
  const sent = pending.get(n);
  pending.delete(n);
  if (!sent) return;
  const field = root.querySelector(`[data-field="${CSS.escape(sent.field)}"]`);
  if (field) drafts.set(sent.field, { value: sent.value, base: (field as HTMLElement).dataset.shown ?? '', message });
  else notice = `Not saved: ${message} What you typed: “${sent.value}”`;
}

/** The id of a list row as the page saw it, from the snapshot. */
function rowOf(list: string, index: number): string | undefined {
  if (!current) return undefined;
  if (list === 'timeline') return current.timeline.rows.find((x) => x.index === index)?.id;
  return current.rows[list]?.[index];
}

/** The value the snapshot has at a path (timeline rows come from the rows sent). */
function valueAt(path: JsonPath): unknown {
  let v: unknown = current?.document;
  let rest = path;
  if (path[0] === 'timeline' && typeof path[1] === 'number') {
    v = current?.timeline.rows.find((r) => r.index === path[1])?.entry;
    rest = path.slice(2);
  }
  for (const k of rest) v = typeof k === 'number' ? arr(v)[k] : obj(v)[k];
  return v;
}

interface Slot {
  path: JsonPath;
  row?: string;
  /** Identity of the field across snapshots: through a list, the row's id instead of its index. */
  field: string;
  shown: unknown;
}

function slot(path: JsonPath): Slot {
  const row = typeof path[1] === 'number' ? rowOf(path[0] as string, path[1]) : undefined;
  const field = row ? pathKey(['#', path[0]!, row, ...path.slice(2)]) : pathKey(path);
  return { path, ...(row ? { row } : {}), field, shown: valueAt(path) };
}

/** The value of a change to this field that is sent and not yet in a snapshot. */
function inFlight(field: string): string | undefined {
  let value: string | undefined;
  for (const p of pending.values()) if (p.field === field) value = p.value;
  return value;
}

function change(s: Slot, value: unknown, typed: string, removeEmpty = false): void {
  if (!current) return;
  const n = ++seq;
  pending.set(n, { field: s.field, value: typed });
  drafts.delete(s.field);
  notice = undefined;
  const base = { version: current.version, path: s.path, ...(s.row ? { row: s.row } : {}), was: s.shown ?? null, seq: n };
  if (removeEmpty && (value === '' || value === undefined)) send({ type: 'remove', ...base });
  else send({ type: 'set', ...base, value });
}

function removeRow(list: string, index: number): void {
  if (!current) return;
  const row = rowOf(list, index);
  if (!row) return;
  notice = undefined;
  // The row as shown: removed only if the file still has it so.
  send({ type: 'remove', version: current.version, path: [list, index], row, was: valueAt([list, index]) ?? null, seq: ++seq });
}

function lintFor(path: JsonPath, exact = false): Lint[] {
  const match = (p: JsonPath) => (exact ? pathKey(p) === pathKey(path) : startsWith(p, path));
  const fromSnapshot = (current?.lint ?? []).filter((f) => match(f.path) && !liveLint.has(pathKey(f.path)));
  const live = [...liveLint.values()].flat().filter((f) => match(f.path));
  return [...fromSnapshot, ...live];
}

function lintItems(path: JsonPath, exact: boolean): HTMLElement[] {
  return lintFor(path, exact).map((f) =>
    h('li', { title: f.explanation }, icon('warning'), ' ', h('strong', {}, `“${f.text}”`), ` (${f.rule}) — ${f.explanation} `, h('span', { class: 'suggestion' }, `Try: ${f.suggestion}`)),
  );
}

/** The findings under a path; always there (hidden when empty), so typing can fill it. */
function lintNotes(path: JsonPath, exact = false): HTMLElement {
  const items = lintItems(path, exact);
  return h('ul', { class: 'lint', role: 'list', 'data-lint': pathKey(path), 'data-exact': exact ? '1' : undefined, hidden: items.length === 0, 'aria-live': 'polite' }, ...items);
}

const lintTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Lints the text of a field as it is typed, as the document lint will once it is saved. */
function lintAsTyped(s: Slot, text: string, box: JsonPath, el: HTMLElement): void {
  clearTimeout(lintTimers.get(s.field));
  lintTimers.set(
    s.field,
    setTimeout(() => {
      const ctx = current?.lintContext ?? { names: [], allowOutage: false };
      const found = lintText(text, { names: ctx.names, allowOutage: ctx.allowOutage, allowCounterfactual: s.path[0] === 'whereWeGotLucky' });
      liveLint.set(
        pathKey(s.path),
        found.map((f) => ({ path: s.path, field: '', rule: f.rule, text: f.text, explanation: f.explanation, suggestion: f.suggestion })),
      );
      el.classList.toggle('has-lint', found.length > 0);
      const container = root.querySelector<HTMLElement>(`ul.lint[data-lint="${CSS.escape(pathKey(box))}"]`);
      if (container) {
        const items = lintItems(box, container.dataset.exact === '1');
        replaceChildren(container, ...items);
        container.hidden = items.length === 0;
      }
    }, 120),
  );
}

interface BindOptions {
  /** Findings shown in the notes of this path (the field's row, or the field itself). */
  lint?: JsonPath;
  removeEmpty?: boolean;
  /** Text → value to store; undefined refuses the text (the field is marked invalid, nothing is sent). */
  parse?: (v: string) => unknown | undefined;
}

type Control = HTMLElement & { value: string };

/**
 * Wires a control to its slot: shows the document's value (or the draft typed over it), sends a change on
 * commit (Enter, leaving the field) naming what it replaces, lints as it is typed.
 */
function bind(el: Control, s: Slot, options: BindOptions = {}): Control {
  const shown = str(s.shown);
  el.dataset.field = s.field;
  el.dataset.path = pathKey(s.path);
  el.dataset.shown = shown;
  const draft = drafts.get(s.field);
  el.value = draft ? draft.value : (inFlight(s.field) ?? shown);
  let sent: string | undefined;
  const commit = () => {
    if (rendering) return;
    const typed = el.value;
    if (typed === sent || (typed === shown && !drafts.has(s.field))) return;
    if (options.parse && !(options.removeEmpty && typed === '')) {
      const parsed = options.parse(typed);
      if (parsed === undefined) {
        el.setAttribute('invalid', '');
        el.setAttribute('aria-invalid', 'true');
        return;
      }
      sent = typed;
      change(s, parsed, typed, options.removeEmpty);
      return;
    }
    sent = typed;
    change(s, typed, typed, options.removeEmpty);
  };
  el.addEventListener('change', commit);
  // A value put back after a re-render is not "changed by the user" for the browser, so it fires no change
  // event: Enter and leaving the field commit it.
  el.addEventListener('focusout', commit);
  if (el.tagName !== 'VSCODE-TEXTAREA') el.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && commit());
  el.addEventListener('input', () => {
    el.removeAttribute('invalid');
    el.removeAttribute('aria-invalid');
    if (options.lint) lintAsTyped(s, el.value, options.lint, el);
  });
  if (lintFor(s.path, true).length) el.classList.add('has-lint');
  return el;
}

/** The note under a field whose draft is not in the document: why, and what the file has. */
function draftNote(s: Slot): HTMLElement | null {
  const draft = drafts.get(s.field);
  const shown = str(s.shown);
  if (!draft || (!draft.message && draft.base === shown)) return null;
  const reason = draft.message ? `Not saved: ${draft.message}` : 'Changed in the file while you typed.';
  return h(
    'p',
    { class: 'draft-note', role: 'status' },
    icon('info'),
    ` ${reason} The file has “${shown}”. Enter or leaving the field saves yours. `,
    h(
      'button',
      {
        class: 'link',
        onclick: () => {
          drafts.delete(s.field);
          if (current) render(current);
        },
      },
      'Use the file’s',
    ),
  );
}

function textField(path: JsonPath, options: BindOptions & { label: string; placeholder?: string; className?: string; type?: string } ): HTMLElement {
  const s = slot(path);
  const el = h('vscode-textfield', { placeholder: options.placeholder, type: options.type, class: options.className, 'aria-label': options.label }) as Control & { label: string };
  // `label` is a property only: it names the inner <input> for assistive technology.
  el.label = options.label;
  bind(el, s, options);
  const note = draftNote(s);
  return note ? h('div', { class: 'with-note' }, el, note) : el;
}

/** A native input, for table cells: a thousand of them must stay cheap. */
function cell(path: JsonPath, label: string, options: BindOptions & { placeholder?: string; className?: string } = {}): HTMLElement {
  const s = slot(path);
  const el = h('input', { class: `cell${options.className ? ` ${options.className}` : ''}`, 'aria-label': label, placeholder: options.placeholder ?? '' }) as HTMLInputElement;
  bind(el, s, options);
  const note = draftNote(s);
  return note ? h('div', { class: 'with-note' }, el, note) : el;
}

function textArea(path: JsonPath, label: string, placeholder = '', lint: JsonPath = path): HTMLElement {
  const s = slot(path);
  const el = h('vscode-textarea', { 'aria-label': label, placeholder, rows: 4, resize: 'vertical', class: 'wide' }) as Control & { label: string };
  el.label = label;
  bind(el, s, { lint });
  const note = draftNote(s);
  return note ? h('div', { class: 'with-note' }, el, note) : el;
}

function select(path: JsonPath, options: readonly string[], label: string, id: string): HTMLElement {
  const s = slot(path);
  const value = str(s.shown);
  const el = h(
    'vscode-single-select',
    { id, 'data-path': pathKey(path), 'data-field': s.field, label, 'aria-label': label, class: 'select' },
    h('vscode-option', { value: '' }, '(none)'),
    ...options.map((o) => h('vscode-option', { value: o, selected: o === value }, o)),
  ) as Control;
  el.addEventListener('change', () => {
    if (el.value === value) return;
    change(s, el.value, el.value, true);
  });
  return el;
}

/** A native select for table rows: hundreds of them must stay cheap (vscode-single-select is heavy). */
function cellSelect(path: JsonPath, options: readonly string[], label: string): HTMLElement {
  const s = slot(path);
  const value = str(s.shown);
  const el = h(
    'select',
    { class: 'cell', 'data-path': pathKey(path), 'data-field': s.field, 'aria-label': label },
    h('option', { value: '' }, '(none)'),
    ...options.map((o) => h('option', { value: o, selected: o === value }, o)),
  ) as HTMLSelectElement;
  el.value = options.includes(value) ? value : '';
  el.addEventListener('change', () => change(s, el.value, el.value, true));
  return el;
}

function button(label: string, codicon: string, onClick: () => void, options: { secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary: options.secondary, title: options.title, id: options.id, onclick: onClick }, label);
}

function iconButton(codicon: string, title: string, onClick: () => void): HTMLElement {
  return h('button', { class: 'icon-button', title, 'aria-label': title, onclick: onClick }, icon(codicon));
}

/** A column header with no visible text (the row's buttons) still has a name for assistive technology. */
function hiddenHeader(text: string): HTMLElement {
  return h('th', {}, h('span', { class: 'visually-hidden' }, text));
}

function section(title: string, id: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...children);
}

function field(label: string, control: HTMLElement, notes: HTMLElement | null = null): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, notes);
}

function appendTo(key: string, value: unknown): void {
  notice = undefined;
  send({ type: 'append', key, value });
}

function truncatedNote(key: string): HTMLElement | null {
  const t = current?.truncated.find((x) => x.key === key);
  return t ? h('p', { class: 'note' }, icon('warning'), ` Showing the first ${t.shown} of ${t.total}; open as text for the rest.`) : null;
}

function stringList(doc: Doc, key: string, title: string, placeholder: string): HTMLElement {
  const items = arr(doc[key]);
  return section(
    title,
    key,
    items.length
      ? h(
          'ol',
          { class: 'string-list' },
          ...items.map((_, i) =>
            h(
              'li',
              {},
              h('div', { class: 'row' }, cell([key, i], `${title} ${i + 1}`, { lint: [key, i] }), iconButton('trash', `Remove item ${i + 1}`, () => removeRow(key, i))),
              lintNotes([key, i]),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'None yet.'),
    truncatedNote(key),
    button('Add', 'add', () => appendTo(key, ''), { secondary: true, title: placeholder }),
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** A calendar date written as ISO 8601 (YYYY-MM-DD), like every other date the product shows. */
const isoDate = (v: string): string | undefined => (ISO_DATE.test(v.trim()) && !Number.isNaN(Date.parse(v.trim())) ? v.trim() : undefined);

function timelineSection(s: PostmortemSnapshot): HTMLElement {
  const { rows, total, sortedInFile, view } = s.timeline;
  const setView = (next: Partial<TimelineView>) => send({ type: 'timelineView', view: { ...view, ...next } });
  const header = (key: TimelineView['sortKey'], label: string) =>
    h(
      'th',
      { 'aria-sort': view.sortKey === key ? (view.desc ? 'descending' : 'ascending') : 'none' },
      h(
        'button',
        {
          class: 'sort',
          title: `Sort by ${label} (view only; "Sort by time" changes the file)`,
          onclick: () => setView(view.sortKey === key ? { desc: !view.desc } : { sortKey: key, desc: false }),
        },
        label,
        view.sortKey === key ? icon(view.desc ? 'arrow-down' : 'arrow-up') : null,
      ),
    );
  return section(
    'Timeline',
    'timeline',
    h(
      'div',
      { class: 'toolbar' },
      button(`Import from incident events${s.incidentEvents !== undefined ? ` (${s.incidentEvents})` : ''}`, 'history', () => send({ type: 'importIncidentEvents' }), { secondary: true, id: 'import-events' }),
      button('Import timeline file…', 'cloud-download', () => send({ type: 'importTimelineFile' }), { secondary: true, title: 'A JSON/JSONL timeline exported by forensics (timestamp + event per entry)' }),
      sortedInFile ? null : button('Sort by time', 'sort-precedence', () => send({ type: 'sortTimeline' }), { secondary: true, title: 'Reorder the entries in the file by timestamp' }),
    ),
    total
      ? h(
          'table',
          { class: 'timeline' },
          h('thead', {}, h('tr', {}, header('timestamp', 'Time'), header('event', 'Event'), header('actor', 'Actor'), header('action', 'Action'), hiddenHeader('Remove'))),
          h(
            'tbody',
            {},
            ...rows.map(({ index: i, id }) =>
              h(
                'tr',
                { 'data-index': i, 'data-row': id },
                h('td', { class: 'ts' }, cell(['timeline', i, 'timestamp'], `Timeline ${i + 1} time`, { placeholder: '2026-11-20T09:12:00Z' })),
                h('td', {}, cell(['timeline', i, 'event'], `Timeline ${i + 1} event`, { lint: ['timeline', i] }), lintNotes(['timeline', i])),
                h('td', {}, cell(['timeline', i, 'actor'], `Timeline ${i + 1} actor`, { placeholder: 'role, e.g. on-call' })),
                h('td', {}, cell(['timeline', i, 'action'], `Timeline ${i + 1} action`, { lint: ['timeline', i] })),
                h('td', {}, iconButton('trash', `Remove timeline entry ${i + 1}`, () => removeRow('timeline', i))),
              ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No timeline yet. Import it from the incident’s events.'),
    total > rows.length
      ? h('p', { id: 'timeline-more' }, `Showing ${rows.length} of ${total} entries. `, h('button', { class: 'link', onclick: () => setView({ limit: view.limit + PAGE * 5 }) }, 'Show more'))
      : null,
    button('Add entry', 'add', () => appendTo('timeline', { timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), event: '' }), { secondary: true }),
  );
}

function actionItemsSection(doc: Doc, s: PostmortemSnapshot): HTMLElement {
  const items = arr(doc.actionItems).map((a, i) => ({ a: obj(a), i }));
  return section(
    'Action items',
    'actionItems',
    items.length
      ? h(
          'table',
          { class: 'action-items' },
          h('thead', {}, h('tr', {}, ...['Description', 'Owner', 'Due', 'Priority', 'Status', 'Link'].map((t) => h('th', {}, t)), hiddenHeader('Remove'))),
          h(
            'tbody',
            {},
            ...items.map(({ a, i }) => {
              const overdue = str(a.status) !== 'DONE' && ISO_DATE.test(str(a.dueDate)) && str(a.dueDate) < s.today;
              return h(
                'tr',
                { class: overdue ? 'overdue' : undefined, 'data-index': i, 'data-row': s.rows.actionItems?.[i], title: overdue ? `Overdue since ${str(a.dueDate)}` : undefined },
                h('td', {}, cell(['actionItems', i, 'description'], `Action item ${i + 1} description`, { placeholder: 'What will change, so this cannot recur', lint: ['actionItems', i] }), lintNotes(['actionItems', i])),
                h('td', {}, cell(['actionItems', i, 'owner'], `Action item ${i + 1} owner`, { placeholder: 'team or role' })),
                h(
                  'td',
                  {},
                  cell(['actionItems', i, 'dueDate'], `Action item ${i + 1} due date (YYYY-MM-DD)`, { placeholder: 'YYYY-MM-DD', className: 'date', removeEmpty: true, parse: isoDate }),
                  overdue ? h('span', { class: 'badge-overdue' }, icon('error'), ' overdue') : null,
                ),
                h('td', {}, cellSelect(['actionItems', i, 'priority'], s.enums.priority, `Action item ${i + 1} priority`)),
                h('td', {}, cellSelect(['actionItems', i, 'status'], s.enums.status, `Action item ${i + 1} status`)),
                h('td', {}, cell(['actionItems', i, 'link'], `Action item ${i + 1} link`, { placeholder: 'ticket URL' })),
                h('td', {}, iconButton('trash', `Remove action item ${i + 1}`, () => removeRow('actionItems', i))),
              );
            }),
          ),
        )
      : h('p', { class: 'empty' }, 'No action items. HIGH and CRITICAL incidents need one with an owner and a due date before they close.'),
    truncatedNote('actionItems'),
    button('Add action item', 'add', () => appendTo('actionItems', { description: 'New action item', priority: 'HIGH', status: 'TODO' }), { id: 'add-action-item' }),
  );
}

const MILESTONES = ['started', 'detected', 'acknowledged', 'mitigated', 'resolved'] as const;

function milestonesSection(s: PostmortemSnapshot): HTMLElement {
  const metric = (label: string, help: string, v: number | undefined, id: string) => h('div', { class: 'metric', title: help, id }, h('span', { class: 'metric-label' }, label), h('span', { class: 'metric-value' }, formatMinutes(v)));
  return section(
    'Detection and response',
    'milestones',
    h(
      'div',
      { class: 'milestones' },
      ...MILESTONES.map((k) => {
        const label = k[0]!.toUpperCase() + k.slice(1);
        return field(label, textField(['milestones', k], { label: `${label} (ISO time)`, placeholder: 'YYYY-MM-DDTHH:MM:SSZ', removeEmpty: true, parse: (v) => (ISO_TIME.test(v) ? v : undefined) }));
      }),
    ),
    h(
      'div',
      { class: 'metrics' },
      metric('MTTD', 'Time to detect: detected − started', s.metrics.mttdMinutes, 'mttd'),
      metric('MTTA', 'Time to acknowledge: acknowledged − detected', s.metrics.mttaMinutes, 'mtta'),
      metric('Time to mitigate', 'mitigated − started', s.metrics.mttmMinutes, 'mttm'),
      metric('MTTR', 'Time to resolve: resolved − started', s.metrics.mttrMinutes, 'mttr'),
    ),
    ...s.metrics.problems.map((p) => h('p', { class: 'note' }, icon('warning'), ' ', p)),
  );
}

function impactSection(doc: Doc): HTMLElement {
  const rows = arr(doc.impact).map((_, i) => i);
  return section(
    'Impact',
    'impact',
    rows.length
      ? h(
          'table',
          { class: 'impact' },
          h('thead', {}, h('tr', {}, h('th', {}, 'What'), h('th', {}, 'How much'), hiddenHeader('Remove'))),
          h(
            'tbody',
            {},
            ...rows.map((i) =>
              h(
                'tr',
                {},
                h('td', {}, cell(['impact', i, 'key'], `Impact ${i + 1} what`, { placeholder: 'e.g. Requests affected' })),
                h('td', {}, cell(['impact', i, 'value'], `Impact ${i + 1} how much`, { placeholder: 'e.g. 40% of /recommend for 2 h', lint: ['impact', i] }), lintNotes(['impact', i])),
                h('td', {}, iconButton('trash', `Remove impact row ${i + 1}`, () => removeRow('impact', i))),
              ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No impact documented.'),
    button('Add impact row', 'add', () => appendTo('impact', { key: '', value: '' }), { secondary: true }),
  );
}

function evidenceSection(doc: Doc): HTMLElement | null {
  const items = arr(doc.evidence).map(obj).filter((e) => str(e.path));
  if (!items.length) return null;
  return section(
    'Evidence',
    'evidence',
    h('ul', {}, ...items.map((e) => h('li', {}, h('button', { class: 'link', onclick: () => send({ type: 'openEvidence', path: str(e.path) }) }, str(e.path)), ` — ${str(e.kind)}${str(e.note) ? `: ${str(e.note)}` : ''}`))),
  );
}

function reviewSection(): HTMLElement {
  return section(
    'Review and follow-up',
    'review',
    h(
      'div',
      { class: 'grid' },
      field('Reviewed at', textField(['review', 'reviewedAt'], { label: 'Reviewed at (YYYY-MM-DD)', placeholder: 'YYYY-MM-DD', removeEmpty: true, parse: isoDate })),
      field('Follow-up review', textField(['review', 'followUpAt'], { label: 'Follow-up review (YYYY-MM-DD)', placeholder: 'YYYY-MM-DD, 30 days after closing', removeEmpty: true, parse: isoDate })),
      field('Reviewers (comma-separated)', textField(['review', 'reviewers'], { label: 'Reviewers (comma-separated)', parse: (v) => v.split(',').map((x) => x.trim()).filter(Boolean) })),
    ),
    field('Notes', textArea(['review', 'notes'], 'Review notes'), lintNotes(['review', 'notes'])),
  );
}

/** Focus, caret and text of the field being edited, by its identity (a row's id, not its index). */
function captureFocus(): { field: string; value: string; shown: string; start: number | null; end: number | null } | undefined {
  const el = document.activeElement as (HTMLElement & { value?: string }) | null;
  if (!el || !el.dataset?.field) return undefined;
  const inner = (el.shadowRoot?.activeElement ?? el) as HTMLInputElement;
  return { field: el.dataset.field, value: String(el.value ?? ''), shown: el.dataset.shown ?? '', start: inner.selectionStart ?? null, end: inner.selectionEnd ?? null };
}

function restoreFocus(saved: ReturnType<typeof captureFocus>): void {
  if (!saved) return;
  const el = root.querySelector<Control>(`[data-field="${CSS.escape(saved.field)}"]`);
  if (!el) return;
  el.focus();
  requestAnimationFrame(() => {
    const inner = (el.shadowRoot?.querySelector('input,textarea') ?? el) as HTMLInputElement;
    try {
      if (saved.start !== null) inner.setSelectionRange(saved.start, saved.end ?? saved.start);
    } catch {
      /* not a text input */
    }
  });
}

function render(s: PostmortemSnapshot): void {
  const started = performance.now();
  const saved = captureFocus();
  // What is typed and not yet sent stays, whatever the new snapshot says under it (the note tells).
  if (saved && drafts.has(saved.field)) drafts.get(saved.field)!.value = saved.value;
  else if (saved && saved.value !== saved.shown && inFlight(saved.field) !== saved.value) drafts.set(saved.field, { value: saved.value, base: saved.shown });
  current = s;
  // A change the host has handled is in this snapshot, or was refused (its refusal came before).
  for (const n of pending.keys()) if (n <= s.ackSeq) pending.delete(n);
  liveLint.clear();
  root.removeAttribute('aria-busy');
  if (s.state === 'invalid' || !s.document) {
    rendering = true;
    replaceChildren(
      root,
      h('h1', {}, 'Post-mortem'),
      h(
        'div',
        { class: 'banner', role: 'alert', id: 'invalid-banner' },
        icon('error'),
        h(
          'div',
          {},
          h('p', {}, h('strong', {}, `${s.fileName} cannot be read as a post-mortem`), ` — line ${s.error?.line ?? 1}, column ${s.error?.column ?? 1}: ${s.error?.message ?? ''}`),
          h('p', {}, 'The form is read-only until the JSON is fixed; it will not write over what it cannot parse.'),
          button('Open as text', 'go-to-file', () => send({ type: 'openAsText', ...(s.error ? { line: s.error.line, column: s.error.column } : {}) }), { id: 'open-as-text' }),
        ),
      ),
    );
    rendering = false;
    finish(started);
    return;
  }
  const doc = s.document;
  const lintCount = s.lintTotal;
  try {
    rendering = true;
    replaceChildren(
      root,
      h(
        'header',
        { class: 'pm-header' },
        h('h1', { class: 'pm-h1' }, `Post-mortem ${str(doc.incidentId)}`.trim()),
        h('div', { class: 'title-row' }, field('Title', textField(['title'], { label: 'Title', className: 'title', placeholder: 'What happened, for whom', lint: ['title'] }), lintNotes(['title'], true))),
        h(
          'div',
          { class: 'grid meta' },
          field('Incident', textField(['incidentId'], { label: 'Incident', placeholder: 'INC-YYYY-NNN' })),
          field('Date', textField(['date'], { label: 'Date (YYYY-MM-DD)', placeholder: 'YYYY-MM-DD', removeEmpty: true, parse: isoDate })),
          h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'severity' }, 'Severity'), select(['severity'], s.enums.severity, 'Severity', 'severity')),
          field('Duration (minutes)', textField(['durationMinutes'], { label: 'Duration (minutes)', parse: (v) => (v !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : undefined) })),
        ),
        h(
          'div',
          { class: 'toolbar' },
          button('Export to Markdown', 'markdown', () => send({ type: 'export' }), { id: 'export' }),
          button('Open as text', 'go-to-file', () => send({ type: 'openAsText' }), { secondary: true }),
          lintCount
            ? h('span', { class: 'lint-count', id: 'lint-count' }, icon('warning'), ` ${lintCount} blameless-language warning${lintCount === 1 ? '' : 's'}`)
            : h('span', { class: 'ok', id: 'lint-count' }, icon('pass'), ' Blameless lint: no findings'),
        ),
        notice ? h('p', { class: 'draft-note', role: 'status', id: 'notice' }, icon('info'), ` ${notice}`) : null,
        s.problems.length
          ? h(
              'div',
              { class: 'banner', role: 'alert', id: 'schema-problems' },
              icon('error'),
              h('div', {}, h('p', {}, 'Schema problems (fix them as text):'), ...s.problems.slice(0, 20).map((p) => h('p', {}, h('button', { class: 'link', onclick: () => send({ type: 'openAsText', line: p.line, column: p.column }) }, `${p.line}:${p.column}`), ' ', p.message))),
            )
          : null,
      ),
      section('Summary', 'summary', textArea(['summary'], 'Summary', 'What happened, in two or three sentences'), lintNotes(['summary'])),
      impactSection(doc),
      timelineSection(s),
      section(
        'Root cause',
        'rootCause',
        textArea(['rootCause'], 'Root cause', 'The mechanism, not the symptom'),
        lintNotes(['rootCause']),
        field('Trigger', textArea(['trigger'], 'Trigger', 'What set it off'), lintNotes(['trigger'])),
        field('Resolution', textArea(['resolution'], 'Resolution', 'What fixed it'), lintNotes(['resolution'])),
      ),
      stringList(doc, 'contributingFactors', 'Contributing factors', 'Conditions that made it worse or possible'),
      stringList(doc, 'whatWentWell', 'What went well', ''),
      stringList(doc, 'whatWentWrong', 'What went wrong', ''),
      stringList(doc, 'whereWeGotLucky', 'Where we got lucky', ''),
      actionItemsSection(doc, s),
      milestonesSection(s),
      evidenceSection(doc),
      reviewSection(),
    );
  } finally {
    rendering = false;
  }
  // Drafts the document now holds are done; the field being typed keeps its own.
  for (const [key, d] of drafts) {
    const el = root.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"]`);
    if (!el) {
      if (!d.message) drafts.delete(key);
    } else if (el.dataset.shown === d.value && key !== saved?.field) drafts.delete(key);
  }
  restoreFocus(saved);
  // The typed text of the focused field is linted again: the snapshot linted what the file has.
  if (saved && drafts.has(saved.field)) root.querySelector(`[data-field="${CSS.escape(saved.field)}"]`)?.dispatchEvent(new Event('input'));
  finish(started);
}

function finish(started: number): void {
  view.lastRenderMs = performance.now() - started;
  root.dataset.version = String(current?.version ?? '');
  root.dataset.renderMs = view.lastRenderMs.toFixed(1);
  // For the benchmark and e2e tests: the page says which document version it shows.
  (window as unknown as { __pmRender?: { version?: number; ms: number } }).__pmRender = { ...(current ? { version: current.version } : {}), ms: view.lastRenderMs };
}
