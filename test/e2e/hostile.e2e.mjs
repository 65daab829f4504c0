/* global window -- functions passed to evaluate() run in the webview */
// Issue 17: hostile content in every webview. Each of the eight pages (src/protocol/apps.ts) is opened the way a
// user opens it, on files whose names, frames, spans, messages and post-mortem text are `<img src=x onerror=…>`
// and `<script>…</script>`; the page must show them as text and run none of them (window.__pwned is never set,
// no <img src=x> and no injected <script> exist). Also: Export asks before replacing a postmortem.md.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench, runCommand, answerInput, pickQuickItem, startLoadLogs, treeItem, webviewFrame, screenshot, until, REPO_ROOT, openFileByName } from './helpers.mjs';

const IMG = '<img src=x onerror="window.__pwned=1;document.body.dataset.pwned=1">';
const SCRIPT = '<script>window.__pwned=1;document.body.dataset.pwned=1</script>';
const ID = 'INC-2026-009';
const TRACE_ID = '5b8efff798038103d269b633813fc60c';

/** The files of the hostile workspace, next to a copy of the demo. */
function writeHostileFiles(ws) {
  const put = (rel, content) => {
    mkdirSync(join(ws, rel, '..'), { recursive: true });
    writeFileSync(join(ws, rel), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  };
  put('hostile/hostile.abtest.json', { name: IMG, variants: [{ name: SCRIPT, sampleSize: 1000, successes: 100 }, { name: IMG, sampleSize: 1000, successes: 130 }] });
  put('hostile/hostile.speedscope.json', {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames: [{ name: 'main', file: 'main.py', line: 1 }, { name: IMG, file: `${SCRIPT}.py`, line: 2 }, { name: SCRIPT, file: 'x.py', line: 3 }] },
    profiles: [{ type: 'sampled', name: `Thread 1 "${IMG}"`, unit: 'seconds', startValue: 0, endValue: 1, samples: [[0, 1], [0, 1], [0, 1], [0, 2]], weights: [0.25, 0.25, 0.25, 0.25] }],
  });
  const attr = (key, value) => ({ key, value: { stringValue: value } });
  const span = (spanId, parentSpanId, name, startMs, endMs, extra = {}) => ({ traceId: TRACE_ID, spanId, parentSpanId, name, kind: 2, startTimeUnixNano: String(1_795_900_000_000_000_000 + startMs * 1e6), endTimeUnixNano: String(1_795_900_000_000_000_000 + endMs * 1e6), ...extra });
  put('hostile/hostile.otlp.json', {
    resourceSpans: [{
      resource: { attributes: [attr('service.name', IMG)] },
      scopeSpans: [{ scope: { name: SCRIPT }, spans: [
        span('1111111111111111', '', 'GET /hostile', 0, 100),
        span('2222222222222222', '1111111111111111', SCRIPT, 10, 90, { attributes: [attr(IMG, SCRIPT)], status: { code: 2, message: IMG }, events: [{ name: 'exception', timeUnixNano: String(1_795_900_000_050_000_000), attributes: [attr('exception.type', SCRIPT), attr('exception.message', IMG)] }] }),
      ] }],
    }],
  });
  put(`.incidents/${ID}/incident.json`, {
    id: ID, title: IMG, severity: 'HIGH', status: 'INVESTIGATING', reportedBy: SCRIPT, reportedAt: '2026-11-29T03:00:00Z', description: SCRIPT,
    hypotheses: [{ text: IMG, createdAt: '2026-11-29T03:05:00Z' }],
    events: [{ at: '2026-11-29T03:00:00Z', actor: IMG, kind: 'opened', text: SCRIPT }],
  });
  put(`.incidents/${ID}/postmortem.json`, {
    title: IMG, incidentId: ID, summary: SCRIPT,
    timeline: [{ time: '2026-11-29T03:00:00Z', event: IMG }],
    whatWentWrong: [SCRIPT],
    actionItems: [{ description: IMG, owner: SCRIPT, dueDate: '2026-12-20', priority: 'HIGH' }],
  });
  put('hostile/hostile-predictions.jsonl', [0, 1, 2, 3].map((i) => JSON.stringify({ id: `${IMG}${i}`, input: i % 2 ? IMG : SCRIPT, trueLabel: SCRIPT, predictedLabel: IMG, confidence: 0.97, group: SCRIPT })).join('\n') + '\n');
  put('hostile/baseline.json', { label: IMG, metrics: { errorRate: { errors: 40, requests: 10000 } } });
  put('hostile/current.json', { label: SCRIPT, metrics: { errorRate: { errors: 45, requests: 10000 } } });
  const traceback = `Traceback (most recent call last):\n  File "/app/${SCRIPT}.py", line 3, in ${IMG}\n    boom()\nValueError: ${IMG}\n`;
  put('hostile/hostile-errors.jsonl', [1, 2, 3].map((i) => JSON.stringify({ timestamp: `2026-11-29T03:0${i}:00Z`, level: 'ERROR', logger: SCRIPT, message: IMG, service: SCRIPT, exception: { type: 'ValueError', message: IMG, traceback } })).join('\n') + '\n');
}

