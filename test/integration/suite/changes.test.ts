// What changed, in a real extension host: a real git history made here (test/support/changesRepo.ts: the bug's
// commit at a known line, a rename, a merge, a regression, three releases really run to produce their logs)
// loaded into the Errors view (statuses, badges, release filter, triage in .incidents/triage.json), then
// Suspect Commits from a cluster node, the commit's diff in the diff editor, attaching it to an incident;
// and the demo's history (scripts/demo-workspace.mjs) ranked from its trace and profile evidence files.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { BUG_LINE_TEXT, makeShopHistory, type ShopHistory } from '../../support/changesRepo';
import type { SuspectReport } from '../../../src/core/changes/types';
import { waitFor } from './wait';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const INCIDENT = 'INC-2026-916';
const QUADRATIC = 'Penalise near-duplicate recommendations with a pairwise diversity score';

interface ClusterRow {
  id: string;
  exceptionType: string;
  status: string;
  triage?: { state: string; summary: string; ignored: boolean };
  badge?: string;
  node: unknown;
}

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

const clusters = async () => (await vscode.commands.executeCommand('incidentWorkbench._errorClusters')) as ClusterRow[];
const byType = async (type: string) => (await clusters()).find((c) => c.exceptionType === type)!;
const triageFile = () => path.join(root().fsPath, '.incidents', 'triage.json');

