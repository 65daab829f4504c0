// Parsers and pure pieces of suspect commits: git's porcelain and log output (real git output from a
// repository made here, and fast-check properties over generated output and hostile text), path matching,
// function ranges, release names and deploy markers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LOG_FORMAT, TAG_FORMAT, parseBlamePorcelain, parseLog, parseNameStatus, parseNulList, parseTags, summarizePatch, unquoteGitPath } from '../../src/core/changes/gitParse';
import { RepoPaths } from '../../src/core/changes/paths';
import { functionRange, simpleFunctionName } from '../../src/core/changes/functions';
import { commitInRelease, compareReleaseNames, deployMarkers, markerFor, tagForRelease } from '../../src/core/changes/releases';
import { formatGap } from '../../src/core/changes/suspects';
import { tempDir } from './helpers';

const SHA = (n: number) => n.toString(16).padStart(40, 'a').slice(-40);
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

function gitRepo(dir: string) {
  const git = (args: string[], extra: Record<string, string> = {}) => execFileSync('git', args, { cwd: dir, env: { ...env, ...extra }, encoding: 'utf8' });
  git(['init', '-q', '-b', 'main']);
  return git;
}

const who = (name: string, date: string) => ({ GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: `${name.split(' ')[0]!.toLowerCase()}@x.example`, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: 'c@x.example', GIT_COMMITTER_DATE: date });

test('blame --line-porcelain from real git: every line, its commit, renames followed to the old name', (t) => {
  const dir = tempDir(t);
  const git = gitRepo(dir);
  writeFileSync(path.join(dir, 'a.py'), 'def f():\n    return 1\n');
  git(['add', '.']);
  git(['commit', '-qm', 'first: add f'], who('Ana Lima', '2026-01-02T03:04:05Z'));
  writeFileSync(path.join(dir, 'a.py'), 'def f():\n    return 2\n');
  git(['commit', '-qam', 'second\twith a tab'], who('Bo Ek', '2026-01-03T00:00:00Z'));
  git(['mv', 'a.py', 'b é.py']);
  git(['commit', '-qm', 'rename'], who('Cy', '2026-01-04T00:00:00Z'));
  const out = git(['-c', 'core.quotepath=on', 'blame', '--line-porcelain', 'HEAD', '--', 'b é.py']);
  const r = parseBlamePorcelain(out);
  assert.equal(r.lines.length, 2);
  assert.deepEqual(r.lines.map((l) => [l.line, l.origFile]), [[1, 'a.py'], [2, 'a.py']]);
  const [first, second] = r.lines.map((l) => r.commits.get(l.commit)!);
  assert.equal(first!.author, 'Ana Lima');
  assert.equal(first!.authorDate, '2026-01-02T03:04:05.000Z');
  assert.equal(first!.summary, 'first: add f');
  assert.equal(second!.author, 'Bo Ek');
  assert.equal(second!.summary, 'second\twith a tab');
  // The log of the same file, its tags and its tree.
  git(['tag', '-a', 'v1.0', '-m', 'one'], who('Cy', '2026-01-05T00:00:00Z'));
  git(['tag', 'light']);
  const log = parseLog(git(['log', `--format=${LOG_FORMAT}`, '--name-status', '-M', 'HEAD']));
  assert.deepEqual(log.map((c) => c.summary), ['rename', 'second\twith a tab', 'first: add f']);
  assert.deepEqual(parseNameStatus(log[0]!.body), [{ status: 'R100', from: 'a.py', path: 'b é.py' }]);
  assert.equal(log[2]!.parents!.length, 0);
  const tags = parseTags(git(['for-each-ref', `--format=${TAG_FORMAT}`, 'refs/tags']));
  assert.deepEqual(tags.map((x) => [x.name, x.commit]), [['light', log[0]!.commit], ['v1.0', log[0]!.commit]]);
  assert.deepEqual(parseNulList(git(['ls-tree', '-r', '-z', '--name-only', 'HEAD'])), ['b é.py']);
  const lines = parseLog(git(['log', `--format=${LOG_FORMAT}`, '-L1,2:b é.py', 'HEAD']));
  assert.deepEqual(lines.map((c) => c.summary), ['second\twith a tab', 'first: add f']);
  const created = summarizePatch(lines[1]!.body);
  assert.equal(created.created, true);
  assert.deepEqual(created.addedText, ['def f():', '    return 1']);
  assert.deepEqual([summarizePatch(lines[0]!.body).added, summarizePatch(lines[0]!.body).removed], [1, 1]);
});

/** Git's C quoting (quote_c_style): what unquoteGitPath must undo. */
function quoteLikeGit(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let needs = false;
  let out = '';
  const named: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };
  for (const b of bytes) {
    if (named[b]) {
      out += `\\${named[b]}`;
      needs = true;
    } else if (b < 0x20 || b >= 0x7f) {
      out += `\\${b.toString(8).padStart(3, '0')}`;
      needs = true;
    } else out += String.fromCharCode(b);
  }
  return needs ? `"${out}"` : s;
}

test('unquoteGitPath undoes git quoting of any path (property)', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => unquoteGitPath(quoteLikeGit(s)) === s));
});