/** The page ran none of the injected markup, and shows `literal` as text somewhere. */
async function assertInert(view, literal, where = 'body') {
  const body = view.locator('body');
  await until(`the page to show ${literal.slice(0, 20)}… as text`, async () => ((await view.locator(where).first().textContent()) ?? '').includes(literal));
  assert.equal(await body.evaluate(() => window.__pwned), undefined, 'window.__pwned was set: a script ran');
  assert.equal(await body.getAttribute('data-pwned'), null);
  assert.equal(await view.locator('img[src="x"]').count(), 0, 'an <img src=x> element exists');
  assert.equal(await view.locator('script', { hasText: '__pwned' }).count(), 0, 'an injected <script> element exists');
}

/** The visible webview once it has `selector` (a page shown before may still answer first). */
async function webviewWith(page, selector, text) {
  return until(`a webview with ${selector}`, async () => {
    const view = await webviewFrame(page, undefined, { timeout: 10000 });
    const found = text ? view.locator(selector, { hasText: text }) : view.locator(selector);
    return (await found.count()) > 0 ? view : undefined;
  }, 45000);
}

describe('hostile content in every webview', () => {
  let wb;
  let source;

  before(async () => {
    source = mkdtempSync(join(tmpdir(), 'iwb-e2e-hostile-'));
    cpSync(join(REPO_ROOT, 'demo'), source, { recursive: true });
    writeHostileFiles(source);
    wb = await openWorkbench({ workspace: source });
  });

  after(async () => {
    await wb?.close();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  it('abtest: hostile test and variant names are text', async () => {
    await openFileByName(wb.page, 'hostile.abtest.json');
    const view = await webviewWith(wb.page, 'h1', 'onerror');
    await assertInert(view, IMG, 'h1');
    await assertInert(view, SCRIPT, 'table.arms');
  });

  it('flamegraph: hostile frame, file and thread names are text', async () => {
    await openFileByName(wb.page, 'hostile.speedscope.json');
    const view = await webviewWith(wb.page, 'input.fg-search');
    await view.locator('input.fg-search').fill('onerror');
    // The search applies after a short pause; Enter then selects the widest match.
    await until('the search to match', async () => /frame/.test((await view.locator('.fg-search-info').textContent()) ?? ''));
    await view.locator('input.fg-search').press('Enter');
    await assertInert(view, IMG, '.fg-status');
    await assertInert(view, `${SCRIPT}.py`, '.fg-status');
    await assertInert(view, IMG, 'select[aria-label="Thread"]');
  });

  it('waterfall: hostile service, span, attribute and error text are text', async () => {
    await openFileByName(wb.page, 'hostile.otlp.json');
    const view = await webviewWith(wb.page, 'canvas.wf-canvas');
    const body = view.locator('body');
    const row = await until('the hostile span row', async () => {
      const r = await body.evaluate((_el, name) => window.iwbWaterfall?.rowOf(name), SCRIPT);
      return r > 0 ? r : undefined;
    });
    const at = await body.evaluate((_el, r) => window.iwbWaterfall.locate(r), row);
    await view.locator('canvas.wf-canvas').click({ position: { x: at.x, y: at.y } });
    await assertInert(view, SCRIPT, 'section.wf-detail h2');
    await assertInert(view, IMG, 'section.wf-detail');
    await screenshot(wb.page, 'hostile-waterfall');
  });

  it('incident overview: hostile title, description, hypothesis and timeline are text', async () => {
    await runCommand(wb.page, 'Incident Workbench: Show Incident Overview');
    await answerInput(wb.page, ID);
    const view = await webviewFrame(wb.page, ID);
    await assertInert(view, IMG, 'h1');
    await assertInert(view, SCRIPT);
  });

  it('post-mortem form: hostile text stays in the fields as typed, nothing runs', async () => {
    await runCommand(wb.page, 'Incident Workbench: Open Post-Mortem');
    await answerInput(wb.page, ID);
    const field = (path) => view.locator(`[data-path='${JSON.stringify(path)}']`).first();
    const view = await webviewWith(wb.page, '[data-path=\'["title"]\']');
    await until('the title field', async () => (await field(['title']).evaluate((el) => el.value)) === IMG);
    assert.equal(await field(['summary']).evaluate((el) => el.value), SCRIPT);
    assert.equal(await field(['actionItems', 0, 'owner']).evaluate((el) => el.value), SCRIPT);
    assert.equal(await view.locator('body').evaluate(() => window.__pwned), undefined);
    assert.equal(await view.locator('img[src="x"]').count(), 0);
    assert.equal(await view.locator('script', { hasText: '__pwned' }).count(), 0);
    await screenshot(wb.page, 'hostile-postmortem');
  });

  it('Export asks before replacing a postmortem.md that differs; Cancel keeps it, Replace writes the report', async () => {
    const md = join(wb.workspace, '.incidents', ID, 'postmortem.md');
    writeFileSync(md, 'Notes written by hand\n');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await runCommand(wb.page, 'Incident Workbench: Export Post-Mortem to Markdown');
    await dialog.filter({ hasText: 'already exists' }).waitFor({ timeout: 30000 });
    await screenshot(wb.page, 'hostile-export-asks');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await wb.page.waitForTimeout(1000);
    assert.equal(readFileSync(md, 'utf8'), 'Notes written by hand\n');
    await runCommand(wb.page, 'Incident Workbench: Export Post-Mortem to Markdown');
    await dialog.filter({ hasText: 'already exists' }).waitFor({ timeout: 30000 });
    await dialog.getByRole('button', { name: 'Replace' }).click();
    await until('postmortem.md replaced', async () => readFileSync(md, 'utf8').startsWith('# Post-Mortem:'));
  });

  it('model analysis: hostile inputs and labels are text', async () => {
    await openFileByName(wb.page, 'hostile-predictions.jsonl');
    await wb.page.locator('.tabs-container .tab', { hasText: 'hostile-predictions.jsonl' }).waitFor({ timeout: 15000 });
    await runCommand(wb.page, 'Incident Workbench: Analyze Model Predictions…');
    const view = await webviewWith(wb.page, 'table[aria-label="high-confidence errors"]');
    await assertInert(view, SCRIPT, 'table[aria-label="high-confidence errors"]');
    await assertInert(view, IMG, 'table[aria-label="high-confidence errors"]');
  });

  it('rollback: hostile window labels are text', async () => {
    await runCommand(wb.page, 'Incident Workbench: Judge Rollback…');
    const box = wb.page.locator('.quick-input-widget .quick-input-box input');
    for (const file of ['baseline.json', 'current.json']) {
      await box.waitFor({ timeout: 15000 });
      await box.click();
      await wb.page.keyboard.press('Control+A');
      await wb.page.keyboard.type(join(wb.workspace, 'hostile', file));
      await wb.page.waitForTimeout(300);
      await wb.page.keyboard.press('Enter');
      await wb.page.waitForTimeout(800);
    }
    const view = await webviewWith(wb.page, '.verdict');
    await assertInert(view, IMG);
    await assertInert(view, SCRIPT);
  });

  it('error cluster details: hostile messages, loggers and stack frames are text', async () => {
    const { page } = wb;
    await startLoadLogs(page);
    const item = treeItem(page, 'ValueError');
    // Load Logs lists the workspace's logs in a quick pick (Browse… would open the dialog).
    await pickQuickItem(page, 'hostile-errors.jsonl', { timeout: 30000 });
    await item.waitFor({ timeout: 30000 });
    await runCommand(page, 'Incident Workbench: Show Error Cluster Details');
    await pickQuickItem(page, 'ValueError');
    const view = await webviewWith(page, 'h1.ed-title');
    // The title is the message template (values masked); the samples are the lines as logged.
    await assertInert(view, 'ValueError: <img src=', 'h1.ed-title');
    await assertInert(view, `ValueError: ${IMG}`, 'pre.ed-trace');
    await assertInert(view, `${SCRIPT}.py`, 'pre.ed-trace');
    await screenshot(page, 'hostile-error-details');
  });
});
