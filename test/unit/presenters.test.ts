// The presenters build each webview's snapshot from a real core model (the demo's and the fixtures' files):
// what the page gets is checked here, without VS Code.
import { test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { analyzeAbTest, locateVariant, parseAbTest } from '../../src/core/abtest';
import { analyzeLogFiles } from '../../src/core/errors/load';
import { analyzeMetricAnomaly, findCorrelatedErrors, type ErrorCluster } from '../../src/core/forensics/correlate';
import { readCorrelationLogs } from '../../src/core/forensics/logs';
import { importMetrics } from '../../src/core/metrics/parse';
import { seriesKey } from '../../src/core/metrics/types';
import { analyzePredictions, parsePredictions, type RobustnessReport } from '../../src/core/mlmodel';
import { isIdleFrame } from '../../src/core/profile/idle';
import { parseProfile } from '../../src/core/profile/parse';
import { decideRollback, parseMetricsWindow } from '../../src/core/rollback';
import { IncidentStore } from '../../src/core/store/incidentStore';
import { importTraces } from '../../src/core/traces/import';
import { toAbSnapshot } from '../../src/presenters/abtest';
import { formatChain, toDetailsSnapshot } from '../../src/presenters/errorDetails';
import { DIFF_ROWS, describeProfile, encodeFlameData, profileDiffSnapshot, profileSnapshot } from '../../src/presenters/flamegraph';
import { noWorkspaceSnapshot, toOverviewSnapshot } from '../../src/presenters/incidentOverview';
import { robustnessDone, toMlModelSnapshot } from '../../src/presenters/mlmodel';
import { toRollbackSnapshot } from '../../src/presenters/rollback';
import { anomalyReport } from '../../src/presenters/traces';
import { decodeFrames } from '../../src/protocol/flamegraph';
import { isWaterfallMessage } from '../../src/protocol/waterfall';
import { repoRoot, tempDir } from './helpers';

const demo = (...p: string[]) => path.join(repoRoot, 'demo', ...p);
const read = (file: string) => readFileSync(file, 'utf8');

/** What postMessage would deliver of plain JSON data (the typed arrays of the flamegraph aside). */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

test('A/B snapshot: the report’s verdict, arms and test as they are; SRM and power without the fields the page does not draw', () => {
  const file = demo('experiments', 'broken-split.abtest.json');
  const report = analyzeAbTest(parseAbTest(read(file), file));
  const s = toAbSnapshot(report, 'broken-split.abtest.json', true);
  assert.equal(s.file, 'broken-split.abtest.json');
  assert.equal(s.canOpenAsText, true);
  assert.equal(s.error, undefined);
  assert.equal(s.verdict.kind, 'untrustworthy');
  assert.match(s.verdict.headline, /sample-ratio mismatch/);
  assert.deepEqual(
    s.arms.map((a) => [a.name, a.sampleSize, a.successes]),
    [
      ['control', 10000, 1000],
      ['treatment', 10600, 1155],
    ],
  );
  assert.equal(s.test, report.test);
  assert.equal(s.test!.control, 'control');
  assert.deepEqual(s.issues, report.validation.issues);
  assert.ok(s.issues.some((i) => i.type === 'srm' && i.severity === 'error'));
  assert.equal(s.srm!.mismatch, true);
  assert.ok(!('pValue' in s.srm!), 'the page shows the p-value as text only');
  assert.equal(s.srm!.pValueText, report.srm!.pValueText);
  assert.equal(s.power!.requiredPerArm, 18278);
  assert.equal(s.power!.adequate, false);
  assert.ok(!('requiredTotal' in s.power!));
  assert.ok(!('explanation' in s.simpson));
  assert.deepEqual(overTheWire(s), s, 'the snapshot is plain data');
});

test('A/B snapshot: the Simpson explanation is said once (under Issues), not again in the verdict', () => {
  const file = demo('experiments', 'kidney-stones.abtest.json');
  const report = analyzeAbTest(parseAbTest(read(file), file));
  assert.ok(report.interpretation.includes(report.simpson.explanation), 'core says it in the interpretation too');
  const s = toAbSnapshot(report, 'kidney-stones.abtest.json', true);
  const simpson = s.issues.filter((i) => i.type === 'simpson');
  assert.equal(simpson.length, 1);
  const everything = JSON.stringify(s);
  assert.equal(everything.split(JSON.stringify(simpson[0]!.message).slice(1, -1)).length - 1, 1, 'the explanation appears once in what the page gets');
});

test('A/B variants are found in their file for "open the source" (JSON and CSV), hostile names included (property)', () => {
  const json = read(demo('experiments', 'checkout-button.abtest.json'));
  const at = locateVariant(json, 'green-button')!;
  assert.match(json.split('\n')[at.line - 1]!.slice(at.column - 1), /^\{ "name": "green-button"/);
  assert.equal(locateVariant(json, 'nope'), undefined);
  const csv = read(demo('experiments', 'signup-by-user.csv'));
  const header = csv.split('\n')[0]!.split(',').map((c) => c.trim().toLowerCase());
  const firstRow = csv.split('\n')[1]!.split(',');
  const name = firstRow[header.indexOf('variant')]!.trim();
  assert.deepEqual(locateVariant(csv, name), { line: 2, column: 1 });
  fc.assert(
    fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }), fc.nat(4), (names, pick) => {
      const unique = [...new Set(names)];
      const doc = `{\n  "variants": [\n${unique.map((n) => `    { "name": ${JSON.stringify(n)}, "sampleSize": 10, "successes": 1 }`).join(',\n')}\n  ]\n}\n`;
      const i = pick % unique.length;
      assert.deepEqual(locateVariant(doc, unique[i]!), { line: 3 + i, column: 5 });
      assert.equal(locateVariant(doc.slice(0, doc.length / 2), '\u0000never'), undefined);
    }),
  );
});

