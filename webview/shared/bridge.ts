import { isMessage, type HostToView, type MessageGuard, type SavedPage, type SnapshotMessage, type ViewToHost } from '../../src/protocol/common';
import { h, icon, replaceChildren } from './dom';
import { vscodeApi } from './vscodeApi';

/**
 * The page's own state changes are saved at most this often (a selection held down with an arrow key):
 * the first at once, the last of a burst when the time is up.
 */
const SAVE_EVERY_MS = 300;

export interface PageBridge<Intent> {
  send(intent: Intent): void;
  /**
   * Saves the page's state again after a change of its own (a selection, not a snapshot): the next
   * incarnation of the page gets it in `restore`. A burst of calls is saved at its start and its end.
   */
  saveState(): void;
}

/** JSON in, JSON out: what setState keeps is exactly what the next page gets back (no typed arrays). */
function plain<T>(value: T): T | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
}

/** What the previous incarnation of this page saved of its own (before `connect`, for initial view settings). */
export function savedPageState<State>(): Partial<State> | undefined {
  const saved = vscodeApi<SavedPage<State>>().getState();
  return saved && typeof saved === 'object' && saved.page && typeof saved.page === 'object' ? saved.page : undefined;
}

/**
 * The page half of the protocol, the same for every page: it says `ready` first, whatever state it was
 * re-created with (hidden and shown, a window reload, a move to another editor group), and draws only what
 * the host sends. It never keeps a snapshot: VS Code keeps setState as JSON, where typed arrays do not
 * survive, and a page that drew a stale copy and failed never asked again. After the first snapshot,
 * `restore` gets what the previous page saved with `state` (a selection, a zoom). A render that throws
 * shows its error instead of a blank page, and the next snapshot is drawn again. A theme change (VS Code
 * swaps the --vscode-* variables) calls `themeChanged`, by default a new render of the last snapshot, so
 * canvases repaint in the new colours.
 */
export function connect<Snapshot, Intent extends { type: string }, State = unknown, Event extends { type: string } = never>(options: {
  render: (snapshot: Snapshot) => void;
  state?: (snapshot: Snapshot) => State;
  restore?: (saved: State, snapshot: Snapshot) => void;
  events?: { guard: MessageGuard<Event>; on: (event: Event) => void };
  themeChanged?: () => void;
}): PageBridge<Intent> {
  const api = vscodeApi<SavedPage<State>>();
  const saved = savedPageState<State>();
  let last: Snapshot | undefined;
  let reopen: unknown;
  let pendingSave: ReturnType<typeof setTimeout> | undefined;
  let lastSave = -Infinity;
  let restorePending = saved !== undefined && options.restore !== undefined;

  const save = (): void => {
    if (pendingSave !== undefined) clearTimeout(pendingSave);
    pendingSave = undefined;
    lastSave = performance.now();
    const page = last !== undefined && options.state ? plain(options.state(last)) : undefined;
    api.setState({ ...(page !== undefined ? { page } : saved !== undefined ? { page: saved as State } : {}), ...(reopen !== undefined ? { reopen } : {}) });
  };

  const guarded = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      console.error(`Incident Workbench: ${what} failed`, e);
      const app = document.getElementById('app');
      if (app) {
        app.removeAttribute('aria-busy');
        replaceChildren(app, h('h1', {}, document.title), h('div', { class: 'banner', role: 'alert' }, icon('error'), h('p', {}, `This view could not be drawn: ${e instanceof Error ? e.message : String(e)}`)));
      }
    }
  };

  // `ready` before anything that could fail: the host's answer is what the page draws. A page re-created
  // while VS Code moves its editor to another group can say it before the host listens again; until the
  // first snapshot arrives it says it again (the host answers each with the same full snapshot).
  const ready: ViewToHost<Intent> = { type: 'ready' };
  api.postMessage(ready);
  // The page's script ran (the end-to-end tests tell a page that got no data from one that never loaded).
  document.documentElement.dataset.iwbBridge = 'ready';
  let askAgain: ReturnType<typeof setTimeout> | undefined;
  const retry = (wait: number): void => {
    askAgain = setTimeout(() => {
      if (last !== undefined) return;
      api.postMessage(ready);
      retry(Math.min(wait * 2, 8000));
    }, wait);
  };
  retry(1000);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isMessage(message)) return;
    if (message.type === 'snapshot') {
      const m = message as SnapshotMessage<Snapshot>;
      clearTimeout(askAgain);
      last = m.snapshot;
      reopen = plain(m.reopen);
      guarded('drawing the view', () => options.render(m.snapshot));
      if (restorePending) {
        restorePending = false;
        guarded('restoring the view', () => options.restore!(saved as State, m.snapshot));
      }
      save();
    } else if (options.events?.guard(message)) {
      const e = message as HostToView<Snapshot, Event> as Event;
      guarded('showing an update', () => options.events!.on(e));
    }
  });

  // Coming back to the page (from the source it opened, another editor group, another window), the focus
  // returns to the control that had it: the chart with its selection, not the top of the page.
  let lastFocused: HTMLElement | undefined;
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLElement && e.target !== document.body) lastFocused = e.target;
  });
  window.addEventListener('focus', () => {
    if ((document.activeElement === document.body || document.activeElement === null) && lastFocused?.isConnected) lastFocused.focus({ preventScroll: true });
  });

  let themeTimer: ReturnType<typeof setTimeout> | undefined;
  new MutationObserver(() => {
    clearTimeout(themeTimer);
    themeTimer = setTimeout(() => {
      if (last === undefined) return;
      const snapshot = last;
      guarded('repainting in the new theme', () => (options.themeChanged ? options.themeChanged() : options.render(snapshot)));
    }, 50);
  }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });

  return {
    send: (intent) => api.postMessage(intent),
    saveState: () => {
      if (pendingSave !== undefined) return;
      const wait = lastSave + SAVE_EVERY_MS - performance.now();
      if (wait <= 0) save();
      else pendingSave = setTimeout(save, wait);
    },
  };
}
