// The logging linter as a new user meets it in the demo workspace, in the real workbench (code-server +
// Chromium, the packaged .vsix with its WebAssembly parser): open a demo module, see the findings as
// squiggles and in the Problems panel, fix one with the light bulb, and find the file under Logging health.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, openViewContainer, treeItem, runCommand, answerInput, screenshot, docsImage, clearNotifications, VIEW_CONTAINER_TITLE, until, openFileByName } from './helpers.mjs';

describe('logging linter in the real workbench', () => {
  let wb;
  before(async () => {
    wb = await openWorkbench({ workspace: 'demo' });
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the findings of a demo module as squiggles and in the Problems panel', async () => {
    const { page } = wb;
    await openFileByName(page, 'feedback.py');
    await page.locator('.monaco-editor .view-lines').getByText('def apply_rating', { exact: false }).first().waitFor({ timeout: 30000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    await runCommand(page, 'View: Toggle Problems');
    const problems = page.locator('.markers-panel');
    for (const rule of ['swallowed-exception', 'exception-without-traceback', 'eager-formatting', 'print-logging', 'sensitive-data']) {
      await problems.getByText(rule, { exact: false }).first().waitFor({ timeout: 30000 });
    }
    await clearNotifications(page);
    await screenshot(page, 'logging-findings');
  });

  it('fixes an error log with the quick fix "Use logger.exception" and saves a file that logs the traceback', async () => {
    const { page } = wb;
    await page.locator('.monaco-editor .view-lines').first().click();
    await runCommand(page, 'Go to Line/Column...');
    await answerInput(page, ':28:16');
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.getByText('Use logger.exception(...)', { exact: false }).first().waitFor({ timeout: 30000 });
    await screenshot(page, docsImage('logging-quick-fix'));
    // The action list is driven by keyboard (a pointer block covers it while it is open): move the focus down to
    // the fix and accept it.
    for (let i = 0; i < 20; i++) {
      const focused = (await menu.locator('.monaco-list-row.focused').first().textContent().catch(() => '')) ?? '';
      if (focused.includes('Use logger.exception(...)')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    const file = join(wb.workspace, 'service', 'feedback.py');
    await until('the fix saved to disk', () => readFileSync(file, 'utf8').includes('logger.exception(f"Skipping feedback event {event!r}: {e}")'));
    const problems = page.locator('.markers-panel');
    await until('the traceback finding gone from Problems', async () => (await problems.getByText('exception-without-traceback', { exact: false }).count()) === 0);
    await screenshot(page, 'logging-quick-fix-applied');
  });

  it('lists the file under Logging health in the Incidents view', async () => {
    const { page } = wb;
    await page.keyboard.press('Escape');
    await openViewContainer(page, VIEW_CONTAINER_TITLE);
    await treeItem(page, 'Logging health').first().waitFor({ timeout: 30000 });
    await treeItem(page, 'Logging health').first().click();
    // Under the node: the file with its counts ("2 errors · 2 warnings — service/feedback.py").
    const row = page.locator('[role="treeitem"]:visible').filter({ hasText: /feedback\.py.*error.*service\/feedback\.py/ }).first();
    await row.waitFor({ timeout: 30000 });
    assert.match((await row.textContent()) ?? '', /\d+ errors? · \d+ warnings?/);
    await screenshot(page, 'logging-health');
  });
});