test('A/B snapshot of a file that could not be read carries the reason', () => {
  const report = analyzeAbTest({ issues: [{ type: 'unreadable', severity: 'error', message: 'EACCES' }], format: 'json' });
  const s = toAbSnapshot(report, 'x.csv', false, 'EACCES: permission denied');
  assert.equal(s.error, 'EACCES: permission denied');
  assert.equal(s.verdict.kind, 'invalid');
  assert.equal(s.test, null);
  assert.deepEqual(s.arms, []);
  assert.equal(s.canOpenAsText, false);
});

test('error cluster details: title, raising frame first, spike bucket, samples printed as Python prints them', async () => {
  const { report } = await analyzeLogFiles([demo('logs', 'service.jsonl')]);
  const c = report.clusters[0]!;
  const s = toDetailsSnapshot(c, ['logs/service.jsonl']);
  assert.deepEqual(s.sources, ['logs/service.jsonl']);
  assert.equal(s.missing, undefined);
  const d = s.cluster!;
  assert.equal(d.title, 'ValueError: Invalid input shape: expected <num> features, got <num>');
  assert.equal(d.count, 36);
  assert.equal(d.category, 'input_validation');
  assert.equal(d.fingerprint, c.fingerprint);
  // The tree and the CLI show the raising frame first too: the last frame of the traceback.
  assert.deepEqual(d.frames[0], { file: '/app/service/features.py', line: 11, function: 'extract_features', inApp: true });
  assert.deepEqual(
    d.frames.map((f) => f.function),
    [...c.frames].reverse().map((f) => f.function),
  );
  assert.ok(d.frames.every((f) => !('source' in f)));
  assert.equal(d.spike!.bucketMs, 60_000);
  assert.equal(d.spike!.count, 30);
  assert.match(d.spike!.at, /^2026-11-29T02:57/);
  assert.deepEqual(
    d.patterns.map((p) => p.type),
    c.patterns.map((p) => p.type),
  );
  assert.ok(d.patterns.every((p) => Object.keys(p).length === 2));
  assert.equal(d.users[0]!.value, '7');
  assert.equal(d.users[0]!.count, 25);
  assert.equal(d.samples.length, c.samples.length);
  const sample = d.samples[0]!;
  assert.match(sample.text, /^Traceback \(most recent call last\):\n {2}File "\/app\/service\/server\.py", line \d+, in /);
  assert.match(sample.text, /\nValueError: Invalid input shape: expected 16 features, got \d+$/);
  assert.equal(sample.endpoint, '/recommend');
  assert.ok(!('chain' in sample));
  assert.deepEqual(overTheWire(s), s);
});

