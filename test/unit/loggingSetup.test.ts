import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, lintPython } from '../../src/core/logging/lint';
import { projectFindings } from '../../src/core/logging/project';
import { structuredLoggingSetup } from '../../src/core/logging/setup';
import { fixturesDir, pythonParser } from './loggingHelpers';
import { tempDir } from './helpers';

test('structured setup: replaces basicConfig, and the program then logs JSON with request id, extra fields and traceback', async (t) => {
  const parser = await pythonParser();
  const dir = tempDir(t);
  const source = [
    '"""A tiny worker."""',
    'import logging',
    'import sys',
    '',
    'logger = logging.getLogger("worker")',
    '',
    '',
    'def work(n):',
    '    try:',
    '        return 1 / n',
    '    except ZeroDivisionError:',
    '        logger.exception("work failed", extra={"user_id": 7})',
    '',
    '',
    'if __name__ == "__main__":',
    '    logging.basicConfig(filename=sys.argv[1], level=logging.INFO, format="%(message)s")',
    '    token = request_id_var.set("req-9")',
    '    work(0)',
    '',
  ].join('\n');
  const r = structuredLoggingSetup(parser, source);
  assert.equal(r.replacedBasicConfig, 1);
  const fixed = applyEdits(source, r.edits);
  assert.match(fixed, /configure_logging\(filename=sys\.argv\[1\], level=logging\.INFO\)/);
  assert.equal(lintPython(parser, fixed).syntaxErrors, 0);
  // The setup itself satisfies the project-level rule and the contextvar check of missing-context.
  const facts = lintPython(parser, fixed).facts;
  assert.equal(facts.jsonFormatter, true);
  assert.equal(facts.contextVarContext, true);
  assert.deepEqual(projectFindings([{ path: 'w.py', facts: { ...facts, service: true } }]), []);
  const file = path.join(dir, 'worker.py');
  const log = path.join(dir, 'worker.log');
  writeFileSync(file, fixed);
  execFileSync('python3', [file, log]);
  const line = JSON.parse(readFileSync(log, 'utf8').trim());
  assert.equal(line.level, 'ERROR');
  assert.equal(line.logger, 'worker');
  assert.equal(line.message, 'work failed');
  assert.equal(line.request_id, 'req-9');
  assert.equal(line.user_id, 7);
  assert.match(line.exception, /Traceback \(most recent call last\)[\s\S]*ZeroDivisionError/);
  assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  // Running it twice is refused rather than duplicated.
  assert.equal(structuredLoggingSetup(parser, fixed).edits.length, 0);
});

test('structured setup without basicConfig: called first in the __main__ block; without one, the user is told', async () => {
  const parser = await pythonParser();
  const withMain = 'import os\n\nif __name__ == "__main__":\n    print(os.getcwd())\n';
  const a = structuredLoggingSetup(parser, withMain);
  assert.equal(a.calls, 1);
  const fixed = applyEdits(withMain, a.edits);
  assert.match(fixed, /^import os\nimport contextvars\nimport datetime\nimport json\nimport logging\nimport sys\n\n# --- Structured logging/);
  assert.match(fixed, /if __name__ == "__main__":\n {4}configure_logging\(\)\n {4}print/);
  const bare = structuredLoggingSetup(parser, 'x = 1\n');
  assert.equal(bare.calls, 0);
  assert.match(bare.message, /Call configure_logging\(\) once/);
  assert.match(applyEdits('x = 1\n', bare.edits), /^import contextvars\n[\s\S]*# --- end of structured logging -+\n\n\nx = 1\n$/);
  execFileSync('python3', ['-c', applyEdits('x = 1\n', bare.edits) + '\nconfigure_logging()\nlogging.getLogger("t").info("hi")\n']);
});

test('the demo service fixture gets a setup that compiles', async () => {
  const parser = await pythonParser();
  const text = readFileSync(path.join(fixturesDir, 'unstructured_service/app.py'), 'utf8');
  const fixed = applyEdits(text, structuredLoggingSetup(parser, text).edits);
  execFileSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), "app.py", "exec")'], { input: fixed });
});
