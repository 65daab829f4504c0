// Error clusters in a real extension host: Load Logs on real python-json-logger logs, frames that open the
// workspace file at the line through incidentWorkbench.pathMappings, code lenses and hovers on those lines,
// details, filter, fingerprint, and adding a cluster to an incident through IncidentStore.update.
import { waitFor } from './wait';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'logs');

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

interface Summary {
  events: number;
  clusters: number;
  lines: number;
  skipped: number;
  files: string[];
}

describe('Error clusters', () => {
  let logFile: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // The shop's sources in the workspace, as a checkout of what runs in production under /app.
    const shop = path.join(FIXTURES, 'programs', 'shop');
    for (const name of fs.readdirSync(shop).filter((n) => n.endsWith('.py'))) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root(), 'shop', name), fs.readFileSync(path.join(shop, name)));
    }
    logFile = vscode.Uri.joinPath(root(), 'logs', 'shop.jsonl');
    const text = fs.readFileSync(path.join(FIXTURES, 'labelled.jsonl'), 'utf8');
    await vscode.workspace.fs.writeFile(logFile, Buffer.from(`${text}not a json line\n`));
    await vscode.workspace.getConfiguration('incidentWorkbench').update('pathMappings', { '/app': '${workspaceFolder}' }, vscode.ConfigurationTarget.Workspace);
  });

  it('Load Logs reads the file and reports clusters and skipped lines', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.loadLogs', logFile.fsPath)) as Summary;
    assert.strictEqual(summary.events, 480);
    assert.strictEqual(summary.clusters, 13);
    assert.strictEqual(summary.skipped, 1);
    assert.strictEqual(summary.lines, 961);
  });

  it('a frame opens the workspace file at its line through the path mapping', async () => {
    const uri = (await vscode.commands.executeCommand('incidentWorkbench.openErrorFrame', { file: '/app/shop/features.py', line: 6, function: 'validate' })) as vscode.Uri;
    assert.ok(uri, 'the frame resolved');
    assert.strictEqual(uri.fsPath, vscode.Uri.joinPath(root(), 'shop', 'features.py').fsPath);
    const editor = await waitFor('the editor', () => vscode.window.activeTextEditor);
    assert.strictEqual(editor.document.uri.fsPath, uri.fsPath);
    assert.strictEqual(editor.selection.active.line, 5);
    assert.match(editor.document.lineAt(5).text, /raise ValueError/);
  });

  it('a frame outside the workspace gets an explanation, not an editor', async () => {
    const result = vscode.commands.executeCommand('incidentWorkbench.openErrorFrame', { file: '/usr/local/lib/python3.11/json/decoder.py', line: 337 });
    // The warning waits for the user; the command resolves with undefined once it is dismissed.
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.strictEqual(await result, undefined);
  });

  it('shows "N production errors (…)" code lenses and a hover on failing lines', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root(), 'shop', 'features.py'));
    const lenses = await waitFor('code lenses', async () => {
      const l = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
      return l.some((x) => x.command?.title.includes('production error')) ? l : undefined;
    });
    const onRaise = lenses.filter((l) => l.range.start.line === 5 && l.command?.title.includes('production error'));
    assert.ok(onRaise.length >= 1, 'a lens on the raise line');
    assert.match(onRaise[0]!.command!.title, /^\$\(error\) \d+ production errors \(ValueError: Invalid input shape/);
    assert.strictEqual(onRaise[0]!.command!.command, 'incidentWorkbench.showErrorClusterDetails');
    const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(5, 8))) as vscode.Hover[];
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
      .join('\n')
      .replace(/&nbsp;/g, ' ')
      .replace(/\\/g, '');
    assert.match(text, /Production errors on this line/);
    assert.match(text, /ValueError: Invalid input shape/);
  });

  it('filters clusters and clears the filter', async () => {
    // Matches the frame function of one cluster only (endpoints such as /checkout are in every cluster).
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.filterErrorClusters', 'fallback_price'), 1);
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.filterErrorClusters', '/checkout'), 13);
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.clearErrorClustersFilter'), 13);
  });

  it('shows cluster details, copies the fingerprint and adds the cluster to an incident', async () => {
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', vscode.Uri.joinPath(root(), 'shop', 'features.py'))) as vscode.CodeLens[];
    const id = lenses.find((l) => l.command?.title.includes('ValueError'))!.command!.arguments![0] as string;
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.showErrorClusterDetails', id), id);
    await waitFor('the details panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('ValueError ×')));
    const fingerprint = (await vscode.commands.executeCommand('incidentWorkbench.copyErrorFingerprint', id)) as string;
    assert.match(fingerprint, /^[0-9a-f]{16}$/);
    assert.strictEqual(await vscode.env.clipboard.readText(), fingerprint);
    assert.ok(fingerprint.startsWith(id));

    const added = (await vscode.commands.executeCommand('incidentWorkbench.addErrorClusterToIncident', id, 'INC-2026-001')) as { path: string };
    assert.strictEqual(added.path, `evidence/errors/errors-${id}.json`);
    const incident = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), '.incidents', 'INC-2026-001', 'incident.json'))).toString('utf8')) as {
      evidence: { kind: string; path: string; note: string }[];
      events: { kind: string; text: string }[];
    };
    const item = incident.evidence.find((e) => e.path === added.path)!;
    assert.strictEqual(item.kind, 'errors');
    assert.match(item.note, /ValueError: Invalid input shape/);
    assert.match(incident.events[incident.events.length - 1]!.text, new RegExp(`Attached errors evidence: ${added.path} \\(Error cluster ${id}`));
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), '.incidents', 'INC-2026-001', added.path))).toString('utf8')) as { cluster: { fingerprint: string; count: number } };
    assert.strictEqual(saved.cluster.fingerprint, fingerprint);
    // A second time: a new file, the first is not overwritten.
    const again = (await vscode.commands.executeCommand('incidentWorkbench.addErrorClusterToIncident', id, 'INC-2026-001')) as { path: string };
    assert.strictEqual(again.path, `evidence/errors/errors-${id}-2.json`);
  });

  it('reports a missing file instead of failing', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.loadLogs', path.join(root().fsPath, 'no-such.jsonl'))) as Summary & { errors: { message: string }[] };
    assert.strictEqual(summary.files.length, 0);
    assert.strictEqual(summary.errors[0]!.message, 'does not exist');
    await vscode.commands.executeCommand('notifications.clearAll');
    // The previous report stays loaded.
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.clearErrorClustersFilter'), 13);
  });
});
