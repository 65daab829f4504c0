import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { fileChosenPrometheusUrls, normalizePrometheusUrl, parseMetricsWindow, resolvePrometheus, type MetricsWindow } from '../../src/core/rollback';

/** A port that counts the connections made to it: proof that nothing was sent, whatever the answer would be. */
async function sensor(t: { after(fn: () => Promise<void>): void }): Promise<{ url: string; connections: () => number }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, connections: () => count };
}

const windowNaming = (url: string | undefined, perMetric?: string): MetricsWindow =>
  parseMetricsWindow(
    JSON.stringify({
      label: 'current',
      ...(url ? { prometheusUrl: url } : {}),
      window: { start: 1764410400, end: 1764412200, step: '15s' },
      metrics: { cpu: { prometheus: perMetric ? { query: 'up', url: perMetric } : 'up' }, errorRate: 0.01 },
    }),
    'current',
  ).window!;

test('a Prometheus the metrics file names is not contacted without consent; the reason says how to allow it', async (t) => {
  const s = await sensor(t);
  const r = await resolvePrometheus(windowNaming(s.url), undefined, { consentHint: 'pass --allow-file-prometheus' });
  assert.equal(s.connections(), 0);
  assert.deepEqual(r.window.metrics.cpu, { kind: 'none', reason: `current asks to query Prometheus at ${s.url}, which is only done with your consent (pass --allow-file-prometheus)` });
  assert.deepEqual(r.window.metrics.errorRate, { kind: 'value', value: 0.01 }, 'other metrics are untouched');
  assert.equal(r.notes.length, 1);
  const perMetric = await resolvePrometheus(windowNaming(undefined, `${s.url}/`), undefined);
  assert.equal(s.connections(), 0, 'a url on one query is the file choosing too');
  assert.equal(perMetric.window.metrics.cpu!.kind, 'none');
});

test('consented, or the user\'s own address, it is contacted; an untrusted workspace contacts nothing', async (t) => {
  const s = await sensor(t);
  await resolvePrometheus(windowNaming(s.url), undefined, { allowFileUrl: (u) => u === s.url, timeoutMs: 2000 });
  assert.equal(s.connections(), 1);
  await resolvePrometheus(windowNaming(`${s.url}/`), s.url, { timeoutMs: 2000 });
  assert.equal(s.connections(), 2, 'the file naming the configured server needs no consent');
  await resolvePrometheus(windowNaming(undefined), s.url, { timeoutMs: 2000 });
  assert.equal(s.connections(), 3, 'metrics without an address of their own use the configured one');
  const untrusted = await resolvePrometheus(windowNaming(undefined), s.url, { disabled: 'Prometheus is queried only in a trusted workspace' });
  assert.equal(s.connections(), 3);
  assert.match((untrusted.window.metrics.cpu as { reason: string }).reason, /only in a trusted workspace/);
});

test('addresses: one per server (slash, credentials and query ignored); only http(s); the user\'s own is never asked about', () => {
  assert.equal(normalizePrometheusUrl('http://prom:9090/'), 'http://prom:9090');
  assert.equal(normalizePrometheusUrl('https://u:p@prom.example.com/prometheus/?x=1#y'), 'https://prom.example.com/prometheus');
  assert.equal(normalizePrometheusUrl('file:///etc/passwd'), undefined);
  assert.equal(normalizePrometheusUrl('not a url'), undefined);
  assert.deepEqual(fileChosenPrometheusUrls(windowNaming('http://prom:9090/'), 'http://prom:9090'), []);
  assert.deepEqual(fileChosenPrometheusUrls(windowNaming('http://evil.example:9090'), 'http://prom:9090'), ['http://evil.example:9090']);
  assert.deepEqual(fileChosenPrometheusUrls(windowNaming(undefined), undefined), []);
});
