// Memory in the real workbench (code-server + Chromium, packaged extension, real memray attaching through
// gdb): a new user opens the demo workspace while the demo service serves varied traffic, runs "Profile
// Memory of a Python Process…" from the command palette, picks the service, waits for the memory view,
// clicks the top leak suspect and lands in the editor on the leaking line of service/personalisation.py,
// which shows its memory heat. Screenshots: test/e2e/artifacts/memory-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../support/daemon.mjs';
import { REPO_ROOT, docsImage, openWorkbench, pickQuickItem, quickInput, runCommand, screenshot, webviewFrame } from './helpers.mjs';

const SOURCE = readFileSync(join(REPO_ROOT, 'demo', 'service', 'personalisation.py'), 'utf8').split('\n');
const LEAK_LINE = SOURCE.findIndex((l) => l.includes('seen[key] = array(')) + 1;

/** Starts a child and resolves when its stdout prints `ready` (a substring). */
function start(args, cwd, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    child.once('error', reject);
    let seen = '';
    child.stdout.on('data', (d) => {
      seen += d;
      if (seen.includes(ready)) resolve(child);
    });
  });
}

describe('memory from the command palette', () => {
  let wb;
  let server;
  let traffic;
  before(async () => {
    assert.ok(LEAK_LINE > 0, 'demo/service/personalisation.py still has the cache line');
    wb = await openWorkbench({ workspace: 'demo' });
    const port = await freePort();
    server = await start(['-m', 'service.server', '--port', String(port)], wb.workspace, 'demo service on');
    traffic = await start(['scripts/busy_loop.py', '--url', `http://127.0.0.1:${port}`, '--seconds', '300', '--vary'], wb.workspace, 'busy for');
  });
  after(async () => {
    traffic?.kill();
    server?.kill();
    await wb?.close();
  });

  it('attaches memray to the demo service; the top leak suspect opens the leaking line with its memory heat', async () => {
    const { page } = wb;
    await runCommand(page, 'Incident Workbench: Profile Memory of a Python Process…');
    // The picker lists running Python processes; the service is the `-m service.server` row.
    await pickQuickItem(page, 'service.server', { timeout: 30000 });
    await pickQuickItem(page, '10 seconds');
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'options' }).waitFor();
    await quickInput(page).press('Enter');
    await page.locator('.notifications-toasts').filter({ hasText: /Profiling memory of PID \d+ with memray/ }).waitFor({ timeout: 30000 });
    await screenshot(page, 'memory-progress');

    await page.locator('.tabs-container .tab').filter({ hasText: /\.memray\.bin/ }).first().waitFor({ timeout: 90000 });
    const view = await webviewFrame(page, undefined, { timeout: 60000 });
    await view.locator('h1').filter({ hasText: /^Memory: / }).waitFor({ timeout: 60000 });
    await view.locator('.mem-timeline-chart path.mem-line').first().waitFor();
    await view.locator('canvas.fg-canvas').first().waitFor();
    const top = view.locator('tr.mem-suspect[data-rank="1"]');
    await top.waitFor({ timeout: 30000 });
    const label = await top.locator('button.link').textContent();
    assert.match(label, new RegExp(`extract_and_remember personalisation\\.py:${LEAK_LINE}`));
    assert.match(await top.locator('td').nth(2).textContent(), /^\+[\d.]+ (B|KiB|MiB)\/s$/);
    await screenshot(page, docsImage('memory-leak-suspect'));

    await top.locator('button.link').click();
    await page.locator('.tabs-container .tab').filter({ hasText: 'personalisation.py' }).first().waitFor({ timeout: 20000 });
    await page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: new RegExp(`Ln ${LEAK_LINE},`) }).waitFor({ timeout: 20000 });
    // The line shows what it leaked (memory heat's code lens).
    await page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /leaked · [\d.]+% · [\d,]+ allocations?/ }).first().waitFor({ timeout: 20000 });
    await screenshot(page, 'memory-leaking-line');

    // The capture was written into the workspace (no active incident: profiles/).
    const written = readdirSync(join(wb.workspace, 'profiles')).filter((f) => f.endsWith('.memray.bin'));
    assert.equal(written.length, 1);
    assert.deepEqual(wb.consoleErrors.filter((e) => /memory|Incident Workbench/i.test(e)), []);
  });
});
