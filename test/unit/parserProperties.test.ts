// Issue 17: property tests for the parsers that had none — Prometheus and OTLP metrics JSON, correlation logs,
// notebooks, --map / --field / --rules, rule severities, checkPostmortemText — with generators that reach deep
// nesting, long lines and hostile strings. Each parser must read what it is given or say why, never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { importMetrics } from '../../src/core/metrics/parse';
import { readCorrelationLogs } from '../../src/core/forensics/logs';
import { lintNotebook } from '../../src/core/logging/project';
import { cliParser } from '../../src/cli/commands/lintLogging';
import { parseMapArguments, applyPathMappings } from '../../src/core/paths/pathMappings';
import { CANONICAL_FIELDS, MAX_PATH_SEGMENTS, parseFieldMapping } from '../../src/core/logs/fieldMapping';
import { compileGroupingRules, SPLIT_BY } from '../../src/core/errors/rules';
import { compileCategoryRules } from '../../src/core/errors/categories';
import { parseRuleSeverities, RULE_IDS } from '../../src/core/logging/rules';
import { checkPostmortemText } from '../../src/core/postmortem/check';
import { main } from '../../src/cli/main';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers';

const HOSTILE = ['<img src=x onerror=alert(1)>', '<script>window.__pwned=1</script>', '__proto__', 'constructor', '${jndi:ldap://x}', '\u202e', '\u0000', '"\\', '../../etc/passwd'];
/** Strings that matter: hostile ones, long ones, and anything at all (lone surrogates included). */
const anyString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ minLength: 2000, maxLength: 20000 }));
/** JSON values nested up to `depth` levels, then a few thousand levels more on one branch. */
const deepJson = (depth: number) =>
  fc.letrec((tie) => ({
    value: fc.oneof({ maxDepth: depth, depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.double(), anyString, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(anyString, tie('value'), { maxKeys: 4 })),
  })).value;
const wrapDeep = (v: unknown, n: number) => '['.repeat(n) + JSON.stringify(v) + ']'.repeat(n);

// ------------------------------------------------------------ Prometheus and OTLP metrics JSON

const labelValue = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 }));
const sampleValue = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.constantFrom('NaN', '+Inf', '-Inf', '1e400', 'x', ''));

test('property: a Prometheus query_range answer gives one series per label set and one point per readable pair', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ job: labelValue, instance: labelValue }), { maxLength: 6, selector: (m) => JSON.stringify([m.job, m.instance]) }),
      fc.array(fc.tuple(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), sampleValue), { maxLength: 8 }),
      (metrics, pairs) => {
        const doc = { status: 'success', data: { resultType: 'matrix', result: metrics.map((m) => ({ metric: { __name__: 'req', ...m }, values: pairs })) } };
        const r = importMetrics(JSON.stringify(doc));
        assert.equal(r.format, 'prometheus');
        assert.equal(r.series.length, metrics.length);
        const readable = pairs.filter(([, v]) => v !== 'x' && v !== '').length;
        for (const s of r.series) assert.equal(s.points.length, readable);
        for (const s of r.series) for (const k of Object.keys(s.labels)) assert.ok(Object.hasOwn(s.labels, k));
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        return true;
      },
    ),
  );
});

test('property: OTLP gauge data points survive, as one document and as JSON Lines; time-less points are counted', () => {
  const point = fc.record({ timeUnixNano: fc.oneof(fc.bigInt({ min: 1_600_000_000_000_000_000n, max: 1_900_000_000_000_000_000n }).map(String), fc.constant(undefined)), asDouble: fc.double({ noNaN: true, noDefaultInfinity: true }) }, { requiredKeys: ['asDouble'] });
  fc.assert(
    fc.property(fc.array(point, { minLength: 1, maxLength: 10 }), fc.constantFrom(...HOSTILE, 'cpu'), (points, name) => {
      const doc = { resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints: points } }] }] }] };
      const one = importMetrics(JSON.stringify(doc));
      const lines = importMetrics(`${JSON.stringify(doc)}\n${JSON.stringify({ resourceMetrics: [] })}\n`);
      const timed = points.filter((p) => p.timeUnixNano !== undefined).length;
      assert.equal(one.format, 'otlp');
      assert.equal(one.series.reduce((a, s) => a + s.points.length, 0), timed);
      assert.deepEqual(lines.series, one.series);
      if (timed < points.length) assert.match(one.problems.map((p) => p.message).join(' '), new RegExp(`${points.length - timed} OTLP data point`));
      return true;
    }),
  );
});

