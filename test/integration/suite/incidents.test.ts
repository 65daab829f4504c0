// The foundation's commands, run in a real extension host against the copied fixture workspace.
import { waitFor } from './wait';
import * as assert from 'assert';
import * as vscode from 'vscode';
import { readFileSync } from 'fs';
import * as path from 'path';

const EXTENSION_ID = 'incident-workbench.incident-workbench';

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

async function readJson(...segments: string[]): Promise<Record<string, unknown>> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), ...segments));
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

async function write(text: string, ...segments: string[]): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(root(), ...segments);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

describe('Incident Workbench foundation', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('registers every command it contributes', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, []);
  });

  it('reports its activation time', async () => {
    const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as { activationMs: number };
    assert.strictEqual(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0);
  });

  it('New Incident creates the next id with a valid incident.json and an opened event', async () => {
    const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Login errors after deploy', severity: 'CRITICAL' })) as { id: string };
    assert.ok(incident, 'the command returns the incident');
    assert.match(incident.id, /^INC-\d{4}-\d{3}$/);
    const onDisk = await readJson('.incidents', incident.id, 'incident.json');
    assert.strictEqual(onDisk.title, 'Login errors after deploy');
    assert.strictEqual(onDisk.severity, 'CRITICAL');
    assert.strictEqual(onDisk.status, 'OPEN');
    assert.ok(typeof onDisk.reportedBy === 'string' && onDisk.reportedBy.length > 0);
    assert.strictEqual((onDisk.events as { kind: string }[])[0]!.kind, 'opened');
    const second = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Second', severity: 'LOW' })) as { id: string };
    assert.notStrictEqual(second.id, incident.id);
  });

  it('New Incident refuses an empty title and writes nothing', async () => {
    const before = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root(), '.incidents'))).length;
    const result = await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: '   ', severity: 'LOW' });
    assert.strictEqual(result, undefined);
    assert.strictEqual((await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root(), '.incidents'))).length, before);
  });

  it('uses the reporterName setting when set', async () => {
    const config = vscode.workspace.getConfiguration('incidentWorkbench');
    await config.update('reporterName', 'Dana On-Call', vscode.ConfigurationTarget.Workspace);
    try {
      const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Reporter check', severity: 'MEDIUM' })) as { id: string };
      assert.strictEqual((await readJson('.incidents', incident.id, 'incident.json')).reportedBy, 'Dana On-Call');
    } finally {
      await config.update('reporterName', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Validate Incident Files puts schema problems with positions in the Problems panel and changes nothing', async () => {
    const broken = '{\n  "id": "INC-2026-090",\n  "title": "Broken",\n  "severity": "SEV-1",\n  "status": "OPEN",\n  "reportedBy": "x",\n  "reportedAt": "2026-11-01T10:00:00Z"\n}\n';
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(root(), '.incidents', 'INC-2026-090'));
    const uri = await write(broken, '.incidents', 'INC-2026-090', 'incident.json');
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.validateIncidentFiles')) as { checked: number; invalid: number };
    assert.ok(summary.checked >= 2);
    assert.strictEqual(summary.invalid, 1);
    const ours = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Incident Workbench');
      return d.length > 0 ? d : undefined;
    });
    assert.strictEqual(ours[0]!.range.start.line, 3);
    assert.strictEqual(ours[0]!.range.start.character, 2);
    assert.match(ours[0]!.message, /\/severity must be one of/);
    assert.strictEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), broken);

    // Fixing the file clears its diagnostics (the watcher re-validates).
    await write(broken.replace('SEV-1', 'HIGH'), '.incidents', 'INC-2026-090', 'incident.json');
    await waitFor('diagnostics to clear', () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Incident Workbench').length === 0 || undefined);
  });

  it('Open incident.json opens the file at a given line and column', async () => {
    const editor = (await vscode.commands.executeCommand('incidentWorkbench.openIncidentFile', 'INC-2026-001', 4, 3)) as vscode.TextEditor;
    assert.ok(editor);
    assert.ok(editor.document.uri.path.endsWith('/.incidents/INC-2026-001/incident.json'));
    assert.deepStrictEqual([editor.selection.active.line, editor.selection.active.character], [3, 2]);
  });

  it('Show Incident Overview opens one webview panel per incident', async () => {
    await vscode.commands.executeCommand('incidentWorkbench.showIncident', 'INC-2026-001');
    await vscode.commands.executeCommand('incidentWorkbench.showIncident', 'INC-2026-001');
    const tabs = await waitFor('the overview tab', () => {
      const t = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('incidentWorkbench.incidentOverview'));
      return t.length > 0 ? t : undefined;
    });
    assert.strictEqual(tabs.length, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Open Incident Folder resolves the folder of an incident and refuses unknown ids', async () => {
    const uri = (await vscode.commands.executeCommand('incidentWorkbench.openIncidentFolder', 'INC-2026-001')) as vscode.Uri;
    assert.ok(uri.path.endsWith('/.incidents/INC-2026-001'));
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.openIncidentFolder', 'INC-1999-999'), undefined);
  });

  it('keeps fields it does not know in files it did not write', async () => {
    const onDisk = await readJson('.incidents', 'INC-2026-001', 'incident.json');
    assert.deepStrictEqual(onDisk['x-kept-by-tools'], { note: 'an unknown field that every write must preserve' });
  });

  it('contributes JSON schema validation for incident files', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (const v of manifest.contributes.jsonValidation) {
      const schema = JSON.parse(readFileSync(path.join(ext.extensionPath, v.url), 'utf8'));
      assert.strictEqual(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    }
  });
});