test('error cluster details: a cluster gone from the logs says so; chained exceptions read like Python’s output', () => {
  const s = toDetailsSnapshot(undefined, ['a.jsonl']);
  assert.equal(s.cluster, undefined);
  assert.match(s.missing!, /not in the loaded logs/);
  const text = formatChain([
    { type: 'KeyError', message: "'sku'", frames: [{ file: '/app/a.py', line: 3, function: 'get', inApp: true, source: "return items['sku']" }], linkToNext: 'cause' },
    { type: 'LookupFailed', message: '', frames: [{ file: '/app/b.py', function: 'main', inApp: true }] },
  ]);
  assert.equal(
    text,
    [
      'Traceback (most recent call last):',
      '  File "/app/a.py", line 3, in get',
      "    return items['sku']",
      "KeyError: 'sku'",
      '\nThe above exception was the direct cause of the following exception:\n',
      'Traceback (most recent call last):',
      '  File "/app/b.py", in main',
      'LookupFailed',
    ].join('\n'),
  );
});

test('incident overview: the demo incident as the page shows it, every step of the method and its post-mortem; an unusable file shows its problems only', async (t) => {
  const store = new IncidentStore(new NodeFileSystem(demo()));
  const entry = await store.read('INC-2026-001');
  const file = JSON.parse(read(demo('.incidents', 'INC-2026-001', 'incident.json'))) as Record<string, unknown> & {
    evidence: { path: string; note?: string }[];
    events: unknown[];
    reproduction: { steps: string[]; attempts: unknown[]; rate?: number };
    fix: unknown;
    fixVerification: unknown;
    prevention: string[];
  };
  const pm = JSON.parse(read(demo('.incidents', 'INC-2026-001', 'postmortem.json'))) as { actionItems: { status?: string }[] };
  const s = toOverviewSnapshot(entry, await store.readPostmortem('INC-2026-001'));
  assert.equal(s.id, 'INC-2026-001');
  assert.deepEqual(s.problems, []);
  const i = s.incident!;
  assert.equal(i.title, file.title);
  assert.equal(i.severity, 'HIGH');
  assert.equal(i.status, 'RESOLVED');
  assert.equal(i.rootCause, file.rootCause);
  assert.equal(i.description, file.description);
  assert.deepEqual(
    i.evidence.map((e) => e.path),
    file.evidence.map((e) => e.path),
  );
  assert.equal(i.evidence[0]!.note, file.evidence[0]!.note);
  assert.deepEqual(i.hypotheses, [{ text: (file.hypotheses as { text: string }[])[0]!.text, result: 'CONFIRMED' }]);
  assert.deepEqual(i.events, file.events);
  // Every step of the method (#19: the overview omitted reproduction, fix, verification and prevention).
  assert.deepEqual(i.reproduction.steps, file.reproduction.steps);
  assert.deepEqual(i.reproduction.attempts, file.reproduction.attempts);
  assert.deepEqual(i.fix, file.fix);
  assert.deepEqual(i.fixVerification, file.fixVerification);
  assert.deepEqual(i.prevention, file.prevention);
  assert.deepEqual(Object.keys(i).sort(), ['description', 'events', 'evidence', 'fix', 'fixVerification', 'hypotheses', 'prevention', 'reportedAt', 'reportedBy', 'reproduction', 'rootCause', 'severity', 'status', 'title']);
  assert.deepEqual(s.postmortem, { exists: true, actionItems: pm.actionItems.length, openActionItems: pm.actionItems.filter((a) => a.status !== 'DONE').length });
  assert.deepEqual(toOverviewSnapshot(entry).postmortem, { exists: false, actionItems: 0, openActionItems: 0 });

  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-002'), { recursive: true });
  writeFileSync(path.join(dir, '.incidents', 'INC-2026-002', 'incident.json'), '{\n  "id": "INC-2026-002",\n  "title": 7\n}\n');
  const bad = toOverviewSnapshot(await new IncidentStore(new NodeFileSystem(dir)).read('INC-2026-002'));
  assert.equal(bad.incident, undefined);
  assert.ok(bad.problems.length > 0);
  const titleProblem = bad.problems.find((p) => p.line === 3);
  assert.ok(titleProblem, JSON.stringify(bad.problems));
  assert.deepEqual(Object.keys(titleProblem).sort(), ['column', 'line', 'message']);
  assert.deepEqual(noWorkspaceSnapshot('INC-1'), { id: 'INC-1', postmortem: { exists: false, actionItems: 0, openActionItems: 0 }, problems: [{ line: 1, column: 1, message: 'No workspace folder is open.' }] });
});

