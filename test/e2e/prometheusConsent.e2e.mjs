// Issue 17 in the real workbench: a metrics file can name the Prometheus that Judge Rollback queries. In
// Restricted Mode nothing is queried and the panel says why; in a trusted workspace the user is asked once
// per address (a real modal, a real click), and after "Allow" the real Prometheus (Debian's package,
// backfilled with promtool) answers the file's query.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { answerFileDialog, openWorkbench, runCommand, screenshot, until, webviewFrame } from './helpers.mjs';
import { startPrometheus } from '../support/prometheus.mjs';

/** A port that counts connections: proof that nothing was sent to it. */
async function sensor() {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, connections: () => count, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Two windows that read CPU from the Prometheus at `url`, which the files name themselves. */
function writeWindows(workspace, url, start, end, currentLabel = 'checkout new') {
  const dir = join(workspace, 'deploy-named');
  mkdirSync(dir, { recursive: true });
  for (const [name, version] of [['baseline', 'old'], ['current', 'new']]) {
    const doc = {
      label: name === 'current' ? currentLabel : `checkout ${version}`,
      prometheusUrl: url,
      window: { start, end, step: '15s' },
      metrics: { errorRate: { errors: 5, requests: 10000 }, cpu: { prometheus: `checkout_cpu_percent{version="${version}"}` } },
    };
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(doc, null, 2));
  }
  return { baseline: join(dir, 'baseline.json'), current: join(dir, 'current.json') };
}

/** Judge Rollback… from the palette, answering its two file dialogs (VS Code's simple dialog in the browser). */
async function judge(page, files) {
  await runCommand(page, 'Incident Workbench: Judge Rollback…');
  await answerFileDialog(page, 'baseline metrics', files.baseline);
  await answerFileDialog(page, 'current metrics', files.current);
}

const cpuRow = (view) => view.locator('tr', { hasText: /^\s*CPU/ });

describe('a Prometheus named by a metrics file', () => {
  it('Restricted Mode: Judge Rollback queries nothing and the panel says why', async () => {
    const probe = await sensor();
    const wb = await openWorkbench({ trust: false });
    try {
      const files = writeWindows(wb.workspace, probe.url, 1764410400, 1764412200);
      await judge(wb.page, files);
      const view = await webviewFrame(wb.page, 'Rollback Judgement');
      await view.locator('li', { hasText: 'Prometheus is queried only in a trusted workspace' }).waitFor({ timeout: 30000 });
      await cpuRow(view).filter({ hasText: 'trusted workspace' }).waitFor();
      await screenshot(wb.page, 'prometheus-consent-restricted');
      assert.equal(probe.connections(), 0);
    } finally {
      await wb.close();
      await probe.close();
    }
  });

  it('trusted: asks once per address; Allow queries the real Prometheus and is remembered', async () => {
    const end = Math.floor(Date.now() / 60000) * 60 - 600;
    const start = end - 1800;
    const steps = Array.from({ length: 121 }, (_, i) => start + i * 15);
    const prom = await startPrometheus({
      series: [
        { name: 'checkout_cpu_percent', labels: { version: 'old' }, samples: steps.map((t, i) => [t, 40 + (i % 7) / 7]) },
        { name: 'checkout_cpu_percent', labels: { version: 'new' }, samples: steps.map((t, i) => [t, 40.2 + (i % 5) / 5]) },
      ],
    });
    const wb = await openWorkbench();
    try {
      const files = writeWindows(wb.workspace, prom.url, start, end);
      await judge(wb.page, files);
      const dialog = wb.page.locator('.monaco-dialog-box');
      await dialog.filter({ hasText: `asks to query Prometheus at ${prom.url}` }).waitFor({ timeout: 30000 });
      await screenshot(wb.page, 'prometheus-consent-dialog');
      await dialog.getByRole('button', { name: 'Allow' }).click();
      const view = await webviewFrame(wb.page, 'Rollback Judgement');
      await until('the CPU row with values read from Prometheus', async () => /40\.\d/.test((await cpuRow(view).textContent()) ?? ''), 60000);

      // Again, with a new label to tell the judgements apart: no question (remembered), and the query runs.
      writeWindows(wb.workspace, prom.url, start, end, 'checkout new, second look');
      await judge(wb.page, files);
      const again = await webviewFrame(wb.page, 'Rollback Judgement');
      await again.locator('.meta', { hasText: 'second look' }).waitFor({ timeout: 60000 });
      assert.match((await cpuRow(again).textContent()) ?? '', /40\.\d/);
      assert.equal(await dialog.count(), 0, 'not asked twice');
    } finally {
      await wb.close();
      await prom.stop();
    }
  });
});