test('property: any JSON, deeply nested or hostile, or any text is read as metrics or refused with a reason, never thrown', () => {
  fc.assert(
    fc.property(deepJson(6), fc.integer({ min: 0, max: 20000 }), (v, n) => {
      for (const text of [JSON.stringify(v) ?? 'null', wrapDeep(v, n), `{"status":"success","data":{"result":${wrapDeep(v, n)}}}`, `{"resourceMetrics":${wrapDeep(v, n)}}`]) {
        const r = importMetrics(text);
        if (r.format === 'unknown') assert.ok(r.problems.length > 0);
      }
      return true;
    }),
    { numRuns: 60 },
  );
});

// ------------------------------------------------------------ correlation logs

test('property: correlation logs keep every JSON line with a message, normalise ids, and never throw on long or hostile lines', () => {
  const record = fc.record({ level: fc.constantFrom('ERROR', 'INFO', 'warn', 'x'), message: anyString, trace_id: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), anyString), span_id: fc.stringMatching(/^[0-9A-F]{16}$/) });
  fc.assert(
    fc.property(fc.array(record, { maxLength: 12 }), fc.array(anyString, { maxLength: 4 }), (records, junk) => {
      const text = [...records.map((r) => JSON.stringify(r)), ...junk.map((j) => j.replace(/[\r\n]/g, ' '))].join('\n');
      const r = readCorrelationLogs(text, 'app.log');
      for (const rec of r.records) {
        if (rec.traceId && /^[0-9a-fA-F]+$/.test(rec.traceId)) assert.equal(rec.traceId, rec.traceId.toLowerCase());
        if (rec.spanId && /^[0-9a-fA-F]+$/.test(rec.spanId)) assert.equal(rec.spanId, rec.spanId.toLowerCase());
      }
      const ids = new Set(r.records.filter((x) => x.spanId).map((x) => x.spanId));
      for (const rec of records) if (rec.message.trim() !== '') assert.ok(ids.has(rec.span_id.toLowerCase()), rec.span_id);
      return true;
    }),
    { numRuns: 80 },
  );
  fc.assert(
    fc.property(deepJson(5), fc.integer({ min: 0, max: 30000 }), (v, n) => {
      readCorrelationLogs(`{"resourceLogs": ${wrapDeep(v, n)}}`, 'otlp.json');
      readCorrelationLogs(`${wrapDeep(v, n)}\n${JSON.stringify(v)}`, 'app.jsonl');
      return true;
    }),
    { numRuns: 40 },
  );
});

// ------------------------------------------------------------ notebooks

