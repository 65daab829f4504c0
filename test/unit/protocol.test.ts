// The typed protocol's runtime parts: the intent guards the host trusts with messages from pages that render
// untrusted data, and the list of webview apps the build and the HTML builder share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isAbIntent } from '../../src/protocol/abtest';
import { WEBVIEW_APPS } from '../../src/protocol/apps';
import { isErrorDetailsIntent } from '../../src/protocol/errorDetails';
import { isFlamegraphIntent } from '../../src/protocol/flamegraph';
import { isIncidentOverviewIntent } from '../../src/protocol/incidentOverview';
import { isMlModelIntent } from '../../src/protocol/mlmodel';
import { isPostmortemIntent } from '../../src/protocol/postmortem';
import { isRollbackIntent } from '../../src/protocol/rollback';
import { isWaterfallIntent } from '../../src/protocol/waterfall';
import { repoRoot } from './helpers';

type Guard = (m: { type: string }) => boolean;
type Message = { type: string } & Record<string, unknown>;

/** Per page: intents it really sends, and messages of the right type with the wrong shape. */
const CASES: [string, Guard, Message[], Message[]][] = [
  ['abtest', isAbIntent, [{ type: 'openAsText' }, { type: 'attachToIncident' }], [{ type: 'rollBack' }]],
  [
    'errorDetails',
    isErrorDetailsIntent,
    [{ type: 'openFrame', index: 0 }, { type: 'openSample', index: 3 }, { type: 'addToIncident' }, { type: 'copyFingerprint' }, { type: 'revealInTree' }],
    [{ type: 'openFrame' }, { type: 'openSample', index: '1' }, { type: 'openFrame', index: 1.5 }],
  ],
  [
    'incidentOverview',
    isIncidentOverviewIntent,
    [{ type: 'openIncidentFile' }, { type: 'openIncidentFile', line: 3, column: 1 }, { type: 'openEvidence', path: 'evidence/a.json' }, { type: 'revealInTree' }],
    [{ type: 'openEvidence' }, { type: 'openEvidence', path: 7 }],
  ],
  ['mlmodel', isMlModelIntent, [{ type: 'runRobustness' }, { type: 'openLine', line: 4 }, { type: 'openSettings' }], [{ type: 'openLine' }, { type: 'openLine', line: 'x' }]],
  [
    'rollback',
    isRollbackIntent,
    [{ type: 'rollBack' }, { type: 'refresh' }, { type: 'openSettings' }, { type: 'openFile', which: 'baseline' }, { type: 'openFile', which: 'current' }],
    [{ type: 'openFile' }, { type: 'openFile', which: '../../etc/passwd' }],
  ],
  ['flamegraph', isFlamegraphIntent, [{ type: 'openSourceFor', file: 'a.py', line: 3 }, { type: 'setHeat', on: true }], [{ type: 'setHeat', on: 'yes' }]],
  [
    'postmortem',
    isPostmortemIntent,
    [{ type: 'set', version: 3, path: ['summary'], value: 'x', was: null, seq: 1 }, { type: 'remove', version: 3, path: ['timeline', 1], row: 'r2', was: { event: 'x' } }, { type: 'export' }],
    // A change without the version it was made against, or through a row without naming the row, is refused.
    [{ type: 'set', path: [] }, { type: 'set', path: ['summary'], value: 'x' }, { type: 'remove', version: 3, path: ['timeline', 1] }, { type: 'remove', version: 3, path: ['timeline', 1], row: { id: 2 } }],
  ],
  ['waterfall', isWaterfallIntent, [{ type: 'selectSpan', row: 2 }, { type: 'loadLogs' }], [{ type: 'selectSpan', row: -1 }]],
];

test('every page’s intent guard accepts what the page sends and refuses wrong shapes and other pages’ intents', () => {
  for (const [page, guard, valid, invalid] of CASES) {
    for (const m of valid) assert.equal(guard(m), true, `${page} refuses ${JSON.stringify(m)}`);
    for (const m of invalid) assert.equal(guard(m), false, `${page} accepts ${JSON.stringify(m)}`);
    assert.equal(guard({ type: 'ready' }), false, `${page} takes the handshake for an intent`);
    assert.equal(guard({ type: '__proto__' }), false);
  }
});

test('intent guards never throw, whatever a page posts (property)', () => {
  const types = [...new Set(CASES.flatMap(([, , valid]) => valid.map((m) => m.type)))];
  const message = fc.record({ type: fc.oneof(fc.constantFrom(...types), fc.string()) }, { requiredKeys: ['type'] }).chain((m) =>
    fc.dictionary(fc.constantFrom('index', 'line', 'column', 'path', 'which', 'file', 'on', 'row', 'value', 'key', 'view', 'threads', 'frame', 'query', 'series', 'traceId'), fc.anything()).map((extra) => ({ ...extra, ...m })),
  );
  fc.assert(
    fc.property(message, (m) => {
      for (const [, guard] of CASES) guard(m);
    }),
  );
});

test('WEBVIEW_APPS names exactly the webview/<app>/index.ts bundles', () => {
  const folders = readdirSync(path.join(repoRoot, 'webview'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(repoRoot, 'webview', d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
  assert.deepEqual([...WEBVIEW_APPS].sort(), folders);
});
