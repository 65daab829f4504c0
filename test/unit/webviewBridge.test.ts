// The host half of the page protocol: a page that says `ready` again while its snapshot is still being
// made (a big profile read in the background) gets one copy, and a push after that copy was made is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { WebviewBridge } from '../../src/host/shared/webviewBridge';

/** A webview as the bridge sees it: messages from the page in, posted messages recorded. */
function pageChannel() {
  let listener: ((m: unknown) => Promise<void>) | undefined;
  const posted: unknown[] = [];
  const webview = {
    onDidReceiveMessage(l: (m: unknown) => Promise<void>) {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
    postMessage(m: unknown) {
      posted.push(m);
      return Promise.resolve(true);
    },
  } as unknown as vscode.Webview;
  return { webview, posted, say: (m: unknown) => listener!(m) };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('readys while the snapshot is being made are answered by one message with the snapshot made last', async () => {
  const page = pageChannel();
  const loaded = deferred<void>();
  let state = 'reading';
  let made = 0;
  const bridge = new WebviewBridge<{ state: string }, { type: 'x' }>(
    page.webview,
    async () => {
      await loaded.promise;
      made++;
      return { state };
    },
    (m): m is { type: 'x' } => m.type === 'x',
    () => undefined,
  );
  const answers = [page.say({ type: 'ready' }), page.say({ type: 'ready' }), page.say({ type: 'ready' }), bridge.push()];
  state = 'read';
  loaded.resolve();
  await Promise.all(answers);
  assert.equal(made, 1);
  assert.deepEqual(page.posted, [{ type: 'snapshot', snapshot: { state: 'read' } }]);
  // The snapshot is made and sent: a later change is a new message.
  state = 'heat off';
  await bridge.push();
  assert.deepEqual(page.posted.at(-1), { type: 'snapshot', snapshot: { state: 'heat off' } });
  assert.equal(page.posted.length, 2);
  bridge.dispose();
});

test('no page yet: a push sends nothing, and a failed snapshot does not block the next one', async () => {
  const page = pageChannel();
  let fail = true;
  const bridge = new WebviewBridge<{ n: number }, never>(
    page.webview,
    async () => {
      if (fail) throw new Error('unreadable');
      return { n: 1 };
    },
    (_m): _m is never => false,
    () => undefined,
  );
  await bridge.push();
  assert.equal(page.posted.length, 0);
  await assert.rejects(page.say({ type: 'ready' }), /unreadable/);
  fail = false;
  await bridge.push();
  assert.deepEqual(page.posted, [{ type: 'snapshot', snapshot: { n: 1 } }]);
});
