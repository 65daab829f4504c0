// Issue 19, item 6, in a real extension host: a command that takes a file asks with a quick pick whose
// first entry is the active incident's evidence of the kind it reads (not a bare file dialog), and
// cancelling it does nothing.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor } from './wait';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const LOG = (message: string) => `${JSON.stringify({ timestamp: '2026-11-20T09:00:00Z', level: 'ERROR', message, exception: { type: 'ValueError', message, traceback: `Traceback (most recent call last):\n  File "/app/service/x.py", line 3, in f\n    raise ValueError("${message}")\nValueError: ${message}` } })}\n`;

interface Summary {
  files: string[];
  events: number;
}

/** Runs a command that opens the pick, and accepts the entry the pick selects first once it has its items. */
async function acceptFirst<T>(command: string): Promise<T> {
  let settled = false;
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command)).finally(() => (settled = true));
  await waitFor(`${command} to take the first entry of its pick`, async () => {
    if (settled) return true;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return settled || undefined;
  });
  return result;
}

describe('Picking a file (issue 19)', function () {
  this.timeout(60000);
  let id: string;
  let previousActive: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    id = ((await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Pick a file', severity: 'LOW' })) as { id: string }).id;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root(), 'pick-a.jsonl'), Buffer.from(LOG('from the workspace')));
    const source = vscode.Uri.joinPath(root(), 'pick-incident.jsonl');
    await vscode.workspace.fs.writeFile(source, Buffer.from(LOG('from the incident')));
    const attached = (await vscode.commands.executeCommand('incidentWorkbench.attachEvidence', id, { uri: source, kind: 'logs' })) as { status: string };
    assert.strictEqual(attached.status, 'applied');
    previousActive = (await vscode.commands.executeCommand('incidentWorkbench.setActiveIncident', id)) as string | undefined;
  });

  after(async () => {
    await vscode.commands.executeCommand('incidentWorkbench.setActiveIncident', previousActive ?? null);
  });

  it('Load Logs offers the active incident’s log evidence first', async () => {
    const summary = await acceptFirst<Summary>('incidentWorkbench.loadLogs');
    assert.strictEqual(summary.files.length, 1);
    assert.match(summary.files[0]!.replace(/\\/g, '/'), new RegExp(`/\\.incidents/${id}/evidence/logs/pick-incident\\.jsonl$`));
    assert.strictEqual(summary.events, 1);
  });

  it('cancelling the pick does nothing', async () => {
    const pending = vscode.commands.executeCommand('incidentWorkbench.openTraceWaterfall');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await pending, undefined);
  });
});