test('property: notebooks are linted cell by cell, findings name code cells only; any JSON is linted or skipped with a reason', async () => {
  const parser = await cliParser();
  const cell = fc.oneof(
    fc.record({ cell_type: fc.constant('code'), source: fc.oneof(fc.constantFrom('print("x")\n', 'try:\n    f()\nexcept Exception:\n    pass\n', '%time f()\n', '!pip install x\n', 'x = ('.repeat(3)), anyString, fc.array(anyString, { maxLength: 3 })) }),
    fc.record({ cell_type: fc.constantFrom('markdown', 'raw'), source: anyString }),
    deepJson(3),
  );
  fc.assert(
    fc.property(fc.array(cell, { maxLength: 8 }), (cells) => {
      const r = lintNotebook(parser, JSON.stringify({ cells, metadata: { kernelspec: { language: 'python' } } }));
      if ('skipped' in r) assert.ok(r.skipped.length > 0);
      else {
        assert.equal(r.cells, cells.length);
        for (const f of r.findings) assert.equal((cells[f.cell] as { cell_type?: unknown }).cell_type, 'code');
      }
      return true;
    }),
    { numRuns: 60 },
  );
  fc.assert(
    fc.property(deepJson(5), fc.integer({ min: 0, max: 20000 }), (v, n) => {
      for (const text of [JSON.stringify(v) ?? '', wrapDeep(v, n), `{"cells": ${wrapDeep(v, n)}}`]) {
        const r = lintNotebook(parser, text);
        if ('skipped' in r) assert.ok(r.skipped.length > 0);
      }
      return true;
    }),
    { numRuns: 40 },
  );
  const deep = lintNotebook(parser, JSON.stringify({ cells: [{ cell_type: 'code', source: `x = ${'('.repeat(5000)}` }] }));
  assert.ok('skipped' in deep && /cell 1: brackets nested more than 200 deep/.test(deep.skipped));
});

// ------------------------------------------------------------ --map, --field, --rules, --rules severities

test('property: --map FROM=TO splits at the first "=", and a mapped path is rewritten by its prefix only', () => {
  const seg = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/);
  fc.assert(
    fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.array(seg, { minLength: 1, maxLength: 4 }), fc.array(seg, { minLength: 1, maxLength: 3 }), (from, to, rest) => {
      const f = `/${from.join('/')}`;
      const t = `/${to.join('/')}=x`;
      const { mappings, problems } = parseMapArguments([`${f}=${t}`]);
      assert.deepEqual(problems, []);
      assert.deepEqual(mappings, [{ from: f, to: t }]);
      assert.equal(applyPathMappings(`${f}/${rest.join('/')}`, mappings), `${t}/${rest.join('/')}`);
      assert.equal(applyPathMappings(`${f}x/${rest.join('/')}`, mappings), undefined);
      return true;
    }),
  );
  fc.assert(
    fc.property(fc.array(anyString, { maxLength: 5 }), (args) => {
      const r = parseMapArguments(args);
      assert.equal(r.mappings.length + r.problems.length, args.length);
      for (const m of r.mappings) applyPathMappings(`${m.from}/a.py`, [m]);
      return true;
    }),
  );
});

test('property: --field NAME=PATH accepts the canonical names (any case, _ or -) and refuses others and over-long paths', () => {
  const name = fc.constantFrom(...CANONICAL_FIELDS).chain((f) => fc.constantFrom(f, f.toLowerCase(), f.replace(/([A-Z])/g, '_$1').toLowerCase(), f.replace(/([A-Z])/g, '-$1')));
  fc.assert(
    fc.property(fc.dictionary(fc.oneof(name, anyString), fc.oneof(fc.stringMatching(/^[a-z]{1,5}(\.[a-z]{1,5}){0,3}$/), anyString, fc.constant('a.'.repeat(5000) + 'b'), fc.integer())), (entries) => {
      const { mapping, problems } = parseFieldMapping(entries);
      assert.ok(Object.keys(mapping).length + problems.length <= Object.keys(entries).length);
      for (const [k, v] of Object.entries(mapping)) {
        assert.ok((CANONICAL_FIELDS as readonly string[]).includes(k));
        assert.ok(typeof v === 'string' && v.split('.').length <= MAX_PATH_SEGMENTS);
      }
      return true;
    }),
  );
});

