import { isMessage, type HostToView, type MessageGuard, type ViewToHost } from '../../src/protocol/common';
import { vscodeApi } from './vscodeApi';

/**
 * State changes of the page's own are saved at most this often (setState copies the snapshot too, MBs for
 * a big trace): the first at once, the last of a burst (arrow keys held down) when the time is up.
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

/**
 * The page half of the protocol: says `ready`, renders every snapshot the host sends, hands the
 * protocol's events to `events.on` once `events.guard` has checked their shape, and sends intents.
 * The last snapshot is kept with setState (with `state` of it), so a page re-created after being hidden
 * paints at once; after the host's first snapshot, `restore` gets what the previous page saved.
 */
export function connect<Snapshot, Intent extends { type: string }, State = unknown, Event extends { type: string } = never>(options: {
  render: (snapshot: Snapshot) => void;
  state?: (snapshot: Snapshot) => State;
  restore?: (saved: State, snapshot: Snapshot) => void;
  events?: { guard: MessageGuard<Event>; on: (event: Event) => void };
}): PageBridge<Intent> {
  const api = vscodeApi<{ snapshot?: Snapshot } & State>();
  const saved = api.getState();
  let last: Snapshot | undefined;
  let pendingSave: ReturnType<typeof setTimeout> | undefined;
  let lastSave = -Infinity;
  let restorePending = saved !== undefined && options.restore !== undefined;

  const save = (): void => {
    if (pendingSave !== undefined) clearTimeout(pendingSave);
    pendingSave = undefined;
    lastSave = performance.now();
    if (last !== undefined) api.setState({ ...(options.state?.(last) as State), snapshot: last });
  };

  if (saved?.snapshot) options.render(saved.snapshot);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isMessage(message)) return;
    if (message.type === 'snapshot') {
      last = (message as HostToView<Snapshot>).snapshot;
      save();
      options.render(last);
      if (restorePending) {
        restorePending = false;
        options.restore!(saved as State, last);
      }
    } else if (options.events?.guard(message)) {
      options.events.on(message);
    }
  });
  const ready: ViewToHost<Intent> = { type: 'ready' };
  api.postMessage(ready);
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
