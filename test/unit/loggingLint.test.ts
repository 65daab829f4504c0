import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { applyEdits, lintPython, type Finding } from '../../src/core/logging/lint';
import { decodePython, lintNotebook, projectFindings } from '../../src/core/logging/project';
import { parseRuleSeverities, RULE_IDS } from '../../src/core/logging/rules';
import { fixturesDir, pythonParser } from './loggingHelpers';
import { tempDir } from './helpers';

/** `# expect: rule-a rule-b` comments in a fixture: the (line, rule) pairs the linter must report, no more. */
function expected(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /expect: ([a-z -]+)$/.exec(line);
    if (m) for (const rule of m[1]!.trim().split(/\s+/)) out.push(`${i + 1} ${rule}`);
  });
  return out.sort();
}

const actual = (findings: readonly Finding[]) => findings.map((f) => `${f.line} ${f.rule}`).sort();

async function lintFixture(name: string) {
  const bytes = readFileSync(path.join(fixturesDir, name));
  const decoded = decodePython(bytes);
  assert.ok('text' in decoded, `${name} decodes`);
  return { text: decoded.text, result: lintPython(await pythonParser(), decoded.text, { path: name }) };
}

const FIXTURES = readdirSync(fixturesDir).filter((f) => f.endsWith('.py') && f !== 'latin1_undeclared.py' && f !== 'demo_server_before.py');

for (const name of FIXTURES) {
  test(`fixture ${name}: exactly the findings its # expect comments name`, async () => {
    const { text, result } = await lintFixture(name);
    assert.deepEqual(actual(result.findings), expected(text));
  });
}

test('every rule is shown by some fixture', () => {
  const all = new Set<string>();
  for (const name of [...FIXTURES, 'unstructured_service/app.py']) for (const e of expected(readFileSync(path.join(fixturesDir, name), 'utf8'))) all.add(e.split(' ')[1]!);
  assert.deepEqual([...all].sort(), [...RULE_IDS].sort());
});

test('unstructured-logger: once per project, at the basicConfig call of the service', async () => {
  const parser = await pythonParser();
  const files = ['app.py', 'helpers.py'].map((f) => {
    const p = `unstructured_service/${f}`;
    return { path: p, facts: lintPython(parser, readFileSync(path.join(fixturesDir, p), 'utf8'), { path: p }).facts };
  });
  const found = projectFindings(files);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.path, 'unstructured_service/app.py');
  const text = readFileSync(path.join(fixturesDir, 'unstructured_service/app.py'), 'utf8');
  assert.deepEqual([`${found[0]!.finding.line} unstructured-logger`], expected(text));
  // A JSON formatter anywhere in the project settles it.
  const clean = lintPython(parser, readFileSync(path.join(fixturesDir, 'clean.py'), 'utf8')).facts;
  assert.equal(clean.jsonFormatter, true);
  assert.deepEqual(projectFindings([...files, { path: 'clean.py', facts: clean }]), []);
  assert.deepEqual(projectFindings(files, { 'unstructured-logger': 'off' }), []);
});

test('the demo service as a new user first sees it: traceback, eager formatting and request context on its error log', async () => {
  const { text, result } = await lintFixture('demo_server_before.py');
  assert.equal(result.facts.service, true);
  const found = projectFindings([{ path: 'server.py', facts: result.facts }]);
  assert.deepEqual(actual([...result.findings, ...found.map((f) => f.finding)]), expected(text));
  const context = result.findings.find((f) => f.rule === 'missing-context')!;
  assert.match(applyEdits(text, context.fixes[0]!.edits), /logger\.error\(f"Prediction failed: \{e\}", extra=\{"request_id": self\.headers\.get\("X-Request-ID"\)\}\)/);
});

test('missing-context: a handler that binds context through a helper (with log_context(request_id=...)) is fine', async () => {
  const src = 'import logging\nfrom http.server import BaseHTTPRequestHandler\nfrom . import jsonlog\nlogger = logging.getLogger(__name__)\n\nclass H(BaseHTTPRequestHandler):\n    def do_POST(self):\n        with jsonlog.request_context(request_id=self.headers.get("X-Request-ID")):\n            try:\n                run()\n            except Exception:\n                logger.exception("failed")\n';
  assert.deepEqual(lintPython(await pythonParser(), src).findings.filter((f) => f.rule === 'missing-context'), []);
});

function fixNamed(findings: readonly Finding[], rule: string, id: string) {
  const f = findings.find((x) => x.rule === rule);
  assert.ok(f, `a ${rule} finding`);
  const fix = f.fixes.find((x) => x.id === id);
  assert.ok(fix, `fix ${id} on ${rule}: ${f.fixes.map((x) => x.id)}`);
  return fix;
}

