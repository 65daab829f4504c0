// Fingerprints, message normalisation, the Drain miner, rules, categories and patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ErrorAnalyzer, type ErrorReport } from '../../src/core/errors/analyzer';
import { categorise, compileCategoryRules } from '../../src/core/errors/categories';
import { Drain } from '../../src/core/errors/drain';
import { normalizeMessage, normalizeUncached } from '../../src/core/errors/normalize';
import { compileGroupingRules } from '../../src/core/errors/rules';
import { findSpike } from '../../src/core/errors/patterns';
import { readText } from '../../src/core/logs/reader';
import { repoRoot } from './helpers';

const fixturePath = (name: string) => path.join(repoRoot, 'test/fixtures/logs', name);

function analyze(text: string, options = {}): ErrorReport {
  const analyzer = new ErrorAnalyzer(options);
  const { context } = readText(text, { source: 'input' });
  // readText collects records; feed them in order
  const { records } = readText(text, { source: 'input' });
  for (const r of records) analyzer.add(r);
  return analyzer.report({ lines: context.stats.lines, records: context.stats.records, sources: ['input'], skipped: context.skips.summaries(), fieldMapping: context.fields.mapping() });
}

/** Grouping accuracy (Zhu et al., Loghub): an event counts when its cluster holds exactly its true group. */
export function groupingAccuracy(truth: string[], predicted: string[]): number {
  const byTruth = new Map<string, Set<number>>();
  const byPred = new Map<string, Set<number>>();
  truth.forEach((t, i) => (byTruth.get(t) ?? byTruth.set(t, new Set()).get(t)!).add(i));
  predicted.forEach((p, i) => (byPred.get(p) ?? byPred.set(p, new Set()).get(p)!).add(i));
  let right = 0;
  for (const members of byPred.values()) {
    const first = [...members][0]!;
    const t = byTruth.get(truth[first]!)!;
    if (t.size === members.size && [...members].every((i) => t.has(i))) right += members.size;
  }
  return right / truth.length;
}

test('labelled real tracebacks: every bug site is exactly one cluster, across two releases with shifted lines', () => {
  const text = readFileSync(fixturePath('labelled.jsonl'), 'utf8');
  const labels = new Map<number, string>();
  text.split('\n').forEach((l, i) => {
    if (!l) return;
    const o = JSON.parse(l) as { levelname: string; bug_site: string; version: string };
    if (o.levelname === 'ERROR') labels.set(i + 1, o.bug_site);
  });
  const analyzer = new ErrorAnalyzer();
  const keys: [number, string][] = [];
  for (const r of readText(text).records) keys.push([r.line, analyzer.add(r)!]);
  const report = analyzer.report({ lines: 0, records: 0, sources: [], skipped: [], fieldMapping: {} });
  const truth = keys.map(([line]) => labels.get(line)!);
  const predicted = keys.map(([, key]) => analyzer.fingerprintOfKey(key)!);
  const sites = new Set(truth);
  assert.equal(sites.size, 13);
  assert.equal(report.events, labels.size);
  assert.equal(report.clusters.length, sites.size, report.clusters.map((c) => `${c.count} ${c.exceptionType} ${c.template}`).join('\n'));
  assert.equal(groupingAccuracy(truth, predicted), 1);
  // Both releases (different line numbers for the same code) are in the same clusters.
  const versions = report.clusters.map((c) => new Set(c.samples.map((s) => s.line > text.split('\n').length / 2)).size);
  assert.ok(versions.filter((v) => v === 2).length >= 3);
});

test('fingerprints ignore line numbers and values, and use in-app frames only', () => {
  const a = 'Traceback (most recent call last):\n  File "/app/svc/api.py", line 10, in handle\n  File "/usr/local/lib/python3.11/json/decoder.py", line 337, in decode\nValueError: bad 1';
  const b = 'Traceback (most recent call last):\n  File "/app/svc/api.py", line 99, in handle\n  File "/usr/lib/python3.11/json/decoder.py", line 355, in raw_decode\nValueError: bad 2';
  const c = 'Traceback (most recent call last):\n  File "/app/svc/api.py", line 10, in other\nValueError: bad 1';
  const report = analyze([a, b, c].map((t) => JSON.stringify({ level: 'ERROR', message: 'x', exc_info: t })).join('\n'));
  assert.deepEqual(report.clusters.map((x) => x.count), [2, 1]);
  assert.ok(report.clusters[0]!.reason.some((r) => r.includes('api.py:handle')));
  assert.ok(!report.clusters[0]!.reason.join(' ').includes('decoder'));
  assert.deepEqual(report.clusters[0]!.frames.map((f) => f.inApp), [true, false]);
});

