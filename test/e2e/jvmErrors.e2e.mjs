// A JVM service's log in the real workbench (code-server + Chromium, packaged extension): a user opens a folder
// with a Spark-layout log recorded from a real JVM and log4j (test/fixtures/logs-java/spark/, NOTE.md there)
// and the job's source, loads the log from the Errors view, sees the exception's cluster, clicks its raising
// frame and lands on that line of Job.java, where a code lens counts the production errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, openWorkbench, pickQuickItem, quickRow, screenshot, startLoadLogs, treeItem } from './helpers.mjs';

const FIXTURE = join('test', 'fixtures', 'logs-java', 'spark');

describe('errors of a JVM log', () => {
  let wb;
  before(async () => {
    wb = await openWorkbench({ workspace: FIXTURE });
  });
  after(async () => {
    await wb?.close();
  });

  it('loads the Spark log, shows the exception cluster and opens its raising frame on its line', async () => {
    const { page } = wb;
    await startLoadLogs(page);
    await quickRow(page, 'spark.log', { exact: true }).waitFor({ timeout: 30000 });
    await pickQuickItem(page, 'spark.log', { exact: true });
    const cluster = treeItem(page, 'java.lang.IllegalStateException');
    await cluster.waitFor({ timeout: 60000 });
    // The three reports of the exception (two logged, one uncaught) are one cluster.
    assert.match(await cluster.textContent(), /\b3\b/);
    await cluster.click();
    const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: /^\s*Errors\s*$/i }) }).first();
    const frame = pane.locator('[role="treeitem"][aria-level="2"]').filter({ hasText: 'Job.parsePartition' }).first();
    await frame.waitFor({ timeout: 30000 });
    assert.match(await frame.textContent(), /Job\.java:22/);
    await screenshot(page, 'jvm-errors-tree');
    await frame.click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'Job.java' }).waitFor({ timeout: 30000 });
    const position = page.locator('.statusbar-item').filter({ hasText: /Ln \d+, Col \d+/ }).first();
    await position.waitFor({ timeout: 15000 });
    assert.match(await position.textContent(), /Ln 22, Col/);
    const line = readFileSync(join(REPO_ROOT, FIXTURE, 'Job.java'), 'utf8').split('\n')[21].trim();
    await page.locator('.monaco-editor .view-line').filter({ hasText: line.slice(0, 30) }).first().waitFor();
    // The Java line shows how often it failed in production, as a Python line does.
    await page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /production errors \(java\.lang\.IllegalStateException/ }).first().waitFor({ timeout: 30000 });
    await screenshot(page, 'jvm-errors-in-code');
  });
});
