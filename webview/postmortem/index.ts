import type { JsonPath, PostmortemIntent, PostmortemSnapshot, TimelineView } from '../../src/protocol/postmortem';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import './elements';

/**
 * The post-mortem form. It never holds the document: every snapshot from the host (the TextDocument parsed)
 * is rendered from scratch, and every change is sent as an intent on one JSON path. A field being typed in
 * keeps its focus, caret and uncommitted text across re-renders.
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
const bridge = connect<PostmortemSnapshot, PostmortemIntent>({ render: (s) => render(s) });
const send = (intent: PostmortemIntent) => bridge.send(intent);

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Doc => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {});
const pathKey = (p: JsonPath) => JSON.stringify(p);
const startsWith = (p: JsonPath, prefix: JsonPath) => prefix.every((x, i) => p[i] === x);

function lintFor(path: JsonPath, exact = false): Lint[] {
  return (current?.lint ?? []).filter((f) => (exact ? pathKey(f.path) === pathKey(path) : startsWith(f.path, path)));
}

function lintNotes(path: JsonPath, exact = false): HTMLElement | null {
  const found = lintFor(path, exact);
  if (!found.length) return null;
  return h(
    'ul',
    { class: 'lint', role: 'list' },
    ...found.map((f) =>
      h('li', { title: f.explanation }, icon('warning'), ' ', h('strong', {}, `“${f.text}”`), ` (${f.rule}) — ${f.explanation} `, h('span', { class: 'suggestion' }, `Try: ${f.suggestion}`)),
    ),
  );
}

/** Sends a value for a path; '' removes optional scalars when `removeEmpty`. */
function commit(path: JsonPath, value: unknown, removeEmpty = false): void {
  if (removeEmpty && (value === '' || value === undefined)) send({ type: 'remove', path });
  else send({ type: 'set', path, value });
}

function textField(path: JsonPath, value: unknown, options: { label?: string; placeholder?: string; removeEmpty?: boolean; type?: string; className?: string; parse?: (v: string) => unknown | undefined } = {}): HTMLElement {
  const el = h('vscode-textfield', {
    'data-path': pathKey(path),
    placeholder: options.placeholder,
    type: options.type,
    class: options.className,
    'aria-label': options.label ?? String(path[path.length - 1]),
  }) as HTMLElement & { value: string };
  el.value = str(value);
  el.addEventListener('change', () => {
    if (options.parse) {
      const parsed = options.parse(el.value);
      if (parsed === undefined && el.value !== '') {
        el.setAttribute('invalid', '');
        return;
      }
      el.removeAttribute('invalid');
      commit(path, parsed, true);
      return;
    }
    commit(path, el.value, options.removeEmpty);
  });
  if (lintFor(path, true).length) el.setAttribute('invalid', '');
  return el;
}

/** A native input, for table cells: a thousand of them must stay cheap. */
function cell(path: JsonPath, value: unknown, label: string, placeholder = ''): HTMLElement {
  const el = h('input', { class: 'cell', 'data-path': pathKey(path), 'aria-label': label, placeholder, value: str(value) }) as HTMLInputElement;
  el.value = str(value);
  el.addEventListener('change', () => commit(path, el.value));
  if (lintFor(path, true).length) el.classList.add('has-lint');
  return el;
}

function textArea(path: JsonPath, value: unknown, label: string, placeholder = ''): HTMLElement {
  const el = h('vscode-textarea', { 'data-path': pathKey(path), 'aria-label': label, placeholder, rows: 4, resize: 'vertical', class: 'wide' }) as HTMLElement & { value: string };
  el.value = str(value);
  el.addEventListener('change', () => commit(path, el.value));
  if (lintFor(path, true).length) el.setAttribute('invalid', '');
  return el;
}

function select(path: JsonPath, value: unknown, options: readonly string[], label: string, allowEmpty = true): HTMLElement {
  const el = h(
    'vscode-single-select',
    { 'data-path': pathKey(path), 'aria-label': label, class: 'select' },
    ...(allowEmpty ? [h('vscode-option', { value: '' }, '—')] : []),
    ...options.map((o) => h('vscode-option', { value: o, selected: o === value }, o)),
  ) as HTMLElement & { value: string };
  el.addEventListener('change', () => {
    if (el.value === str(value)) return;
    commit(path, el.value, true);
  });
  return el;
}

/** A native select for table rows: hundreds of them must stay cheap (vscode-single-select is heavy). */
function cellSelect(path: JsonPath, value: unknown, options: readonly string[], label: string): HTMLElement {
  const el = h(
    'select',
    { class: 'cell', 'data-path': pathKey(path), 'aria-label': label },
    h('option', { value: '' }, '—'),
    ...options.map((o) => h('option', { value: o, selected: o === value }, o)),
  ) as HTMLSelectElement;
  el.value = options.includes(str(value)) ? str(value) : '';
  el.addEventListener('change', () => commit(path, el.value, true));
  return el;
}

