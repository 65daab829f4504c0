// Error clusters in the real workbench (code-server + Chromium, packaged extension): a new user opens the
// demo workspace, loads the demo service's logs (produced by demo/scripts/load.py running the service),
// expands the biggest cluster, clicks a frame and lands in the editor on that line; sees production error
// counts on the code line, opens the cluster's details and adds the cluster to the incident.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO_ROOT,
  openWorkbench,
  pickQuickItem,
  quickRow,
  runCommand,
  screenshot,
  docsImage,
  treeItem,
  startLoadLogs,
  webviewFrame,
} from './helpers.mjs';

/** The Errors view's pane (its header, then its tree), apart from the other views of the container. */
function errorsPane(page) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^\s*Errors\s*$/i }) }).first();
}

/** `iwb errors` (the same core as the extension) on the demo log: the clusters the view should show. */
function runCli(args) {
  try {
    return execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.status === 1) return e.stdout; // clusters found
    throw e;
  }
}

describe('error clusters', () => {
  let wb;
  let report;
  before(async () => {
    report = JSON.parse(runCli(['errors', join(REPO_ROOT, 'demo', 'logs', 'service.jsonl'), '--json']));
    wb = await openWorkbench({ workspace: 'demo' });
  });
  after(async () => {
    await wb?.close();
  });

  it('loads the demo logs from the Errors view and shows the clusters, biggest first', async () => {
    const { page } = wb;
    await startLoadLogs(page);
    // A pick of the log files (the demo incident's log evidence first, then the workspace's), Browse… last.
    await quickRow(page, 'service.jsonl', { exact: true }).waitFor({ timeout: 30000 });
    const labels = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allTextContents();
    assert.match(labels[0], /recommend-traced\.jsonl/, `the incident's log evidence first: ${labels}`);
    assert.match(labels[labels.length - 1], /Browse…/, 'Browse… last');
    await screenshot(page, 'load-logs-pick');
    await pickQuickItem(page, 'service.jsonl', { exact: true });
    const biggest = report.clusters[0];
    const title = `${biggest.exceptionType}: ${biggest.template}`;
    await treeItem(page, title.slice(0, 40)).waitFor({ timeout: 60000 });
    const rows = await errorsPane(page).locator('[role="treeitem"][aria-level="1"]').allTextContents();
    assert.ok(rows[0].includes(title.slice(0, 40)), `first row is the biggest cluster: ${rows[0]}`);
    assert.ok(rows[0].includes(String(biggest.count)), 'with its count');
    await screenshot(page, 'errors-tree');
  });

  it('expands the biggest cluster, clicks a frame, and the editor is on that line', async () => {
    const { page } = wb;
    const biggest = report.clusters[0];
    const title = `${biggest.exceptionType}: ${biggest.template}`;
    await treeItem(page, title.slice(0, 40)).click();
    const frame = biggest.frames[biggest.frames.length - 1]; // the raising frame, first under the cluster
    const frameItem = errorsPane(page).locator('[role="treeitem"][aria-level="2"]').filter({ hasText: frame.function }).first();
    await frameItem.waitFor({ timeout: 30000 });
    const label = await frameItem.textContent();
    assert.ok(label.includes(`${frame.file.split('/').pop()}:${frame.line}`), label);
    await frameItem.click();
    const file = frame.file.split('/').pop();
    await page.locator('.tabs-container .tab.active').filter({ hasText: file }).waitFor({ timeout: 30000 });
    const position = page.locator('.statusbar-item').filter({ hasText: /Ln \d+, Col \d+/ }).first();
    await position.waitFor({ timeout: 15000 });
    assert.match(await position.textContent(), new RegExp(`Ln ${frame.line}, Col`));
    const lineText = readFileSync(join(REPO_ROOT, 'demo', frame.file.replace(/^\/app\//, '')), 'utf8').split('\n')[frame.line - 1].trim();
    assert.ok(lineText.length > 0);
    await page.locator('.monaco-editor .view-line').filter({ hasText: lineText.slice(0, 30) }).first().waitFor();
    // The code shows how often this line fails in production.
    // Lenses sit in view zones above their lines; the one of this cluster names its count and type.
    const lens = page.locator('.monaco-editor .codelens-decoration').filter({ hasText: `${biggest.count} production errors (${biggest.exceptionType}` }).first();
    await lens.waitFor({ timeout: 30000 });
    await screenshot(page, docsImage('errors-in-code'));
  });

  it('shows the cluster details with the histogram and samples as text', async () => {
    const { page } = wb;
    await runCommand(page, 'Incident Workbench: Show Error Cluster Details');
    const biggest = report.clusters[0];
    await pickQuickItem(page, biggest.exceptionType);
    const view = await webviewFrame(page, new RegExp(`^${biggest.exceptionType} ×${biggest.count}$`));
    await view.locator('h1').waitFor({ timeout: 30000 });
    assert.ok((await view.locator('h1').textContent()).startsWith(biggest.exceptionType));
    assert.ok((await view.locator('svg rect.ed-bar').count()) > 0, 'histogram bars');
    assert.ok((await view.locator('pre.ed-trace').count()) > 0, 'samples as text');
    assert.match(await view.locator('pre.ed-trace').first().textContent(), /Traceback \(most recent call last\):/);
    await screenshot(page, 'errors-details');
  });

  it('adds the cluster to the incident as evidence', async () => {
    const { page } = wb;
    const biggest = report.clusters[0];
    await runCommand(page, 'Incident Workbench: Add Error Cluster to Incident');
    await pickQuickItem(page, biggest.exceptionType);
    await pickQuickItem(page, 'INC-2026-001').catch(() => undefined); // asked only when no incident is active
    const file = join(wb.workspace, '.incidents', 'INC-2026-001', 'incident.json');
    const deadline = Date.now() + 30000;
    let item;
    while (!item && Date.now() < deadline) {
      let incident = {};
      try {
        incident = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // the file is being replaced (temp file + rename) at this moment; read it again
      }
      item = (incident.evidence ?? []).find((e) => e.kind === 'errors' && e.path === `evidence/errors/errors-${biggest.id}.json` && e.note.includes(biggest.exceptionType));
      if (!item) await page.waitForTimeout(250);
    }
    assert.ok(item, 'the incident lists the cluster as evidence');
    const saved = JSON.parse(readFileSync(join(wb.workspace, '.incidents', 'INC-2026-001', item.path), 'utf8'));
    assert.equal(saved.cluster.fingerprint, biggest.fingerprint);
    assert.equal(saved.cluster.count, biggest.count);
    await screenshot(page, 'errors-added-to-incident');
  });
});