test('without a stack: exception type + normalised message; without an exception: the Drain template', () => {
  const lines = [
    { level: 'ERROR', message: 'failed', error_type: 'TimeoutError', error_message: 'call to 10.0.0.7:443 took 31 s' },
    { level: 'ERROR', message: 'failed', error_type: 'TimeoutError', error_message: 'call to 10.0.0.9:443 took 30 s' },
    { level: 'ERROR', message: 'failed', error_type: 'ValueError', error_message: 'call to 10.0.0.9:443 took 30 s' },
    { level: 'ERROR', message: 'disk /var/lib/x is 97% full' },
    { level: 'ERROR', message: 'disk /srv/y is 99% full' },
    { level: 'INFO', message: 'disk /srv/y is 10% full' },
  ];
  const report = analyze(lines.map((l) => JSON.stringify(l)).join('\n'));
  assert.deepEqual(report.clusters.map((c) => [c.count, c.kind]), [[2, 'exception'], [2, 'message'], [1, 'exception']]);
  assert.equal(report.clusters[0]!.template, 'call to <ip> took <num> s');
  assert.equal(report.clusters[0]!.category, 'infrastructure');
  assert.equal(report.clusters[1]!.template, 'disk <path> is <num>% full');
  assert.equal(report.events, 5);
});

test('normalisation masks numbers, hex, UUIDs, IPs, emails, URLs, paths, quoted and key=value values', () => {
  assert.equal(
    normalizeMessage('user bob@example.com req 6f1c2d3e-1111-2222-3333-444455556666 from 10.1.2.3:8080 GET https://api.x.io/v1?q=1 file /srv/app/x.py key \'abc\' id=42 addr 0x7ffe12 hash deadbeef1234 took 12.5 ms'),
    'user <email> req <uuid> from <ip> GET <url> file <path> key <str> id=<*> addr <hex> hash <hex> took <num> ms',
  );
  assert.equal(normalizeMessage('Invalid input shape: expected 16 features, got 8'), 'Invalid input shape: expected <num> features, got <num>');
  assert.equal(normalizeMessage("KeyError: 'sku-123'"), 'KeyError: <str>');
  assert.equal(normalizeMessage('order ord-7219 failed'), 'order ord-<num> failed');
  // (a number glued to its unit is one number)
  assert.equal(normalizeMessage('GC pause of 812.3ms exceeded budget, heap 512MB'), 'GC pause of <num>ms exceeded budget, heap <num>MB');
});

test('property: normalisation is idempotent and erases the values it masks', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      const n = normalizeMessage(s);
      assert.equal(normalizeMessage(n), n);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.integer(), fc.uuid(), fc.ipV4(), fc.stringMatching(/^[a-z][a-z0-9._]{0,8}@[a-z]{1,8}\.(com|io|org)$/), (i, u, ip, email) => {
      assert.equal(normalizeMessage(`n=${i} id ${u} at ${ip} by ${email}`), 'n=<*> id <uuid> at <ip> by <email>');
      assert.equal(normalizeMessage(`got ${i} items`), 'got <num> items');
    }),
    { numRuns: 300 },
  );
});