function button(label: string, codicon: string, onClick: () => void, options: { secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary: options.secondary, title: options.title, id: options.id, onclick: onClick }, label);
}

function iconButton(codicon: string, title: string, onClick: () => void): HTMLElement {
  return h('button', { class: 'icon-button', title, 'aria-label': title, onclick: onClick }, icon(codicon));
}

function section(title: string, id: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...children);
}

function field(label: string, control: HTMLElement, notes: HTMLElement | null = null): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, notes);
}

function appendTo(key: string, value: unknown): void {
  send({ type: 'append', key, value });
}

function truncatedNote(key: string): HTMLElement | null {
  const t = current?.truncated.find((x) => x.key === key);
  return t ? h('p', { class: 'warning-text' }, icon('warning'), ` Showing the first ${t.shown} of ${t.total}; open as text for the rest.`) : null;
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
          ...items.map((item, i) =>
            h('li', {}, h('div', { class: 'row' }, cell([key, i], item, `${title} ${i + 1}`), iconButton('trash', `Remove item ${i + 1}`, () => send({ type: 'remove', path: [key, i] }))), lintNotes([key, i])),
          ),
        )
      : h('p', { class: 'empty' }, 'None yet.'),
    truncatedNote(key),
    button('Add', 'add', () => appendTo(key, ''), { secondary: true, title: placeholder }),
  );
}

function minutes(v: number | undefined): string {
  if (v === undefined) return '—';
  const m = Math.round(v);
  if (m >= 1440) return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}

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
          h('thead', {}, h('tr', {}, header('timestamp', 'Time'), header('event', 'Event'), header('actor', 'Actor'), header('action', 'Action'), h('th', {}, ''))),
          h(
            'tbody',
            {},
            ...rows.map(({ index: i, entry: e }) =>
              h(
                'tr',
                { 'data-index': i },
                h('td', { class: 'ts' }, cell(['timeline', i, 'timestamp'], e.timestamp, `Timeline ${i + 1} time`, '2026-11-20T09:12:00Z')),
                h('td', {}, cell(['timeline', i, 'event'], e.event, `Timeline ${i + 1} event`), lintNotes(['timeline', i])),
                h('td', {}, cell(['timeline', i, 'actor'], e.actor, `Timeline ${i + 1} actor`)),
                h('td', {}, cell(['timeline', i, 'action'], e.action, `Timeline ${i + 1} action`)),
                h('td', {}, iconButton('trash', `Remove timeline entry ${i + 1}`, () => send({ type: 'remove', path: ['timeline', i] }))),
              ),
            ),
          ),
        )
      : h('p', { class: 'empty' }, 'No timeline yet. Import it from the incident’s events.'),
    total > rows.length
      ? h('p', { id: 'timeline-more' }, `Showing ${rows.length} of ${total} entries. `, h('button', { class: 'link', onclick: () => setView({ limit: view.limit + PAGE * 5 }) }, 'Show more'))
      : null,
    button('Add entry', 'add', () => send({ type: 'append', key: 'timeline', value: { timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), event: '' } }), { secondary: true }),
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
          h('thead', {}, h('tr', {}, ...['Description', 'Owner', 'Due', 'Priority', 'Status', 'Link', ''].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            ...items.map(({ a, i }) => {
              const overdue = str(a.status) !== 'DONE' && /^\d{4}-\d{2}-\d{2}$/.test(str(a.dueDate)) && str(a.dueDate) < s.today;
              return h(
                'tr',
                { class: overdue ? 'overdue' : undefined, 'data-index': i, title: overdue ? `Overdue since ${str(a.dueDate)}` : undefined },
                h('td', {}, cell(['actionItems', i, 'description'], a.description, `Action item ${i + 1} description`, 'What will change, so this cannot recur'), lintNotes(['actionItems', i])),
                h('td', {}, cell(['actionItems', i, 'owner'], a.owner, `Action item ${i + 1} owner`, 'team or role')),
                h('td', {}, dateCell(['actionItems', i, 'dueDate'], a.dueDate, `Action item ${i + 1} due date`), overdue ? h('span', { class: 'badge-overdue' }, icon('error'), ' overdue') : null),
                h('td', {}, cellSelect(['actionItems', i, 'priority'], a.priority, s.enums.priority, `Action item ${i + 1} priority`)),
                h('td', {}, cellSelect(['actionItems', i, 'status'], a.status, s.enums.status, `Action item ${i + 1} status`)),
                h('td', {}, cell(['actionItems', i, 'link'], a.link, `Action item ${i + 1} link`, 'ticket URL')),
                h('td', {}, iconButton('trash', `Remove action item ${i + 1}`, () => send({ type: 'remove', path: ['actionItems', i] }))),
              );
            }),
          ),
        )
      : h('p', { class: 'empty' }, 'No action items. HIGH and CRITICAL incidents need one with an owner and a due date before they close.'),
    truncatedNote('actionItems'),
    button('Add action item', 'add', () => appendTo('actionItems', { description: 'New action item', priority: 'HIGH', status: 'TODO' }), { id: 'add-action-item' }),
  );
}