describe('What changed: releases, triage and suspect commits', () => {
  let base: string;
  let shop: ShopHistory;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    base = path.join(root().fsPath, 'changes');
    shop = makeShopHistory(base);
    const dir = path.join(root().fsPath, '.incidents', INCIDENT);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'incident.json'),
      JSON.stringify({ id: INCIDENT, title: 'Checkout fails for orders without a code', severity: 'HIGH', status: 'INVESTIGATING', reportedBy: 'on-call', reportedAt: '2026-03-19T10:05:00Z', events: [] }, null, 2),
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('incidentWorkbench.clearErrorClustersFilter');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of [base, triageFile(), path.join(root().fsPath, '.incidents', INCIDENT), path.join(root().fsPath, 'demo-history')]) fs.rmSync(p, { recursive: true, force: true });
  });

  it('loads three releases: new, regressed, ongoing and resolved clusters with their badges', async () => {
    const summary = (await vscode.commands.executeCommand('incidentWorkbench.loadLogs', Object.values(shop.logs))) as { clusters: number };
    assert.strictEqual(summary.clusters, 4);
    const rows = await clusters();
    assert.deepStrictEqual(Object.fromEntries(rows.map((c) => [c.exceptionType, [c.status, c.badge]])), {
      AttributeError: ['new', 'N'],
      LookupError: ['ongoing', undefined],
      TypeError: ['regressed', 'R'],
      ZeroDivisionError: ['resolved', '✓'],
    });
  });

  it('filters by release', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.filterErrorClustersByRelease', '1.1.0'), 2);
    assert.deepStrictEqual((await clusters()).map((c) => c.exceptionType).sort(), ['LookupError', 'ZeroDivisionError']);
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.clearErrorClustersFilter'), 4);
  });

  it('keeps triage in .incidents/triage.json: resolved in 1.1.0 and seen in 1.2.0 is regressed; ignored goes last', async () => {
    const lookup = await byType('LookupError');
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.resolveErrorCluster', lookup.id, '1.1.0'), '1.1.0');
    const saved = JSON.parse(fs.readFileSync(triageFile(), 'utf8')) as { version: number; clusters: Record<string, { state: string; resolvedIn: string; title: string }> };
    assert.strictEqual(saved.version, 1);
    assert.deepStrictEqual(Object.values(saved.clusters).map((e) => [e.state, e.resolvedIn, e.title]), [['resolved', '1.1.0', 'LookupError: unknown item durian']]);
    await vscode.commands.executeCommand('incidentWorkbench.reloadLogs');
    const again = await byType('LookupError');
    assert.deepStrictEqual([again.status, again.badge, again.triage?.summary], ['regressed', 'R', 'resolved in 1.1.0, seen again in 1.2.0']);

    const zero = await byType('ZeroDivisionError');
    await vscode.commands.executeCommand('incidentWorkbench.ignoreErrorCluster', zero.id, { count: 100 });
    const rows = await clusters();
    assert.strictEqual(rows.at(-1)!.exceptionType, 'ZeroDivisionError', 'ignored clusters go last');
    assert.deepStrictEqual([rows.at(-1)!.badge, rows.at(-1)!.triage?.summary], ['I', 'ignored until 100 events (8 now)']);
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.reopenErrorCluster', zero.id), true);
    assert.strictEqual((await byType('ZeroDivisionError')).triage?.ignored, false);

    const attr = await byType('AttributeError');
    assert.strictEqual(await vscode.commands.executeCommand('incidentWorkbench.linkErrorClusterToIncident', attr.id, INCIDENT), INCIDENT);
    assert.strictEqual((await byType('AttributeError')).triage?.summary, `linked to ${INCIDENT}`);
    // An edit by hand (a pull request merged) applies without reloading the logs.
    const file = JSON.parse(fs.readFileSync(triageFile(), 'utf8')) as { clusters: Record<string, { state: string }> };
    delete file.clusters[(lookup.node as { cluster: { fingerprint: string } }).cluster.fingerprint];
    fs.writeFileSync(triageFile(), JSON.stringify(file, null, 2));
    await waitFor('the hand edit to apply', async () => ((await byType('LookupError')).status === 'ongoing' ? true : undefined));
  });

  it('ranks suspect commits from a cluster node: the commit that introduced the bug, from the repository holding the frames', async () => {
    const attr = await byType('AttributeError');
    const report = (await vscode.commands.executeCommand('incidentWorkbench.showSuspectCommits', attr.node)) as SuspectReport;
    assert.ok(report, 'a ranking');
    assert.deepStrictEqual([report.revision.ref, report.revision.source], ['v1.2.0', 'release-tag']);
    const top = report.suspects[0]!;
    assert.strictEqual(top.commit, shop.commits.bug);
    assert.strictEqual(top.reasons[0], `changed shop/prices.py:${shop.bugLine}, the top in-app frame (then shop/pricing.py:${shop.bugLineThen})`);
  });

  it('opens the commit in the diff editor, the file under the name it had then', async () => {
    const sides = (await vscode.commands.executeCommand('incidentWorkbench.openSuspectCommit')) as { left: string; right: string };
    const right = vscode.Uri.parse(sides.right);
    assert.strictEqual(right.path, '/shop/pricing.py');
    const tab = await waitFor('the diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.strictEqual(tab.modified.toString(), right.toString());
    const after = (await vscode.workspace.openTextDocument(tab.modified)).getText();
    const before = (await vscode.workspace.openTextDocument(tab.original)).getText();
    assert.ok(after.includes(BUG_LINE_TEXT));
    assert.ok(!before.includes(BUG_LINE_TEXT) && before.includes('if code is None:'));
  });

  it('attaches the commit to an incident: its diff as commit evidence and a hypothesis, in one write', async () => {
    const attached = (await vscode.commands.executeCommand('incidentWorkbench.attachSuspectCommit', undefined, INCIDENT)) as { path: string; hypothesis: string };
    assert.strictEqual(attached.path, `evidence/commits/commit-${shop.commits.bug!.slice(0, 12)}.diff`);
    const incident = JSON.parse(fs.readFileSync(path.join(root().fsPath, '.incidents', INCIDENT, 'incident.json'), 'utf8')) as {
      evidence: { kind: string; path: string; redaction?: { ran: boolean } }[];
      hypotheses: { text: string }[];
      events: { kind: string }[];
    };
    assert.deepStrictEqual(incident.evidence.map((e) => [e.kind, e.path, e.redaction?.ran]), [['commit', attached.path, true]]);
    assert.strictEqual(incident.hypotheses.length, 1);
    assert.match(incident.hypotheses[0]!.text, new RegExp(`^Commit ${shop.commits.bug!.slice(0, 10)} "Accept discount codes in any case" \\(Dave Kowalski\\) introduced AttributeError`));
    const diff = fs.readFileSync(path.join(root().fsPath, '.incidents', INCIDENT, attached.path), 'utf8');
    assert.ok(diff.includes(`+${BUG_LINE_TEXT}`));
    assert.ok(diff.startsWith('# Suspect commit for: AttributeError'));
  });

  it("ranks the demo's slow span and hot function from its evidence files: the quadratic scoring's commit first", async function () {
    this.timeout(60000);
    const demo = path.join(root().fsPath, 'demo-history');
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', '..', 'scripts', 'demo-workspace.mjs'), demo], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const evidence = (f: string) => vscode.Uri.file(path.join(demo, '.incidents', 'INC-2026-001', 'evidence', f));
    const span = (await vscode.commands.executeCommand('incidentWorkbench.showSuspectCommits', evidence('traces/recommend.otlp.jsonl'), { pick: 0 })) as SuspectReport;
    assert.strictEqual(span.target.frames[0]!.function, 'service.model.pairwise_diversity');
    assert.strictEqual(span.suspects[0]!.summary, QUADRATIC);
    const hot = (await vscode.commands.executeCommand('incidentWorkbench.showSuspectCommits', evidence('profiles/rank-hot-path.speedscope.json'), { pick: 0 })) as SuspectReport;
    assert.strictEqual(hot.revision.source, 'deploy-marker', 'the incident the profile belongs to names the deploy');
    assert.strictEqual(hot.suspects[0]!.summary, QUADRATIC);
  });
});
