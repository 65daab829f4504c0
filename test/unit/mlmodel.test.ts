import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  analyzePredictions,
  characterize,
  checkRobustness,
  commandArgv,
  httpPredictor,
  parseAnswers,
  parsePredictions,
  PredictorError,
  selectForRobustness,
  vary,
  type MlModelReport,
} from '../../src/core/mlmodel';
import { commandPredictor } from '../../src/node/commandPredictor';
import { repoRoot, runCli } from './helpers';

const demoFile = path.join(repoRoot, 'demo', 'model', 'predictions.jsonl');
const predictScript = path.join(repoRoot, 'demo', 'model', 'predict.py');
const line = (o: Record<string, unknown>) => JSON.stringify(o);

test('demo predictions: high-confidence errors listed first, most confident first', () => {
  const { predictions, issues } = parsePredictions(readFileSync(demoFile, 'utf8'));
  assert.deepEqual(issues, []);
  const r = analyzePredictions(predictions);
  assert.equal(r.total, 78);
  assert.equal(r.errors, predictions.filter((p) => p.trueLabel !== p.predictedLabel).length);
  assert.ok(r.highConfidenceErrorCount >= 3);
  const confs = r.highConfidenceErrors.map((e) => e.confidence);
  assert.deepEqual(confs, [...confs].sort((a, b) => b - a));
  assert.ok(r.highConfidenceErrors.every((e) => e.confidence > 0.9 && e.trueLabel !== e.predictedLabel));
  assert.ok(r.lowConfidenceErrors.every((e) => e.confidence < 0.6));
  assert.match(r.summary[1]!, /confidence above 0.9 — the model is sure and wrong/);
  assert.equal(r.byGroup.length, 3);
  assert.ok(r.inputValidation.some((v) => v.type === 'empty'));
  assert.ok(r.byCharacteristic.find((c) => c.characteristic === 'hasDigits')!.significantlyWorse);
});

test('confusion matrix, per-class metrics and ECE on a hand-checked example', () => {
  const rows = [
    { t: 'a', p: 'a', c: 0.95 }, { t: 'a', p: 'a', c: 0.95 }, { t: 'a', p: 'b', c: 0.95 }, { t: 'b', p: 'b', c: 0.55 },
    { t: 'b', p: 'a', c: 0.55 }, { t: 'b', p: 'b', c: 0.75 },
  ];
  const text = rows.map((r, i) => line({ id: i, input: `x${i}`, trueLabel: r.t, predictedLabel: r.p, confidence: r.c })).join('\n');
  const r = analyzePredictions(parsePredictions(text).predictions);
  assert.deepEqual(r.confusion, { labels: ['a', 'b'], matrix: [[2, 1], [1, 2]] });
  assert.deepEqual(r.perClass.map((c) => [c.label, c.precision, c.recall]), [['a', 2 / 3, 2 / 3], ['b', 2 / 3, 2 / 3]]);
  // bins: (0.9,1]: 3 at 0.95, accuracy 2/3; (0.5,0.6]: 2 at 0.55, accuracy 1/2; (0.7,0.8]: 1 at 0.75, accuracy 1.
  const expected = (3 / 6) * Math.abs(0.95 - 2 / 3) + (2 / 6) * Math.abs(0.55 - 0.5) + (1 / 6) * Math.abs(0.75 - 1);
  assert.ok(Math.abs(r.calibration.ece! - expected) < 1e-12);
  assert.equal(r.calibration.bins.length, 3);
  assert.equal(r.highConfidenceErrorCount, 1);
  assert.equal(r.lowConfidenceErrorCount, 1);
});