test('property: a message normalised through the skeleton cache reads as the masks make it', () => {
  // Messages of one shape with other digits and hex ids (and neighbours of every kind: `0x`, `1x`, quotes,
  // `=`, `:`, `-`, `.`, `@`, `/`, `://`): the second of a pair is answered from the cache when its skeleton is
  // the first's, and must read as the masks read it.
  const hex = fc.stringMatching(/^[0-9a-fA-F]{1,12}$/);
  const other = fc.oneof(
    hex,
    hex.map((h) => `0x${h}`),
    hex.map((h) => `1x${h}`),
    fc.integer().map(String),
    fc.constantFrom('request', 'id', 'from', 'deadbeef', 'failed', 'e5', '1e5', 'a'),
  );
  const id = fc.stringMatching(/^[0-9a-fA-F]{8,16}$/).filter((h) => /\d/.test(h) && /[a-fA-F]/.test(h));
  const part = fc.oneof(other.map((text) => ({ text, id: false })), id.map((text) => ({ text, id: true })));
  const sep = fc.constantFrom(' ', ' ', '(', ')', ',', ';', '.', '=', ':', '-', '/', '@', "'", '"', 'x', ' 0x', '://', '.b://');
  const shape = fc.array(fc.tuple(part, sep), { minLength: 1, maxLength: 8 });
  // The same shape with each digit replaced by another, each hex letter by another of its case, and each id
  // by another of its length (any hex digit anywhere: the cache may answer only where it is masked whole).
  const vary = (s: string, seed: number) =>
    s.replace(/[0-9a-fA-F]/g, (c, at: number) => {
      const k = (seed + at * 7) % 6;
      if (/\d/.test(c)) return String((Number(c) + k) % 10);
      return /[a-f]/.test(c) ? 'abcdef'[k]! : 'ABCDEF'[k]!;
    });
  const anyHex = (s: string, seed: number) => s.replace(/[0-9a-fA-F]/g, (_c, at: number) => '0123456789abcdefABCDEF'[(seed + at * 7) % 22]!);
  fc.assert(
    fc.property(shape, fc.nat(), (pairs, seed) => {
      const a = pairs.map(([p, q]) => p.text + q).join('');
      const b = pairs.map(([p, q], k) => (p.id ? anyHex(p.text, seed + k) : vary(p.text, seed + k)) + q).join('');
      assert.equal(normalizeMessage(a), normalizeUncached(a));
      assert.equal(normalizeMessage(b), normalizeUncached(b), JSON.stringify([a, b]));
    }),
    { numRuns: 5000 },
  );
  // Hex ids between spaces are one skeleton whatever their characters; `0x…` too, and the `0` of `0x` is kept.
  assert.equal(normalizeMessage('request 8ad3a601 from 10.0.1.2 returned 503'), 'request <hex> from <ip> returned <num>');
  assert.equal(normalizeMessage('request f00dcafe1 from 10.0.1.2 returned 503'), 'request <hex> from <ip> returned <num>');
  assert.equal(normalizeMessage('at 0x7f3a2b returned'), 'at <hex> returned');
  assert.equal(normalizeMessage('at 1x7f3a2b returned'), normalizeUncached('at 1x7f3a2b returned'));
});

test('Drain: same-length messages with different variables share a template; different shapes do not', () => {
  const d = new Drain();
  const c1 = d.add('Receiving block blk_123 src: /10.0.0.1:50010 dest: /10.0.0.2:50010');
  const c2 = d.add('Receiving block blk_456 src: /10.0.0.3:50010 dest: /10.0.0.4:50010');
  const c3 = d.add('Deleting block blk_789 file /data/x');
  const c4 = d.add('Receiving block blk_999 src: /10.0.0.5:50010 dest: /10.0.0.6:50010');
  assert.equal(c1.id, c2.id);
  assert.equal(c1.id, c4.id);
  assert.notEqual(c1.id, c3.id);
  assert.equal(Drain.template(c1), 'Receiving block blk_<num> src: /<ip> dest: /<ip>');
  const e = new Drain({ premasked: true });
  e.add('login failed for alice from office');
  const m = e.add('login failed for bob from home');
  assert.equal(Drain.template(m), 'login failed for <*> from <*>');
  assert.equal(e.add('completely different words entirely here').id, 2);
  assert.equal(e.match('login failed for carol from cafe')?.id, 1);
  // The leading tokens route the message (depth 4: two token levels), as in Drain.
  assert.notEqual(e.add('user alice logged in').id, e.add('user bob logged in').id);
});

test('property: Drain always returns a cluster whose template matches the message token-wise', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'x1', 'y2', 'err', 'ok'), { minLength: 1, maxLength: 6 }), { maxLength: 60 }), (messages) => {
      const d = new Drain({ premasked: true, maxChildren: 3 });
      for (const m of messages) {
        const c = d.add(m.join(' '));
        assert.equal(c.tokens.length, m.length);
        c.tokens.forEach((t, i) => assert.ok(t === '<*>' || t === m[i], `${t} vs ${m[i]}`));
      }
      assert.equal(d.clusters.reduce((a, c) => a + c.size, 0), messages.length);
    }),
    { numRuns: 200 },
  );
});

