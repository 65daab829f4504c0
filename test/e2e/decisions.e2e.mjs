// Issue 7 in the real workbench (code-server + Chromium, the packaged extension, the demo workspace):
// a new user opens the demo's A/B file and sees why "5 % better with 50 samples" is not a result; the
// sample-size calculator answers 14,745; hostile names render as text; the demo model's high-confidence
// errors are listed first in the model panel.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, runCommand, pickQuickItem, webviewFrame, screenshot, docsImage, clearNotifications, until, openFileByName } from './helpers.mjs';

/** Opens workspace/<folder>/<file> by clicking it in the Explorer (new files need no Quick Open index). */
async function openInExplorer(page, folder, file) {
  await page.keyboard.press('Control+Shift+E');
  const row = (name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name.replace(/[.]/g, '\\.')}\\s*$`) });
  const target = row(file);
  const deadline = Date.now() + 20000;
  while (!(await target.isVisible())) {
    if (Date.now() > deadline) throw new Error(`${folder}/${file} did not appear in the Explorer`);
    const dir = row(folder);
    if ((await dir.isVisible()) && (await dir.getAttribute('aria-expanded')) === 'false') await dir.click();
    await page.waitForTimeout(300);
  }
  await target.dblclick();
}

/** The visible webview once its page shows `text` (a panel that was visible before may still answer first). */
async function webviewWith(page, selector, text, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const view = await webviewFrame(page, undefined, { timeout });
    const found = view.locator(selector, { hasText: text });
    if ((await found.count().catch(() => 0)) > 0) return view;
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector} with ${text}`);
    await page.waitForTimeout(300);
  }
}

describe('decisions in the real workbench', () => {
  let wb;

  before(async () => {
    wb = await openWorkbench({ workspace: 'demo' });
  });

  after(async () => {
    await wb?.close();
  });

  it('opening the demo A/B file shows why 50 users per arm is not a result', async () => {
    await openFileByName(wb.page, 'checkout-button.abtest.json');
    const view = await webviewWith(wb.page, '.verdict', 'Not a result');
    const verdict = view.locator('.verdict[data-verdict="not-enough-data"]');
    await verdict.waitFor({ timeout: 30000 });
    const text = await verdict.textContent();
    assert.match(text, /Not a result: 50 and 50 users are far too few to tell a \+5\.0 % change from chance/);
    assert.match(text, /detect it only 5 % of the time; 80 % needs 9,492 users per arm/);
    assert.doesNotMatch(text, /significant/i);
    assert.match(await view.locator('ul.issues').textContent(), /Too few users/);
    await view.locator('svg.forest').waitFor();
    await view.locator('svg.power').waitFor();
    await clearNotifications(wb.page).catch(() => {});
    await screenshot(wb.page, docsImage('abtest-not-a-result'));
    // The calculator: 10 % baseline, +10 % relative → the two-sample answer, not the one-sample 7,372.
    await view.locator('input[aria-label="Baseline rate"]').fill('0.1');
    await view.locator('input[aria-label="Relative MDE"]').fill('0.1');
    await view.locator('.calc-result', { hasText: '14,745 users per arm' }).waitFor({ timeout: 10000 });
    await screenshot(wb.page, 'decisions-abtest-calculator');
    assert.deepEqual(wb.consoleErrors.filter((e) => /abtest|Content Security Policy/i.test(e)), []);
  });

  it('renders hostile names as text', async () => {
    writeFileSync(
      join(wb.workspace, 'experiments', 'hostile.abtest.json'),
      JSON.stringify({ name: '<img src=x onerror="document.body.dataset.pwned=1">', variants: [{ name: '<script>window.pwned=1</script>', sampleSize: 1000, successes: 100 }, { name: 'b', sampleSize: 1000, successes: 130 }] }),
    );
    await openInExplorer(wb.page, 'experiments', 'hostile.abtest.json');
    const view = await webviewWith(wb.page, 'h1', 'onerror');
    await view.locator('h1').waitFor({ timeout: 30000 });
    assert.match(await view.locator('h1').textContent(), /<img src=x onerror=/);
    assert.match(await view.locator('table.arms').textContent(), /<script>window\.pwned=1<\/script>/);
    assert.equal(await view.locator('img').count(), 0);
    assert.equal(await view.locator('body').getAttribute('data-pwned'), null);
  });

  it('runs the rollback gate against the demo metrics from the command palette', async () => {
    await runCommand(wb.page, 'Incident Workbench: Judge Rollback…');
    // Two picks of the workspace's metrics files (Browse… for any other).
    await pickQuickItem(wb.page, 'baseline.json', { exact: true });
    await until('the second pick', async () => /2\/2/.test((await wb.page.locator('.quick-input-widget .quick-input-title').textContent().catch(() => '')) ?? ''));
    await pickQuickItem(wb.page, 'current.json', { exact: true });
    const view = await webviewWith(wb.page, '.verdict', 'ROLLBACK');
    const verdict = await view.locator('.verdict').textContent();
    assert.match(verdict, /Roll back the new version/);
    assert.match(verdict, /error rate — 0\.40 % → 7\.9 %: above the 5 % limit/);
    assert.equal(await view.locator('tr[data-metric="errorRate"] td.status-fail').count(), 1);
    assert.match(await view.locator('tr[data-metric="latencyP95"]').textContent(), /fail/);
    await screenshot(wb.page, 'decisions-rollback');
  });

  it('lists the demo model high-confidence errors first', async () => {
    await openInExplorer(wb.page, 'model', 'predictions.jsonl');
    await wb.page.locator('.tabs-container .tab', { hasText: 'predictions.jsonl' }).waitFor({ timeout: 15000 });
    await runCommand(wb.page, 'Incident Workbench: Analyze Model Predictions…');
    const view = await webviewWith(wb.page, 'h1', 'Model predictions');
    const table = view.locator('table[aria-label="high-confidence errors"]');
    await table.waitFor({ timeout: 30000 });
    const rows = table.locator('tbody tr');
    assert.ok((await rows.count()) >= 3);
    assert.match(await rows.first().textContent(), /^0\.953/);
    await view.locator('svg.reliability').waitFor();
    await screenshot(wb.page, 'decisions-model');
  });
});
