// Issue 6: incident session step commands, guardrails with recorded overrides, the active incident, and the
// post-mortem (custom editor, diagnostics, export, action items) — in a real extension host.
import { waitFor } from './wait';
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-workbench.incident-workbench';

interface StepResult {
  status: 'applied' | 'blocked' | 'cancelled' | 'failed';
  findings?: { rule: string; message: string }[];
  overridden?: { rule: string }[];
}
interface IncidentJson {
  id: string;
  severity: string;
  status: string;
  rootCause?: string;
  reproduction?: { steps?: string[]; attempts?: { reproduced: boolean }[]; rate?: number };
  evidence?: { kind: string; path: string; note?: string }[];
  hypotheses?: { text: string; verification?: { result: string; test: string } }[];
  fix?: { description?: string; ref?: string };
  fixVerification?: { method: string; verified: boolean };
  prevention?: string[];
  overrides?: { rule: string; reason: string; actor: string }[];
  events: { at: string; actor: string; kind: string; text: string }[];
  [k: string]: unknown;
}

function root(): vscode.Uri {
  return vscode.workspace.workspaceFolders![0]!.uri;
}
const file = (id: string, name: string) => vscode.Uri.joinPath(root(), '.incidents', id, name);
async function text(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}
async function incident(id: string): Promise<IncidentJson> {
  return JSON.parse(await text(file(id, 'incident.json'))) as IncidentJson;
}
async function exists(uri: vscode.Uri): Promise<boolean> {
  return Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false);
}
/** Writes the file on disk and, when VS Code has it open, waits until the document shows the new text. */
/**
 * Sets a file's text for a test's start. When the file is open in a document, through that document (edit and
 * save): a write behind its back is seen only when the file watcher's event arrives, which on a loaded machine
 * can come after the test has edited the document, and its save then fails as "newer on disk".
 */
async function writeSynced(uri: vscode.Uri, content: string): Promise<vscode.TextDocument | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc) {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
    return undefined;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save(), `${uri.path} saved`);
  return doc;
}
const run = <T = StepResult>(command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args) as Thenable<T>;

async function newIncident(severity: string, title: string): Promise<string> {
  const created = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title, severity })) as { id: string };
  return created.id;
}

