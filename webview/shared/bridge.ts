import { isMessage, type HostToView, type ViewToHost } from '../../src/protocol/common';
import { vscodeApi } from './vscodeApi';

/**
 * The page half of the protocol: says `ready`, renders every snapshot the host sends, and sends intents.
 * The last snapshot is kept with setState, so a page re-created after being hidden paints at once.
 */
export function connect<Snapshot, Intent extends { type: string }, State = unknown>(options: {
  render: (snapshot: Snapshot) => void;
  state?: (snapshot: Snapshot) => State;
}): { send(intent: Intent): void } {
  const api = vscodeApi<{ snapshot?: Snapshot } & State>();
  const saved = api.getState();
  if (saved?.snapshot) options.render(saved.snapshot);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isMessage(message) || message.type !== 'snapshot') return;
    const snapshot = (message as HostToView<Snapshot>).snapshot;
    api.setState({ ...(options.state?.(snapshot) as State), snapshot });
    options.render(snapshot);
  });
  const ready: ViewToHost<Intent> = { type: 'ready' };
  api.postMessage(ready);
  return { send: (intent) => api.postMessage(intent) };
}
