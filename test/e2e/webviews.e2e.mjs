/* global window, document -- functions passed to evaluate() run in the webview */
// Every webview in one workbench session (code-server + Chromium, the packaged extension, the demo
// workspace plus the profile fixtures), issues #22 and #19:
// - what a new user sees first: the flame graph opens on its roots with units, a title and one definition of
//   a function's share; the waterfall is a fixed layout whose detail pane follows the selection, with a
//   metrics band that has units and an anomaly report that reads as lists and bars; the overview shows every
//   step of the method with readable times and tables; rollback, model and A/B details (#19 items 2–4, 10);
// - axe-core finds no serious or critical violation in Light Modern, Dark Modern and High Contrast (#22);
// - each page draws again after its tab was hidden and shown, after it moved to another editor group and
//   after a window reload (#22 item 1, #19 item 1);
// - the keyboard round trip on the flame graph, the waterfall and the A/B editor: select, Enter, the source
//   opens beside, back, the chart is there with the same selection (#22 items 4–5, #19 item 5).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { REPO_ROOT, openWorkbench, pickQuickItem, runCommand, screenshot, until, openFileByName } from './helpers.mjs';
import { THEMES, activeTab, axeViolations, drawnWebview, keyboardRoundTrip, paletteByKeys, setTheme, showTab, visibleWebview } from './webviewChecks.mjs';

// The post-mortem editor (another feature's) does not title its frame yet: VS Code then writes "undefined".
const UNTITLED = 'undefined';

/** Keys that run a command with arguments (the user's pickers are not what these checks are about). */
const KEYS = {
  loadLogs: 'ctrl+alt+shift+f1',
  judgeRollback: 'ctrl+alt+shift+f2',
  analyzeModel: 'ctrl+alt+shift+f3',
  showIncident: 'ctrl+alt+shift+f4',
  postmortemForm: 'ctrl+alt+shift+f5',
  traceStats: 'ctrl+alt+shift+f6',
  compareTraces: 'ctrl+alt+shift+f7',
};
// The demo incident's trace file (eight requests): statistics over all, and a typical one against the slowest.
const TRACES = '.incidents/INC-2026-001/evidence/traces/recommend.otlp.jsonl';
const TYPICAL = '15fc899e4fd58dbe7bdc968b7afb2c68';
const SLOWEST = 'e0cfab4ceaefc4d2d3bf6d016bae4b5b';
const KEYBINDINGS = [
  { key: KEYS.loadLogs, command: 'incidentWorkbench.loadLogs', args: 'logs/service.jsonl' },
  { key: KEYS.judgeRollback, command: 'incidentWorkbench.judgeRollback', args: { baseline: 'deploy/baseline.json', current: 'deploy/current.json' } },
  { key: KEYS.analyzeModel, command: 'incidentWorkbench.analyzeModelPredictions', args: 'model/predictions.jsonl' },
  { key: KEYS.showIncident, command: 'incidentWorkbench.showIncident', args: 'INC-2026-001' },
  { key: KEYS.postmortemForm, command: 'incidentWorkbench.openPostmortemForm', args: 'INC-2026-001' },
  { key: KEYS.traceStats, command: 'incidentWorkbench.traceStatsOfFile', args: TRACES },
  { key: KEYS.compareTraces, command: 'incidentWorkbench.compareTraces', args: { a: `${TRACES}#${TYPICAL}`, b: `${TRACES}#${SLOWEST}` } },
];
/** `ctrl+alt+shift+f1` as Playwright names it. */
const press = (page, key) => page.keyboard.press(key.replace('ctrl', 'Control').replace('alt', 'Alt').replace('shift', 'Shift').replace(/f(\d+)$/, 'F$1'));

