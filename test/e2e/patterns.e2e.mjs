// Log patterns in the real workbench (code-server + Chromium, packaged extension): a new user opens the demo
// workspace, finds the patterns of the demo service's log across its deploy (produced by
// demo/scripts/deploy_logs.py running two releases of the service), asks what is new since the deploy, sees
// the new fallback line first, clicks its logging call and lands in the editor on the `logger.warning` that
// wrote it, with its production line count in a code lens.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, docsImage, openViewContainer, openWorkbench, pickQuickItem, runCommand, screenshot, until, viewPane, VIEW_CONTAINER_TITLE } from './helpers.mjs';

/** The Patterns view's pane, apart from the other views of the container. */
function patternsPane(page) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^\s*Patterns\s*$/i }) }).first();
}

const FALLBACK = 'item <num> is not in the catalogue, falling back to the candidate list';

describe('log patterns', () => {
  let wb;
  let report;
  before(async () => {
    const demo = join(REPO_ROOT, 'demo');
    report = JSON.parse(execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'patterns', 'logs/deploy.jsonl', '--json'], { cwd: demo, encoding: 'utf8' }));
    wb = await openWorkbench({ workspace: 'demo' });
  });
  after(async () => {
    await wb?.close();
  });

  it('finds the patterns of the demo log, biggest first', async () => {
    const { page } = wb;
    await openViewContainer(page, VIEW_CONTAINER_TITLE);
    const pane = viewPane(page, 'Patterns');
    await pane.waitFor();
    if ((await pane.getAttribute('aria-expanded')) === 'false') await pane.click();
    await runCommand(page, 'Incident Workbench: Find Log Patterns…');
    const biggest = report.patterns[0];
    const rows = patternsPane(page).locator('[role="treeitem"][aria-level="1"]');
    try {
      // The shared file pick (issue 19): the workspace's logs are offered, no path to type.
      await pickQuickItem(page, 'deploy.jsonl', { exact: true, timeout: 30000 });
      await until('the patterns of the log', async () => (await rows.count()) > 0 && (await rows.first().textContent()).includes(biggest.template.slice(0, 30)), 60000);
    } catch (e) {
      await screenshot(page, 'patterns-load-failed');
      throw e;
    }
    const first = await rows.first().textContent();
    assert.ok(first.includes(biggest.count.toLocaleString('en-US')), `the biggest pattern with its count: ${first}`);
    await screenshot(page, 'patterns-tree');
  });

  it('shows what is new since the deploy: the fallback line comes first', async () => {
    const { page } = wb;
    await runCommand(page, 'Incident Workbench: What Is New in the Logs…');
    await pickQuickItem(page, 'Since the deploy of release 2026.11.29');
    const rows = patternsPane(page).locator('[role="treeitem"][aria-level="1"]');
    await until('the new pattern first', async () => (await rows.first().textContent()).includes(FALLBACK.slice(0, 40)), 30000);
    assert.match(await rows.first().textContent(), /NEW/);
  });

  it('opens the logger call behind the new pattern, which counts its production lines', async () => {
    const { page } = wb;
    const pattern = report.patterns.find((p) => p.template === FALLBACK);
    assert.ok(pattern, 'the CLI finds the fallback pattern too');
    const site = pattern.callSites[0];
    assert.equal(site.file, 'service/catalogue.py');
    const row = patternsPane(page).locator('[role="treeitem"][aria-level="1"]').first();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    const siteRow = patternsPane(page).locator('[role="treeitem"][aria-level="2"]').filter({ hasText: `service/catalogue.py:${site.line}` }).first();
    await siteRow.waitFor({ timeout: 30000 });
    await siteRow.click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'catalogue.py' }).waitFor({ timeout: 30000 });
    const position = page.locator('.statusbar-item').filter({ hasText: /Ln \d+, Col \d+/ }).first();
    await until(`the cursor on line ${site.line}`, async () => new RegExp(`Ln ${site.line}, Col`).test(await position.textContent()), 15000);
    const lineText = readFileSync(join(REPO_ROOT, 'demo', 'service', 'catalogue.py'), 'utf8').split('\n')[site.line - 1].trim();
    assert.match(lineText, /^logger\.warning\(/);
    const lens = page.locator('.monaco-editor .codelens-decoration').filter({ hasText: `${pattern.count} line${pattern.count === 1 ? '' : 's'} in production logs` }).first();
    await lens.waitFor({ timeout: 30000 });
    await screenshot(page, docsImage('patterns-whats-new'));
  });
});