async function fixText(source: string, rule: string, id: string, options = {}): Promise<string> {
  const r = lintPython(await pythonParser(), source, options);
  return applyEdits(source, fixNamed(r.findings, rule, id).edits);
}

test('print → logger.info with arguments, adding import logging and a module logger', async () => {
  const src = 'import json\n\n\ndef f(order):\n    print("total", order["total"], f"for {order[\'id\']!r}")\n';
  assert.equal(
    await fixText(src, 'print-logging', 'print-to-logger'),
    'import json\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef f(order):\n    logger.info("total %s for %r", order["total"], order[\'id\'])\n',
  );
  // An existing module logger is reused, its name kept; '%' in text is escaped for %-formatting.
  const withLogger = 'import logging\nlog = logging.getLogger("x")\n\ndef f(p):\n    print(\'100% done: "ok"\', p, file=sys.stderr)\n';
  assert.equal(await fixText(withLogger, 'print-logging', 'print-to-logger'), 'import logging\nlog = logging.getLogger("x")\n\ndef f(p):\n    log.warning("100%% done: \\"ok\\" %s", p)\n');
  // No imports at all: the logger goes above the first statement that uses it.
  assert.equal(await fixText('def f():\n    print()\n', 'print-logging', 'print-to-logger'), 'import logging\n\nlogger = logging.getLogger(__name__)\n\ndef f():\n    logger.info("")\n');
});

test('exception-without-traceback: logger.exception or exc_info=True', async () => {
  const src = 'import logging\nlogger = logging.getLogger(__name__)\ntry:\n    x()\nexcept Exception as e:\n    logger.error("failed: %s", e,)\n';
  assert.match(await fixText(src, 'exception-without-traceback', 'use-exception'), /logger\.exception\("failed: %s", e,\)/);
  assert.match(await fixText(src, 'exception-without-traceback', 'add-exc-info'), /logger\.error\("failed: %s", e, exc_info=True\)/);
});

test('eager-formatting: f-strings, %-formatting and str.format() become lazy arguments', async () => {
  const cases: [string, string][] = [
    ['f"a {x} b {y!r} c {z:.2f} {w:05d} 50%"', '"a %s b %r c %.2f %05d 50%%", x, y, z, w'],
    ["f'it\\'s \"{x}\"'", '"it\\\'s \\"%s\\"", x'],
    ['f"{a, b} {x=}"', '"%s x=%r", (a, b), x'],
    ['"%s and %d" % (a, b)', '"%s and %d", a, b'],
    ['"only %s" % a', '"only %s", a'],
    ['"%(k)s" % mapping', '"%(k)s", mapping'],
    ['"{} {name} {0}".format(a, name=b)', '"%s %s %s", a, b, a'],
  ];
  for (const [msg, lazy] of cases) {
    const src = `log.info(${msg})\n`;
    assert.equal(await fixText(src, 'eager-formatting', 'lazy-args'), `log.info(${lazy})\n`, msg);
  }
  // Specs with no printf equivalent keep the finding but offer no rewrite.
  for (const msg of ['f"{x:>10}"', 'f"{x:,}"', '"%s %s" % pair', '"{0.name}".format(u)', 'rf"{x}\\d"', '"a" + str(x)']) {
    const r = lintPython(await pythonParser(), `log.info(${msg})\n`);
    const f = r.findings.find((x) => x.rule === 'eager-formatting');
    assert.ok(f, msg);
    assert.deepEqual(f.fixes.map((x) => x.id), ['suppress'], msg);
  }
});

test('missing-context: context from the message or scope goes into extra, else the request header', async () => {
  const flask = 'from flask import Flask, request\nimport logging\nlogger = logging.getLogger(__name__)\napp = Flask(__name__)\n\n@app.route("/pay")\ndef pay():\n    user_id = request.args["user"]\n    try:\n        charge()\n    except Exception:\n        logger.exception(f"payment failed for {user_id}")\n        return "no", 500\n';
  assert.match(await fixText(flask, 'missing-context', 'add-context'), /logger\.exception\(f"payment failed for \{user_id\}", extra=\{"user_id": user_id\}\)/);
  const django = 'import logging\nlogger = logging.getLogger(__name__)\n\ndef view(request):\n    logger.error("boom", extra={"path": request.path})\n';
  assert.match(await fixText(django, 'missing-context', 'add-context'), /extra=\{"path": request\.path, "request_id": request\.headers\.get\("X-Request-ID"\)\}/);
  // Context already present, a contextvar-based setup in the project, or a non-handler: no finding.
  const parser = await pythonParser();
  for (const [src, options] of [
    ['import logging\nlogger = logging.getLogger(__name__)\n\ndef view(request):\n    logger.error("boom", extra={"request_id": request.id})\n', {}],
    [django, { project: { contextVarContext: true } }],
    ['import logging\nlogger = logging.getLogger(__name__)\n\ndef helper(x):\n    logger.error("boom")\n', {}],
  ] as const) {
    assert.deepEqual(lintPython(parser, src, options).findings.filter((f) => f.rule === 'missing-context'), [], src);
  }
});

