import type * as vscode from 'vscode';
import { isMessage, type HostToView, type NotSnapshot } from '../../protocol/common';

/**
 * The host half of a webview's protocol: answers every `ready` with a full snapshot (a page re-created
 * after being hidden, a window reload or a move to another editor group says `ready` again and is drawn
 * from it), re-sends a snapshot on request, posts the protocol's typed events (`Event`, none by default),
 * and hands every other message to `onIntent` only if `isIntent` accepts its shape. `reopen` is what a
 * panel serializer needs to open the panel again after a reload: it travels with each snapshot, the page
 * keeps it with setState, and VS Code hands it back to the serializer (see SavedPage).
 */
export class WebviewBridge<Snapshot, Intent extends { type: string }, Event extends { type: string } = never> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private ready = false;
  /** The push whose snapshot is still being made, if any. */
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly snapshot: () => Promise<Snapshot>,
    private readonly isIntent: (message: { type: string }) => message is Intent,
    private readonly onIntent: (intent: Intent) => void | Promise<void>,
    private readonly options: { reopen?: () => unknown } = {},
  ) {
    this.subscription = webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === 'ready') {
        this.ready = true;
        await this.push();
      } else if (this.isIntent(message)) {
        await this.onIntent(message);
      }
    });
  }

  /**
   * Sends the current snapshot; before `ready` there is no page to receive it, and `ready` will ask. A push
   * asked while another one still waits for its snapshot joins that one: its snapshot is made later, so it
   * is as new, and a page that said `ready` again while a big file was read gets one copy, not one per `ready`.
   */
  push(): Promise<void> {
    if (!this.ready) return Promise.resolve();
    if (this.waiting) return this.waiting;
    const made = this.snapshot().finally(() => {
      this.waiting = undefined;
    });
    const sending = (async () => {
      const snapshot = await made;
      const reopen = this.options.reopen?.();
      const message: HostToView<Snapshot, Event> = { type: 'snapshot', snapshot, ...(reopen !== undefined ? { reopen } : {}) };
      await this.webview.postMessage(message);
    })();
    this.waiting = sending;
    return sending;
  }

  /** Posts one event; the page checks its shape with the protocol's guard before using it. */
  post(event: NotSnapshot<Event>): Thenable<boolean> {
    const message: HostToView<Snapshot, Event> = event;
    return this.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
