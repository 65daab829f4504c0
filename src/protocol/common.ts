/**
 * Messages every webview exchanges with the host. The webview says `ready` once its script runs; the host
 * answers with a complete snapshot (never a delta: a hidden webview may have missed anything before).
 * Everything after that from the webview is an intent, which the host is free to refuse.
 */
export interface ReadyMessage {
  type: 'ready';
}

export interface SnapshotMessage<Snapshot> {
  type: 'snapshot';
  snapshot: Snapshot;
}

export type HostToView<Snapshot> = SnapshotMessage<Snapshot>;
export type ViewToHost<Intent> = ReadyMessage | Intent;

/** Intents arrive from a page that renders untrusted data; check the shape before acting on one. */
export function isMessage(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
