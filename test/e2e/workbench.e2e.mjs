// Proves the e2e harness: the packaged extension is installed in a real workbench, its activity-bar
// container opens and shows the fixture incident, and the command palette knows its commands.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openWorkbench,
  openViewContainer,
  activityBarItem,
  treeItem,
  runCommand,
  screenshot,
  VIEW_CONTAINER_TITLE,
} from './helpers.mjs';

describe('workbench harness', () => {
  let wb;
  before(async () => {
    wb = await openWorkbench({ workspace: 'test/fixtures/workspace' });
  });
  after(async () => {
    await wb?.close();
  });

  it('loads the workbench with the fixture workspace', async () => {
    assert.ok(await wb.page.locator('.monaco-workbench').isVisible());
    const title = await wb.page.title();
    assert.match(title, /workspace/, `window title "${title}" names the opened folder`);
  });

  it('shows the Incidents container in the activity bar and opens it', async () => {
    assert.ok(await activityBarItem(wb.page, VIEW_CONTAINER_TITLE).isVisible());
    const sidebar = await openViewContainer(wb.page, VIEW_CONTAINER_TITLE);
    assert.match((await sidebar.locator('.composite.title').textContent()) ?? '', /incidents/i);
    // opening it again keeps it open (the helper does not toggle it closed)
    await openViewContainer(wb.page, VIEW_CONTAINER_TITLE);
    assert.ok(await wb.page.locator('.part.sidebar').isVisible());
    await treeItem(wb.page, 'INC-2026-001').waitFor({ timeout: 30000 });
    await screenshot(wb.page, 'workbench-incidents');
  });

  it('runs a command from the command palette', async () => {
    await runCommand(wb.page, 'Incident Workbench: Refresh Incidents');
    await treeItem(wb.page, 'INC-2026-001').waitFor({ timeout: 30000 });
  });
});
