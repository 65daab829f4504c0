import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEnvFile, pytestNodeAt, pythonLaunchTargets, runFile, substitute } from '../../src/core/profile/launchTargets';

const vars = { workspaceFolder: '/ws', file: '/ws/service/server.py', env: { HOME: '/home/u', TOKEN: 't' } };

test('launch.json Python configurations become interpreter arguments: program or module, args, env, cwd', () => {
  const r = pythonLaunchTargets(
    [
      { name: 'Service', type: 'debugpy', request: 'launch', module: 'service.server', args: ['--port', '8000'], cwd: '${workspaceFolder}', env: { KEY: '${env:TOKEN}' }, envFile: '${workspaceFolder}/.env' },
      { name: 'Script', type: 'python', request: 'launch', program: '${file}', args: '--fast  --n 3' },
      { name: 'Attach', type: 'debugpy', request: 'attach', connect: { port: 5678 } },
      { name: 'Node', type: 'node', request: 'launch', program: 'x.js' },
      { name: 'Broken', type: 'debugpy', request: 'launch' },
      null,
      'junk',
    ],
    vars,
  );
  assert.deepEqual(r, [
    { ok: true, target: { name: 'Service', args: ['-m', 'service.server', '--port', '8000'], cwd: '/ws', env: { KEY: 't' }, envFile: '/ws/.env' } },
    { ok: true, target: { name: 'Script', args: ['/ws/service/server.py', '--fast', '--n', '3'], cwd: '/ws' } },
    { ok: false, name: 'Attach', reason: 'attaches to a running process (use Profile Python Process… for that)' },
    { ok: false, name: 'Broken', reason: 'has neither "program" nor "module"' },
  ]);
  assert.deepEqual(pythonLaunchTargets({ not: 'a list' }, vars), []);
});

test('variables: known ones substituted, unknown ones kept as written', () => {
  assert.equal(substitute('${fileDirname}/${fileBasename} ${userHome} ${command:pick} ${env:NOPE}.', vars), '/ws/service/server.py /home/u ${command:pick} .'.replace('/ws/service/server.py', '/ws/service/server.py'));
});

test('property: pythonLaunchTargets never throws on arbitrary JSON and returns one entry at most per Python configuration', () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue()), (configs) => {
      const r = pythonLaunchTargets(configs, vars);
      assert.ok(r.length <= configs.length);
    }),
  );
  fc.assert(fc.property(fc.string(), (s) => void substitute(s, vars)));
});

test('.env files: comments, export, quotes', () => {
  assert.deepEqual(parseEnvFile('# c\nA=1\nexport B = "two words"\n\nC=\'x\'\nbad line\r\nD=a=b'), { A: '1', B: 'two words', C: 'x', D: 'a=b' });
  fc.assert(fc.property(fc.string(), (s) => void parseEnvFile(s)));
});

test('a file inside a package runs as a module from above the package; a plain script runs as itself', () => {
  const pkgs = new Set(['service', 'a/b', 'a/b/c']);
  assert.deepEqual(runFile('service/server.py', (d) => pkgs.has(d)), { args: ['-m', 'service.server'], cwdRel: '' });
  assert.deepEqual(runFile('a/b/c/mod.py', (d) => pkgs.has(d)), { args: ['-m', 'b.c.mod'], cwdRel: 'a' });
  assert.deepEqual(runFile('scripts/load.py', (d) => pkgs.has(d)), { args: ['scripts/load.py'], cwdRel: '' });
  assert.deepEqual(runFile('service/__main__.py', (d) => pkgs.has(d)), { args: ['-m', 'service'], cwdRel: '' });
  assert.deepEqual(runFile('my-pkg/x.py', () => true), { args: ['my-pkg/x.py'], cwdRel: '' });
});

test('the pytest node id under the cursor: a function, a method of a Test class, nothing outside a test', () => {
  const text = ['import pytest', '', 'def helper():', '    return 1', '', 'def test_one():', '    assert helper() == 1', '', 'class TestRank:', '    @pytest.mark.slow', '    def test_big(self):', '        def inner():', '            pass', '        assert True', '', '    def setup_method(self):', '        pass'].join('\n');
  assert.equal(pytestNodeAt('tests/test_model.py', text, 6), 'tests/test_model.py::test_one');
  assert.equal(pytestNodeAt('tests/test_model.py', text, 13), 'tests/test_model.py::TestRank::test_big');
  assert.equal(pytestNodeAt('tests/test_model.py', text, 10), 'tests/test_model.py::TestRank::test_big');
  assert.equal(pytestNodeAt('tests/test_model.py', text, 3), undefined);
  assert.equal(pytestNodeAt('tests/test_model.py', text, 16), undefined, 'setup_method is no test');
  assert.equal(pytestNodeAt('tests/test_model.py', text, 0), undefined);
  assert.equal(pytestNodeAt('tests\\test_model.py', text, 5), 'tests/test_model.py::test_one');
  fc.assert(fc.property(fc.string(), fc.nat(50), (s, l) => void pytestNodeAt('t.py', s, l)));
});
