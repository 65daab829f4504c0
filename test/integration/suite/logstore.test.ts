// Logs where they live (issue #20) in a real extension host: a real VictoriaLogs fed with the demo service's
// logs, configured in incidentWorkbench.logStores with a header from SecretStorage; Load Logs… fills the
// Errors view and Find Log Patterns… the Patterns view from the store, with exact counts; an unreachable
// store is a message, not a crash, and leaves the views as they were.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const REPO = path.resolve(__dirname, '../../../..');
const WINDOW = { start: '2026-11-29T00:00:00Z', end: '2026-11-30T00:00:00Z' };
const config = () => vscode.workspace.getConfiguration('incidentWorkbench');

interface VL {
  url: string;
  port: number;
  stop(): Promise<void>;
  ingest(records: string, o?: { streamFields?: string[]; timeField?: string; msgField?: string }): Promise<number>;
}

describe('Log stores', function () {
  this.timeout(120_000);
  let vl: VL;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const support = (await import(pathToFileURL(path.join(REPO, 'test', 'support', 'victorialogs.mjs')).href)) as { startVictoriaLogs(o?: { args?: string[] }): Promise<VL> };
    // Basic auth on: the store answers only with the header kept in SecretStorage.
    vl = await support.startVictoriaLogs({ args: ['-httpAuth.username=iwb', '-httpAuth.password=demo-secret'] });
    await vl.ingest(readFileSync(path.join(REPO, 'demo', 'logs', 'service.jsonl'), 'utf8'), { streamFields: ['service'], timeField: 'timestamp', msgField: 'message' });
    await config().update('logStores', [{ name: 'test store', url: `victorialogs://127.0.0.1:${vl.port}`, query: 'service:recommend' }, { name: 'nowhere', url: 'victorialogs://127.0.0.1:9', query: '*' }], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await config().update('logStores', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('incidentWorkbench.setLogStoreHeaders', 'test store', null);
    await vl?.stop();
  });

  it('without its header the store refuses, and the message says how to fix it', async () => {
    await vscode.commands.executeCommand('incidentWorkbench.setLogStoreHeaders', 'test store', null);
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.loadLogs', { store: 'test store', ...WINDOW })) as { events: number; errors: { message: string }[] };
    assert.strictEqual(summary.events, 0);
    assert.match(summary.errors[0]!.message, /refused the request \(HTTP 401\)/);
  });

  it('Load Logs… from the store: only the error events travel, clustered as from the file', async () => {
    const ok = await vscode.commands.executeCommand('incidentWorkbench.setLogStoreHeaders', 'test store', { authorization: `Basic ${Buffer.from('iwb:demo-secret').toString('base64')}` });
    assert.strictEqual(ok, true);
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.loadLogs', { store: 'test store', ...WINDOW })) as { events: number; clusters: number; files: string[]; source: { kind: string; exact: boolean; linesScanned: number } };
    const lines = readFileSync(path.join(REPO, 'demo', 'logs', 'service.jsonl'), 'utf8').split('\n');
    const errorLines = lines.filter((l) => l.includes('"level": "ERROR"')).length;
    assert.strictEqual(summary.events, errorLines);
    assert.strictEqual(summary.source.linesScanned, errorLines);
    assert.strictEqual(summary.source.kind, 'victorialogs');
    assert.strictEqual(summary.source.exact, true);
    assert.deepStrictEqual(summary.files, ['test store']);
    assert.ok(summary.clusters >= 5, `${summary.clusters} clusters`);
  });

  it('a limit that cuts says so and marks the report not exact', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.loadLogs', { store: 'test store', ...WINDOW, limit: 5 })) as { events: number; source: { exact: boolean } };
    assert.strictEqual(summary.events, 5);
    assert.strictEqual(summary.source.exact, false);
  });

  it('Find Log Patterns… from the store: every line counted by the store, exactly', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.findLogPatterns', { store: 'test store', ...WINDOW })) as { patterns: number; lines: number; source: { exact: boolean; linesScanned: number } };
    const lines = readFileSync(path.join(REPO, 'demo', 'logs', 'service.jsonl'), 'utf8').trimEnd().split('\n').length;
    assert.strictEqual(summary.lines, lines);
    assert.strictEqual(summary.source.linesScanned, lines);
    assert.strictEqual(summary.source.exact, true);
    assert.ok(summary.patterns >= 8, `${summary.patterns} patterns`);
    // Reload asks the store again over the same window, not the files of an earlier session.
    const again = (await vscode.commands.executeCommand('incidentWorkbench.reloadPatterns')) as { lines: number; files: string[]; source: { exact: boolean } };
    assert.deepStrictEqual([again.lines, again.files, again.source.exact], [lines, ['test store'], true]);
  });

  it('an unreachable store, or one not configured, is a message, not a crash', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.findLogPatterns', { store: 'nowhere', ...WINDOW })) as { patterns: number; errors: { message: string }[] };
    assert.strictEqual(summary.patterns, 0);
    assert.match(summary.errors[0]!.message, /cannot reach VictoriaLogs at http:\/\/127\.0\.0\.1:9/);
    const unknown = await vscode.commands.executeCommand('incidentWorkbench.findLogPatterns', { store: 'no such store' });
    assert.strictEqual(unknown, undefined);
  });
});