function dateCell(path: JsonPath, value: unknown, label: string): HTMLElement {
  const el = h('input', { class: 'cell date', type: 'date', 'data-path': pathKey(path), 'aria-label': label }) as HTMLInputElement;
  el.value = str(value);
  el.addEventListener('change', () => commit(path, el.value, true));
  return el;
}

const MILESTONES = ['started', 'detected', 'acknowledged', 'mitigated', 'resolved'] as const;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function milestonesSection(doc: Doc, s: PostmortemSnapshot): HTMLElement {
  const m = obj(doc.milestones);
  const metric = (label: string, help: string, v: number | undefined, id: string) => h('div', { class: 'metric', title: help, id }, h('span', { class: 'metric-label' }, label), h('span', { class: 'metric-value' }, minutes(v)));
  return section(
    'Detection and response',
    'milestones',
    h(
      'div',
      { class: 'milestones' },
      ...MILESTONES.map((k) =>
        field(k[0]!.toUpperCase() + k.slice(1), textField(['milestones', k], m[k], { label: `${k} time`, placeholder: 'YYYY-MM-DDTHH:MM:SSZ', parse: (v) => (v === '' ? undefined : ISO.test(v) ? v : undefined) })),
      ),
    ),
    h(
      'div',
      { class: 'metrics' },
      metric('MTTD', 'Time to detect: detected − started', s.metrics.mttdMinutes, 'mttd'),
      metric('MTTA', 'Time to acknowledge: acknowledged − detected', s.metrics.mttaMinutes, 'mtta'),
      metric('Time to mitigate', 'mitigated − started', s.metrics.mttmMinutes, 'mttm'),
      metric('MTTR', 'Time to resolve: resolved − started', s.metrics.mttrMinutes, 'mttr'),
    ),
    ...s.metrics.problems.map((p) => h('p', { class: 'warning-text' }, icon('warning'), ' ', p)),
  );
}