test('bad lines: invalid JSON, missing labels, confidence outside [0, 1] become issues with line numbers', () => {
  const text = [
    line({ input: 'ok', trueLabel: 'a', predictedLabel: 'a', confidence: 0.9 }),
    '{"input": "trunc',
    line({ input: 'x', predictedLabel: 'a', confidence: 0.5 }),
    line({ input: 'y', trueLabel: 'a', predictedLabel: 'b', confidence: 95 }),
    line({ input: 'z', trueLabel: 'a', predictedLabel: 'b', confidence: -0.1 }),
    line({ input: 'w', trueLabel: 'a', predictedLabel: 'b', confidence: 'NaN' }),
    '[1,2]',
  ].join('\n');
  const { predictions, issues } = parsePredictions(text);
  assert.deepEqual(issues.map((i) => [i.type, i.line]), [['invalid-json', 2], ['missing-label', 3], ['confidence-out-of-range', 4], ['confidence-out-of-range', 5], ['bad-confidence', 6], ['invalid-row', 7]]);
  assert.match(issues[2]!.message, /a percentage\? divide by 100/);
  const r = analyzePredictions(predictions, issues);
  assert.equal(r.total, 4);
  assert.equal(r.calibration.counted, 1);
  // Only the issue quoting the user's value may say NaN; nothing computed does.
  assert.equal(JSON.stringify({ ...r, issues: [] }).includes('NaN'), false);
});

test('characteristics follow the seed (length, digits, special characters, all caps, whitespace, empty)', () => {
  assert.deepEqual(characterize(''), ['empty']);
  assert.deepEqual(characterize('   '), ['whitespaceOnly']);
  assert.deepEqual(characterize('GREAT 5/5'), ['allCaps', 'hasDigits', 'hasSpecialChars', 'short']);
  assert.deepEqual(characterize('x'.repeat(201)), ['long']);
  assert.deepEqual(characterize({ a: 1 }), ['nonText']);
});

test('variations: case change, whitespace, typo', () => {
  assert.equal(vary('great product', 'case_change'), 'GREAT PRODUCT');
  assert.equal(vary('Great Product', 'case_change'), 'great product');
  assert.equal(vary('a  b c', 'whitespace'), '  a  b  c ');
  assert.equal(vary('love it', 'typo'), 'lvoe it');
  assert.equal(vary('ab', 'typo'), 'ab');
});

test('robustness with the real demo predict script (python3, JSON on stdin/stdout)', async () => {
  const { predictions } = parsePredictions(readFileSync(demoFile, 'utf8'));
  const predictor = commandPredictor(['python3', predictScript]);
  assert.deepEqual(await predictor(['great product', 'GREAT PRODUCT']), [{ label: 'positive', confidence: 0.817574 }, { label: 'negative', confidence: 0.5 }]);
  let progress = 0;
  const r = await checkRobustness(predictions, predictor, { limit: 20, batchSize: 16, onProgress: (d) => (progress = d) });
  assert.equal(r.tested, 20);
  assert.equal(progress, r.checks + r.tested);
  assert.ok(r.inconsistent.length > 0);
  assert.ok(r.inconsistent.some((i) => i.variation === 'case_change' && i.originalLabel === 'positive' && i.variedLabel === 'negative'));
  // High-confidence errors are tested first.
  const sure = analyzePredictions(predictions).highConfidenceErrors.map((e) => e.id);
  assert.deepEqual(selectForRobustness(predictions, 20).slice(0, sure.length).map((p) => p.id), sure);
  assert.ok(r.consistency > 0 && r.consistency < 1);
});

test('predict command failures are clear messages', async () => {
  await assert.rejects(commandPredictor(['definitely-not-a-command-iwb'])(['x']), /could not be started: definitely-not-a-command-iwb not found/);
  await assert.rejects(commandPredictor(['python3', '-c', 'import sys; sys.stderr.write("boom\\n"); sys.exit(3)'])(['x']), /exited with code 3: boom/);
  await assert.rejects(commandPredictor(['python3', '-c', 'print("hello")'])(['x']), /did not answer JSON/);
  await assert.rejects(commandPredictor(['python3', '-c', 'print("{\\"predictions\\": []}")'])(['x']), /answered 0 predictions for 1 inputs/);
  await assert.rejects(commandPredictor(['python3', '-c', 'import time; time.sleep(5)'], { timeoutMs: 300 })(['x']), /did not answer within 0.3 s/);
  assert.deepEqual(commandArgv('python3  demo/model/predict.py'), ['python3', 'demo/model/predict.py']);
  assert.deepEqual(commandArgv('["python3", "a b.py"]'), ['python3', 'a b.py']);
});