test('grouping rules: merge by rule, split by message; bad rules are reported', () => {
  const tb = (fn: string, msg: string) => JSON.stringify({ level: 'ERROR', message: 'x', exc_info: `Traceback (most recent call last):\n  File "/app/db.py", line 3, in ${fn}\nTimeoutError: ${msg}` });
  const text = [tb('read', 'a 1'), tb('write', 'b 2'), tb('read', 'c 3')].join('\n');
  assert.equal(analyze(text).clusters.length, 2);
  const merge = compileGroupingRules([{ action: 'merge', name: 'db timeouts', exceptionType: 'Timeout', frame: '/app/db\\.py' }]);
  const merged = analyze(text, { groupingRules: merge.rules });
  assert.equal(merged.clusters.length, 1);
  assert.match(merged.clusters[0]!.reason[0]!, /merged by grouping rule "db timeouts"/);
  const split = compileGroupingRules([{ action: 'split', frame: 'read', by: 'message' }]);
  assert.deepEqual(analyze(text, { groupingRules: split.rules }).clusters.map((c) => c.count), [1, 1, 1]);
  const bad = compileGroupingRules([{ action: 'explode' }, { action: 'merge' }, { action: 'split', message: '(' }, 'x']);
  assert.equal(bad.rules.length, 0);
  assert.equal(bad.problems.length, 4);
});

test('categories follow the seed, read the type first, and take rules from settings', () => {
  assert.equal(categorise({ exceptionType: 'ValueError', exceptionMessage: 'Invalid input shape' }).category, 'input_validation');
  assert.equal(categorise({ exceptionType: 'RuntimeError', exceptionMessage: 'model returned NaN' }).category, 'model_inference');
  assert.equal(categorise({ exceptionType: 'OperationalError', exceptionMessage: 'x' }).category, 'infrastructure');
  assert.equal(categorise({ exceptionType: 'MemoryError', exceptionMessage: '' }).category, 'resource_exhaustion');
  assert.equal(categorise({ message: 'external api returned 502' }).category, 'third_party');
  const u = categorise({ exceptionType: 'KeyError', exceptionMessage: "'x'" });
  assert.equal(u.category, 'unknown');
  assert.ok(u.hypothesis.length > 10 && u.actionItems.length > 0);
  assert.equal(categorise({ exceptionType: 'ValueError', exceptionMessage: 'Invalid input shape' }).hypothesis, 'Client sending invalid data. Check API contract.');
  const rules = compileCategoryRules([{ category: 'payments', pattern: 'stripe|card', hypothesis: 'Card processor' }, { category: 'x', pattern: '[' }]);
  assert.equal(rules.problems.length, 1);
  const p = categorise({ exceptionType: 'ValueError', exceptionMessage: 'card declined (invalid)' }, rules.rules);
  assert.deepEqual([p.category, p.hypothesis], ['payments', 'Card processor']);
});

test('patterns: a minute at ≥ 3× the mean rate is a spike with its time and magnitude', () => {
  const base = Date.parse('2026-11-20T09:00:00Z');
  const minutes = new Map<number, number>();
  for (let m = 0; m < 60; m++) minutes.set(Math.floor(base / 60000) + m, m === 42 ? 40 : 1);
  const spike = findSpike(minutes, { first: base, last: base + 59 * 60000 }, 'minute') as { at: string; count: number; magnitude: number };
  assert.equal(spike.at, '2026-11-20T09:42:00.000Z');
  assert.equal(spike.count, 40);
  assert.equal(spike.magnitude, Number((40 / (99 / 60)).toFixed(1)));
  const flat = new Map([...minutes].map(([k]) => [k, 2]));
  assert.equal(findSpike(flat, { first: base, last: base + 59 * 60000 }, 'minute'), undefined);
});