test('property: grouping and category rules compile or say which rule is wrong; unknown keys are never ignored', () => {
  const rule = fc.record(
    { action: fc.constantFrom('merge', 'split', 'drop'), name: anyString, exceptionType: fc.constantFrom('Timeout', '(', '^ValueError$', '[a-'), frame: fc.constantFrom('db/', ')'), by: fc.constantFrom(...SPLIT_BY, 'colour'), frames: fc.constant('typo') },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.oneof(fc.array(fc.oneof(rule, deepJson(3)), { maxLength: 6 }), deepJson(4)), (value) => {
      const g = compileGroupingRules(value);
      const c = compileCategoryRules(value);
      if (Array.isArray(value)) {
        assert.equal(g.rules.length + g.problems.length, value.length);
        value.forEach((r, i) => {
          if (r && typeof r === 'object' && !Array.isArray(r) && 'frames' in r) assert.ok(g.problems.some((p) => p.startsWith(`errors.groupingRules[${i}]: unknown key "frames"`)), `rule ${i}`);
        });
        assert.ok(c.rules.length + c.problems.length <= value.length);
      } else if (value !== null && value !== undefined) assert.ok(g.problems.length > 0);
      return true;
    }),
  );
});

test('property: iwb errors --rules FILE with any JSON (deep, hostile, huge) is used or refused with one line, never crashes', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'app.log'), '{"level":"ERROR","message":"boom"}\n');
  await fc.assert(
    fc.asyncProperty(fc.oneof(deepJson(4).map((v) => JSON.stringify({ groupingRules: [v], categoryRules: v })), deepJson(4).map((v) => wrapDeep(v, 9000)), anyString), async (text) => {
      writeFileSync(path.join(dir, 'rules.json'), text);
      const err: string[] = [];
      const code = await main(['errors', 'app.log', '--rules', 'rules.json'], { out: () => undefined, err: (l) => err.push(l), cwd: dir });
      assert.ok(code === 1 || code === 2, `exit ${code}`);
      if (code === 2) {
        assert.equal(err.length, 1);
        assert.match(err[0]!, /^iwb errors: --rules rules\.json/);
      }
      assert.doesNotMatch(err.join('\n'), /internal error/);
      return true;
    }),
    { numRuns: 60 },
  );
});

test('property: --rules severities for lint-logging: every RULE=SEVERITY pair is read, anything else is one error each', () => {
  const sev = fc.constantFrom('error', 'warning', 'information', 'hint', 'off');
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom(...RULE_IDS), sev), { selector: ([r]) => r, maxLength: 7 }), fc.array(fc.oneof(anyString, fc.constantFrom('print-logging=error=x', 'print-logging', '=error', 'nope=off')), { maxLength: 3 }), (pairs, junk) => {
      const good = parseRuleSeverities(pairs.map(([r, s]) => ` ${r} = ${s} `).join(','));
      assert.deepEqual(good.errors, []);
      assert.deepEqual(good.severities, Object.fromEntries(pairs));
      const bad = parseRuleSeverities(junk.map((j) => j.replace(/,/g, ';')).join(','));
      const parts = junk.map((j) => j.replace(/,/g, ';').trim()).filter(Boolean);
      assert.equal(bad.errors.length, parts.length);
      return true;
    }),
  );
});

// ------------------------------------------------------------ checkPostmortemText

test('property: checkPostmortemText reads any text — deep, hostile, huge — with or without positions, the same way', () => {
  const pm = fc.record({ title: anyString, incidentId: fc.constantFrom('INC-2026-001', ...HOSTILE), summary: anyString, whatWentWrong: fc.array(anyString, { maxLength: 3 }), extra: deepJson(4) }, { requiredKeys: [] });
  fc.assert(
    fc.property(fc.oneof(pm.map((v) => JSON.stringify(v)), deepJson(5).map((v) => JSON.stringify(v) ?? ''), fc.integer({ min: 0, max: 20000 }).map((n) => `{"title": "x", "summary": ${wrapDeep('s', n)}}`), anyString), (text) => {
      const fast = checkPostmortemText(text, { positions: false });
      const full = checkPostmortemText(text);
      assert.deepEqual(fast.value, full.value);
      assert.deepEqual(fast.lint, full.lint);
      for (const p of full.lintProblems) assert.ok(p.offset >= 0 && p.offset + p.length <= text.length);
      if (full.value === undefined) assert.ok(full.schemaProblems.length > 0 || text.trim() === '' || /^\s*(\[|"|-?\d|true|false|null)/.test(text));
      return true;
    }),
    { numRuns: 120 },
  );
});