test('robustness over a real HTTP endpoint', async (t) => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const { inputs } = JSON.parse(body) as { inputs: string[] };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ predictions: inputs.map((x) => ({ label: /[A-Z]{3}/.test(x) ? 'negative' : 'positive', confidence: 0.8 })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  const predictions = parsePredictions([line({ id: 'a', input: 'great', trueLabel: 'positive', predictedLabel: 'positive', confidence: 0.8 })].join('\n')).predictions;
  const r = await checkRobustness(predictions, httpPredictor(`http://127.0.0.1:${port}/predict`));
  assert.deepEqual(r.inconsistent.map((i) => i.variation), ['case_change']);
  await assert.rejects(httpPredictor('http://127.0.0.1:9/predict')(['x']), /cannot reach the predict endpoint/);
  assert.throws(() => httpPredictor('file:///etc/passwd'), /must be http/);
});

test('property: the JSONL reader never throws; reports stay consistent', () => {
  const row = fc.record({ input: fc.oneof(fc.string(), fc.constant(null), fc.integer()), trueLabel: fc.constantFrom('a', 'b', 'c', 1), predictedLabel: fc.constantFrom('a', 'b', 'c'), confidence: fc.oneof(fc.double({ min: -1, max: 2 }), fc.constant(null)), group: fc.option(fc.constantFrom('g1', 'g2')) }, { requiredKeys: [] });
  fc.assert(
    fc.property(fc.array(fc.oneof(row.map((r) => JSON.stringify(r)), fc.string()), { maxLength: 60 }), (lines) => {
      const { predictions, issues } = parsePredictions(lines.join('\n'));
      const r: MlModelReport = analyzePredictions(predictions, issues);
      assert.equal(r.confusion.matrix.flat().reduce((a, b) => a + b, 0), r.total);
      assert.ok(r.errors <= r.total);
      if (r.calibration.ece !== null) assert.ok(r.calibration.ece >= 0 && r.calibration.ece <= 1);
      assert.equal(JSON.stringify({ ...r, issues: [] }).includes('NaN'), false);
      return true;
    }),
    { numRuns: 300 },
  );
});

test('iwb model --json has the named fields; --predict runs the robustness check', async () => {
  const r = await runCli(['model', 'demo/model/predictions.jsonl', '--json', '--predict', `python3 demo/model/predict.py`, '--limit', '10']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  for (const k of ['total', 'errors', 'errorRate', 'highConfidenceErrors', 'byCharacteristic', 'byGroup']) assert.ok(k in j, k);
  assert.equal(typeof j.calibration.ece, 'number');
  assert.ok(Array.isArray(j.calibration.bins));
  assert.equal(j.robustness.tested, 10);
  const human = await runCli(['model', 'demo/model/predictions.jsonl']);
  assert.match(human.out, /High-confidence errors \(> 0.9\), most confident first:\n {2}0\.953/);
  assert.equal((await runCli(['model', 'missing.jsonl'])).code, 2);
  assert.equal((await runCli(['model', 'demo/model/predictions.jsonl', '--predict', 'nonexistent-cmd-iwb'])).code, 2);
});

test('property: model answers are read or rejected with a PredictorError, never anything else', () => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string()), fc.integer({ min: 0, max: 3 }), (text, n) => {
      try {
        const answers = parseAnswers(text, n, 'model');
        assert.equal(answers.length, n);
        for (const a of answers) assert.equal(typeof a.label, 'string');
      } catch (e) {
        assert.ok(e instanceof PredictorError, String(e));
      }
      return true;
    }),
    { numRuns: 300 },
  );
});