test('sensitive-data: names, headers, extra keys; redaction fix; harmless look-alikes pass', async () => {
  const { text, result } = await lintFixture('sensitive_data.py');
  const fixed = applyEdits(text, result.findings.filter((f) => f.rule === 'sensitive-data').flatMap((f) => f.fixes.find((x) => x.id === 'redact-argument')!.edits));
  assert.match(fixed, /logger\.info\("login %s with %s", username, "\[REDACTED\]"\)/);
  assert.match(fixed, /f"auth header \[REDACTED\]"/);
  assert.match(fixed, /"api_key": "\[REDACTED\]"/);
  const again = lintPython(await pythonParser(), fixed);
  assert.deepEqual(again.findings.filter((f) => f.rule === 'sensitive-data'), []);
  const custom = lintPython(await pythonParser(), 'log.info("x %s", member_pin_code)\n', { sensitiveNames: ['member_pin_code'] });
  assert.equal(custom.findings.filter((f) => f.rule === 'sensitive-data').length, 1);
});

test('swallowed-exception: log it in place of pass, before return/continue', async () => {
  const { text, result } = await lintFixture('swallowed_exception.py');
  const swallowed = result.findings.filter((f) => f.rule === 'swallowed-exception');
  assert.equal(swallowed.length, 3);
  const fixed = swallowed.map((f) => applyEdits(text, f.fixes[0]!.edits));
  assert.match(fixed[0]!, /import sys\n\nlogger = logging\.getLogger\(__name__\)\n/);
  assert.match(fixed[0]!, /except Exception:[^\n]*\n {8}logger\.exception\("Unexpected error in read_config"\)\n/);
  assert.match(fixed[1]!, /except:[^\n]*\n {8}logger\.exception\("Unexpected error in first_item"\)\n {8}return\n/);
  assert.match(fixed[2]!, /logger\.exception\("Unexpected error in each"\)\n {12}continue/);
});

test('suppression fix adds a comment the linter honours', async () => {
  const parser = await pythonParser();
  const src = 'def f(x):\n    print("a", x)\n    print("""multi\n    line""", x)\n';
  let text = src;
  for (let i = 0; i < 2; i++) {
    const f = lintPython(parser, text).findings.find((x) => x.rule === 'print-logging')!;
    text = applyEdits(text, f.fixes.find((x) => x.id === 'suppress')!.edits);
  }
  assert.deepEqual(lintPython(parser, text).findings, []);
});

test('every fix of every fixture yields code CPython still compiles', async (t) => {
  const dir = tempDir(t);
  const written: string[] = [];
  for (const name of FIXTURES.filter((f) => !/python2|syntax_error/.test(f))) {
    const { text, result } = await lintFixture(name);
    for (const [i, finding] of result.findings.entries()) {
      for (const fix of finding.fixes) {
        const file = path.join(dir, `${name.replace(/\W/g, '_')}_${i}_${fix.id}.py`);
        writeFileSync(file, applyEdits(text, fix.edits));
        written.push(file);
      }
    }
  }
  assert.ok(written.length > 30, `${written.length} fixed variants`);
  const script = 'import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding="utf-8").read(), f, "exec")\nprint(len(sys.argv) - 1)';
  const out = execFileSync('python3', ['-c', script, ...written], { encoding: 'utf8' });
  assert.equal(out.trim(), String(written.length));
});

test('python 2, syntax errors, 50k lines: no crash; findings only where the tree is sound', async () => {
  const parser = await pythonParser();
  const { result } = await lintFixture('syntax_error.py');
  assert.ok(result.syntaxErrors > 0);
  const big = Array.from({ length: 10_000 }, (_, i) => `def f${i}(x):\n    try:\n        return g(x)\n    except Exception as e:\n        log.error(f"failed {x}: {e}")\n`).join('');
  const r = lintPython(parser, big);
  assert.equal(big.split('\n').length - 1, 50_000);
  assert.equal(r.findings.filter((f) => f.rule === 'exception-without-traceback').length, 10_000);
  assert.equal(r.findings.at(-1)!.line, 50_000);
});

