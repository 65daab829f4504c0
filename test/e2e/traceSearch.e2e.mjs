// Issue 15 in the real workbench against a real Jaeger (v2, built by install-deps), fed once with the demo
// service's traces: a user searches `recommend` from the Trace Search panel, sees the slowest first and
// what the slow ones share, and compares the slowest with a typical one (the N+1 that grew).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkbench, runCommand, screenshot, webviewFrame } from './helpers.mjs';
import { feedDemoLoad, jaegerAvailable, startJaeger } from '../support/jaeger.mjs';

describe('Trace Search against a live Jaeger', () => {
  it('finds the slowest /recommend requests, what they share, and compares one with a typical one', async () => {
    const available = jaegerAvailable();
    assert.ok(available.ok, available.reason);
    const jaeger = await startJaeger();
    let wb;
    try {
      assert.equal(await feedDemoLoad(jaeger, { requests: 6, bad: 1 }), 7);
      wb = await openWorkbench({ settings: { 'incidentWorkbench.traces.jaegerUrl': jaeger.url } });
      await runCommand(wb.page, 'Incident Workbench: Search Traces in Jaeger…');
      const view = await webviewFrame(wb.page, 'Trace Search');
      await view.locator('input[name="service"]').fill('recommend');
      await view.locator('input[name="operation"]').fill('POST /recommend');
      await view.locator('vscode-button', { hasText: 'Search' }).first().click();
      await view.locator('table.ts-results tbody tr').nth(6).waitFor({ timeout: 60000 });
      assert.equal(await view.locator('table.ts-results tbody tr').count(), 7);
      const durations = (await view.locator('table.ts-results tbody tr td:nth-child(2)').allTextContents()).map((t) => parseFloat(t));
      assert.deepEqual(durations, [...durations].sort((a, b) => b - a), 'slowest first');
      await view.locator('canvas.ts-scatter').waitFor();
      await screenshot(wb.page, 'trace-search-results');
      await view.getByRole('tab', { name: 'Statistics' }).click();
      const shared = view.locator('table.ts-attrs tbody');
      await shared.waitFor();
      assert.match(await shared.innerText(), /app\.client\s+ios|recommend\.pinned\s+true/);
      await screenshot(wb.page, 'trace-search-statistics');
      await view.getByRole('tab', { name: /Results/ }).click();
      await view.locator('vscode-button', { hasText: 'Compare the Slowest with a Typical One' }).click();
      const compare = await webviewFrame(wb.page, 'Trace Comparison', { timeout: 60000 });
      await compare.locator('li', { hasText: 'N+1:' }).first().waitFor({ timeout: 30000 });
      assert.match(await compare.locator('li', { hasText: 'N+1:' }).first().innerText(), /SELECT id, name, embedding FROM items WHERE id = \?/);
      await compare.locator('td', { hasText: 'pairwise_diversity' }).first().waitFor();
      await screenshot(wb.page, 'trace-compare');
      assert.deepEqual(wb.consoleErrors.filter((e) => !/ResizeObserver/.test(e)), []);
    } finally {
      await wb?.close();
      await jaeger.stop();
    }
  });
});
