import { h } from './dom';

/** One line of a page's keyboard help: the keys, and what they do. */
export type KeyHelp = readonly [keys: string, what: string];

/**
 * The page's "?" help: a button at the top right that shows the keys of this page, also opened by
 * pressing "?" anywhere outside a text field and closed by Escape (focus goes back where it was).
 * Each page lists its own keys, so what a page documents is what it handles.
 */
export function keyboardHelp(keys: readonly KeyHelp[], intro?: string): HTMLElement {
  const panelId = 'iwb-keys';
  const panel = h('div', { class: 'keys-panel', id: panelId, role: 'dialog', 'aria-label': 'Keyboard shortcuts', hidden: true },
    h('h2', {}, 'Keyboard'),
    intro ? h('p', { class: 'muted' }, intro) : null,
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Keys'), h('th', { scope: 'col' }, 'Action'))),
      h('tbody', {}, ...keys.map(([k, what]) => h('tr', {}, h('td', {}, ...k.split(' / ').flatMap((key, i) => [i ? ' or ' : null, h('kbd', {}, key)])), h('td', {}, what))))),
    h('p', { class: 'muted' }, 'Press ? to show or hide this list, Escape to close it.'),
  );
  const button = h('button', { class: 'keys-button', type: 'button', 'aria-expanded': 'false', 'aria-controls': panelId, title: 'Keyboard shortcuts (?)' }, '?', h('span', { class: 'sr-only' }, ' Keyboard shortcuts'));
  let returnTo: Element | null = null;
  const show = (open: boolean) => {
    if (open === !panel.hidden) return;
    if (open) returnTo = document.activeElement;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) button.focus();
    else if (returnTo instanceof HTMLElement && returnTo !== document.body) returnTo.focus();
  };
  button.addEventListener('click', () => show(panel.hidden));
  const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.tagName.startsWith('VSCODE-TEXT'));
  window.addEventListener('keydown', (e) => {
    if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
      e.preventDefault();
      show(panel.hidden);
    } else if (e.key === 'Escape' && !panel.hidden) {
      e.preventDefault();
      e.stopPropagation();
      show(false);
    }
  }, true);
  return h('div', { class: 'keys' }, button, panel);
}
