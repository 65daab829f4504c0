// Profiling in the real workbench (code-server + Chromium, packaged extension, real py-spy): a new user
// opens the demo workspace while the demo's busy loop runs, runs "Profile Python Process…" from the
// command palette, picks the process, waits for the flame graph, clicks the hot frame and lands in the
// editor on the hot line, which shows its heat. Screenshots: test/e2e/artifacts/profile-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, openWorkbench, pickQuickItem, quickInput, runCommand, screenshot, webviewFrame } from './helpers.mjs';

// The hottest self frame of the demo's rank loop: the generator expression in model.dot.
const MODEL = readFileSync(join(REPO_ROOT, 'demo', 'service', 'model.py'), 'utf8').split('\n');
const HOT_LINE = MODEL.findIndex((l) => l.includes('return sum(x * y for x, y in zip(a, b))')) + 1;

describe('profiling from the command palette', () => {
  let wb;
  let busy;
  before(async () => {
    assert.ok(HOT_LINE > 0, 'demo/service/model.py still has dot()');
    wb = await openWorkbench({ workspace: 'demo' });
    busy = spawn('python3', ['scripts/busy_loop.py', '--seconds', '120'], { cwd: wb.workspace, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve, reject) => {
      busy.once('error', reject);
      busy.stdout.once('data', resolve);
    });
  });
  after(async () => {
    busy?.kill();
    await wb?.close();
  });

  it('profiles the demo, opens the flame graph, and a click on the hot frame opens model.py at the hot line', async () => {
    const { page } = wb;
    await runCommand(page, 'Incident Workbench: Profile Python Process…');
    // The picker lists running Python processes with PID and CPU%.
    await pickQuickItem(page, 'scripts/busy_loop.py', { timeout: 30000 });
    await pickQuickItem(page, '10 seconds');
    // Options (multi-select): keep the defaults and start.
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'options' }).waitFor();
    await screenshot(page, 'profile-options');
    await quickInput(page).press('Enter');
    await page.locator('.notifications-toasts').filter({ hasText: /Profiling .* with py-spy/ }).waitFor({ timeout: 15000 });
    await screenshot(page, 'profile-progress');

    // Custom editors leave the inner frame untitled: wait for the editor tab, then take the visible webview.
    await page.locator(".tabs-container .tab").filter({ hasText: /\.speedscope\.json/ }).first().waitFor({ timeout: 60000 });
    const view = await webviewFrame(page, undefined, { timeout: 30000 });
    const canvas = view.locator('canvas.fg-canvas').first();
    await canvas.waitFor();
    await view.locator('.fg-status').filter({ hasText: /All samples/ }).waitFor();
    await screenshot(page, 'profile-flamegraph');

    // Find the hot frame with the search box, then click it on the canvas where it is drawn.
    const search = view.locator('input.fg-search');
    await search.fill('genexpr');
    await view.locator('.fg-search-info').filter({ hasText: /of samples/ }).waitFor();
    await search.press('Enter');
    await assert.doesNotReject(async () => {
      await view.locator('canvas.fg-canvas[data-selected-label*="genexpr"]').first().waitFor({ timeout: 10000 });
    });
    const [x, y, w, h] = (await canvas.getAttribute('data-selected')).split(',').map(Number);
    await canvas.hover({ position: { x: x + Math.min(w / 2, 20), y: y + h / 2 } });
    await view.locator('.fg-tooltip').filter({ hasText: /self: .*%/ }).waitFor();
    await canvas.click({ position: { x: x + Math.min(w / 2, 20), y: y + h / 2 } });

    const cursor = page.locator('.statusbar-item[id="status.editor.selection"]');
    await page.locator('.tabs-container .tab').filter({ hasText: 'model.py' }).first().waitFor({ timeout: 15000 });
    await cursor.filter({ hasText: new RegExp(`Ln ${HOT_LINE},`) }).waitFor({ timeout: 15000 });
    // The hot line glows and has its code lens.
    await page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /% self · .*% total/ }).first().waitFor({ timeout: 15000 });
    await screenshot(page, 'profile-hot-line');

    // The profile was written into the workspace (no active incident: profiles/).
    const written = readdirSync(join(wb.workspace, 'profiles')).filter((f) => f.endsWith('.speedscope.json'));
    assert.equal(written.length, 1);
    assert.deepEqual(wb.consoleErrors.filter((e) => /flamegraph|Incident Workbench/i.test(e)), []);
  });
});