describe('Incident session (issue 6)', function () {
  this.timeout(60000);
  let id: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    id = await newIncident('HIGH', 'Session walk-through');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('each step command appends one event and changes only its part', async () => {
    const before = (await incident(id)).events.length;
    assert.strictEqual((await run('incidentWorkbench.addReproductionStep', id, { step: 'POST /recommend 20 times' })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.recordReproductionAttempt', id, { reproduced: false, note: 'small catalogue' })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.recordReproductionAttempt', id, { reproduced: true, note: 'production catalogue' })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.addHypothesis', id, { text: 'Diversity penalty is quadratic' })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.changeSeverity', id, { severity: 'CRITICAL', reason: 'all regions' })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.changeStatus', id, { status: 'MITIGATED' })).status, 'applied');
    const i = await incident(id);
    assert.deepStrictEqual(i.reproduction?.steps, ['POST /recommend 20 times']);
    assert.strictEqual(i.reproduction?.rate, 0.5);
    assert.strictEqual(i.hypotheses?.[0]?.text, 'Diversity penalty is quadratic');
    assert.strictEqual(i.severity, 'CRITICAL');
    assert.strictEqual(i.status, 'MITIGATED');
    assert.deepStrictEqual(i.events.slice(before).map((e) => e.kind), ['reproduction-step', 'reproduction', 'reproduction', 'hypothesis', 'severity', 'status']);
    for (const e of i.events.slice(before)) assert.ok(e.actor && !Number.isNaN(Date.parse(e.at)) && e.text);
  });

  it('root cause is refused without evidence and a confirmed hypothesis, and nothing is written', async () => {
    const before = await text(file(id, 'incident.json'));
    const r = await run('incidentWorkbench.setRootCause', id, { text: 'Quadratic diversity penalty because candidates doubled' });
    assert.strictEqual(r.status, 'blocked');
    assert.deepStrictEqual(r.findings!.map((f) => f.rule), ['root-cause-needs-evidence', 'root-cause-needs-verified-hypothesis']);
    assert.strictEqual(await text(file(id, 'incident.json')), before);
  });

  it('attach evidence (a file outside the incident is copied into evidence/), verify, then the root cause is accepted', async () => {
    const outside = vscode.Uri.joinPath(root(), 'cpu-profile.speedscope.json');
    await vscode.workspace.fs.writeFile(outside, Buffer.from('{"shared":{"frames":[]},"profiles":[]}'));
    const a = await run('incidentWorkbench.attachEvidence', id, { uri: outside.toString(), kind: 'profile', note: 'diversity 81%' });
    assert.strictEqual(a.status, 'applied');
    assert.ok(await exists(file(id, 'evidence/profiles/cpu-profile.speedscope.json')), 'copied into the incident');
    const inside = await run('incidentWorkbench.attachEvidence', id, { path: 'evidence/profiles/cpu-profile.speedscope.json', kind: 'profile' });
    assert.strictEqual(inside.status, 'applied');
    const escape = await run('incidentWorkbench.attachEvidence', id, { path: '../../secrets.txt', kind: 'file' });
    assert.strictEqual(escape.status, 'failed');
    assert.strictEqual((await run('incidentWorkbench.recordHypothesisVerification', id, { index: 0, test: '100 vs 200 candidates: 4x', result: 'CONFIRMED' })).status, 'applied');
    const r = await run('incidentWorkbench.setRootCause', id, { text: 'Quadratic diversity penalty because candidates doubled' });
    assert.strictEqual(r.status, 'applied');
    const i = await incident(id);
    assert.strictEqual(i.rootCause, 'Quadratic diversity penalty because candidates doubled');
    assert.strictEqual(i.evidence?.[0]?.path, 'evidence/profiles/cpu-profile.speedscope.json');
    assert.strictEqual(i.hypotheses?.[0]?.verification?.result, 'CONFIRMED');
  });

  it('a symptom as root cause is flagged; the override is applied and recorded with its reason', async () => {
    const blocked = await run('incidentWorkbench.setRootCause', id, { text: 'Restarted the service' });
    assert.strictEqual(blocked.status, 'blocked');
    assert.deepStrictEqual(blocked.findings!.map((f) => f.rule), ['root-cause-is-symptom']);
    const forced = await run('incidentWorkbench.setRootCause', id, { text: 'Restarted the service', override: 'Placeholder while the profile is analysed' });
    assert.strictEqual(forced.status, 'applied');
    const i = await incident(id);
    assert.strictEqual(i.rootCause, 'Restarted the service');
    assert.deepStrictEqual(i.overrides!.map((o) => [o.rule, o.reason]), [['root-cause-is-symptom', 'Placeholder while the profile is analysed']]);
    assert.ok(i.events.some((e) => e.kind === 'guardrail-override' && e.text.includes('root-cause-is-symptom')));
    // put the real cause back
    assert.strictEqual((await run('incidentWorkbench.setRootCause', id, { text: 'Quadratic diversity penalty because candidates doubled' })).status, 'applied');
  });

  it('fix verification needs a reproduction or a named method; the override is recorded', async () => {
    const other = await newIncident('MEDIUM', 'Never reproduced');
    const blocked = await run('incidentWorkbench.verifyFix', other, { method: 'looks fine', verified: true });
    assert.strictEqual(blocked.status, 'blocked');
    assert.deepStrictEqual(blocked.findings!.map((f) => f.rule), ['fix-verification-needs-reproduction-or-method']);
    const named = await run('incidentWorkbench.verifyFix', other, { method: 'p95 under 200 ms on the dashboard for 1 h', verified: true });
    assert.strictEqual(named.status, 'applied');
    const forced = await run('incidentWorkbench.verifyFix', other, { method: 'ok', verified: true, override: 'Customer confirmed on a call' });
    assert.strictEqual(forced.status, 'applied');
    assert.strictEqual((await incident(other)).overrides![0]!.rule, 'fix-verification-needs-reproduction-or-method');
    // With a reproduction, a terse method is enough.
    assert.strictEqual((await run('incidentWorkbench.recordFix', id, { description: 'Vectorised the penalty', ref: 'PR #42' })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.verifyFix', id, { method: 'repro passes', verified: true })).status, 'applied');
    assert.strictEqual((await run('incidentWorkbench.addPreventionMeasure', id, { measure: 'Latency test at 2x catalogue in CI' })).status, 'applied');
    const i = await incident(id);
    assert.deepStrictEqual(i.fix, { description: 'Vectorised the penalty', ref: 'PR #42' });
    assert.strictEqual(i.fixVerification?.verified, true);
    assert.deepStrictEqual(i.prevention, ['Latency test at 2x catalogue in CI']);
  });

  it('the active incident is remembered and used by steps without a target', async () => {
    assert.strictEqual(await run<string>('incidentWorkbench.setActiveIncident', id), id);
    assert.strictEqual((await run('incidentWorkbench.addHypothesis', undefined, { text: 'Retry storms amplify it' })).status, 'applied');
    assert.strictEqual((await incident(id)).hypotheses?.at(-1)?.text, 'Retry storms amplify it');
    assert.strictEqual(await run<string | undefined>('incidentWorkbench.setActiveIncident', { clear: true }), undefined);
  });

  it('closing a CRITICAL incident needs a post-mortem with an owned, dated action item', async () => {
    const noPm = await run('incidentWorkbench.closeIncident', id, {});
    assert.strictEqual(noPm.status, 'blocked');
    assert.deepStrictEqual(noPm.findings!.map((f) => f.rule), ['close-needs-postmortem']);

    const opened = await run<{ uri: string; created: boolean }>('incidentWorkbench.openPostmortem', id);
    assert.strictEqual(opened.created, true);
    const pm = JSON.parse(await text(file(id, 'postmortem.json'))) as { incidentId: string; timeline: unknown[]; actionItems: { description: string; owner?: string }[]; rootCause: string };
    assert.strictEqual(pm.incidentId, id);
    assert.strictEqual(pm.timeline.length, (await incident(id)).events.length);
    assert.strictEqual(pm.rootCause, 'Quadratic diversity penalty because candidates doubled');
    assert.deepStrictEqual(pm.actionItems.map((a) => a.description), ['Latency test at 2x catalogue in CI']);
    await waitFor('the post-mortem form tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'incidentWorkbench.postmortem' && t.input.uri.toString() === file(id, 'postmortem.json').toString()),
    );
    // Opening again never replaces it.
    assert.strictEqual((await run<{ created: boolean }>('incidentWorkbench.openPostmortem', id)).created, false);

    const noOwner = await run('incidentWorkbench.closeIncident', id, {});
    assert.deepStrictEqual(noOwner.findings!.map((f) => f.rule), ['close-needs-owned-action-item']);

    pm.actionItems[0]!.owner = 'ranking team';
    (pm.actionItems[0] as Record<string, unknown>).dueDate = '2026-12-20';
    await vscode.workspace.fs.writeFile(file(id, 'postmortem.json'), Buffer.from(JSON.stringify(pm, null, 2)));
    const closed = await run('incidentWorkbench.closeIncident', id, {});
    assert.strictEqual(closed.status, 'applied');
    const i = await incident(id);
    assert.strictEqual(i.status, 'CLOSED');
    assert.strictEqual(i.events.at(-1)!.kind, 'closed');
  });

  it('closing with an override records it', async () => {
    const other = await newIncident('HIGH', 'Closed under override');
    const r = await run('incidentWorkbench.closeIncident', other, { override: 'Duplicate of an incident with a post-mortem' });
    assert.strictEqual(r.status, 'applied');
    const i = await incident(other);
    assert.strictEqual(i.status, 'CLOSED');
    assert.deepStrictEqual(i.overrides!.map((o) => o.rule), ['close-needs-postmortem']);
  });

  it('steps on an invalid incident.json fail with its position and write nothing', async () => {
    const broken = '{ "id": "INC-2026-091", "title": "x", "severity": "HIGH", "status": "OPEN", "reportedBy": "x", "reportedAt": "2026-11-01T10:00:00Z", ';
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(root(), '.incidents', 'INC-2026-091'));
    await vscode.workspace.fs.writeFile(file('INC-2026-091', 'incident.json'), Buffer.from(broken));
    const r = await run('incidentWorkbench.addHypothesis', 'INC-2026-091', { text: 'h' });
    assert.strictEqual(r.status, 'failed');
    assert.strictEqual(await text(file('INC-2026-091', 'incident.json')), broken);
  });
});

describe('Post-mortem editor, diagnostics, export and action items (issue 6)', function () {
  this.timeout(60000);
  const id = 'INC-2026-001';
  const pmUri = () => file(id, 'postmortem.json');

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('puts schema errors and blameless warnings in the Problems panel at their positions, as the text changes', async () => {
    const pm = { title: 'Fixture', incidentId: id, severity: 'HIGH', summary: 'Latency rose.', whatWentWrong: ['Nothing alerted', 'The on-call should have checked the dashboard'] };
    await vscode.workspace.fs.writeFile(pmUri(), Buffer.from(JSON.stringify(pm, null, 2)));
    const doc = await vscode.workspace.openTextDocument(pmUri());
    const diags = await waitFor('lint diagnostics', () => {
      const d = vscode.languages.getDiagnostics(pmUri()).filter((x) => x.source === 'Incident Workbench');
      return d.length ? d : undefined;
    });
    assert.strictEqual(diags.length, 1);
    assert.strictEqual(diags[0]!.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diags[0]!.message, /should-have/);
    assert.strictEqual(doc.getText(diags[0]!.range), 'should have');
    // A wrong type appears as an error with its position, before any save.
    const edit = new vscode.WorkspaceEdit();
    const start = doc.getText().indexOf('"HIGH"');
    edit.replace(pmUri(), new vscode.Range(doc.positionAt(start), doc.positionAt(start + 6)), '7');
    await vscode.workspace.applyEdit(edit);
    const withError = await waitFor('schema diagnostic', () => vscode.languages.getDiagnostics(pmUri()).find((x) => x.severity === vscode.DiagnosticSeverity.Error && /severity/.test(x.message)));
    assert.strictEqual(withError.range.start.line, doc.positionAt(start).line);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.strictEqual(doc.isDirty, false);
  });

  it('opens postmortem.json in the form by default; a broken file is never written', async () => {
    const broken = '{\n  "title": "Broken",\n  "incidentId": "INC-2026-001",\n  "summary": "unterminated\n}\n';
    await writeSynced(pmUri(), broken);
    await vscode.commands.executeCommand('vscode.open', pmUri());
    await waitFor('the form', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'incidentWorkbench.postmortem'));
    const exported = await run<unknown>('incidentWorkbench.exportPostmortem', pmUri());
    assert.strictEqual(exported, undefined);
    assert.strictEqual(await exists(file(id, 'postmortem.md')), false);
    const done = await run<boolean>('incidentWorkbench.markActionItemDone', id, 0);
    assert.strictEqual(done, false);
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(await text(pmUri()), broken);
  });

  it('Open as text and back to the form work on the same document', async () => {
    await writeSynced(pmUri(), JSON.stringify({ title: 'T', incidentId: id }, null, 2));
    await run('incidentWorkbench.openPostmortem', id);
    await run('incidentWorkbench.openPostmortemAsText', pmUri());
    await waitFor('the text editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === pmUri().toString() ? true : undefined));
    await run('incidentWorkbench.openPostmortemForm');
    await waitFor('the form again', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputCustom && t.input.viewType === 'incidentWorkbench.postmortem' ? true : undefined;
    });
  });

  it('exports Markdown next to the file with sections, sorted action items and evidence links; unknown fields survive edits', async () => {
    const pm = {
      title: 'Checkout latency',
      incidentId: id,
      summary: 'p95 rose to 5 s.',
      'x-custom': { keep: true },
      actionItems: [
        { description: 'Low thing', priority: 'LOW', owner: 'a', dueDate: '2020-01-01' },
        { description: 'Critical thing', priority: 'CRITICAL', owner: 'b', dueDate: '2999-01-01' },
      ],
      evidence: [{ kind: 'profile', path: 'evidence/cpu.speedscope.json' }],
    };
    await writeSynced(pmUri(), JSON.stringify(pm, null, 2));
    const r = await run<{ uri: string; markdown: string }>('incidentWorkbench.exportPostmortem', pmUri(), { quiet: true });
    const md = await text(file(id, 'postmortem.md'));
    assert.strictEqual(md, r.markdown);
    assert.match(md, /^# Post-Mortem: Checkout latency/);
    for (const h of ['## Summary', '## Impact', '## Timeline', '## Root Cause', '## Contributing Factors', '## What Went Well', '## What Went Wrong', '## Action Items', '## Review and Follow-up']) assert.ok(md.includes(h), h);
    assert.ok(md.indexOf('Critical thing') < md.indexOf('Low thing'));
    assert.match(md, /\[evidence\/cpu\.speedscope\.json\]\(evidence\/cpu\.speedscope\.json\)/);

    const items = await run<{ kind: string; open?: { incidentId: string; overdue: boolean; item: { description: string } } }[]>('incidentWorkbench.refreshActionItems');
    const mine = items.filter((n) => n.kind === 'item' && n.open!.incidentId === id);
    assert.deepStrictEqual(mine.map((n) => [n.open!.item.description, n.open!.overdue]), [['Low thing', true], ['Critical thing', false]]);

    assert.strictEqual(await run<boolean>('incidentWorkbench.markActionItemDone', id, 0), true);
    const after = JSON.parse(await text(pmUri())) as typeof pm & { actionItems: { status?: string }[] };
    assert.strictEqual(after.actionItems[0]!.status, 'DONE');
    assert.deepStrictEqual(after['x-custom'], { keep: true });
    const again = await run<{ kind: string; open?: { incidentId: string } }[]>('incidentWorkbench.refreshActionItems');
    assert.strictEqual(again.filter((n) => n.kind === 'item' && n.open!.incidentId === id).length, 1);
  });

  it('a form-style edit and an unsaved text edit of the same document both survive', async () => {
    const pm = { title: 'Concurrent', incidentId: id, summary: 'before', actionItems: [{ description: 'a', owner: 'o', dueDate: '2999-01-01' }] };
    await writeSynced(pmUri(), JSON.stringify(pm, null, 2));
    const doc = await vscode.workspace.openTextDocument(pmUri());
    await vscode.window.showTextDocument(doc);
    // The text editor changes the summary and does not save.
    const start = doc.getText().indexOf('"before"');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(pmUri(), new vscode.Range(doc.positionAt(start), doc.positionAt(start + 8)), '"typed in the text editor"');
    await vscode.workspace.applyEdit(edit);
    assert.ok(doc.isDirty);
    // The form path (a minimal jsonc edit on the current document text) changes another field, then saves.
    assert.strictEqual(await run<boolean>('incidentWorkbench.markActionItemDone', id, 0), true);
    const onDisk = JSON.parse(await text(pmUri())) as { summary: string; actionItems: { status?: string }[] };
    assert.strictEqual(onDisk.summary, 'typed in the text editor');
    assert.strictEqual(onDisk.actionItems[0]!.status, 'DONE');
    // Undo in the text editor takes back the form's edit first, as in any file.
    await vscode.commands.executeCommand('undo');
    assert.strictEqual((JSON.parse(doc.getText()) as { actionItems: { status?: string }[] }).actionItems[0]!.status, undefined);
    assert.strictEqual((JSON.parse(doc.getText()) as { summary: string }).summary, 'typed in the text editor');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