test('ML model snapshot: characteristics in words, the report’s rows and counts; robustness results as the page shows them', () => {
  const { predictions, issues } = parsePredictions(read(demo('model', 'predictions.jsonl')));
  const report = analyzePredictions(predictions, issues);
  const s = toMlModelSnapshot('model/predictions.jsonl', report, undefined, { state: 'ready', predictor: 'python3 predict.py' });
  assert.equal(s.file, 'model/predictions.jsonl');
  assert.equal(s.total, report.total);
  assert.equal(s.errors, report.errors);
  assert.equal(s.highConfidenceErrors.length, report.highConfidenceErrors.length);
  assert.ok(s.highConfidenceErrors.length > 0);
  const words = new Set(s.highConfidenceErrors.flatMap((e) => e.characteristics));
  assert.ok([...words].every((w) => !/^[a-z]+[A-Z]/.test(w)), `labels, not keys: ${[...words].join(', ')}`);
  assert.deepEqual(
    s.byGroup.map((g) => g.name),
    report.byGroup.map((g) => g.name),
  );
  assert.equal(s.calibration.ece, report.calibration.ece);
  assert.deepEqual(s.robustness, { state: 'ready', predictor: 'python3 predict.py' });

  const missing = toMlModelSnapshot('x.jsonl', undefined, 'ENOENT', { state: 'unconfigured', message: 'set it' });
  assert.equal(missing.error, 'ENOENT');
  assert.equal(missing.total, 0);
  assert.deepEqual(missing.highConfidenceErrors, []);

  const result: RobustnessReport = {
    tested: 2,
    checks: 6,
    consistency: 5 / 6,
    inconsistent: [{ id: 'r1', variation: 'typo', input: 'good', variedInput: 'godo', originalLabel: 'positive', variedLabel: 'negative', originalConfidence: 0.9, variedConfidence: 0.6 }],
    byVariation: [{ variation: 'typo', checks: 2, flips: 1 }],
  };
  const done = robustnessDone('python3 predict.py', result);
  assert.equal(done.state, 'done');
  assert.ok(done.state === 'done' && done.tested === 2 && done.inconsistent[0]!.variedLabel === 'negative');
});

test('rollback snapshot: decision and numbers written for reading; without a report only the files and why', () => {
  const baseline = parseMetricsWindow(read(demo('deploy', 'baseline.json')), 'baseline').window!;
  const current = parseMetricsWindow(read(demo('deploy', 'current.json')), 'current').window!;
  const report = decideRollback(baseline, current);
  const s = toRollbackSnapshot({ baselineFile: 'deploy/baseline.json', currentFile: 'deploy/current.json', report, notes: ['n'] }, { available: false, reason: 'no command' });
  assert.equal(s.decision, 'ROLLBACK');
  assert.equal(s.score, 0);
  assert.equal(s.baselineFile, 'deploy/baseline.json');
  const errorRate = s.metrics.find((m) => m.metric === 'errorRate')!;
  assert.equal(errorRate.baselineText, '0.40 %');
  assert.equal(errorRate.currentText, '7.9 %');
  assert.equal(errorRate.status, 'fail');
  assert.equal(errorRate.critical, true);
  assert.match(errorRate.pValueText, /^</);
  assert.deepEqual(s.thresholds, { errorRate: 0.05, latencyIncrease: 0.25, successRateDrop: 0.05, critical: ['errorRate', 'successRate'] });
  assert.deepEqual(s.notes, ['n']);
  assert.deepEqual(s.rollback, { available: false, reason: 'no command' });
  assert.equal(s.lastRun, undefined);

  const failed = toRollbackSnapshot({ baselineFile: 'a.json', currentFile: 'b.json', notes: [], error: 'a.json: no metrics' }, { available: true, command: 'kubectl rollout undo' }, { at: 't', exitCode: 0, evidencePath: 'e', incidentId: 'INC-1', status: 'ran' });
  assert.equal(failed.error, 'a.json: no metrics');
  assert.equal(failed.decision, undefined);
  assert.deepEqual(failed.metrics, []);
  assert.equal(failed.lastRun!.status, 'ran');
});