test('porcelain and log parsers read what they are given and never throw on anything else (property)', () => {
  const commit = fc.record({
    sha: fc.integer({ min: 1, max: 2 ** 30 }).map(SHA),
    author: fc.string({ maxLength: 30 }).map((s) => s.replace(/[\n\r]/g, ' ').trim() || 'x'),
    time: fc.integer({ min: 0, max: 4e9 }),
    // eslint-disable-next-line no-control-regex -- git's record and unit separators
    summary: fc.string({ maxLength: 60 }).map((s) => s.replace(/[\n\r\x1e\x1f]/g, ' ')),
  });
  fc.assert(
    fc.property(fc.array(commit, { minLength: 1, maxLength: 20 }), (commits) => {
      const porcelain = commits
        .map((c, i) => `${c.sha} ${i + 1} ${i + 1} 1\nauthor ${c.author}\nauthor-mail <a@b>\nauthor-time ${c.time}\nauthor-tz +0000\ncommitter x\ncommitter-time ${c.time}\nsummary ${c.summary}\nfilename f.py\n\tline ${i}`)
        .join('\n');
      const r = parseBlamePorcelain(porcelain);
      assert.deepEqual(r.lines.map((l) => [l.commit, l.line]), commits.map((c, i) => [c.sha, i + 1]));
      for (const c of commits) {
        const meta = r.commits.get(c.sha)!;
        assert.equal(meta.authorDate, new Date(commits.find((x) => x.sha === c.sha)!.time * 1000).toISOString());
      }
      const log = commits.map((c) => `\x1e${c.sha}\x1f${c.author}\x1fa@b\x1f${new Date(c.time * 1000).toISOString()}\x1f${new Date(c.time * 1000).toISOString()}\x1f\x1f${c.summary}\nM\tf.py\n`).join('');
      assert.deepEqual(parseLog(log).map((x) => [x.commit, x.summary]), commits.map((c) => [c.sha, c.summary]));
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      parseBlamePorcelain(s);
      parseLog(s);
      parseNameStatus(s);
      parseTags(s);
      summarizePatch(s);
      unquoteGitPath(s);
      return true;
    }),
  );
  const hostile = '<img src=x onerror=alert(1)>';
  assert.deepEqual(parseLog(`\x1e${SHA(7)}\x1f${hostile}\x1f\x1f\x1f\x1f\x1f${hostile}\n`).map((c) => [c.author, c.summary]), [[hostile, hostile]]);
});

test('a recorded path maps to the tracked file with the longest common tail; ambiguity maps to nothing', () => {
  const files = new RepoPaths(['service/model.py', 'service/features.py', 'tools/model.py', 'README.md', 'a/b/util.py', 'c/b/util.py']);
  assert.equal(files.match('/app/service/model.py'), 'service/model.py');
  assert.equal(files.match('C:\\build\\src\\service\\features.py'), 'service/features.py');
  assert.equal(files.match('service/model.py'), 'service/model.py');
  assert.equal(files.match('/srv/x/tools/model.py'), 'tools/model.py');
  assert.equal(files.match('model.py'), undefined, 'two model.py files: no guess');
  assert.equal(files.match('/x/b/util.py'), undefined, 'a tie of two segments');
  assert.equal(files.match('/usr/lib/python3.11/json/decoder.py'), undefined);
  assert.equal(files.match(''), undefined);
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }), fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 3 }), (segs, prefix) => {
      const file = `${segs.join('/')}.py`;
      const paths = new RepoPaths([file, 'other/thing.py']);
      return paths.match(`/${[...prefix, ...segs].join('/')}.py`) === file || file === 'other/thing.py';
    }),
  );
});

test('function ranges: by indentation with decorators and multi-line signatures; braces elsewhere', () => {
  const py = [
    'import x', //1
    '', //2
    '@traced', //3
    'def pairwise(items,', //4
    '             other=None):', //5
    '    total = 0', //6
    '', //7
    '    # a comment at the margin of the body', //8
    '    for a in items:', //9
    '        total += a', //10
    '    return total', //11
    '', //12
    'class Handler:', //13
    '    def do_POST(self):', //14
    '        pass', //15
    '', //16
    '    def pairwise(self):', //17
    '        return 0', //18
    '', //19
  ].join('\n');
  assert.deepEqual(functionRange(py, 'pairwise', 10), { start: 3, end: 11 });
  assert.deepEqual(functionRange(py, 'service.model.pairwise', 4), { start: 3, end: 11 });
  assert.deepEqual(functionRange(py, '__main__.Handler.do_POST', 14), { start: 14, end: 15 });
  assert.deepEqual(functionRange(py, 'pairwise', 18), { start: 17, end: 18 }, 'the definition holding the line');
  assert.deepEqual(functionRange(py, 'Handler'), { start: 13, end: 18 });
  assert.equal(functionRange(py, '<listcomp>', 10), undefined);
  assert.equal(functionRange(py, 'missing', 10), undefined);
  const js = 'export function rank(items) {\n  if (x) {\n    return 1;\n  }\n  return 2;\n}\nconst y = rank(1);\n';
  assert.deepEqual(functionRange(js, 'rank', 3, 'other'), { start: 1, end: 6 });
  assert.equal(simpleFunctionName('a.b.<lambda>'), undefined);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.stringMatching(/^[a-z_]{1,8}$/), fc.integer({ min: 1, max: 40 }), (src, name, line) => {
      const r = functionRange(src, name, line);
      const n = src.split(/\r?\n/).length;
      return r === undefined || (r.start >= 1 && r.start <= r.end && r.end <= n);
    }),
  );
});