function impactSection(doc: Doc): HTMLElement {
  const rows = arr(doc.impact).map((r, i) => ({ r: obj(r), i }));
  return section(
    'Impact',
    'impact',
    rows.length
      ? h(
          'table',
          { class: 'impact' },
          h('thead', {}, h('tr', {}, h('th', {}, 'What'), h('th', {}, 'How much'), h('th', {}, ''))),
          h(
            'tbody',
            {},
            ...rows.map(({ r, i }) =>
              h(
                'tr',
                {},
                h('td', {}, cell(['impact', i, 'key'], r.key, `Impact ${i + 1} what`, 'e.g. Requests affected')),
                h('td', {}, cell(['impact', i, 'value'], r.value, `Impact ${i + 1} how much`, 'e.g. 40% of /recommend for 2 h'), lintNotes(['impact', i])),
                h('td', {}, iconButton('trash', `Remove impact row ${i + 1}`, () => send({ type: 'remove', path: ['impact', i] }))),
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

function reviewSection(doc: Doc): HTMLElement {
  const r = obj(doc.review);
  const reviewers = arr(r.reviewers).map(str).join(', ');
  return section(
    'Review and follow-up',
    'review',
    h(
      'div',
      { class: 'grid' },
      field('Reviewed at', textField(['review', 'reviewedAt'], r.reviewedAt, { placeholder: 'YYYY-MM-DD', removeEmpty: true })),
      field('Follow-up review', textField(['review', 'followUpAt'], r.followUpAt, { placeholder: '30 days after closing', removeEmpty: true })),
      field('Reviewers (comma-separated)', textField(['review', 'reviewers'], reviewers, { parse: (v) => v.split(',').map((x) => x.trim()).filter(Boolean) })),
    ),
    field('Notes', textArea(['review', 'notes'], r.notes, 'Review notes'), lintNotes(['review', 'notes'])),
  );
}

/** Focus, caret and not-yet-committed text of the field being edited, keyed by its JSON path. */
function captureFocus(): { key: string; value: string; start: number | null; end: number | null } | undefined {
  const el = document.activeElement as (HTMLElement & { value?: string }) | null;
  if (!el || !el.dataset?.path) return undefined;
  const inner = (el.shadowRoot?.activeElement ?? el) as HTMLInputElement;
  return { key: el.dataset.path, value: String(el.value ?? ''), start: inner.selectionStart ?? null, end: inner.selectionEnd ?? null };
}

function restoreFocus(saved: ReturnType<typeof captureFocus>, previous: Map<string, string>): void {
  if (!saved) return;
  const el = root.querySelector<HTMLElement & { value: string }>(`[data-path="${CSS.escape(saved.key)}"]`);
  if (!el) return;
  // Keep what the user is typing unless the document changed that very value meanwhile.
  if (previous.get(saved.key) === el.value && saved.value !== el.value) el.value = saved.value;
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
  const previous = new Map<string, string>();
  if (saved) {
    const old = root.querySelector<HTMLElement & { value: string }>(`[data-path="${CSS.escape(saved.key)}"]`);
    // What the document said for that field before: if it still says so, the user's text wins.
    const path = JSON.parse(saved.key) as JsonPath;
    let v: unknown = current?.document;
    let rest = path;
    if (path[0] === 'timeline') {
      v = current?.timeline.rows.find((r) => r.index === path[1])?.entry;
      rest = path.slice(2);
    }
    for (const k of rest) v = typeof k === 'number' ? arr(v)[k] : obj(v)[k];
    if (old) previous.set(saved.key, Array.isArray(v) ? v.join(', ') : str(v));
  }
  current = s;
  root.removeAttribute('aria-busy');
  if (s.state === 'invalid' || !s.document) {
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
    finish(started);
    return;
  }
  const doc = s.document;
  const lintCount = s.lintTotal;
  replaceChildren(
    root,
    h(
      'header',
      { class: 'pm-header' },
      h('div', { class: 'title-row' }, textField(['title'], doc.title, { label: 'Title', className: 'title grow', placeholder: 'What happened, for whom' })),
      lintNotes(['title'], true),
      h(
        'div',
        { class: 'grid meta' },
        field('Incident', textField(['incidentId'], doc.incidentId, { placeholder: 'INC-YYYY-NNN' })),
        field('Date', textField(['date'], doc.date, { type: 'date', removeEmpty: true })),
        field('Severity', select(['severity'], doc.severity, s.enums.severity, 'Severity')),
        field('Duration (minutes)', textField(['durationMinutes'], doc.durationMinutes, { type: 'number', parse: (v) => (v === '' ? undefined : Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : undefined) })),
      ),
      h(
        'div',
        { class: 'toolbar' },
        button('Export to Markdown', 'markdown', () => send({ type: 'export' }), { id: 'export' }),
        button('Open as text', 'go-to-file', () => send({ type: 'openAsText' }), { secondary: true }),
        lintCount ? h('span', { class: 'lint-count', id: 'lint-count' }, icon('warning'), ` ${lintCount} blameless-language warning${lintCount === 1 ? '' : 's'}`) : h('span', { class: 'ok', id: 'lint-count' }, icon('pass'), ' Blameless lint: no findings'),
      ),
      s.problems.length
        ? h(
            'div',
            { class: 'banner', role: 'alert', id: 'schema-problems' },
            icon('error'),
            h('div', {}, h('p', {}, 'Schema problems (fix them as text):'), ...s.problems.slice(0, 20).map((p) => h('p', {}, h('button', { class: 'link', onclick: () => send({ type: 'openAsText', line: p.line, column: p.column }) }, `${p.line}:${p.column}`), ' ', p.message))),
          )
        : null,
    ),
    section('Summary', 'summary', textArea(['summary'], doc.summary, 'Summary', 'What happened, in two or three sentences'), lintNotes(['summary'])),
    impactSection(doc),
    timelineSection(s),
    section(
      'Root cause',
      'rootCause',
      textArea(['rootCause'], doc.rootCause, 'Root cause', 'The mechanism, not the symptom'),
      lintNotes(['rootCause']),
      field('Trigger', textArea(['trigger'], doc.trigger, 'Trigger', 'What set it off'), lintNotes(['trigger'])),
      field('Resolution', textArea(['resolution'], doc.resolution, 'Resolution', 'What fixed it'), lintNotes(['resolution'])),
    ),
    stringList(doc, 'contributingFactors', 'Contributing factors', 'Conditions that made it worse or possible'),
    stringList(doc, 'whatWentWell', 'What went well', ''),
    stringList(doc, 'whatWentWrong', 'What went wrong', ''),
    stringList(doc, 'whereWeGotLucky', 'Where we got lucky', ''),
    actionItemsSection(doc, s),
    milestonesSection(doc, s),
    evidenceSection(doc),
    reviewSection(doc),
  );
  restoreFocus(saved, previous);
  finish(started);
}

function finish(started: number): void {
  view.lastRenderMs = performance.now() - started;
  root.dataset.version = String(current?.version ?? '');
  root.dataset.renderMs = view.lastRenderMs.toFixed(1);
  // For the benchmark and e2e tests: the page says which document version it shows.
  (window as unknown as { __pmRender?: { version?: number; ms: number } }).__pmRender = { ...(current ? { version: current.version } : {}), ms: view.lastRenderMs };
}
