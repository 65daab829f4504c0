// "What changed?" in the real workbench (code-server + Chromium, packaged extension, real git): the demo
// workspace as `npm start` makes it (demo/ with its scripted history, scripts/demo-workspace.mjs). A new user
// right-clicks the incident's profile in the Incidents view → Show Suspect Commits…, picks the hot function,
// and the Suspect Commits view lists the commit that introduced the quadratic scoring first; a click opens its
// diff; the pin attaches it to the incident. Then the demo logs are loaded and the top error cluster's context
// menu ranks the commit behind its line. Screenshots: test/e2e/artifacts/changes-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  collapseOtherViews,
  VIEW_CONTAINER_TITLE,
  docsImage,
  editorTab,
  notification,
  openViewContainer,
  openWorkbench,
  pickQuickItem,
  screenshot,
  startLoadLogs,
  treeItem,
  until,
  viewPane,
} from './helpers.mjs';

const QUADRATIC = 'Penalise near-duplicate recommendations with a pairwise diversity score';

describe('suspect commits on the demo', () => {
  let wb;
  let source;
  before(async () => {
    source = mkdtempSync(join(tmpdir(), 'iwb-e2e-demo-history-'));
    const demo = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'demo-workspace.mjs'), join(source, 'demo')], { encoding: 'utf8' }).trim();
    wb = await openWorkbench({ workspace: demo });
  });
  after(async () => {
    await wb?.close();
    if (source) rmSync(source, { recursive: true, force: true });
  });

  const suspectsPane = () => wb.page.locator('.part.sidebar .pane').filter({ has: wb.page.locator('.pane-header', { hasText: /^\s*Suspect Commits/i }) });
  const row = (sidebar, label) => sidebar.locator('.monaco-list-row[role="treeitem"]').filter({ has: wb.page.locator('.label-name', { hasText: label }) }).first();

  it("ranks the incident profile's hot function: the quadratic scoring's commit first; a click opens its diff; the pin attaches it", async () => {
    const { page } = wb;
    const sidebar = await openViewContainer(page, VIEW_CONTAINER_TITLE);
    const incident = treeItem(page, 'INC-2026-001');
    await incident.waitFor({ timeout: 30000 });
    await incident.locator('.monaco-tl-twistie').click();
    await row(sidebar, /^\s*Evidence/).locator('.monaco-tl-twistie').click();
    const profile = row(sidebar, 'rank-hot-path.speedscope.json');
    await profile.waitFor({ timeout: 15000 });
    // The tree may still be filling in: right-click until the menu belongs to the profile's row.
    const menu = page.locator('.context-view .monaco-menu');
    const question = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'pairwise_diversity' }).first();
    // A click that lands while the menu is still being laid out is lost: open it again until the question shows.
    await until('the hot-function question', async () => {
      await page.keyboard.press('Escape');
      await profile.click({ button: 'right' });
      await menu.waitFor({ timeout: 5000 });
      if (!(await profile.getAttribute('class'))?.includes('focused')) return false;
      // The menu takes no click while it is still opening.
      await page.waitForTimeout(600);
      await menu.locator('.action-label', { hasText: /^Show Suspect Commits/ }).click();
      return question.waitFor({ timeout: 8000 }).then(() => true, () => false);
    }, 60000);
    await pickQuickItem(page, 'pairwise_diversity', { timeout: 30000 });
    // Room for the view: the other panes folded, the side bar wider.
    // (The incident's tree too: with eight evidence items it leaves the suspect's reasons below the fold.)
    const suspectsHeader = viewPane(page, 'Suspect Commits');
    await until('the Suspect Commits view open', async () => (await suspectsHeader.getAttribute('aria-expanded')) === 'true', 30000);
    await collapseOtherViews(page, 'Suspect Commits');
    const box = await page.locator('.part.sidebar').boundingBox();
    if (box) {
      // Drag the sash between the side bar and the editor to the right.
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 260, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
    }
    const pane = viewPane(page, 'Suspect Commits');
    await pane.waitFor({ timeout: 30000 });
    const first = sidebar.locator('.monaco-list-row[role="treeitem"][aria-level="2"]').filter({ hasText: QUADRATIC }).first();
    await first.waitFor({ timeout: 60000 });
    const suspects = await sidebar.locator('.monaco-list-row[role="treeitem"][aria-level="2"]').filter({ hasText: /score \d/ }).allTextContents();
    assert.ok(suspects[0].includes(QUADRATIC), `first suspect: ${suspects[0]}`);
    assert.match(suspects[0], /Dana Novak/);

    // A click opens the diff; the twistie shows its reasons.
    await first.click();
    await editorTab(page, 'model.py').waitFor({ timeout: 30000 });
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 30000 });
    await page.locator('.monaco-diff-editor .view-line').filter({ hasText: 'def pairwise_diversity(items):' }).first().waitFor({ timeout: 30000 });
    // The row's click may expand it a moment later on a loaded machine: the twistie is clicked only while
    // the row still says it is collapsed, and its reasons are waited for after each try.
    const reason = sidebar.locator('.monaco-list-row[role="treeitem"][aria-level="3"]').filter({ hasText: 'in release 2026.11.20' }).first();
    await until('the suspect\'s reasons under it', async () => {
      if (await reason.isVisible()) return true;
      if ((await first.getAttribute('aria-expanded')) !== 'true') await first.locator('.monaco-tl-twistie').click();
      return reason.waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, 30000).catch(async (e) => {
      e.message += ` (the rows under it: ${JSON.stringify(await sidebar.locator('.monaco-list-row[role="treeitem"][aria-level="3"]').allTextContents())})`;
      throw e;
    });
    await screenshot(page, docsImage('suspect-commits'));

    await first.hover();
    await first.locator('.action-label[aria-label^="Attach Suspect Commit to Incident"]').click();
    await pickQuickItem(page, 'INC-2026-001', { timeout: 5000 }).catch(() => undefined); // asked only when no incident is active
    await notification(page, 'Attached commit').waitFor({ timeout: 30000 });
    const file = join(wb.workspace, '.incidents', 'INC-2026-001', 'incident.json');
    const saved = await until('the commit as evidence and a hypothesis', () => {
      try {
        const i = JSON.parse(readFileSync(file, 'utf8'));
        const item = i.evidence.find((e) => e.kind === 'commit');
        const hypothesis = i.hypotheses.find((h) => h.text.includes(QUADRATIC));
        return item && hypothesis ? { item, hypothesis } : undefined;
      } catch {
        return undefined; // being replaced (temp file + rename)
      }
    });
    assert.match(saved.item.path, /^evidence\/commits\/commit-[0-9a-f]{12}\.diff$/);
    assert.match(readFileSync(join(wb.workspace, '.incidents', 'INC-2026-001', saved.item.path), 'utf8'), /\+def pairwise_diversity\(items\):/);
  });

  it("ranks the top error cluster from its context menu: the commit behind its line", async () => {
    const { page } = wb;
    await page.keyboard.press('Escape');
    const sidebar = await startLoadLogs(page);
    // Load Logs lists the workspace's logs (the demo's service log among them) in a quick pick.
    await pickQuickItem(page, 'service.jsonl', { exact: true, timeout: 30000 });
    const cluster = treeItem(page, 'ValueError: Invalid input shape');
    await cluster.waitFor({ timeout: 60000 });
    const item = page.locator('.context-view .monaco-menu .action-label', { hasText: /^Show Suspect Commits/ });
    // The tree re-renders as the clusters' badges arrive, which can swallow a right-click: retry until the
    // cluster's own menu is up.
    try {
      await until(
        "the cluster's context menu",
        async () => {
          await page.keyboard.press('Escape');
          await cluster.click({ button: 'right' });
          return item.waitFor({ timeout: 3000 }).then(
            () => true,
            () => false,
          );
        },
        30000,
      );
    } catch (e) {
      await screenshot(page, 'changes-cluster-menu-failed');
      const shown = await page.locator('.context-view .monaco-menu .action-label').allTextContents();
      throw new Error(`no Show Suspect Commits in the cluster's menu: ${JSON.stringify(shown)}\n${e.message}`);
    }
    await item.click();
    // A menu that has only just opened can miss the click (it stays up with the item highlighted): Enter runs it.
    await page.waitForTimeout(500);
    if (await item.isVisible()) await page.keyboard.press('Enter');
    const first = sidebar.locator('.monaco-list-row[role="treeitem"][aria-level="2"]').filter({ hasText: 'Reject feature vectors of the wrong length' }).first();
    await first.waitFor({ timeout: 60000 }).catch(async (e) => {
      await screenshot(page, 'changes-cluster-suspects-failed');
      throw e;
    });
    const top = suspectsPane().locator('.monaco-list-row[role="treeitem"][aria-level="1"]').filter({ hasText: 'ValueError: Invalid input shape' }).first();
    await top.waitFor();
    assert.match(await top.textContent(), /blamed at 2026\.11\.20/);
    await screenshot(page, 'changes-error-cluster');
  });
});
