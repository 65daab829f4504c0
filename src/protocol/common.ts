/**
 * Messages every webview exchanges with the host. The webview says `ready` once its script runs; the host
 * answers with a complete snapshot (never a delta: a hidden webview may have missed anything before).
 * Everything after that from the webview is an intent, which the host is free to refuse. A protocol may
 * also declare events: host→page messages besides the snapshot (an answer to an intent, a notice), each
 * with its own `type` and checked by the page's guard before use. An event is transient: a page that was
 * hidden when it was posted never sees it, so a page re-created from its saved state asks again for what
 * it showed (the waterfall selects its span again and gets its detail anew).
 *
 * A page is re-created whenever VS Code shows it again: after its tab was hidden, after a window reload,
 * after it moved to another editor group. It never keeps a snapshot: it says `ready` and the host sends
 * one again. What it keeps with setState is `SavedPage`: its own small view state and the host's `reopen`.
 */
export interface ReadyMessage {
  type: 'ready';
}

export interface SnapshotMessage<Snapshot> {
  type: 'snapshot';
  snapshot: Snapshot;
  /**
   * What the host needs to open this panel again after a window reload (a panel serializer receives it
   * back): file URIs, an incident id. The page stores it as it is and never reads it.
   */
  reopen?: unknown;
}

/**
 * What a page keeps through hide/show, reloads and moves with setState: JSON values only (typed arrays
 * come back as plain objects), so never a snapshot. `page` is the page's own view state (a selection, a
 * zoom), `reopen` the host's (see SnapshotMessage).
 */
export interface SavedPage<State = unknown> {
  page?: State;
  reopen?: unknown;
}

/** `Event` is the union of a protocol's events (never: none); no event may be called `snapshot`. */
export type HostToView<Snapshot, Event extends { type: string } = never> = SnapshotMessage<Snapshot> | NotSnapshot<Event>;
export type NotSnapshot<Event extends { type: string }> = Event extends { type: 'snapshot' } ? never : Event;
export type ViewToHost<Intent> = ReadyMessage | Intent;

/** A guard over a message whose `type` field is a string: the page checks events with one, the host intents. */
export type MessageGuard<T extends { type: string }> = (message: { type: string }) => message is T;

/** Intents arrive from a page that renders untrusted data; check the shape before acting on one. */
export function isMessage(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The host's `reopen` from what a panel serializer got back, if it passes `check`. */
export function reopenState<T>(saved: unknown, check: (value: unknown) => value is T): T | undefined {
  const reopen = typeof saved === 'object' && saved !== null ? (saved as SavedPage).reopen : undefined;
  return check(reopen) ? reopen : undefined;
}
