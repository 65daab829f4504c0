// Issue 19, items 6–9, as a new user sees the demo at the default sidebar width (one workbench session):
// Incident Workbench's own activity-bar icon, trees whose labels are not cut where it matters, the RESOLVED
// demo incident apart from open ones, a reproduction that worked shown as such, Logging health that says
// it has not scanned yet and scans on a click, the Errors welcome text whole, a pick of the matching files
// for Load Logs, and a guardrail dialog whose Enter is the safe choice and which keeps what was typed.
/* global document, getComputedStyle, Image */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  openWorkbench,
  openViewContainer,
  treeItem,
  viewPane,
  runCommand,
  pickQuickItem,
  quickInput,
  quickRow,
  answerInput,
  screenshot,
  until,
  VIEW_CONTAINER_TITLE,
} from './helpers.mjs';

/** Whether the end of `text` inside the tree row is drawn inside the row (not cut off by the ellipsis). */
function endVisible(row, text) {
  return row.evaluate((el, t) => {
    const box = el.querySelector('.monaco-icon-label-container') ?? el;
    const limit = box.getBoundingClientRect().right;
    const walker = document.createTreeWalker(el, 4);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent.indexOf(t);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + t.length);
      const r = range.getBoundingClientRect();
      return { visible: r.width > 0 && r.right <= limit + 0.5, right: r.right, limit };
    }
    return { visible: false, missing: true };
  }, text);
}