test('flamegraph snapshots: one profile with its columns; a diff with the biggest movers and both profiles', async () => {
  const read = async (name: string) => {
    const profile = await parseProfile(readFileSync(path.join(repoRoot, 'test/fixtures/profile', name)));
    return { version: name, description: describeProfile(profile, '/app'), profile, data: encodeFlameData(profile, (f) => f.endsWith('workload.py'), isIdleFrame) };
  };
  const before = await read('workload.speedscope.json');
  const after = await read('workload-fast.speedscope.json');
  assert.equal(before.description, 'speedscope (sampled) from py-spy@0.4.3 · 359 samples · 3.59 s · 2 threads · cwd /app');
  const one = profileSnapshot(before, 'workload.speedscope.json', true);
  assert.equal(one.mode, 'profile');
  assert.equal(one.id, 'workload.speedscope.json');
  assert.equal(one.data, before.data);
  assert.equal(one.heatOn, true);
  assert.ok(decodeFrames(one.data!).some((f) => f.mine && f.file.endsWith('workload.py')));

  const diff = profileDiffSnapshot(before, after, { title: 'a → b', before: 'a', after: 'b' }, false);
  assert.equal(diff.mode, 'diff');
  assert.equal(diff.id, 'workload.speedscope.json|workload-fast.speedscope.json');
  assert.equal(diff.data, after.data);
  assert.equal(diff.base, before.data);
  assert.ok(diff.diffRows!.length > 0 && diff.diffRows!.length <= DIFF_ROWS);
  assert.deepEqual(Object.keys(diff.diffRows![0]!).sort(), ['afterPct', 'beforePct', 'deltaPct', 'file', 'function', 'line']);
  const moves = diff.diffRows!.map((r) => Math.abs(r.deltaPct));
  assert.deepEqual(moves, [...moves].sort((x, y) => y - x), 'biggest change first');
  assert.match(diff.description, /from a to b\. Before: .*\. After: /);

  const broken = profileDiffSnapshot(before, { version: 'x', description: '', error: 'x: not a profile' }, { title: 't', before: 'a', after: 'x' }, false);
  assert.equal(broken.error, 'x: not a profile');
  assert.equal(broken.data, undefined);
  assert.equal(broken.base, undefined, 'no half a diff');
  assert.equal(broken.diffRows, undefined);
});

test('waterfall anomaly report: the demo’s latency peak with ISO times, the errors of its window, and the page’s check passes', () => {
  const evidence = (p: string) => read(demo('.incidents', 'INC-2026-001', 'evidence', p));
  const { series } = importMetrics(evidence('metrics/recommend.prom.json'));
  const logs = readCorrelationLogs(evidence('logs/recommend-traced.jsonl'), 'logs/recommend-traced.jsonl').records;
  const spans = importTraces(evidence('traces/recommend.otlp.jsonl')).spans;
  const metric = seriesKey(series.find((x) => x.name === 'recommend_request_duration_seconds')!);
  const r = analyzeMetricAnomaly({ series, metric, windowMinutes: 5, logs, spans });
  assert.ok(!('error' in r));
  if ('error' in r) return;
  const clusters = findCorrelatedErrors(logs, { windowMinutes: 5, failedSpans: spans });
  const far: ErrorCluster = { startMs: r.anomalyTimeMs + 3_600_000, endMs: r.anomalyTimeMs + 3_660_000, errorCount: 9, services: ['x'], uniqueErrors: [], traceIds: [] };
  const a = anomalyReport(r, [...clusters, far], 's');
  assert.equal(a.type, 'anomaly');
  assert.equal(a.series, metric);
  assert.equal(a.unit, 's');
  assert.equal(a.anomalyTime, '2026-11-29T03:50:27.000Z');
  assert.equal(a.peakTime, '2026-11-29T03:50:27.000Z');
  assert.equal(a.startTime, '2026-11-29T03:50:27.000Z');
  assert.ok(Math.abs(a.peakValue! - 0.318) < 1e-6);
  assert.equal(a.errorCount, 2);
  assert.equal(a.tracesInWindow, 8);
  // Most different attribute first, and within one its most different value first.
  assert.deepEqual(new Set(a.bubbleUp.map((b) => b.attribute)), new Set(r.bubbleUp.map((b) => b.attribute)));
  const scores = a.bubbleUp.map((b) => b.score);
  assert.deepEqual(scores, [...scores].sort((x, y) => y - x));
  for (const b of a.bubbleUp) {
    const gaps = b.values.map((v) => Math.abs(v.outlierShare - v.baselineShare));
    assert.deepEqual(gaps, [...gaps].sort((x, y) => y - x));
  }
  // The cluster an hour later is outside the ±5 minutes; the one at the peak is in, with at most 5 messages.
  assert.equal(a.correlatedErrors.length, clusters.length);
  assert.equal(a.correlatedErrors[0]!.start, '2026-11-29T03:50:26.090Z');
  assert.ok(a.correlatedErrors.every((c) => c.uniqueErrors.length <= 5 && !('traceIds' in c)));
  assert.ok(isWaterfallMessage(overTheWire(a)));
});