test('patterns in a report: user and endpoint concentration, common frames, correlated services', () => {
  const t0 = Date.parse('2026-11-20T09:00:00Z');
  const lines: string[] = [];
  const tb = (file: string, fn: string) => `Traceback (most recent call last):\n  File "/app/${file}", line 3, in ${fn}\nValueError: x`;
  for (let i = 0; i < 120; i++) lines.push(JSON.stringify({ timestamp: new Date(t0 + i * 30000).toISOString(), level: 'INFO', message: 'ok', service: 'api' }));
  for (let i = 0; i < 30; i++) lines.push(JSON.stringify({ timestamp: new Date(t0 + 3000000 + i * 1000).toISOString(), level: 'ERROR', message: 'm', service: 'api', user_id: i < 25 ? 'u42' : `u${i}`, endpoint: '/predict', exc_info: tb('api.py', 'predict') }));
  for (let i = 0; i < 12; i++) lines.push(JSON.stringify({ timestamp: new Date(t0 + 3060000 + i * 1000).toISOString(), level: 'ERROR', message: 'm', service: 'worker', exc_info: tb('jobs.py', 'run') }));
  lines.push(JSON.stringify({ timestamp: new Date(t0).toISOString(), level: 'ERROR', message: 'early', service: 'api', exc_info: tb('misc.py', 'x') }));
  const report = analyze(lines.join('\n'));
  const api = report.clusters[0]!;
  const types = api.patterns.map((p) => p.type);
  assert.deepEqual(types, ['spike', 'user_specific', 'endpoint_specific', 'common_frames']);
  assert.equal(report.patterns.length, 1);
  assert.deepEqual(report.patterns[0]!.services.sort(), ['api', 'worker']);
});

test('spikes are measured over the whole log: a burst after a quiet hour without errors is a spike', () => {
  const t0 = Date.parse('2026-11-20T08:00:00Z');
  const lines: string[] = [];
  for (let m = 0; m < 60; m++) lines.push(JSON.stringify({ timestamp: new Date(t0 + m * 60000).toISOString(), level: 'INFO', message: 'ok' }));
  for (let i = 0; i < 12; i++) lines.push(JSON.stringify({ timestamp: new Date(t0 + 60 * 60000 + i * 2000).toISOString(), level: 'ERROR', message: 'disk full on /dev/sda1' }));
  const text = lines.join('\n');
  const { records, context } = readText(text);
  const analyzer = new ErrorAnalyzer();
  for (const r of records) analyzer.add(r);
  const range = context.timeRange()!;
  assert.deepEqual(range, { first: t0, last: t0 + 60 * 60000 + 22000 });
  const withRange = analyzer.report({ lines: 0, records: 0, sources: [], skipped: [], fieldMapping: {}, timeRange: range });
  assert.equal(withRange.clusters[0]!.patterns[0]!.type, 'spike');
  assert.equal(withRange.firstSeen, new Date(t0).toISOString());
  const errorsOnly = new ErrorAnalyzer();
  for (const r of records) errorsOnly.add(r);
  assert.equal(errorsOnly.report({ lines: 0, records: 0, sources: [], skipped: [], fieldMapping: {} }).clusters[0]!.patterns.some((p) => p.type === 'spike'), false);
});

test('property: a cluster counts its events per minute whatever their order (runs of one minute, jumps back)', () => {
  const base = Date.parse('2026-11-20T09:00:00Z');
  // (offsets in seconds over two hours: the timeline has one bucket a minute; runs repeat a time, as logs do)
  const event = fc.tuple(fc.nat(7199), fc.integer({ min: 1, max: 30 }));
  fc.assert(
    fc.property(fc.array(event, { minLength: 1, maxLength: 60 }), fc.boolean(), (runs, sorted) => {
      const times = runs.flatMap(([s, k]) => Array.from({ length: k }, (_, i) => base + s * 1000 + i));
      if (sorted) times.sort((a, b) => a - b);
      const analyzer = new ErrorAnalyzer({});
      for (const t of times) analyzer.add({ source: 'input', line: 1, message: 'connection reset by peer', level: 'ERROR', timestamp: t });
      const range = { first: Math.min(...times), last: Math.max(...times) };
      const report = analyzer.report({ lines: 0, records: 0, sources: [], skipped: [], fieldMapping: {}, timeRange: range });
      const timeline = report.clusters[0]!.timeline!;
      const expected = new Array<number>(timeline.counts.length).fill(0);
      for (const t of times) expected[Math.floor((t - timeline.start) / timeline.bucketMs)]!++;
      assert.equal(timeline.bucketMs, 60_000);
      assert.deepEqual(timeline.counts, expected);
    }),
    { numRuns: 300 },
  );
});
