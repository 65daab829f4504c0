// Log stores (issue #20): the VictoriaLogs client, errors and patterns computed in the store, and
// `iwb errors|patterns --source`, against a real VictoriaLogs (test/support/victorialogs.mjs) fed with the
// demo service's real logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { errorsFromStore, patternsFromStore } from '../../src/core/logstore/analyze';
import { parseDuration, parseStoreUrl, resolveWindow } from '../../src/core/logstore/source';
import { LogStoreError } from '../../src/core/logstore/types';
import { logsqlString, VictoriaLogsStore } from '../../src/core/logstore/victorialogs';
import { repoRoot, runCli } from './helpers';

interface VL {
  url: string;
  port: number;
  stop(): Promise<void>;
  ingest(records: unknown[] | string, o?: { streamFields?: string[]; timeField?: string; msgField?: string }): Promise<number>;
}
interface VLModule {
  startVictoriaLogs(o?: { args?: string[] }): Promise<VL>;
  victoriaLogsBinary(): { ok: boolean; reason?: string };
}

const DEMO = path.join(repoRoot, 'demo', 'logs', 'service.jsonl');
const WINDOW = ['--start', '2026-11-29T00:00:00Z', '--end', '2026-11-30T00:00:00Z'];
const window = { start: Date.parse('2026-11-29T00:00:00Z'), end: Date.parse('2026-11-30T00:00:00Z') };
let vlm: VLModule;
let vl: VL;

before(async () => {
  vlm = (await import(pathToFileURL(path.join(repoRoot, 'test', 'support', 'victorialogs.mjs')).href)) as VLModule;
  const bin = vlm.victoriaLogsBinary();
  assert.ok(bin.ok, bin.reason);
  vl = await vlm.startVictoriaLogs();
  await vl.ingest(readFileSync(DEMO, 'utf8'), { streamFields: ['service'], timeField: 'timestamp', msgField: 'message' });
});
after(() => vl?.stop());

