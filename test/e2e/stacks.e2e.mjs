// Issue 13 in the real workbench (code-server + Chromium, the packaged extension, real py-spy): the demo
// service is started, a request to its stuck endpoint (POST /inventory/sync) never answers, and a new user
// runs "Dump Python Process Stacks…" from the command palette, picks the service, and follows the
// deadlock finding to the line in service/inventory.py. Then a cProfile file and a GPU torch trace open in
// the flame graph editor with the approximation note, the callers/callees table and the op table.
// Screenshots: test/e2e/artifacts/stacks-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/codeserver.mjs';
import { REPO_ROOT, openWorkbench, pickQuickItem, quickInput, runCommand, screenshot, until, webviewFrame, openFileByName } from './helpers.mjs';

const INVENTORY = readFileSync(join(REPO_ROOT, 'demo', 'service', 'inventory.py'), 'utf8').split('\n');
// The two inner `with` lines, where each thread waits for the lock the other holds.
const WAIT_LINES = INVENTORY.map((l, i) => (/^ {8}with _(ledger|stock)_lock:/.test(l) ? i + 1 : 0)).filter(Boolean);

describe('a stuck endpoint of the demo, from the command palette', () => {
  let wb;
  let service;
  let pending;
  before(async () => {
    assert.equal(WAIT_LINES.length, 2, 'demo/service/inventory.py still takes two locks in opposite order');
    wb = await openWorkbench({ workspace: 'demo' });
    // The profile fixtures the second test opens, copied into the workspace like a user's own files.
    mkdirSync(join(wb.workspace, 'profiles'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'profile', 'workload.prof'), join(wb.workspace, 'profiles', 'workload.prof'));
    const port = await freePort();
    service = spawn('python3', ['-m', 'service.server', '--port', String(port)], { cwd: wb.workspace, stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve, reject) => {
      service.once('error', reject);
      service.stdout.once('data', resolve);
    });
    // The request that never answers (kept open until the end).
    pending = request({ host: '127.0.0.1', port, path: '/inventory/sync', method: 'POST', headers: { 'Content-Type': 'application/json' } });
    pending.on('error', () => {});
    pending.end('{"sku": "sku-1", "quantity": 2}');
    await new Promise((r) => setTimeout(r, 600));
  });
  after(async () => {
    pending?.destroy();
    service?.kill('SIGKILL');
    await wb?.close();
  });

  it('Dump Python Process Stacks… names the lock-order deadlock; its link opens inventory.py at the waiting line', async () => {
    const { page } = wb;
    await runCommand(page, 'Incident Workbench: Dump Python Process Stacks…');
    await pickQuickItem(page, 'service.server', { timeout: 30000 });
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'options' }).waitFor();
    await screenshot(page, 'stacks-options');
    await quickInput(page).press('Enter');
    await page.locator('.tabs-container .tab').filter({ hasText: /\.pyspy-dump\.jsonl/ }).first().waitFor({ timeout: 60000 });
    // Custom editors leave the inner frame untitled: the tab first, then the (only) visible webview.
    const view = await webviewFrame(page, undefined, { timeout: 30000 });
    const finding = view.locator('.st-finding-deadlock').first();
    await finding.waitFor({ timeout: 30000 }).catch(async (e) => {
      // Say what the page showed instead (another webview, no finding, an error) and keep a picture.
      await screenshot(page, 'stacks-no-finding');
      throw new Error(`no deadlock finding; the webview shows: ${((await view.locator('body').textContent({ timeout: 5000 }).catch(() => '(unreadable)')) ?? '').slice(0, 600)}`, { cause: e });
    });
    assert.match(await finding.textContent(), /Lock-order deadlock: .*holds _(stock|ledger)_lock .*waits for _(stock|ledger)_lock/);
    // The stuck threads come first, their unmoved frames marked.
    await view.locator('.st-thread-stuck').first().waitFor();
    assert.ok((await view.locator('.st-thread-stuck .st-still').count()) > 0);
    assert.match(await view.locator('header p').textContent(), /3 dumps · \d+ threads · 2 stuck/);
    await screenshot(page, 'stacks-deadlock');
    // The finding's link (a button: keyboard too) opens the file at the line.
    const link = finding.locator('button.st-open');
    await link.focus();
    await link.press('Enter');
    await page.locator('.tabs-container .tab').filter({ hasText: 'inventory.py' }).first().waitFor({ timeout: 15000 });
    const cursor = page.locator('.statusbar-item[id="status.editor.selection"]');
    await until('the cursor on a waiting line', async () => {
      const text = (await cursor.textContent()) ?? '';
      const m = /Ln (\d+),/.exec(text);
      return m && WAIT_LINES.includes(Number(m[1])) ? m[1] : undefined;
    });
    await screenshot(page, 'stacks-line');
    assert.deepEqual(wb.consoleErrors.filter((e) => /stacks|Incident Workbench/i.test(e)), []);
  });

  it('a .prof opens with the approximation note and the exact callers/callees table; a GPU trace shows CPU vs device time', async () => {
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await openFileByName(page, 'workload.prof');
    await page.locator('.tabs-container .tab').filter({ hasText: 'workload.prof' }).first().waitFor({ timeout: 30000 });
    const prof = await webviewFrame(page, undefined, { timeout: 30000 });
    await prof.locator('.fg-note').filter({ hasText: /approximated from the call graph/ }).waitFor({ timeout: 30000 });
    const table = prof.locator('table.fg-calls');
    await table.waitFor();
    // Sorted by tottime: hot_loop first; picking it shows its caller, main.
    const first = table.locator('tbody tr').first();
    assert.match(await first.textContent(), /hot_loop/);
    await first.locator('button.link').first().click();
    await prof.locator('.fg-calls-detail h4', { hasText: /Callers \(1\)/ }).waitFor();
    assert.match(await prof.locator('.fg-calls-detail').textContent(), /main \(workload\.py:\d+\)/);
    await screenshot(page, 'stacks-prof-calls');
    await runCommand(page, 'View: Close All Editors');
    await openFileByName(page, 'alexnet-a100.pt.trace.json.gz');
    await page.locator('.tabs-container .tab').filter({ hasText: 'alexnet-a100' }).first().waitFor({ timeout: 30000 });
    const gpu = await webviewFrame(page, undefined, { timeout: 30000 });
    const summary = gpu.locator('.fg-ops-summary');
    await summary.waitFor({ timeout: 30000 });
    assert.match(await summary.textContent(), /GPU idle 99\.69 %/);
    assert.match(await gpu.locator('select[aria-label="Thread"] option').first().textContent(), /All \d+ CPU threads?/);
    await gpu.locator('canvas.fg-ops-timeline').waitFor();
    assert.match(await gpu.locator('.fg-ops-section').textContent(), /aten::cudnn_convolution/);
    await gpu.locator('.fg-ops-section').scrollIntoViewIfNeeded();
    await screenshot(page, 'stacks-torch-ops');
    assert.deepEqual(wb.consoleErrors.filter((e) => /flamegraph|Incident Workbench/i.test(e)), []);
  });
});
