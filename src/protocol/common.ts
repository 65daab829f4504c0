/**
 * Messages every webview exchanges with the host. The webview says `ready` once its script runs; the host
 * answers with a complete snapshot (never a delta: a hidden webview may have missed anything before).
 * Everything after that from the webview is an intent, which the host is free to refuse. A protocol may
 * also declare events: host→page messages besides the snapshot (an answer to an intent, a notice), each
 * with its own `type` and checked by the page's guard before use. An event is transient: a page that was
 * hidden when it was posted never sees it, so a page re-created from its saved state asks again for what
 * it showed (the waterfall selects its span again and gets its detail anew).
 */
export interface ReadyMessage {
  type: 'ready';
}

export interface SnapshotMessage<Snapshot> {
  type: 'snapshot';
  snapshot: Snapshot;
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
