// The foundation as a new user meets it, in the real workbench: the Incidents view, "New Incident" from the
// command palette, an invalid incident file with its problem, validation into the Problems panel, and the
// incident overview webview rendering hostile text as text.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  openWorkbench,
  openViewContainer,
  treeItem,
  runCommand,
  answerInput,
  pickQuickItem,
  webviewFrame,
  screenshot,
  docsImage,
  clearNotifications,
  VIEW_CONTAINER_TITLE,
  until, collapseOtherViews } from './helpers.mjs';

const BROKEN = '{\n  "id": "INC-2026-009",\n  "title": "Broken by hand",\n  "severity": "SEV-1",\n  "status": "OPEN",\n  "reportedBy": "e2e",\n  "reportedAt": "2026-11-01T10:00:00Z"\n}\n';

describe('incidents in the real workbench', () => {
  let wb;
  before(async () => {
    wb = await openWorkbench({ workspace: 'test/fixtures/workspace' });
    await openViewContainer(wb.page, VIEW_CONTAINER_TITLE);
    await treeItem(wb.page, 'INC-2026-001').waitFor({ timeout: 30000 });
  });
  after(async () => {
    await wb?.close();
  });

  it('creates an incident from the command palette and shows it in the tree', async () => {
    await runCommand(wb.page, 'Incident Workbench: New Incident');
    await answerInput(wb.page, 'Checkout p95 latency above 5 s');
    await pickQuickItem(wb.page, 'HIGH', { exact: true });
    await treeItem(wb.page, 'Checkout p95 latency above 5 s').filter({ hasText: 'INC-2026-002' }).waitFor({ timeout: 30000 });
    const incident = JSON.parse(readFileSync(join(wb.workspace, '.incidents', 'INC-2026-002', 'incident.json'), 'utf8'));
    assert.equal(incident.title, 'Checkout p95 latency above 5 s');
    assert.equal(incident.severity, 'HIGH');
    assert.equal(incident.status, 'OPEN');
    assert.equal(incident.events[0].kind, 'opened');
    await screenshot(wb.page, 'new-incident');
  });

  it('shows an invalid incident file with a warning and its problem, and never rewrites it', async () => {
    mkdirSync(join(wb.workspace, '.incidents', 'INC-2026-009'), { recursive: true });
    const file = join(wb.workspace, '.incidents', 'INC-2026-009', 'incident.json');
    writeFileSync(file, BROKEN);
    const node = treeItem(wb.page, 'INC-2026-009');
    await node.waitFor({ timeout: 30000 });
    assert.match((await node.textContent()) ?? '', /invalid: \/severity must be one of/);
    await node.locator('.monaco-tl-twistie').click();
    // The child whose label is the problem (the parent only mentions it in its description).
    const problem = wb.page.locator('.monaco-list-row[role="treeitem"]').filter({ has: wb.page.locator('.label-name', { hasText: /^\/severity must be one of/ }) });
    await problem.waitFor({ timeout: 15000 });
    assert.match((await problem.textContent()) ?? '', /incident\.json:4:3/);

    // The problem node opens the file at the line and column of "severity".
    await problem.click();
    await wb.page.locator('.tab.active', { hasText: 'incident.json' }).waitFor({ timeout: 15000 });
    await screenshot(wb.page, 'invalid-incident-opened');
    const cursor = wb.page.locator('.statusbar-item[id="status.editor.selection"]');
    await until('the cursor on line 4', async () => /Ln 4, Col 3/.test((await cursor.textContent().catch(() => '')) ?? ''));

    await clearNotifications(wb.page);
    await runCommand(wb.page, 'Incident Workbench: Validate Incident Files');
    await runCommand(wb.page, 'View: Toggle Problems');
    const problems = wb.page.locator('.markers-panel');
    await problems.getByText('/severity must be one of', { exact: false }).first().waitFor({ timeout: 30000 });
    await screenshot(wb.page, 'invalid-incident-problems');
    assert.equal(readFileSync(file, 'utf8'), BROKEN);
    assert.deepEqual(readdirSync(join(wb.workspace, '.incidents', 'INC-2026-009')), ['incident.json']);
  });

  it('opens the incident overview and renders hostile text as text', async () => {
    await runCommand(wb.page, 'Incident Workbench: Show Incident Overview');
    await pickQuickItem(wb.page, 'INC-2026-001');
    const view = await webviewFrame(wb.page, /INC-2026-001/);
    await view.locator('h1').getByText('Fixture incident').waitFor({ timeout: 30000 });
    const description = (await view.locator('p.description').first().textContent()) ?? '';
    assert.match(description, /<script>alert\('hostile'\)<\/script>/);
    // The page has only scripts with a src (ours) or VS Code's own; none carries the fixture's text.
    const inline = await view.locator('script').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    assert.ok(inline.every((t) => !t.includes("alert('hostile')")));
    await screenshot(wb.page, 'incident-overview');
  });
});

describe('the demo workspace', () => {
  let wb;
  before(async () => {
    wb = await openWorkbench({ workspace: 'demo' });
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the sample incident and its overview (the README screenshot)', async () => {
    await openViewContainer(wb.page, VIEW_CONTAINER_TITLE);
    await collapseOtherViews(wb.page, 'Incidents');
    const node = treeItem(wb.page, '/recommend p95 above 5 s');
    await node.waitFor({ timeout: 30000 });
    await node.locator('.monaco-tl-twistie').click();
    await treeItem(wb.page, 'Timeline').waitFor({ timeout: 15000 });
    await runCommand(wb.page, 'Incident Workbench: Show Incident Overview');
    await pickQuickItem(wb.page, 'INC-2026-001');
    const view = await webviewFrame(wb.page, /INC-2026-001/);
    await view.locator('h2', { hasText: 'Timeline' }).waitFor({ timeout: 30000 });
    await clearNotifications(wb.page);
    await screenshot(wb.page, docsImage('incident-overview'));
  });
});
