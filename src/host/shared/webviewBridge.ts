import * as vscode from 'vscode';
import { isMessage, type HostToView } from '../../protocol/common';

/**
 * The host half of a webview's protocol: answers `ready` with a full snapshot, re-sends a snapshot on
 * request, and hands every other message to `onIntent` only if `isIntent` accepts its shape.
 */
export class WebviewBridge<Snapshot, Intent extends { type: string }> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private ready = false;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly snapshot: () => Promise<Snapshot>,
    private readonly isIntent: (message: { type: string }) => message is Intent,
    private readonly onIntent: (intent: Intent) => void | Promise<void>,
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

  /** Sends the current snapshot; before `ready` there is no page to receive it, and `ready` will ask. */
  async push(): Promise<void> {
    if (!this.ready) return;
    const message: HostToView<Snapshot> = { type: 'snapshot', snapshot: await this.snapshot() };
    await this.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
