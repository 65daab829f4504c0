// Profiling in the real workbench (code-server + Chromium, packaged extension, real py-spy): a new user
// opens the demo workspace while the demo's busy loop runs, runs "Profile Python Process…" from the
// command palette, picks the process, waits for the flame graph, clicks the hot frame and lands in the
// editor on the hot line, which shows its heat. Then, in the Incidents tree, two profile evidence items
// are ctrl-clicked and compared from the context menu. Screenshots: test/e2e/artifacts/profile-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  VIEW_CONTAINER_TITLE,
  editorTab,
  openViewContainer,
  openWorkbench,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  docsImage,
  treeItem,
  until,
  webviewFrame,
} from './helpers.mjs';

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
    await screenshot(page, docsImage('profile-hot-line'));

    // The profile was written into the workspace (no active incident: profiles/).
    const written = readdirSync(join(wb.workspace, 'profiles')).filter((f) => f.endsWith('.speedscope.json'));
    assert.equal(written.length, 1);
    assert.deepEqual(wb.consoleErrors.filter((e) => /flamegraph|Incident Workbench/i.test(e)), []);
  });
});

describe('comparing two profile evidence items from the Incidents tree', () => {
  let wb;
  let source;
  before(async () => {
    // The test workspace with two profiles in INC-2026-001's evidence: real py-spy 0.4.3 output copied from
    // test/fixtures/profile (how each was recorded: test/fixtures/profile/NOTE.md). workload.speedscope.json
    // is the slow run, workload-fast.speedscope.json the same workload with hot_loop doing a tenth of the work.
    // The newer one is listed first, so "before" has to come from the recorded times, not the tree order.
    source = mkdtempSync(join(tmpdir(), 'iwb-e2e-profile-evidence-'));
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), source, { recursive: true });
    const incidentDir = join(source, '.incidents', 'INC-2026-001');
    mkdirSync(join(incidentDir, 'evidence', 'profiles'), { recursive: true });
    for (const f of ['workload.speedscope.json', 'workload-fast.speedscope.json']) {
      copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'profile', f), join(incidentDir, 'evidence', 'profiles', f));
    }
    const file = join(incidentDir, 'incident.json');
    const incident = JSON.parse(readFileSync(file, 'utf8'));
    incident.evidence = [
      { kind: 'profile', path: 'evidence/profiles/workload-fast.speedscope.json', at: '2026-11-01T11:30:00Z', note: 'py-spy after the fix' },
      { kind: 'profile', path: 'evidence/profiles/workload.speedscope.json', at: '2026-11-01T10:20:00Z', note: 'py-spy during the incident' },
    ];
    writeFileSync(file, `${JSON.stringify(incident, null, 2)}\n`);
    // The profiled source, where the recorded /app/workload.py resolves (by its trailing segments): the heat of the diff lands on it.
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'profile', 'workload.py'), join(source, 'workload.py'));
    wb = await openWorkbench({ workspace: source });
  });
  after(async () => {
    await wb?.close();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  it('ctrl-click two profiles, "Compare Profiles…" from the context menu: the differential flame graph, older one as before', async () => {
    const { page } = wb;
    const sidebar = await openViewContainer(page, VIEW_CONTAINER_TITLE);
    const exactLabel = (label) => page.locator('.label-name', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
    const row = (label) => sidebar.locator('.monaco-list-row[role="treeitem"]').filter({ has: exactLabel(label) });
    const incident = treeItem(page, 'INC-2026-001');
    await incident.waitFor({ timeout: 30000 });
    await incident.locator('.monaco-tl-twistie').click();
    await row('Evidence').locator('.monaco-tl-twistie').click();
    const slow = row('workload.speedscope.json');
    const fast = row('workload-fast.speedscope.json');
    await fast.waitFor({ timeout: 15000 });

    await fast.click({ modifiers: ['Control'] });
    await slow.click({ modifiers: ['Control'] });
    const selected = sidebar.locator('.monaco-list-row[role="treeitem"][aria-selected="true"]');
    await until('exactly the two profiles selected', async () => {
      const labels = await selected.locator('.label-name').allTextContents();
      return labels.length === 2 && labels.map((l) => l.trim()).sort().join(',') === 'workload-fast.speedscope.json,workload.speedscope.json' ? labels : undefined;
    });

    await fast.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    const compare = menu.locator('.action-item').filter({ has: page.locator('.action-label', { hasText: /^Compare Profiles/ }) });
    await compare.waitFor({ timeout: 10000 });
    // A single-item action is not offered for two items.
    assert.equal(await menu.locator('.action-label', { hasText: /^Open Profile/ }).count(), 0);
    await screenshot(page, 'profile-compare-context-menu');
    await compare.click();

    const title = 'workload.speedscope.json → workload-fast.speedscope.json';
    await editorTab(page, `Diff: ${title}`).waitFor({ timeout: 30000 });
    const view = await webviewFrame(page, `Diff: ${title}`, { timeout: 30000 });
    await view.locator('h1').filter({ hasText: `Profile diff: ${title}` }).waitFor();
    await view.locator('canvas.fg-canvas').first().waitFor();
    // hot_loop does a tenth of the work after: it is among the improvements.
    await view.locator('.fg-diff tr').filter({ hasText: 'hot_loop' }).first().waitFor();
    await screenshot(page, 'profile-compare-diff');

    // The editor heat shows the change while the diff is focused: hot_loop's line fell (a cool "−" lens).
    await view.locator('.fg-diff tr').filter({ hasText: 'hot_loop' }).first().locator('button.link').click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'workload.py' }).first().waitFor({ timeout: 15000 });
    const lenses = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
    await lenses.filter({ hasText: /−\d+\.\d% self · [−+±]\d+\.\d% total/ }).first().waitFor({ timeout: 15000 });
    // Zoom the diff into hot_loop: the heat counts only that subtree, says so, and one click resets it.
    await editorTab(page, `Diff: ${title}`).click();
    const diffView = await webviewFrame(page, `Diff: ${title}`, { timeout: 30000 });
    await diffView.locator('input.fg-search').fill('hot_loop');
    await diffView.locator('.fg-search-info').filter({ hasText: /of samples/ }).waitFor();
    await diffView.locator('input.fg-search').press('Enter');
    const chartCanvas = diffView.locator('canvas.fg-canvas[data-selected-label^="hot_loop"]').first();
    await chartCanvas.waitFor({ timeout: 10000 });
    const [x, y, w, h] = (await chartCanvas.getAttribute('data-selected')).split(',').map(Number);
    await chartCanvas.dblclick({ position: { x: x + Math.min(w / 2, 20), y: y + h / 2 } });
    await diffView.locator('.fg-heat-note').filter({ hasText: /filtered to hot_loop/ }).waitFor({ timeout: 15000 });
    await page.locator('.tabs-container .tab').filter({ hasText: 'workload.py' }).first().click();
    await lenses.filter({ hasText: /Heat filtered to hot_loop .* show the whole diff/ }).first().waitFor({ timeout: 15000 });
    await screenshot(page, 'profile-compare-diff-heat');
    await lenses.filter({ hasText: /Heat filtered to hot_loop/ }).locator('a').first().click();
    await until('the note goes', async () => ((await lenses.filter({ hasText: /Heat filtered/ }).count()) === 0 ? true : undefined), 15000);
    assert.deepEqual(wb.consoleErrors.filter((e) => /flamegraph|Incident Workbench/i.test(e)), []);
  });
});
