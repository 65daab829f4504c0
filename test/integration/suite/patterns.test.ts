// Log patterns in a real extension host: Find Log Patterns on the demo service's real log across its deploy,
// what is new since the release changed, the logging call behind a pattern (opened in the editor, code
// lens with the production count), a log line to its call, filter and sort, and a pattern added to an
// incident through the writer.
import { waitFor } from './wait';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const DEMO = path.join(__dirname, '..', '..', '..', '..', 'demo');

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

interface Summary {
  patterns: number;
  records: number;
  lines: number;
  newPatterns: number;
  files: string[];
  skipped: string[];
}

const FALLBACK = 'item <num> is not in the catalogue, falling back to the candidate list';

describe('Log patterns', () => {
  let logFile: vscode.Uri;
  let catalogue: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // The demo service's sources in the workspace, and its log across the deploy of release 2026.11.29.
    for (const name of fs.readdirSync(path.join(DEMO, 'service')).filter((n) => n.endsWith('.py'))) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root(), 'service', name), fs.readFileSync(path.join(DEMO, 'service', name)));
    }
    catalogue = vscode.Uri.joinPath(root(), 'service', 'catalogue.py');
    logFile = vscode.Uri.joinPath(root(), 'logs', 'deploy.jsonl');
    const text = fs.readFileSync(path.join(DEMO, 'logs', 'deploy.jsonl'));
    await vscode.workspace.fs.writeFile(logFile, Buffer.concat([text, Buffer.from('\u0000\u0001 binary line\n')]));
  });

  it('Find Log Patterns reads the log and finds what is new since the deploy in its release field', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.findLogPatterns', logFile.fsPath)) as Summary;
    const lines = fs.readFileSync(path.join(DEMO, 'logs', 'deploy.jsonl'), 'utf8').trimEnd().split('\n').length + 1;
    assert.strictEqual(summary.lines, lines);
    assert.ok(summary.patterns >= 5, `${summary.patterns} patterns`);
    assert.ok(summary.newPatterns >= 1);
    assert.deepStrictEqual(summary.skipped, ['1 line skipped: binary data — first at logs/deploy.jsonl:' + lines]);
    const result = (await vscode.commands.executeCommand('incidentWorkbench.showNewPatterns', 'deploy')) as { cutoff: { label: string; kind: string }; newPatterns: number; jumped: number };
    assert.strictEqual(result.cutoff.kind, 'release');
    assert.strictEqual(result.cutoff.label, 'release 2026.11.29');
    assert.ok(result.newPatterns >= 1);
  });

  it('filters and sorts: the new fallback line comes first by change', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.sortPatterns', 'change'), 'change');
    const shown = (await vscode.commands.executeCommand('incidentWorkbench.filterPatterns', 'is:new level:WARNING')) as number;
    assert.strictEqual(shown, 1);
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.filterPatterns', 'falling back'), 1);
    await vscode.commands.executeCommand('incidentWorkbench.clearPatternsFilter');
  });

  it('a pattern opens the logger call that wrote it, which shows its production count in a code lens', async () => {
    // Code lenses are computed for documents the editor has loaded.
    await vscode.workspace.openTextDocument(catalogue);
    const lenses = await waitFor('a code lens on the logging call', async () => {
      const l = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', catalogue)) as vscode.CodeLens[];
      return l.some((x) => x.command?.command === 'incidentWorkbench.revealLogPattern') ? l : undefined;
    });
    const doc = await vscode.workspace.openTextDocument(catalogue);
    const warningLine = doc.getText().split('\n').findIndex((l) => l.includes('logger.warning('));
    const lens = lenses.find((l) => l.range.start.line === warningLine && l.command?.command === 'incidentWorkbench.revealLogPattern');
    assert.ok(lens, 'a lens on logger.warning');
    assert.match(lens.command!.title, /^\$\(graph-line\) \d+ lines? in production logs · new$/);
    const id = lens.command!.arguments![0] as string;
    const uri = (await vscode.commands.executeCommand('incidentWorkbench.openPatternCallSite', id)) as vscode.Uri;
    assert.strictEqual(uri.fsPath, catalogue.fsPath);
    const editor = await waitFor('the editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === catalogue.fsPath ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(editor.selection.active.line, warningLine);
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.revealLogPattern', id), true);
    // The matcher can filter elsewhere: it accepts the pattern's lines.
    const regex = (await vscode.commands.executeCommand('incidentWorkbench.copyPatternMatcher', id)) as string;
    assert.strictEqual(await vscode.env.clipboard.readText(), regex);
    assert.match('item 4711 is not in the catalogue, falling back to the candidate list', new RegExp(regex));
  });

  it('a log line leads to the call that can write it', async () => {
    const line = '{"timestamp": "2026-12-06T01:45:58.001Z", "level": "INFO", "logger": "service.model", "message": "pairwise diversity over 203 candidates: 41006 comparisons"}';
    const found = (await vscode.commands.executeCommand('incidentWorkbench.findLoggingCall', line)) as { file: string; line: number }[];
    assert.deepStrictEqual(found.map((f) => f.file), ['service/model.py']);
    const text = fs.readFileSync(path.join(DEMO, 'service', 'model.py'), 'utf8').split('\n');
    assert.match(text[found[0]!.line - 1]!, /logger\.info\("pairwise diversity over %d candidates/);
  });

  it('adds a pattern with its samples to an incident through the writer', async () => {
    await vscode.workspace.openTextDocument(catalogue);
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', catalogue)) as vscode.CodeLens[];
    const id = lenses.find((l) => l.command?.command === 'incidentWorkbench.revealLogPattern')!.command!.arguments![0] as string;
    const added = (await vscode.commands.executeCommand('incidentWorkbench.addPatternToIncident', id, 'INC-2026-001')) as { path: string };
    assert.strictEqual(added.path, `evidence/patterns/pattern-${id}.json`);
    const incidentDir = vscode.Uri.joinPath(root(), '.incidents', 'INC-2026-001');
    const incident = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(incidentDir, 'incident.json'))).toString('utf8')) as { evidence: { kind: string; path: string; note: string }[] };
    const item = incident.evidence.find((e) => e.path === added.path)!;
    assert.strictEqual(item.kind, 'patterns');
    assert.match(item.note, new RegExp(`Log pattern ${id}: \\d+ × item <num> is not in the catalogue`));
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(incidentDir, added.path))).toString('utf8')) as { pattern: { template: string; isNew: boolean; samples: unknown[]; callSites: { file: string }[] } };
    assert.strictEqual(saved.pattern.template, FALLBACK);
    assert.strictEqual(saved.pattern.isNew, true);
    assert.ok(saved.pattern.samples.length > 0);
    assert.deepStrictEqual(saved.pattern.callSites.map((c) => c.file), ['service/catalogue.py']);
  });

  it('reports a missing file instead of failing, and keeps what was loaded', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.findLogPatterns', path.join(root().fsPath, 'no-such.log'))) as Summary & { errors: { message: string }[] };
    assert.strictEqual(summary.files.length, 0);
    assert.strictEqual(summary.errors[0]!.message, 'does not exist');
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.filterPatterns', 'falling back'), 1);
    await vscode.commands.executeCommand('incidentWorkbench.clearPatternsFilter');
  });
});