/** A port nothing listens on (taken from the system, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const source = (query = 'service:recommend') => `victorialogs://127.0.0.1:${vl.port}?query=${encodeURIComponent(query)}`;

test('store URLs, durations and windows parse, and bad ones say what is wrong', () => {
  assert.deepEqual(parseStoreUrl('victorialogs://127.0.0.1:9428?query=service:checkout'), { kind: 'victorialogs', baseUrl: 'http://127.0.0.1:9428', query: 'service:checkout' });
  const tls = parseStoreUrl('victorialogs+https://u:p%40ss@logs.example.com/vl/?query=');
  assert.equal(tls.baseUrl, 'https://logs.example.com/vl');
  assert.equal(tls.query, '*');
  assert.equal(tls.authorization, `Basic ${Buffer.from('u:p@ss').toString('base64')}`);
  assert.throws(() => parseStoreUrl('loki://x:3100'), /unsupported store "loki"/);
  assert.throws(() => parseStoreUrl('not a url'), /is not a URL/);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('3x'), undefined);
  const now = Date.parse('2026-11-29T10:00:00Z');
  assert.deepEqual(resolveWindow({ lookback: '2h' }, now), { start: now - 7_200_000, end: now });
  assert.deepEqual(resolveWindow({}, now), { start: now - 3_600_000, end: now });
  assert.throws(() => resolveWindow({ start: '2026-11-29T10:00:00Z', end: '2026-11-29T09:00:00Z' }, now), /window is empty/);
  assert.throws(() => resolveWindow({ start: 'yesterday' }, now), /--start needs an ISO time/);
});

test('property: durations add up their parts; store URLs keep any LogsQL query', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w')), { minLength: 1, maxLength: 4 }), (parts) => {
      const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
      assert.equal(parseDuration(parts.map(([n, u]) => `${n}${u}`).join('')), parts.reduce((a, [n, u]) => a + n * unit[u]!, 0));
    }),
  );
  fc.assert(
    fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0), (q) => {
      assert.equal(parseStoreUrl(`victorialogs://h:1?query=${encodeURIComponent(q)}`).query, q.trim());
    }),
  );
});

test('errors from the store equal errors from the same lines in a file, and only error events travel', async () => {
  const fromFile = await runCli(['errors', DEMO, '--json']);
  const fromStore = await runCli(['errors', '--source', source(), ...WINDOW, '--json']);
  assert.equal(fromStore.code, 1, fromStore.err);
  const f = JSON.parse(fromFile.out) as { events: number; clusters: { id: string; count: number; firstSeen: string; lastSeen: string }[] };
  const s = JSON.parse(fromStore.out) as typeof f & { source: { kind: string; url: string; linesScanned: number; bytesTransferred: number; exact: boolean } };
  assert.deepEqual(Object.keys(s.source), ['kind', 'url', 'linesScanned', 'bytesTransferred', 'exact']);
  assert.equal(s.source.kind, 'victorialogs');
  assert.equal(s.source.exact, true);
  assert.equal(s.events, f.events);
  assert.equal(s.source.linesScanned, f.events, 'only the error events are read from the store');
  assert.deepEqual(
    s.clusters.map((c) => [c.id, c.count, c.firstSeen, c.lastSeen]),
    f.clusters.map((c) => [c.id, c.count, c.firstSeen, c.lastSeen]),
  );
  assert.ok(s.source.bytesTransferred < readFileSync(DEMO).length, 'fewer bytes than the whole log');
});

test('patterns from the store: the same templates and exact counts as the file, with the source', async () => {
  const fromFile = await runCli(['patterns', DEMO, '--json', '--code', 'demo']);
  const fromStore = await runCli(['patterns', '--source', source(), ...WINDOW, '--json', '--code', 'demo']);
  assert.equal(fromStore.code, 0, fromStore.err);
  type P = { lines: number; patterns: { id: string; template: string; count: number; firstSeen: string; lastSeen: string; levels: Record<string, number>; callSites: unknown[] }[] };
  const f = JSON.parse(fromFile.out) as P;
  const s = JSON.parse(fromStore.out) as P & { source: { linesScanned: number; exact: boolean } };
  assert.deepEqual(Object.keys(s), ['lines', 'patterns', 'source']);
  assert.equal(s.lines, f.lines);
  assert.equal(s.source.linesScanned, f.lines);
  assert.equal(s.source.exact, true);
  const strip = (p: P['patterns'][number]) => [p.id, p.template, p.count, p.firstSeen, p.lastSeen, p.levels, p.callSites];
  assert.deepEqual(s.patterns.map(strip), f.patterns.map(strip));
});

test('patterns mined on a small sample still get exact counts over the whole window from the store', async () => {
  const store = new VictoriaLogsStore(vl.url);
  const r = await patternsFromStore(store, { window, query: 'service:recommend', sampleSize: 40 });
  assert.ok(r.sampled < 200, `sampled ${r.sampled}`);
  assert.equal(r.source.exact, true);
  assert.equal(r.report.lines, 591);
  assert.equal(r.report.patterns.reduce((n, p) => n + p.count, 0), 591);
  const post = r.report.patterns.find((p) => p.template.startsWith('"POST /recommend'));
  assert.equal(post?.count, 466, 'the biggest pattern is counted by the store, not scaled from the sample');
});

test('property: hostile messages (quotes, backslashes, regex characters, HTML) are each counted once, exactly', async () => {
  const alphabet = fc.constantFrom('a', 'b', ' ', '"', "'", '`', '\\', '$', '(', ')', '[', '*', '.', '<img src=x onerror=alert(1)>', '7', '42', 'é', '/', '|', '\t');
  let round = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 30 }), async (messages) => {
      const service = `prop${round++}`;
      const base = Date.parse('2026-11-29T05:00:00Z');
      await vl.ingest(messages.map((m, i) => ({ _msg: m, _time: new Date(base + i * 1000).toISOString(), service, level: 'INFO' })), { streamFields: ['service'] });
      const stored = (await runCli(['patterns', '--source', source(`service:${service}`), ...WINDOW, '--json', '--code', 'demo/scripts'])).out;
      const r = JSON.parse(stored) as { lines: number; patterns: { template: string; count: number; samples: string[] }[]; source: { exact: boolean } };
      // The store keeps messages as sent except blank ones; every stored line is counted once.
      assert.equal(r.patterns.reduce((n, p) => n + p.count, 0), r.lines);
      assert.equal(r.source.exact, true);
    }),
    { numRuns: 12 },
  );
});

test('bad input: unreachable store, 401, a LogsQL syntax error with the store message, a limit that cuts, an unmapped field', async () => {
  const port = await closedPort();
  const closed = await runCli(['patterns', '--source', `victorialogs://127.0.0.1:${port}?query=*`, ...WINDOW]);
  assert.equal(closed.code, 2);
  assert.equal(closed.err, `iwb patterns: cannot reach VictoriaLogs at http://127.0.0.1:${port} (ECONNREFUSED); is it running? (check the URL and port)`);
  assert.doesNotMatch(closed.err, /\n\s+at /, 'no stack');

  const syntax = await runCli(['errors', '--source', source('service:('), ...WINDOW, '--json']);
  assert.equal(syntax.code, 2);
  assert.match(JSON.parse(syntax.out).error as string, /^VictoriaLogs rejected the query: cannot parse `query` arg/);

  const cut = await runCli(['errors', '--source', source(), ...WINDOW, '--limit', '10', '--json']);
  assert.equal(cut.code, 1);
  const c = JSON.parse(cut.out) as { events: number; source: { exact: boolean; linesScanned: number }; problems: string[] };
  assert.equal(c.events, 10);
  assert.equal(c.source.exact, false);
  assert.match(c.problems.join('\n'), /more than 10 error events in the window: the first 10 were analysed/);
  assert.match(cut.err, /warning: the store has more than 10/);

  const unmapped = await runCli(['patterns', '--source', source(), ...WINDOW, '--field', 'level=severity']);
  assert.equal(unmapped.code, 2);
  assert.match(unmapped.err, /the field mapping says level is "severity", but no record of the store in this window has a field "severity" \(fields: .*level/);

  const noFiles = await runCli(['errors', 'x.log', '--source', source()]);
  assert.equal(noFiles.code, 2);
  assert.match(noFiles.err, /--source reads a log store: name no files with it/);
  const noSource = await runCli(['patterns', 'x.log', '--lookback', '1h']);
  assert.equal(noSource.code, 2);
  assert.match(noSource.err, /--lookback is for a log store: add --source URL/);

  const secured = await vlm.startVictoriaLogs({ args: ['-httpAuth.username=iwb', '-httpAuth.password=s3cret'] });
  try {
    const denied = await runCli(['errors', '--source', `victorialogs://127.0.0.1:${secured.port}`, ...WINDOW]);
    assert.equal(denied.code, 2);
    assert.match(denied.err, /refused the request \(HTTP 401\): set the store's headers/);
    const allowed = await runCli(['errors', '--source', `victorialogs://127.0.0.1:${secured.port}`, ...WINDOW, '--header', `Authorization: Basic ${Buffer.from('iwb:s3cret').toString('base64')}`, '--json']);
    assert.equal(allowed.code, 0, allowed.err);
    assert.equal((JSON.parse(allowed.out) as { source: { exact: boolean } }).source.exact, true);
  } finally {
    await secured.stop();
  }
});

test('a store that does not answer in time is a timeout naming the store, not a hang', async (t) => {
  // A listener that accepts and never answers: the slowest store there is.
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
  await new Promise((r) => silent.once('listening', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const store = new VictoriaLogsStore(url, { timeoutMs: 300 });
  await assert.rejects(patternsFromStore(store, { window, query: '*' }), (e: unknown) => e instanceof LogStoreError && e.kind === 'timeout' && e.message === `VictoriaLogs at ${url} did not answer within 0.3 s; raise the timeout or narrow the window`);
});

test('a cancelled query stops with a cancelled error; LogsQL strings quote anything', async () => {
  const store = new VictoriaLogsStore(vl.url);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(errorsFromStore(store, { window, query: '*', signal: ac.signal }), (e: unknown) => e instanceof LogStoreError && e.kind === 'cancelled');
  const hostile = 'a"b\\c`d\n<img src=x onerror=alert(1)>';
  const r = await fetch(`${vl.url}/select/logsql/query`, { method: 'POST', body: new URLSearchParams({ query: `_msg:=${logsqlString(hostile)} | stats count() c` }) });
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual(await r.json(), { c: '0' });
});