describe('the demo at first sight (default sidebar width)', () => {
  let wb;
  let incidentFile;
  before(async () => {
    wb = await openWorkbench({ workspace: 'demo' });
    incidentFile = (id) => join(wb.workspace, '.incidents', id, 'incident.json');
    await openViewContainer(wb.page, VIEW_CONTAINER_TITLE);
  });
  after(async () => {
    await wb?.close();
  });

  it('has its own activity-bar icon, not the warning triangle of Problems', async () => {
    const iou = await wb.page.evaluate(async () => {
      const N = 48;
      const mask = (draw) => {
        const c = document.createElement('canvas');
        c.width = c.height = N;
        const x = c.getContext('2d');
        draw(x);
        const d = x.getImageData(0, 0, N, N).data;
        const m = [];
        for (let i = 3; i < d.length; i += 4) m.push(d[i] > 64);
        // One pixel of slack, so a stroke drawn a pixel off still counts as the same shape.
        return m.map((_, i) => {
          const X = i % N;
          const Y = (i / N) | 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (m[(Y + dy) * N + X + dx] && X + dx >= 0 && X + dx < N) return true;
          return false;
        });
      };
      const item = [...document.querySelectorAll('.part.activitybar .action-label')].find((e) => e.getAttribute('aria-label')?.startsWith('Incidents'));
      const url = getComputedStyle(item).maskImage.replace(/^url\("?|"?\)$/g, '');
      const img = new Image();
      img.src = `data:image/svg+xml;base64,${btoa(await (await fetch(url)).text())}`;
      await img.decode();
      const ours = mask((x) => x.drawImage(img, 0, 0, N, N));
      const span = document.createElement('span');
      span.className = 'codicon codicon-warning';
      document.body.appendChild(span);
      const glyph = getComputedStyle(span, '::before').content.replace(/^"|"$/g, '');
      span.remove();
      const warning = mask((x) => {
        x.font = `${N}px codicon`;
        x.textBaseline = 'top';
        x.fillText(glyph, 0, 0);
      });
      let both = 0;
      let either = 0;
      for (let i = 0; i < ours.length; i++) {
        if (ours[i] && warning[i]) both++;
        if (ours[i] || warning[i]) either++;
      }
      return both / either;
    });
    // The old triangle overlapped the warning glyph at 0.84; a shape of its own stays well below.
    assert.ok(iou < 0.7, `the icon overlaps the warning triangle at ${iou.toFixed(2)}`);
    await screenshot(wb.page, 'activity-bar-icon', { locator: wb.page.locator('.part.activitybar') });
  });

  it('shows the RESOLVED demo incident apart from open ones, its title whole, and a reproduction that worked as a pass', async () => {
    const { page } = wb;
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    assert.ok(sidebar.width <= 310, `the default sidebar width (${sidebar.width} px)`);
    const group = treeItem(page, 'Resolved and closed');
    await group.waitFor({ timeout: 30000 });
    assert.equal(await page.locator('.part.sidebar [role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: /^\s*Open\s*$/ }) }).count(), 0, 'no "Open" group: nothing is open');
    const incident = treeItem(page, '/recommend p95 above 5 s');
    assert.equal(await incident.getAttribute('aria-level'), '2', 'under its group');
    const title = await endVisible(incident, '/recommend p95 above 5 s');
    assert.ok(title.visible, `the title is drawn whole: ${JSON.stringify(title)}`);
    assert.equal(await incident.locator('.codicon-warning').count(), 0, 'a resolved HIGH incident is not drawn as a live warning');
    assert.equal(await incident.locator('.codicon-pass').count(), 1, 'it is drawn as done');
    await incident.locator('.monaco-tl-twistie').click();
    const reproduction = treeItem(page, 'Reproduction');
    await reproduction.waitFor({ timeout: 15000 });
    await reproduction.locator('.monaco-tl-twistie').click();
    const attempt = page.locator('.part.sidebar [role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: /^\s*Reproduced\s*$/ }) }).first();
    await attempt.waitFor({ timeout: 15000 });
    assert.equal(await attempt.locator('.codicon-bug').count(), 0, 'not a bug icon');
    assert.equal(await attempt.locator('.codicon-pass').count(), 1, 'a pass');
    await screenshot(page, 'first-sight-incidents');
    // The demo's profile is among its evidence, ready to open (the view is short: one stage open at a time).
    await reproduction.locator('.monaco-tl-twistie').click();
    const evidence = page.locator('.part.sidebar [role="treeitem"][aria-level="3"]').filter({ has: page.locator('.label-name', { hasText: /^\s*Evidence\s*$/ }) });
    await evidence.locator('.monaco-tl-twistie').click();
    // The pane may be shorter than the evidence (the tree draws only the rows in view): walk down to it.
    const profile = treeItem(page, '-server.speedscope.json');
    for (let i = 0; i < 20 && !(await profile.isVisible()); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(100);
    }
    await profile.waitFor({ timeout: 15000 });
    // Back up with the keyboard (the rows above may be scrolled out): to Evidence, fold it, to the incident, fold it.
    const folded = async () => (await incident.isVisible()) && (await incident.getAttribute('aria-expanded')) === 'false';
    for (let i = 0; i < 6 && !(await folded()); i++) {
      await page.keyboard.press('ArrowLeft');
      await page.waitForTimeout(200);
    }
    await until('the incident folded', folded);
  });

  it('Logging health says it has not scanned yet, and scans on a click', async () => {
    const { page } = wb;
    const health = treeItem(page, 'Logging health');
    await health.waitFor({ timeout: 15000 });
    assert.match(await health.textContent(), /not scanned yet/);
    assert.equal(await health.locator('.codicon-pass').count(), 0, 'no green "all good" before a scan');
    await health.click();
    await until('the scan result', async () => {
      const text = (await health.textContent()) ?? '';
      return /\d+ findings? in \d+ files?/.test(text) && !/not scanned yet/.test(text);
    }, 60000);
    await screenshot(page, 'first-sight-logging-health');
  });

  it('shows the Errors welcome whole, picks logs from a list, and the cluster counts stay visible', async () => {
    const { page } = wb;
    const pane = viewPane(page, 'Errors');
    if ((await pane.getAttribute('aria-expanded')) === 'false') await pane.click();
    const welcome = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^\s*Errors\s*$/i }) }).locator('.welcome-view-content');
    await welcome.waitFor({ timeout: 15000 });
    const fits = await welcome.evaluate((el) => {
      const body = el.closest('.pane-body') ?? el.parentElement;
      const last = [...el.children].filter((c) => c.getBoundingClientRect().height > 0).pop();
      return { last: last.getBoundingClientRect().bottom, bottom: body.getBoundingClientRect().bottom, text: last.textContent };
    });
    assert.ok(fits.last <= fits.bottom + 0.5, `the welcome text is cut at the bottom of its pane: ${JSON.stringify(fits)}`);

    await runCommand(page, 'Incident Workbench: Load Logs…');
    await quickRow(page, 'service.jsonl', { exact: true }).waitFor({ timeout: 30000 });
    const rows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((els) => els.map((e) => e.textContent));
    assert.match(rows[0], /recommend-traced\.jsonl.*Evidence of INC-2026-001/, `the incident's log evidence first: ${rows}`);
    assert.ok(!rows.some((r) => /recommend\.otlp\.jsonl/.test(r)), 'its trace evidence is not offered as logs');
    assert.match(rows.at(-1), /Browse…/, 'Browse… last');
    await quickInput(page).fill('service');
    await pickQuickItem(page, 'service.jsonl', { exact: true });
    const cluster = page.locator('.part.sidebar [role="treeitem"][aria-level="1"]').filter({ hasText: '×' }).first();
    await cluster.waitFor({ timeout: 60000 });
    const count = /^\s*([\d,]+) ×/.exec(await cluster.locator('.label-name').textContent())?.[1];
    assert.ok(count, 'the count comes first');
    const shown = await endVisible(cluster, `${count} ×`);
    assert.ok(shown.visible, `the count is drawn inside the row at 300 px: ${JSON.stringify(shown)}`);
    await screenshot(page, 'first-sight-errors');
  });

  it('a guardrail dialog: Enter is the safe choice, the input has a placeholder, what was typed is kept', async () => {
    const { page } = wb;
    await runCommand(page, 'Incident Workbench: New Incident');
    await answerInput(page, 'Checkout errors after deploy');
    await pickQuickItem(page, 'HIGH', { exact: true });
    // The folder is made before its incident.json is renamed into place: wait for the file.
    const id = await until('the new incident', () => readdirSync(join(wb.workspace, '.incidents')).find((d) => d !== 'INC-2026-001' && existsSync(incidentFile(d))));
    const before = readFileSync(incidentFile(id), 'utf8');

    await runCommand(page, 'Incident Workbench: Set Root Cause');
    await pickQuickItem(page, id);
    const input = quickInput(page);
    await input.waitFor({ timeout: 15000 });
    assert.ok(((await input.getAttribute('placeholder')) ?? '').length > 0, 'the root-cause input has a placeholder');
    await input.fill('Restarted the service');
    await input.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15000 });
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.doesNotMatch(focused ?? '', /Override/, `the focused button is "${focused}"`);
    await screenshot(page, 'guardrail-safe-default');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    // Back in the input, with the text and what the method asks for.
    await until('the input again, with the text', async () => (await input.isVisible()) && (await input.inputValue()) === 'Restarted the service');
    assert.equal(readFileSync(incidentFile(id), 'utf8'), before, 'Enter overrode nothing');
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
    assert.equal(readFileSync(incidentFile(id), 'utf8'), before, 'cancelled: nothing written');
    // The text is still there the next time.
    await runCommand(page, 'Incident Workbench: Set Root Cause');
    await pickQuickItem(page, id);
    await until('the kept text', async () => (await input.isVisible()) && (await input.inputValue()) === 'Restarted the service');
    await page.keyboard.press('Escape');
  });
});
