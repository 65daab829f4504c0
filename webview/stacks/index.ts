// The stack dump view: what is stuck and why (findings first), then every thread with its frames, the
// frames that did not move between dumps marked "stuck". Frames are buttons (Tab, Enter) that open the
// source line. Every name, path and local value is hostile input: all of it goes in as text.
import type { FindingKind } from '../../src/core/stacks/analyze';
import type { StackFrameView, StackThreadView, StacksIntent, StacksSnapshot, StacksViewState } from '../../src/protocol/stacks';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import { keyboardHelp } from '../shared/help';

const root = document.getElementById('app')!;
const view: Required<StacksViewState> = { onlyStuck: false, showLibrary: true };
let snap: StacksSnapshot | undefined;

const KIND_LABEL: Record<FindingKind, string> = {
  deadlock: 'Deadlock',
  'lock-wait': 'Lock wait',
  'io-wait': 'I/O wait',
  sleep: 'Sleep',
  'busy-loop': 'Busy loop',
};
const KIND_ICON: Record<FindingKind, string> = { deadlock: 'error', 'lock-wait': 'lock', 'io-wait': 'plug', sleep: 'watch', 'busy-loop': 'sync' };

const bridge = connect<StacksSnapshot, StacksIntent, { view: StacksViewState }>({
  render,
  state: () => ({ view }),
  restore: (saved) => {
    Object.assign(view, saved.view ?? {});
    if (snap) render(snap);
  },
});

function where(file: string, line: number): string {
  return `${file}${line ? `:${line}` : ''}`;
}

function open(file: string, line: number): void {
  if (file) bridge.send({ type: 'openSource', file, line });
}

function badge(text: string, kind: string): HTMLElement {
  return h('span', { class: `st-badge st-${kind}` }, text);
}

function findingsSection(s: StacksSnapshot): HTMLElement {
  if (s.findings.length === 0) {
    return h('section', { 'aria-labelledby': 'st-findings' }, h('h2', { id: 'st-findings' }, 'Findings'), h('p', { class: 'empty' }, s.dumps >= 2 ? 'Nothing is stuck: every thread moved between dumps or waits for new work.' : 'No wait or deadlock recognised in this dump.'));
  }
  return h(
    'section',
    { 'aria-labelledby': 'st-findings' },
    h('h2', { id: 'st-findings' }, `Findings (${s.findings.length})`),
    h(
      'ul',
      { class: 'st-findings' },
      ...s.findings.map((f) =>
        h(
          'li',
          { class: `st-finding st-finding-${f.kind}` },
          icon(KIND_ICON[f.kind]),
          ' ',
          badge(KIND_LABEL[f.kind], f.kind),
          ' ',
          h('span', { class: 'st-message' }, f.message),
          ' ',
          f.file ? h('button', { class: 'link st-open', title: `Open ${where(f.file, f.line)}`, onclick: () => open(f.file, f.line) }, where(f.file, f.line)) : null,
        ),
      ),
    ),
  );
}

function frameItem(f: StackFrameView): HTMLElement {
  const label = `${f.function} — ${where(f.file, f.line)}`;
  const main = f.file && !f.native
    ? h('button', { class: `link st-frame${f.focus ? ' st-focus' : ''}`, title: `Open ${where(f.file, f.line)}`, onclick: () => open(f.file, f.line) }, label)
    : h('span', { class: 'st-frame' }, label);
  const locals = f.locals?.length
    ? h('details', { class: 'st-locals' }, h('summary', {}, `${f.locals.length} local${f.locals.length === 1 ? '' : 's'}`), h('table', {}, h('tbody', {}, ...f.locals.map((l) => h('tr', {}, h('th', { scope: 'row' }, l.name, l.arg ? h('span', { class: 'muted' }, ' (argument)') : null), h('td', { class: 'mono text' }, l.repr ?? '?'))))))
    : null;
  return h(
    'li',
    { class: `${f.library ? 'st-lib' : ''}${f.still ? ' st-still' : ''}` },
    f.still ? badge('stuck', 'stuck') : null,
    f.still ? ' ' : null,
    main,
    f.code ? h('div', { class: 'mono st-code' }, f.code) : null,
    locals,
  );
}

function threadSection(t: StackThreadView): HTMLElement {
  const state: HTMLElement[] = [];
  if (t.active !== null) state.push(badge(t.active ? 'active' : 'idle', t.active ? 'active' : 'idle'));
  if (t.gil) state.push(badge('holds the GIL', 'gil'));
  if (t.stuck) state.push(badge('stuck', 'stuck'));
  if (t.waitingForWork) state.push(badge('waiting for work', 'idle'));
  for (const k of t.findings) state.push(badge(KIND_LABEL[k], k));
  const frames = view.showLibrary ? t.frames : t.frames.filter((f) => !f.library || f.still || f.focus);
  return h(
    'section',
    { class: `st-thread${t.stuck ? ' st-thread-stuck' : ''}`, 'aria-label': `Thread ${t.id} ${t.name}` },
    h('h3', {}, `Thread ${t.id}${t.name ? ` "${t.name}"` : ''} `, ...state.flatMap((b) => [b, ' '])),
    t.wait ? h('p', { class: 'st-wait' }, `Waits ${t.wait.what}`) : null,
    frames.length === 0 ? h('p', { class: 'empty' }, 'No Python frame.') : h('ol', { class: 'st-frames', 'aria-label': 'Frames, innermost first' }, ...frames.map(frameItem)),
  );
}

function toggles(): HTMLElement {
  const check = (label: string, key: keyof StacksViewState) => {
    const input = h('input', { type: 'checkbox', checked: view[key] }) as HTMLInputElement;
    input.addEventListener('change', () => {
      view[key] = input.checked;
      bridge.saveState();
      if (snap) renderThreads(snap);
    });
    return h('label', { class: 'wf-toggle' }, input, label);
  };
  const text = h('button', { class: 'link', onclick: () => bridge.send({ type: 'openAsText' }) }, 'Open as text');
  return h('div', { class: 'toolbar' }, check('Only stuck threads', 'onlyStuck'), check('Library frames', 'showLibrary'), text);
}

const threadsBox = h('section', { 'aria-labelledby': 'st-threads' });
const help = keyboardHelp([
  ['Tab / Shift+Tab', 'next / previous finding, frame link or filter'],
  ['Enter', 'on a frame or finding link: open its line beside; on "locals": show or hide the frame\'s local variables'],
  ['Space', 'on a filter: switch it'],
]);

function renderThreads(s: StacksSnapshot): void {
  const shown = view.onlyStuck ? s.threads.filter((t) => t.stuck || t.findings.length > 0) : s.threads;
  replaceChildren(
    threadsBox,
    h('h2', { id: 'st-threads' }, `Threads (${shown.length}${shown.length !== s.threads.length ? ` of ${s.threads.length}` : ''})`),
    shown.length === 0 ? h('p', { class: 'empty' }, 'No stuck thread.') : null,
    ...shown.map(threadSection),
  );
}

function render(s: StacksSnapshot): void {
  root.removeAttribute('aria-busy');
  snap = s;
  if (s.error) {
    replaceChildren(root, help, h('h1', {}, s.title), h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error))));
    return;
  }
  replaceChildren(
    root,
    help,
    h('header', {}, h('h1', {}, s.title), h('p', { class: 'muted' }, s.description)),
    ...s.warnings.map((w) => h('div', { class: 'banner', role: 'status' }, icon('warning'), h('div', {}, w))),
    findingsSection(s),
    toggles(),
    threadsBox,
  );
  renderThreads(s);
}