test('non-UTF-8: a declared coding is honoured, an undeclared one is skipped with the reason', () => {
  const declared = decodePython(readFileSync(path.join(fixturesDir, 'latin1_declared.py')));
  assert.ok('text' in declared && declared.text.includes('café'));
  const undeclared = decodePython(readFileSync(path.join(fixturesDir, 'latin1_undeclared.py')));
  assert.ok('skipped' in undeclared && /not UTF-8/.test(undeclared.skipped));
  assert.match((decodePython(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1])) as { skipped: string }).skipped, /binary/);
  assert.deepEqual(decodePython(new Uint8Array([0xef, 0xbb, 0xbf, 0x78])), { text: 'x', encoding: 'utf-8' });
});

test('notebooks: code cells are linted (magics blanked, print allowed), positions per cell', async () => {
  const parser = await pythonParser();
  const r = lintNotebook(parser, readFileSync(path.join(fixturesDir, 'notebook.ipynb'), 'utf8'));
  assert.ok('findings' in r);
  assert.deepEqual(r.findings.map((f) => `${f.cell}:${f.line} ${f.rule}`).sort(), ['2:3 eager-formatting', '2:3 sensitive-data']);
  assert.match((lintNotebook(parser, '{"cells": 3}') as { skipped: string }).skipped, /nbformat/);
  assert.match((lintNotebook(parser, '{') as { skipped: string }).skipped, /not a readable notebook/);
  assert.match((lintNotebook(parser, '{"cells":[],"metadata":{"kernelspec":{"language":"R"}}}') as { skipped: string }).skipped, /R, not Python/);
});

test('rule severities: overrides, off, and the CLI syntax', async () => {
  const parser = await pythonParser();
  const src = 'def f(x):\n    print(x)\n';
  assert.equal(lintPython(parser, src, { severities: { 'print-logging': 'error' } }).findings[0]!.severity, 'error');
  assert.deepEqual(lintPython(parser, src, { severities: { 'print-logging': 'off' } }).findings, []);
  assert.deepEqual(parseRuleSeverities('print-logging=off, eager-formatting=error'), { severities: { 'print-logging': 'off', 'eager-formatting': 'error' }, errors: [] });
  assert.equal(parseRuleSeverities('nope=error,print-logging=loud').errors.length, 2);
});

test('property: arbitrary text never throws; findings lie inside the text; fixes apply cleanly', async () => {
  const parser = await pythonParser();
  const pieces = fc.constantFrom('print(', 'log.error(', 'f"{x}"', 'except', ':', 'pass', '\n', '    ', 'try:', '"%s" % x', ')', '(', 'password', ', extra={', '}', '# iwb: ignore', 'def f(request):', 'class H(BaseHTTPRequestHandler):', 'é😀', '\\', "'", '"""', 'return');
  const source = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(pieces, { maxLength: 60 }).map((a) => a.join('')));
  fc.assert(
    fc.property(source, (text) => {
      const r = lintPython(parser, text);
      for (const f of r.findings) {
        assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end);
        for (const fix of f.fixes) applyEdits(text, fix.edits);
      }
    }),
    { numRuns: 400 },
  );
});

test('the demo module service/feedback.py: every preferred quick fix applied in turn, then it logs tracebacks and no token', async (t) => {
  const parser = await pythonParser();
  let text = readFileSync(path.join(fixturesDir, '../../../demo/service/feedback.py'), 'utf8');
  const rules = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const next = lintPython(parser, text, { path: 'service/feedback.py' }).findings.find((f) => f.fixes.some((x) => x.preferred));
    if (!next) break;
    rules.add(next.rule);
    text = applyEdits(text, next.fixes.find((x) => x.preferred)!.edits);
  }
  assert.deepEqual([...rules].sort(), ['eager-formatting', 'exception-without-traceback', 'print-logging', 'sensitive-data', 'swallowed-exception']);
  assert.deepEqual(lintPython(parser, text, { path: 'service/feedback.py' }).findings, []);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'feedback.py'), text.replace('level=logging.INFO', 'level=logging.DEBUG'));
  writeFileSync(path.join(dir, 'in.jsonl'), '{"item_id": 1, "stars": 5}\nnot json\n{"item_id": 2, "stars": "many"}\n');
  const r = spawnSync('python3', [path.join(dir, 'feedback.py'), path.join(dir, 'in.jsonl')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /Unexpected error in parse\nTraceback \(most recent call last\)[\s\S]*JSONDecodeError/);
  assert.match(r.stderr, /Skipping feedback event \{'item_id': 2, 'stars': 'many'\}: invalid literal[\s\S]*Traceback[\s\S]*ValueError/);
  assert.match(r.stderr, /INFO:__main__:uploading 1 ratings/);
  assert.match(r.stderr, /upload authorised with \[REDACTED\]/);
  assert.ok(!r.stderr.includes('demo-token'));
});