describe('every webview', () => {
  let wb;
  let source;
  /** The pages opened, in order: the label of their tab and a selector only their drawn page has. */
  const pages = [];

  before(async () => {
    source = mkdtempSync(join(tmpdir(), 'iwb-e2e-webviews-'));
    cpSync(join(REPO_ROOT, 'demo'), source, { recursive: true });
    mkdirSync(join(source, 'profiles'), { recursive: true });
    for (const f of ['deep.speedscope.json', 'workload.speedscope.json', 'workload-fast.speedscope.json']) copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'profile', f), join(source, 'profiles', f));
    // A py-spy dump of a stuck program (test/fixtures/stacks/NOTE.md), as a user's own file.
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'stacks', 'stuck.pyspy-dump.jsonl'), join(source, 'profiles', 'stuck.pyspy-dump.jsonl'));
    // Two memray captures of the memory fixture's workload, leaking and fixed (test/fixtures/memory/NOTE.md),
    // for the memory diff.
    const workload = join(REPO_ROOT, 'test', 'fixtures', 'memory', 'workload.py');
    await Promise.all([
      promisify(execFile)('python3', ['-m', 'memray', 'run', '-q', '-f', '-o', join(source, 'profiles', 'workload.memray.bin'), workload]),
      promisify(execFile)('python3', ['-m', 'memray', 'run', '-q', '-f', '-o', join(source, 'profiles', 'workload-fixed.memray.bin'), workload, '--fixed']),
    ]);
    // Recorded as /app/deep.py (test/fixtures/profile/NOTE.md): the mapping finds it in the workspace.
    copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'profile', 'deep.py'), join(source, 'deep.py'));
    wb = await openWorkbench({
      workspace: source,
      keybindings: KEYBINDINGS,
      settings: {
        'workbench.colorTheme': THEMES[0].name,
        'incidentWorkbench.pathMappings': { '/app': '${workspaceFolder}' },
        'incidentWorkbench.model.predictCommand': ['python3', 'model/predict.py'],
      },
    });
  });
  after(async () => {
    await wb?.close();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  /** Opens a page, waits for it to draw, remembers its tab; its frame is titled as its tab. */
  async function opened(name, ready, open, { untitled = false } = {}) {
    await open();
    const label = await until(`the tab of the ${name}`, async () => {
      const l = await activeTab(wb.page);
      return l && (await visibleWebview(wb.page, ready, untitled ? [l, UNTITLED] : l, 1000).catch(() => undefined)) ? l : undefined;
    }, 60000);
    pages.push({ name, label, ready, title: untitled ? [label, UNTITLED] : label });
    return label;
  }

  it('opens all fourteen webviews', async () => {
    const { page } = wb;
    await opened('flame graph', 'canvas.fg-canvas[data-painted]', () => openFileByName(page, 'deep.speedscope.json'));
    await opened('waterfall', '[data-testid=slowest]', () => openFileByName(page, 'recommend.otlp.jsonl'));
    await opened('A/B test', '.verdict', () => openFileByName(page, 'checkout-button.abtest.json'));
    await opened('incident overview', 'table.timeline', () => press(page, KEYS.showIncident));
    await opened('post-mortem form', 'main:not([aria-busy]) [data-path]', () => press(page, KEYS.postmortemForm), { untitled: true });
    await opened('rollback', '.verdict', () => press(page, KEYS.judgeRollback));
    await opened('model', 'table[aria-label="high-confidence errors"]', () => press(page, KEYS.analyzeModel));
    await opened('error cluster', 'h1.ed-title', async () => {
      await press(page, KEYS.loadLogs);
      await page.locator('[role="treeitem"]').filter({ hasText: /×|events/ }).first().waitFor({ timeout: 60000 }).catch(() => undefined);
      await runCommand(page, 'Incident Workbench: Show Error Cluster Details');
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
      await page.keyboard.press('Enter');
    });
    await opened('profile diff', '.fg-diff tr', async () => {
      await runCommand(page, 'Incident Workbench: Compare Profiles…');
      await pickQuickItem(page, 'workload.speedscope.json', { exact: true });
      // The second question's own list (a click on the first list while it closes is lost under load).
      await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: '2/2' }).waitFor({ timeout: 30000 });
      await pickQuickItem(page, 'workload-fast.speedscope.json', { exact: true });
      const diff = await visibleWebview(page, '.fg-diff tr', undefined, 60000);
      // One group for all (the diff opens beside), so that hiding one tab shows another in its place.
      await paletteByKeys(page, 'View: Join All Editor Groups');
      await until('one editor group', async () => (await page.locator('.editor-group-container').count()) === 1);
      // The joined group may show another tab: the diff's (titled like its frame) is the one opened.
      await showTab(page, diff.title);
    });
    // The demo incident's memray capture (its evidence), a stack dump, and the trace search and comparison
    // panels from the demo's trace file (a live Jaeger's search is traceSearch.e2e.mjs).
    await opened('memory', '.mem-facts', () => openFileByName(page, 'recommend-leak.memray.bin'));
    await opened('stacks', '.st-thread', () => openFileByName(page, 'stuck.pyspy-dump.jsonl'));
    await opened('trace search', 'table.ts-ops', () => press(page, KEYS.traceStats));
    await opened('trace comparison', 'table[aria-label="Spans matched by path"]', () => press(page, KEYS.compareTraces));
    await opened('memory diff', '.mem-facts', async () => {
      await runCommand(page, 'Incident Workbench: Compare Memory Captures…');
      await pickQuickItem(page, 'workload.memray.bin', { exact: true });
      await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: '2/2' }).waitFor({ timeout: 30000 });
      await pickQuickItem(page, 'workload-fixed.memray.bin', { exact: true });
      const title = 'Memory diff: workload.memray.bin → workload-fixed.memray.bin';
      await visibleWebview(page, '.mem-facts', title, 60000);
      await paletteByKeys(page, 'View: Join All Editor Groups');
      await until('one editor group', async () => (await page.locator('.editor-group-container').count()) === 1);
      await showTab(page, title);
    });
    assert.equal(new Set(pages.map((p) => p.label)).size, pages.length, JSON.stringify(pages));
  });

  /** The page `name` shown (its tab clicked) and drawn. */
  async function show(name) {
    const p = pages.find((x) => x.name === name);
    await showTab(wb.page, p.label);
    const reshow = async () => {
      const other = pages.find((x) => x.name !== name);
      await showTab(wb.page, other.label);
      await showTab(wb.page, p.label);
    };
    return drawnWebview(wb.page, p.ready, p.title, 30000, { reshow });
  }

  it('the flame graph opens on its roots, with units, its title, an orientation choice and one definition of a share (#19 item 2)', async () => {
    const { page } = wb;
    const view = await show('flame graph');
    assert.equal(view.title, 'deep.speedscope.json', 'the frame is titled (it was "undefined")');
    const f = view.locator;
    assert.equal(await f.locator('h1').textContent(), 'Flame graph: deep.speedscope.json');
    const pane = f.locator('.fg-main-chart');
    const canvas = f.locator('canvas.fg-canvas').first();
    // One 150-frame stack makes the chart far taller than its pane; the root row (all samples) is in view.
    const geometry = async () => pane.evaluate((el) => {
      const [, y, , h] = el.querySelector('canvas').dataset.selected.split(',').map(Number);
      return { y, h, top: el.scrollTop, height: el.clientHeight, total: el.scrollHeight };
    });
    let g = await geometry();
    assert.ok(g.total > 2 * g.height, `the chart (${g.total} px) is much taller than its pane (${g.height} px)`);
    assert.ok(g.y >= g.top && g.y + g.h <= g.top + g.height, `the root row at ${g.y} is in view (${g.top}–${g.top + g.height})`);
    assert.equal(await canvas.getAttribute('data-selected-label'), 'all');
    // Units everywhere: the status line says seconds.
    assert.match(await f.locator('.fg-status').textContent(), /^All samples · total \d+\.\d\d s \(100\.0 %\) · self /);
    // Icicle puts the roots at the top, in view too.
    await f.locator('select[aria-label="Orientation"]').selectOption('icicle');
    g = await geometry();
    assert.ok(g.y === 0 && g.top === 0, JSON.stringify(g));
    await f.locator('select[aria-label="Orientation"]').selectOption('flame');
    // checksum runs from main and at the bottom of the deep recursion: "here" and "in all call paths" differ,
    // and the sandwich shows the same "all call paths" numbers as the status line.
    await f.locator('input.fg-search').fill('checksum');
    await f.locator('.fg-search-info').filter({ hasText: /of samples/ }).waitFor();
    await f.locator('input.fg-search').press('Enter');
    await f.locator('canvas.fg-canvas[data-selected-label^="checksum"]').waitFor();
    const status = await f.locator('.fg-status').textContent();
    const here = /here: total ([\d.]+ s) \(([\d.]+ %)\)/.exec(status);
    const all = /checksum in all call paths: total ([\d.]+ s) \(([\d.]+ %)\), self ([\d.]+ s) \(([\d.]+ %)\)/.exec(status);
    assert.ok(here && all, status);
    assert.ok(parseFloat(all[2]) > parseFloat(here[2]), status);
    await page.keyboard.press('s');
    const total = f.locator('[data-testid=sandwich-total]');
    await total.waitFor();
    assert.equal(await total.textContent(), `In all call paths: total ${all[1]} (${all[2]}), self ${all[3]} (${all[4]})`);
    // The sandwich opens in view, beside the chart (it opened below the fold).
    const box = await f.locator('section.fg-sandwich').boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box && box.y + 40 < viewport.height, `sandwich at ${JSON.stringify(box)}`);
    await page.keyboard.press('s');
    await screenshot(page, 'webviews-flamegraph-roots');
  });

  it('the waterfall fills the editor, its detail pane follows the selection, the band has units and the anomaly reads as lists and bars (#19 items 3–4)', async () => {
    const { page } = wb;
    const view = await show('waterfall');
    const f = view.locator;
    const body = f.locator('body');
    const layout = await body.evaluate(() => {
      const rect = (sel) => document.querySelector(sel).getBoundingClientRect();
      return { scroll: document.scrollingElement.scrollHeight, height: window.innerHeight, width: window.innerWidth, rows: rect('.wf-scroll'), side: rect('.wf-side') };
    });
    assert.ok(layout.scroll <= layout.height + 1, `the page itself does not scroll (${layout.scroll} > ${layout.height})`);
    assert.ok(layout.rows.height > 0.3 * layout.height && layout.rows.bottom <= layout.height, JSON.stringify(layout));
    // Beside the rows in a wide editor, under them in a narrow one; in view either way.
    const beside = layout.side.left >= layout.rows.right - 1 && layout.side.top < layout.height / 2;
    const under = layout.side.top >= layout.rows.bottom - 1 && layout.side.bottom <= layout.height + 1;
    assert.ok(layout.width > 900 ? beside : under, `the detail pane: ${JSON.stringify(layout)}`);
    // A click on a span: the pane beside shows it, in view.
    const row = await body.evaluate(() => window.iwbWaterfall.rowOf('pairwise_diversity'));
    const at = await body.evaluate((_el, r) => window.iwbWaterfall.locate(r), row);
    // The mouse at the row's place (a locator click would first scroll the sticky canvas "into view").
    const canvasBox = await f.locator('canvas.wf-canvas').boundingBox();
    await page.mouse.click(canvasBox.x + at.x, canvasBox.y + at.y);
    const title = f.locator('section.wf-detail h2').first();
    await until('the span detail', async () => /recommend: pairwise_diversity/.test(await title.textContent()));
    const shown = await title.boundingBox();
    assert.ok(shown && shown.y >= 0 && shown.y < layout.height, `the detail heading is visible: ${JSON.stringify(shown)}`);
    // Arrow keys move the selection; the pane and the grid's active row follow (name and duration only).
    // (pairwise_diversity is the trace's last row: up.)
    await page.keyboard.press('ArrowUp');
    await until('the next span in the pane', async () => !/pairwise_diversity/.test(await title.textContent()));
    const active = await f.locator('#wf-active-row').textContent();
    const spanTitle = (await title.textContent()).trim();
    assert.ok(active.startsWith(spanTitle), `${active} / ${spanTitle}`);
    assert.match(active, /\d+(\.\d+)? (ms|µs|s)$/);
    assert.equal(await f.locator('.wf-scroll').getAttribute('role'), 'treegrid');
    assert.equal(await f.locator('section.wf-detail').getAttribute('aria-live'), null, 'the detail is no live region');
    // The metrics band: full series names, values with their unit, a clock axis.
    const names = await f.locator('[data-testid=band-series]').allTextContents();
    assert.ok(names.includes('recommend_request_duration_seconds{endpoint="/recommend"}'), JSON.stringify(names));
    const plot = await f.locator('canvas.wf-band-plot').first().getAttribute('aria-label');
    assert.match(plot, /^recommend_request_duration_seconds.*: from [\d.]+ ms to 318 ms over \d+ points$/);
    // Analyze anomaly: the peak at its precision, lists, BubbleUp bars sorted.
    const series = f.locator('.wf-band-row').filter({ hasText: 'recommend_request_duration_seconds' });
    await series.getByRole('button', { name: 'Analyze anomaly' }).click();
    const anomaly = f.locator('section.wf-anomaly');
    await anomaly.locator('h2').waitFor();
    const text = await anomaly.textContent();
    assert.match(text, /Peak 318 ms at 2026-11-29 03:50:27 UTC\./);
    assert.doesNotMatch(text, /0\.3180000/);
    assert.equal(await anomaly.locator('time').first().getAttribute('title'), '2026-11-29T03:50:27.000Z');
    assert.ok((await anomaly.locator('ul.wf-facts > li').count()) >= 5);
    if ((await anomaly.locator('table.wf-bubbleup').count()) > 0) {
      assert.ok((await anomaly.locator('.wf-share-bar').count()) > 0);
      const scores = (await anomaly.locator('table.wf-bubbleup tbody td.num').allTextContents()).map((t) => parseFloat(t));
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    }
    await screenshot(page, 'webviews-waterfall-anomaly');
  });

  it('the waterfall in a narrow editor (520 px): the spans keep the height, the detail pane under them opens on a click (#22)', async () => {
    const { page } = wb;
    const view = await show('waterfall');
    const f = view.locator;
    const body = f.locator('body');
    const original = page.viewportSize();
    const wide = await body.evaluate(() => window.innerWidth);
    await page.setViewportSize({ width: original.width - (wide - 520), height: original.height });
    try {
      await until('a 520 px page', async () => Math.abs((await body.evaluate(() => window.innerWidth)) - 520) <= 4);
      const toggle = f.locator('button.wf-side-toggle');
      const measure = () => body.evaluate(() => {
        const rect = (sel) => document.querySelector(sel).getBoundingClientRect();
        const scroller = document.querySelector('.wf-scroll');
        return { height: window.innerHeight, rows: rect('.wf-scroll').height, bars: scroller.clientWidth - window.iwbWaterfall.nameWidth(), side: rect('.wf-side'), detail: rect('section.wf-detail') };
      });
      // The pane starts closed: one line under the spans, which get most of the page (they had 122 px).
      await until('the pane closed', async () => (await toggle.getAttribute('aria-expanded')) === 'false');
      let m = await measure();
      assert.ok(m.rows >= 0.4 * m.height, `spans ${m.rows} px of ${m.height} px`);
      assert.ok(m.bars >= 250, `bars ${m.bars} px wide`);
      assert.ok(m.side.height < 50 && m.side.bottom <= m.height + 1, JSON.stringify(m.side));
      // A click on a span opens the pane under the spans, with that span, in view.
      const row = await body.evaluate(() => window.iwbWaterfall.rowOf('pairwise_diversity'));
      const at = await body.evaluate((_el, r) => window.iwbWaterfall.locate(r), row);
      const canvasBox = await f.locator('canvas.wf-canvas').boundingBox();
      await page.mouse.click(canvasBox.x + at.x, canvasBox.y + at.y);
      const title = f.locator('section.wf-detail h2').first();
      await until('the span in the opened pane', async () => (await toggle.getAttribute('aria-expanded')) === 'true' && /pairwise_diversity/.test(await title.textContent()));
      m = await measure();
      const heading = await title.boundingBox();
      assert.ok(heading && heading.y >= 0 && heading.y < page.viewportSize().height, `the detail heading is visible: ${JSON.stringify(heading)}`);
      assert.ok(m.rows >= 0.2 * m.height, `spans ${m.rows} px of ${m.height} px with the pane open`);
      await screenshot(page, 'webviews-waterfall-narrow');
      // The keyboard closes it again (the button is the pane's first stop).
      await toggle.focus();
      await page.keyboard.press('Enter');
      await until('the pane closed by Enter', async () => (await toggle.getAttribute('aria-expanded')) === 'false');
    } finally {
      await page.setViewportSize(original);
    }
  });

  it('the overview shows every step with readable times and tables, also in a narrow editor group (#19 item 10)', async () => {
    const { page } = wb;
    const view = await show('incident overview');
    const f = view.locator;
    const headings = await f.locator('h2').allTextContents();
    for (const h of ['Reproduction', 'Evidence', 'Hypotheses', 'Root cause', 'Fix', 'Verification', 'Prevention', 'Post-mortem', 'Timeline']) {
      assert.ok(headings.some((x) => x.startsWith(h)), `${h} in ${JSON.stringify(headings)}`);
    }
    assert.deepEqual(await f.locator('table.timeline thead th').allTextContents(), ['When', 'Who', 'What', 'Details']);
    const when = f.locator('table.timeline td.when time').first();
    assert.match(await when.textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$/);
    assert.match(await when.getAttribute('title'), /^\d{4}-\d\d-\d\dT/);
    assert.match(await f.locator('[data-testid=postmortem]').textContent(), /postmortem\.json — \d+ action items?, \d+ open/);
    // A narrow editor group: the tables scroll sideways, their cells keep a readable width.
    const original = page.viewportSize();
    await page.setViewportSize({ width: 560, height: original.height });
    try {
      await until('a narrow page', async () => (await f.locator('body').evaluate(() => window.innerWidth)) < 500);
      const widths = await f.locator('table.timeline td').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
      assert.ok(Math.min(...widths) >= 40, `timeline cells ${Math.min(...widths)} px wide`);
      const lines = await f.locator('table.timeline td.when time').evaluateAll((times) => Math.max(...times.map((t) => t.getClientRects().length)));
      assert.equal(lines, 1, 'a time stays on one line');
      await screenshot(page, 'webviews-overview-narrow');
    } finally {
      await page.setViewportSize(original);
    }
  });

  it('rollback says its decision once and explains its score; the model groups changed predictions by input; A/B says Simpson once (#19 item 10)', async () => {
    const { page } = wb;
    let f = (await show('rollback')).locator;
    const verdict = await f.locator('.verdict').textContent();
    assert.match(verdict, /Roll back the new version/);
    assert.doesNotMatch(verdict, /ROLLBACK — /);
    assert.match(await f.locator('[data-testid=score]').textContent(), /^Canary score 0 of 100: \d+ of \d+ judged metrics pass, and a failing critical metric \(.+\) sets the score to 0\./);

    f = (await show('model')).locator;
    await f.getByRole('button', { name: 'Test Robustness' }).click();
    const table = f.locator('table.robustness');
    await table.waitFor({ timeout: 60000 });
    const groups = await table.locator('tbody').evaluateAll((bodies) => bodies.map((b) => ({ ids: b.querySelectorAll('th[scope=rowgroup]').length, rows: b.rows.length })));
    assert.ok(groups.length > 0 && groups.every((g) => g.ids === 1), JSON.stringify(groups));
    assert.ok(groups.some((g) => g.rows > 1), 'at least one input changed under several variations');
    const ids = await table.locator('th[scope=rowgroup] strong').allTextContents();
    assert.equal(new Set(ids).size, ids.length, 'each input once');

    await openFileByName(page, 'kidney-stones.abtest.json');
    f = (await visibleWebview(page, '.verdict', 'kidney-stones.abtest.json', 60000)).locator;
    const explanation = await f.locator('ul.issues li[data-type=simpson]').textContent();
    const sentence = explanation.trim().slice(0, 60);
    const everything = await f.locator('main').textContent();
    assert.equal(everything.split(sentence).length - 1, 1, `"${sentence}" once`);
    const ticks = await f.locator('svg.forest .axis text').allTextContents();
    assert.ok(ticks.some((t) => t.startsWith('\u2212')) && ticks.every((t) => !t.includes('-')), JSON.stringify(ticks));
    await runCommand(page, 'View: Close Editor');
  });

  it('every page has one h1, no empty table header and a "?" help that lists its keys; the minimap zooms by keys (#22 items 3–4)', async () => {
    const { page } = wb;
    const problems = [];
    for (const p of pages) {
      const f = (await show(p.name)).locator;
      const start = problems.length;
      const h1 = await f.locator('h1').count();
      if (h1 !== 1) problems.push(`${p.name}: ${h1} h1`);
      const empty = await f.locator('th').evaluateAll((ths) => ths.filter((th) => !th.textContent.trim()).length);
      if (empty) problems.push(`${p.name}: ${empty} empty table headers`);
      if (p.name === 'post-mortem form') {
        // The other feature's page (webview/postmortem): reported, not failed here, until it is fixed there.
        const own = problems.splice(start);
        if (own.length) console.log(`[e2e] ${own.join('; ')}`);
        continue;
      }
      // "?" from the page's body (not a text field) opens the list of keys; Escape closes it.
      // The pointer off the tab it clicked first: the tab's hover (its path) would take the click.
      await page.mouse.move(page.viewportSize().width - 40, page.viewportSize().height - 80);
      await page.locator('.context-view .hover-contents').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      await f.locator('h1').click();
      await page.keyboard.press('?');
      const panel = f.locator('.keys-panel');
      const rows = await until(`${p.name}: the keyboard help`, async () => (await panel.isVisible()) && (await panel.locator('tbody tr').count()), 5000).catch(() => 0);
      if (!rows) problems.push(`${p.name}: "?" shows no keys`);
      await page.keyboard.press('Escape');
      if (await panel.isVisible()) problems.push(`${p.name}: Escape leaves the help open`);
    }
    assert.deepEqual(problems, []);

    // The waterfall's minimap is a slider: + zooms around its middle, an arrow moves it, 0 shows it all.
    const f = (await show('waterfall')).locator;
    const minimap = f.locator('canvas.wf-minimap');
    await minimap.focus();
    const whole = await minimap.getAttribute('aria-valuetext');
    await page.keyboard.press('+');
    await until('a zoomed window', async () => (await minimap.getAttribute('aria-valuetext')) !== whole);
    const zoomed = await minimap.getAttribute('aria-valuetext');
    assert.equal(await minimap.getAttribute('aria-valuenow'), '25', zoomed);
    await page.keyboard.press('ArrowRight');
    await until('the window moved', async () => (await minimap.getAttribute('aria-valuetext')) !== zoomed);
    await page.keyboard.press('0');
    await until('the whole trace again', async () => (await minimap.getAttribute('aria-valuetext')) === whole);
  });

  const axeIn = async (names) => {
    const { page } = wb;
    const found = [];
    for (const theme of THEMES) {
      await setTheme(wb, theme);
      for (const p of pages.filter((x) => names.includes(x.name))) {
        await showTab(page, p.label);
        const view = await drawnWebview(page, p.ready, p.title);
        await until(`${p.name} in ${theme.name}`, async () => view.frame.locator(`body.${theme.body}`).count());
        const violations = await axeViolations(view.frame);
        if (violations.length) {
          found.push(`${p.name} in ${theme.name}:\n  ${violations.join('\n  ')}`);
          await screenshot(page, `a11y-${p.name}-${theme.workbench}`);
        }
      }
    }
    await setTheme(wb, THEMES[0]);
    return found;
  };

  it('axe finds no serious or critical violation in any chart or panel, in Light, Dark and High Contrast (#22)', async () => {
    const found = await axeIn(pages.filter((p) => p.name !== 'post-mortem form').map((p) => p.name));
    assert.deepEqual(found, [], found.join('\n'));
  });

  it('axe finds no serious or critical violation in the post-mortem form, in Light, Dark and High Contrast (#22)', async () => {
    const found = await axeIn(['post-mortem form']);
    assert.deepEqual(found, [], found.join('\n'));
  });

  /** Marks the page's window: a page VS Code re-created does not have the mark. */
  const mark = (view) => view.frame.evaluate(() => (window.iwbMark = true));
  const marked = (view) => view.frame.evaluate(() => window.iwbMark === true);

  it('every webview draws again after its tab was hidden and shown (#22 item 1, #19 item 1)', async () => {
    const { page } = wb;
    for (const [i, p] of pages.entries()) {
      const view = await show(p.name);
      await mark(view);
      await showTab(page, pages[(i + 1) % pages.length].label);
      const again = await show(p.name);
      assert.equal(await marked(again), false, `${p.name}: VS Code re-created the page (no retained context)`);
      if (p.name === 'flame graph' || p.name === 'profile diff') assert.ok(Number(await again.locator.locator('canvas.fg-canvas').first().getAttribute('data-painted')) > 0);
    }
  });

  it('every webview draws again after moving to another editor group (#22 item 1)', async () => {
    const { page } = wb;
    for (const p of pages) {
      await show(p.name);
      await paletteByKeys(page, 'View: Move Editor into Next Group');
      await until(`${p.name} in the second group`, async () => (await page.locator('.editor-group-container').count()) >= 2);
      await drawnWebview(page, p.ready, p.title);
      await paletteByKeys(page, 'View: Move Editor into Previous Group');
      await until(`${p.name} back in one group`, async () => (await page.locator('.editor-group-container').count()) === 1);
      await drawnWebview(page, p.ready, p.title);
    }
  });

  it('every webview draws again after a window reload (#22 item 1)', async () => {
    const { page } = wb;
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    for (const p of pages) {
      await until(`the tab of the ${p.name} after the reload`, async () => (await page.locator('.tabs-container .tab .label-name').allTextContents()).map((t) => t.trim()).includes(p.label), 60000);
      await showTab(page, p.label);
      await drawnWebview(page, p.ready, p.title, 60000);
    }
    await screenshot(page, 'webviews-after-reload');
  });

  it('keyboard only on the flame graph: select, Enter, the source beside, back, the same frame selected (#22 items 4–5, #19 item 5)', async () => {
    const { page } = wb;
    const p = pages.find((x) => x.name === 'flame graph');
    await showTab(page, p.label);
    const label = await keyboardRoundTrip(wb, {
      title: p.title,
      ready: p.ready,
      focus: async (f) => {
        // Through the toolbar (orientation, filters, thread, search, buttons, zoom path) to the chart.
        for (let i = 0; i < 16 && !(await f.locator('.fg-main-chart').evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
        assert.ok(await f.locator('.fg-main-chart').evaluate((el) => el === document.activeElement), 'Tab reaches the chart');
      },
      select: async () => {
        await page.keyboard.press('Home');
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
      },
      selection: async (f) => f.locator('canvas.fg-canvas').first().getAttribute('data-selected-label'),
      sourceTab: 'deep.py',
      sourceLine: (selected) => Number(/:(\d+)\)$/.exec(selected)[1]),
      focused: async (f) => f.locator('.fg-main-chart').evaluate((el) => el === document.activeElement),
    });
    assert.match(label, /\(deep\.py:\d+\)$/);
  });

  it('keyboard only on the waterfall: the skip link, select, Enter, the code beside, back, the same span (#22 items 4–5, #19 item 5)', async () => {
    const { page } = wb;
    const p = pages.find((x) => x.name === 'waterfall');
    await showTab(page, p.label);
    const expected = readFileSync(join(REPO_ROOT, 'demo', 'service', 'model.py'), 'utf8').split('\n').findIndex((l) => l.startsWith('def pairwise_diversity')) + 1;
    await keyboardRoundTrip(wb, {
      title: p.title,
      ready: p.ready,
      focus: async (f) => {
        const focused = (sel) => f.locator(sel).first().evaluate((el) => el === document.activeElement);
        // The first Tab stop of the page is the skip link; the header's "Slowest span" link selects that span.
        await page.keyboard.press('Tab');
        assert.ok(await focused('.skip-link'), 'the skip link is the first stop');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        assert.ok(await focused('.wf-slowest button'), 'then the help, then the slowest span');
        await page.keyboard.press('Enter');
        await until('the slowest span selected', async () => /pairwise_diversity/.test(await f.locator('section.wf-detail h2').first().textContent()));
        // Back to the skip link, which lands on the spans: one stop instead of every control on the way.
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Shift+Tab');
        assert.ok(await focused('.skip-link'));
        await page.keyboard.press('Enter');
        assert.ok(await focused('.wf-scroll'), 'the skip link lands on the spans');
      },
      select: async () => {
        // pairwise_diversity is the last row: up one and back down to it.
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowDown');
      },
      selection: async (f) => f.locator('body').getAttribute('data-selected-span'),
      sourceTab: 'model.py',
      sourceLine: expected,
      focused: async (f) => f.locator('.wf-scroll').evaluate((el) => el === document.activeElement),
    });
  });

  it('keyboard only on the memory view: a frame of the service selected, Enter, its line beside, back, the same frame (#22 items 4–5)', async () => {
    const { page } = wb;
    const p = pages.find((x) => x.name === 'memory');
    await showTab(page, p.label);
    const label = (f) => f.locator('canvas.fg-canvas').first().getAttribute('data-selected-label');
    // The demo service's own code (the capture's /app is mapped to the workspace).
    const ours = (l) => {
      const m = /\((\w+\.py):(\d+)\)$/.exec(l ?? '');
      return m && existsSync(join(REPO_ROOT, 'demo', 'service', m[1])) ? m : undefined;
    };
    const selected = await keyboardRoundTrip(wb, {
      title: p.title,
      ready: p.ready,
      focus: async (f) => {
        const canvas = f.locator('canvas.fg-canvas').first();
        for (let i = 0; i < 60 && !(await canvas.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
        assert.ok(await canvas.evaluate((el) => el === document.activeElement), 'Tab reaches the flame graph');
      },
      select: async (f) => {
        // Up the biggest callees from the root until a frame of the service's code.
        const seen = [];
        for (let i = 0; i < 40 && !ours(await label(f)); i++) {
          await page.keyboard.press('ArrowUp');
          seen.push(await label(f));
        }
        assert.ok(ours(await label(f)), `no frame of demo/service on the way up: ${seen.join(' → ')}`);
      },
      selection: label,
      sourceTab: '.py',
      sourceLine: (l) => Number(ours(l)[2]),
      focused: async (f) => f.locator('canvas.fg-canvas').first().evaluate((el) => el === document.activeElement),
    });
    assert.ok(ours(selected), selected);
  });

  it('keyboard only on the A/B editor: a variant selected, Enter, the file beside at it, back, the same row (#22 items 4–5)', async () => {
    const { page } = wb;
    const p = pages.find((x) => x.name === 'A/B test');
    await showTab(page, p.label);
    const json = readFileSync(join(REPO_ROOT, 'demo', 'experiments', 'checkout-button.abtest.json'), 'utf8').split('\n');
    await keyboardRoundTrip(wb, {
      title: p.title,
      ready: p.ready,
      focus: async (f) => {
        for (let i = 0; i < 12 && !(await f.locator('table.arms tr[aria-selected=true]').evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
        assert.ok(await f.locator('table.arms tr[aria-selected=true]').evaluate((el) => el === document.activeElement), 'Tab reaches the Arms table');
      },
      select: async () => page.keyboard.press('ArrowDown'),
      selection: async (f) => f.locator('body').getAttribute('data-selected-variant'),
      sourceTab: 'checkout-button.abtest.json',
      sourceLine: json.findIndex((l) => l.includes('"green-button"')) + 1,
      focused: async (f) => f.locator('table.arms tr[aria-selected=true]').evaluate((el) => el === document.activeElement),
    });
  });
});