test('a release finds its tag (exact, v-prefixed, prefixed by a service or folder), or a commit it carries', () => {
  const tags = [
    { name: 'v1.8.0', commit: SHA(1), date: '2026-01-01T00:00:00.000Z' },
    { name: '2026.11.20', commit: SHA(2), date: '2026-01-02T00:00:00.000Z' },
    { name: 'deploy/2026.11.21', commit: SHA(3), date: '2026-01-03T00:00:00.000Z' },
    { name: 'recommend@3.1', commit: SHA(4), date: '2026-01-04T00:00:00.000Z' },
    { name: 'api-3.1', commit: SHA(5), date: '2026-01-05T00:00:00.000Z' },
  ];
  assert.equal(tagForRelease('1.8.0', tags)?.commit, SHA(1));
  assert.equal(tagForRelease('v1.8.0', tags)?.commit, SHA(1));
  assert.equal(tagForRelease('2026.11.20', tags)?.commit, SHA(2));
  assert.equal(tagForRelease('2026.11.21', tags)?.commit, SHA(3));
  assert.equal(tagForRelease('3.1', tags)?.name, 'api-3.1', 'two services tag 3.1: the newest tag');
  assert.equal(tagForRelease('shop@1.8.0', tags)?.commit, SHA(1));
  assert.equal(tagForRelease('9.9', tags), undefined);
  assert.equal(commitInRelease('1.8.0+3f2c1ab'), '3f2c1ab');
  assert.equal(commitInRelease('3f2c1ab9d0'), '3f2c1ab9d0');
  assert.equal(commitInRelease('2026.11.20'), undefined);
  assert.equal(commitInRelease('1234567'), undefined, 'digits alone are a build number, not a commit');
});

test('deploy markers of an incident timeline: release and ref, the one in force when the problem started', () => {
  const markers = deployMarkers([
    { at: '2026-11-19T08:00:00Z', kind: 'note', text: 'Deployed recommend 1.3.0 (tag v1.3.0)' },
    { at: '2026-11-20T06:10:00Z', kind: 'deploy', text: 'recommend release 2026.11.20 went out, commit 3f2c1ab' },
    { at: '2026-11-20T09:12:00Z', kind: 'opened', text: 'Opened HIGH incident' },
    { at: '2026-11-20T10:00:00Z', kind: 'hypothesis', text: 'The <img src=x onerror=alert(1)> deploy did it?' },
  ]);
  assert.deepEqual(markers.map((m) => [m.release, m.ref]), [['1.3.0', 'v1.3.0'], ['2026.11.20', '3f2c1ab']]);
  assert.equal(markerFor(markers, undefined, '2026-11-20T08:55:00Z')?.release, '2026.11.20');
  assert.equal(markerFor(markers, undefined, '2026-11-19T12:00:00Z')?.release, '1.3.0');
  assert.equal(markerFor(markers, '1.3.0', '2026-11-21T00:00:00Z')?.ref, 'v1.3.0');
  assert.equal(markerFor(markers, undefined, '2026-11-01T00:00:00Z'), undefined);
  fc.assert(fc.property(fc.array(fc.record({ at: fc.string(), kind: fc.string(), text: fc.string() }), { maxLength: 10 }), (events) => Array.isArray(deployMarkers(events))));
});

test('release names order numerically part by part, and the order is a total order (property)', () => {
  assert.ok(compareReleaseNames('1.10.0', '1.9.2') > 0);
  assert.ok(compareReleaseNames('v2.0', '1.99') > 0);
  assert.ok(compareReleaseNames('2026.11.6', '2026.11.20') < 0);
  assert.equal(compareReleaseNames('1.2', '1.2'), 0);
  const name = fc.array(fc.oneof(fc.nat(30).map(String), fc.stringMatching(/^[a-z]{1,3}$/)), { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
  fc.assert(
    fc.property(name, name, name, (a, b, c) => {
      assert.equal(Math.sign(compareReleaseNames(a, b)), -Math.sign(compareReleaseNames(b, a)) + 0); // + 0: equal names give 0, never -0
      if (compareReleaseNames(a, b) <= 0 && compareReleaseNames(b, c) <= 0) assert.ok(compareReleaseNames(a, c) <= 0);
    }),
  );
});

test('gaps read as minutes, hours or days', () => {
  assert.equal(formatGap(20 * 60_000), '20 min');
  assert.equal(formatGap(2 * 3_600_000), '2 h');
  assert.equal(formatGap(-3 * 86_400_000), '3 days');
  assert.equal(formatGap(1000), '1 min');
});

