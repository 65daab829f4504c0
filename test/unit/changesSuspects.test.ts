// Suspect commits and releases on a real repository made for this run (test/support/changesRepo.ts): a
// history with the bug's commit at a known line, nearby and same-file changes, a merge, a rename, a fix and
// its regression, three tagged releases, each really run to produce its log. Ranking through the real git,
// the CLI's JSON contract, triage, and what happens without history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../src/core/changes/repo';
import { rankSuspects } from '../../src/core/changes/suspects';
import { targetFromCluster, targetsFromProfile, targetsFromSpans } from '../../src/core/changes/targets';
import { GitError, type Suspect } from '../../src/core/changes/types';
import { analyzeLogFiles } from '../../src/core/errors/load';
import type { ClusterSummary, ErrorReport } from '../../src/core/errors/report';
import { releaseStatus, startOf } from '../../src/core/errors/releases';
import { IncidentWriter } from '../../src/core/incident/writer';
import { parseProfile } from '../../src/core/profile/parse';
import { summarize } from '../../src/core/profile/summary';
import { importTraces } from '../../src/core/traces/import';
import { applyTriage, ignoreCluster, linkCluster, parseTriage, reopenCluster, resolveCluster } from '../../src/core/triage/triage';
import { classifyGitFailure, gitRunner, repositoryRoot } from '../../src/node/git';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { makeShopHistory, type ShopHistory } from '../support/changesRepo';
import { repoRoot, tempDir, runCli } from './helpers';

let dir: string;
let shop: ShopHistory;
let report: ErrorReport;
const byType = (type: string) => report.clusters.find((c) => c.exceptionType === type)!;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iwb-changes-'));
  shop = makeShopHistory(dir);
  report = (await analyzeLogFiles(Object.values(shop.logs))).report;
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (argv: string[], cwd = dir) => runCli(argv, cwd);

test('releases of real runs: every record counts as traffic; new, regressed, ongoing and resolved clusters', () => {
  assert.deepEqual(
    report.releases.map((r) => r.name),
    ['1.0.0', '1.1.0', '1.2.0'],
  );
  for (const r of report.releases) assert.ok(r.records > r.errors && r.errors > 0, `${r.name}: info lines count as traffic`);
  assert.deepEqual(
    Object.fromEntries(report.clusters.map((c) => [c.exceptionType, c.status])),
    { AttributeError: 'new', LookupError: 'ongoing', TypeError: 'regressed', ZeroDivisionError: 'resolved' },
  );
  assert.deepEqual(byType('TypeError').releases.map((r) => r.name), ['1.0.0', '1.2.0']);
  assert.equal(startOf(byType('TypeError').releases, report.releases)?.name, '1.2.0', 'a regression starts where it came back');
  assert.equal(startOf(byType('ZeroDivisionError').releases, report.releases)?.name, '1.0.0');
  assert.equal(releaseStatus(byType('LookupError').releases, report.releases.slice(0, 1)), 'ongoing', 'one release says nothing about newness');
});

test('the commit that introduced the bug at the known line is the first suspect, through a rename', async () => {
  const repo = new GitRepo(gitRunner(shop.repo));
  const attr = byType('AttributeError');
  const target = targetFromCluster(attr, report);
  assert.equal(target.release, '1.2.0');
  const r = await rankSuspects(repo, target);
  assert.deepEqual(r.revision, { ref: 'v1.2.0', commit: execFileSync('git', ['rev-parse', 'v1.2.0^{commit}'], { cwd: shop.repo, encoding: 'utf8' }).trim(), source: 'release-tag', release: '1.2.0' });
  assert.deepEqual(r.releaseRange && [r.releaseRange.from, r.releaseRange.to], ['v1.1.0', 'v1.2.0']);
  const first = r.suspects[0]!;
  assert.equal(first.commit, shop.commits.bug);
  assert.equal(first.summary, 'Accept discount codes in any case');
  assert.equal(first.author, 'Dave Kowalski');
  assert.deepEqual(first.files, [{ file: 'shop/prices.py', lines: [shop.bugLine] }]);
  assert.equal(first.reasons[0], `changed shop/prices.py:${shop.bugLine}, the top in-app frame (then shop/pricing.py:${shop.bugLineThen})`);
  assert.ok(first.reasons.includes('3 days before the first event'));
  assert.ok(first.reasons.includes('in release 1.2.0'));
  // The others are there for what they did, each with its reason, and rank below.
  const others = new Map(r.suspects.slice(1).map((s) => [s.commit, s]));
  assert.ok(others.get(shop.commits.rename)?.reasons.includes('changed shop/prices.py, the file of the top in-app frame, in release 1.2.0'));
  assert.ok(others.get(shop.commits.initial)?.reasons.some((x) => x.startsWith('added discount')));
  assert.ok(r.suspects.every((s, i) => i === 0 || s.score <= r.suspects[i - 1]!.score));
  assert.ok(r.suspects.every((s) => !s.reasons.some((x) => /after the first event/.test(x))));
});

test('a regression is blamed on the commit that brought it back, in the release it came back in', async () => {
  const repo = new GitRepo(gitRunner(shop.repo));
  const r = await rankSuspects(repo, targetFromCluster(byType('TypeError'), report));
  assert.equal(r.revision.ref, 'v1.2.0');
  assert.equal(r.suspects[0]!.commit, shop.commits.regressQty);
  assert.match(r.suspects[0]!.reasons[0]!, /^changed shop\/cart\.py:\d+, the top in-app frame$/);
  // The merged branch's commit is in the release; the merge itself changed no line of the stack.
  assert.ok(r.suspects.some((s) => s.commit === shop.commits.bulk && s.reasons.includes('in release 1.2.0')));
  assert.ok(!r.suspects.some((s) => s.commit === shop.commits.merge));
  // Blamed at an earlier revision, lines come out as they were then.
  const old = await rankSuspects(repo, { ...targetFromCluster(byType('TypeError'), report), release: '1.0.0', firstSeen: '2026-03-04T10:00:00Z' });
  assert.equal(old.revision.ref, 'v1.0.0');
  assert.equal(old.suspects[0]!.commit, shop.commits.initial);
  assert.ok(old.notes.some((n) => /No release tag before v1\.0\.0/.test(n)));
});

test('a commit that landed after the first sighting cannot have started it: it keeps a quarter of its score', async () => {
  const repo = new GitRepo(gitRunner(shop.repo));
  const target = { ...targetFromCluster(byType('AttributeError'), report), firstSeen: '2026-03-16T15:00:00Z' };
  const r = await rankSuspects(repo, target);
  const docs = r.suspects.find((s) => s.commit === shop.commits.docs);
  assert.ok(docs?.reasons.some((x) => /^landed 41 h after the first event/.test(x)), JSON.stringify(docs));
  assert.equal(r.suspects[0]!.commit, shop.commits.bug);
});

test('HEAD when the release has no tag, a deploy marker when the incident names one', async () => {
  const repo = new GitRepo(gitRunner(shop.repo));
  const base = targetFromCluster(byType('AttributeError'), report);
  const untagged = await rankSuspects(repo, { ...base, release: '7.7.7' });
  assert.equal(untagged.revision.source, 'head');
  assert.ok(untagged.notes.some((n) => /No tag or commit found for release 7\.7\.7/.test(n)));
  const { release: _ignored, ...noRelease } = base;
  const marked = await rankSuspects(repo, noRelease, { deployMarkers: [{ release: '1.2.0', ref: 'v1.2.0', at: '2026-03-18T12:00:00Z', text: 'Deployed shop 1.2.0 (tag v1.2.0)' }] });
  assert.deepEqual([marked.revision.source, marked.revision.ref], ['deploy-marker', 'v1.2.0']);
  assert.equal(marked.suspects[0]!.commit, shop.commits.bug);
  await assert.rejects(rankSuspects(repo, base, { revision: 'no-such-branch' }), (e) => e instanceof GitError && e.code === 'BAD_REVISION');
});

test('iwb errors --suspects --repo: the exact JSON of the issue, best first, release-aware clusters', async () => {
  const r = await cli(['errors', 'logs', '--suspects', '--repo', 'shop', '--json']);
  assert.equal(r.code, 1, r.err);
  const json = JSON.parse(r.out) as { releases: unknown[]; clusters: (ClusterSummary & { suspects: Suspect[] })[]; problems: string[] };
  for (const c of json.clusters) {
    assert.ok(Array.isArray(c.suspects), 'every cluster has suspects');
    for (const rel of c.releases) assert.deepEqual(Object.keys(rel), ['name', 'count', 'firstSeen']);
    assert.ok(['new', 'regressed', 'ongoing', 'resolved'].includes(c.status));
    for (const s of c.suspects) {
      assert.deepEqual(Object.keys(s), ['commit', 'author', 'date', 'summary', 'files', 'score', 'reasons']);
      for (const f of s.files) assert.deepEqual(Object.keys(f), ['file', 'lines']);
      assert.match(s.commit, /^[0-9a-f]{40}$/);
      assert.ok(s.reasons.length > 0);
    }
    assert.deepEqual(c.suspects.map((s) => s.score), [...c.suspects.map((s) => s.score)].sort((a, b) => b - a));
  }
  const attr = json.clusters.find((c) => c.exceptionType === 'AttributeError')!;
  assert.equal(attr.suspects[0]!.commit, shop.commits.bug);
  assert.equal(attr.status, 'new');
  assert.ok(json.problems.some((p) => /No release tag before v1\.0\.0/.test(p)));
  const human = await cli(['errors', 'logs', '--suspects', '--repo', 'shop']);
  assert.match(human.out, /new · per release: 1\.0\.0 0 \(0\/1k\), 1\.1\.0 0 \(0\/1k\), 1\.2\.0 24/);
  assert.match(human.out, new RegExp(`suspect ${shop.commits.bug!.slice(0, 10)} Accept discount codes in any case \\(Dave Kowalski`));
});

test('iwb errors --suspects: no repository, no history, no git, bad --repo: exit 2 with one line', async (t) => {
  const other = tempDir(t);
  writeFileSync(path.join(other, 'a.jsonl'), readFileSync(shop.logs['1.2.0']));
  const notRepo = await cli(['errors', 'a.jsonl', '--suspects'], other);
  assert.equal(notRepo.code, 2);
  assert.match(notRepo.err, /^iwb errors: .* is not inside a git repository: suspect commits need the repository's history/);
  assert.equal(notRepo.err.split('\n').length, 1);
  execFileSync('git', ['init', '-q'], { cwd: other, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  const empty = await cli(['errors', 'a.jsonl', '--suspects', '--json'], other);
  assert.equal(empty.code, 2);
  assert.match(empty.err, /no commits yet/);
  assert.equal((await cli(['errors', 'a.jsonl', '--repo', 'x'], other)).code, 2, '--repo without --suspects');
  const missing = await cli(['errors', 'a.jsonl', '--suspects', '--repo', 'nope'], other);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--repo nope is not a folder/);
  await assert.rejects(gitRunner(other, { gitPath: path.join(other, 'no-git-here') })(['status']), (e) => e instanceof GitError && e.code === 'NOT_INSTALLED' && /does not exist\. Install git/.test(e.message));
  assert.equal(classifyGitFailure(['blame'], "fatal: no such path 'x.py' in HEAD", '/r').code, 'NO_PATH');
  assert.equal(classifyGitFailure(['log'], "fatal: bad revision 'v9'", '/r').code, 'BAD_REVISION');
  assert.equal(await repositoryRoot(path.join(shop.repo, 'shop')), shop.repo);
});

test('a shallow clone says so, and its oldest commit is not taken at face value', async (t) => {
  const clone = path.join(tempDir(t), 'clone');
  execFileSync('git', ['clone', '-q', '--depth', '2', '--no-single-branch', `file://${shop.repo}`, clone], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  const repo = new GitRepo(gitRunner(clone));
  const r = await rankSuspects(repo, { kind: 'error', label: 'x', frames: [{ file: '/srv/shop/prices.py', line: shop.bugLine, function: 'discount' }] });
  assert.ok(r.notes.some((n) => /shallow clone/.test(n) && /git fetch --unshallow/.test(n)));
  assert.equal(r.revision.source, 'head');
  const boundary = r.suspects.find((s) => s.reasons.some((x) => /oldest commit of this shallow clone/.test(x)));
  assert.ok(boundary, JSON.stringify(r.suspects.map((s) => s.reasons)));
});

test('frames outside the repository give a clear note and no suspects', async () => {
  const repo = new GitRepo(gitRunner(shop.repo));
  const r = await rankSuspects(repo, { kind: 'error', label: 'x', frames: [{ file: '/usr/lib/python3.11/json/decoder.py', line: 3, function: 'decode' }] });
  assert.deepEqual(r.suspects, []);
  assert.match(r.notes.at(-1)!, /None of its code locations is a file of this repository/);
  assert.equal(r.frames[0]!.problem, 'not a file of the repository at HEAD');
});

test('triage: resolved in 1.1.0 and seen in 1.2.0 is regressed; ignore until a count or a date; files pass their schema', () => {
  const actor = { at: '2026-03-20T10:00:00Z', by: 'alice' };
  const lookup = byType('LookupError');
  const zero = byType('ZeroDivisionError');
  let file = resolveCluster(undefined, lookup, '1.1.0', actor, 'fixed by validating SKUs');
  file = resolveCluster(file, zero, '1.2.0', actor);
  file = ignoreCluster(file, byType('TypeError'), { count: 100 }, actor);
  file = linkCluster(file, byType('AttributeError'), 'INC-2026-001', actor);
  const text = `${JSON.stringify(file, null, 2)}\n`;
  assert.deepEqual(parseTriage(text).problems, []);
  const t = applyTriage(report, parseTriage(text).file, Date.parse(actor.at));
  const get = (type: string) => t.clusters.find((c) => c.exceptionType === type)!;
  assert.equal(get('LookupError').status, 'regressed');
  assert.equal(get('LookupError').triage!.summary, 'resolved in 1.1.0, seen again in 1.2.0');
  assert.equal(get('ZeroDivisionError').status, 'resolved');
  assert.equal(get('TypeError').triage!.ignored, true);
  assert.equal(get('TypeError').triage!.summary, 'ignored until 100 events (12 now)');
  assert.equal(get('AttributeError').triage!.summary, 'linked to INC-2026-001');
  assert.equal(get('AttributeError').status, 'new');
  const expired = applyTriage(report, ignoreCluster(file, byType('TypeError'), { count: 5, date: '2026-03-01T00:00:00Z' }, actor), Date.parse(actor.at));
  assert.match(expired.clusters.find((c) => c.exceptionType === 'TypeError')!.triage!.ignoreExpired!, /12 events, over the 5/);
  const reopened = reopenCluster(file, lookup, actor);
  assert.equal(reopened.clusters[lookup.fingerprint]!.state, 'open');
  assert.equal(reopened.clusters[lookup.fingerprint]!.resolvedIn, undefined);
  assert.equal(reopened.clusters[lookup.fingerprint]!.note, 'fixed by validating SKUs');
  const bad = parseTriage('{"version": 1, "clusters": {"xyz": {}}}');
  assert.ok(bad.problems.length > 0 && !bad.file);
});

test('the triage file goes through the writer: created with its folder, merged, never written over when invalid', async (t) => {
  const ws = tempDir(t);
  const writer = new IncidentWriter(new NodeFileSystem(ws));
  const actor = { at: '2026-03-20T10:00:00Z', by: 'alice' };
  await Promise.all([
    writer.changeTriage((f) => resolveCluster(f, byType('LookupError'), '1.1.0', actor)),
    writer.changeTriage((f) => ignoreCluster(f, byType('TypeError'), {}, actor)),
  ]);
  const saved = parseTriage(readFileSync(path.join(ws, '.incidents', 'triage.json'), 'utf8')).file!;
  assert.deepEqual(Object.values(saved.clusters).map((e) => e.state).sort(), ['ignored', 'resolved'], 'both changes landed');
  writeFileSync(path.join(ws, '.incidents', 'triage.json'), '{"version": 2}');
  await assert.rejects(writer.changeTriage((f) => resolveCluster(f, byType('LookupError'), '1.2.0', actor)), /invalid/);
  assert.equal(readFileSync(path.join(ws, '.incidents', 'triage.json'), 'utf8'), '{"version": 2}');
  // The CLI reads it too: a broken file is one line and exit 2.
  mkdirSync(path.join(ws, 'logs'));
  writeFileSync(path.join(ws, 'logs', 'a.jsonl'), readFileSync(shop.logs['1.2.0']));
  const r = await cli(['errors', 'logs'], ws);
  assert.equal(r.code, 2);
  assert.match(r.err, /^iwb errors: \.incidents\/triage\.json:1:1 is not a valid triage file/);
});

test('iwb errors reads .incidents/triage.json: a resolved cluster seen again is regressed', async (t) => {
  const ws = tempDir(t);
  const writer = new IncidentWriter(new NodeFileSystem(ws));
  await writer.changeTriage((f) => resolveCluster(f, byType('LookupError'), '1.1.0', { at: '2026-03-20T10:00:00Z', by: 'alice' }));
  mkdirSync(path.join(ws, 'logs'));
  for (const [r, f] of Object.entries(shop.logs)) writeFileSync(path.join(ws, 'logs', `${r}.jsonl`), readFileSync(f));
  const json = JSON.parse((await cli(['errors', 'logs', '--json'], ws)).out) as { clusters: (ClusterSummary & { triage?: { summary: string } })[] };
  const lookup = json.clusters.find((c) => c.exceptionType === 'LookupError')!;
  assert.equal(lookup.status, 'regressed');
  assert.equal(lookup.triage!.summary, 'resolved in 1.1.0, seen again in 1.2.0');
});

test('targets from a real py-spy profile and from the demo trace: hot functions, slow spans with code.* and their release', async () => {
  const profile = await parseProfile(readFileSync(path.join(repoRoot, 'test/fixtures/profile/workload.speedscope.json')));
  const fns = targetsFromProfile(profile);
  assert.ok(fns.length > 0);
  assert.ok(fns.every((f) => f.kind === 'function' && f.frames[0]!.file.endsWith('.py') && /% self/.test(f.label)));
  // Each hot function comes with the heaviest path of callers through it, the callers counting a little less.
  const top = summarize(profile, { top: 1 }).top[0]!;
  assert.equal(fns[0]!.frames[0]!.function, top.function);
  assert.ok(fns[0]!.frames.length > 1);
  assert.deepEqual(fns[0]!.frames.map((f) => f.weight), fns[0]!.frames.map((_, i) => 0.8 ** i));
  const trace = importTraces(readFileSync(path.join(repoRoot, 'demo/.incidents/INC-2026-001/evidence/traces/recommend.otlp.jsonl'), 'utf8'));
  const spans = targetsFromSpans(trace.spans);
  const diversity = spans.find((s) => s.frames[0]!.function === 'service.model.pairwise_diversity')!;
  assert.deepEqual(diversity.frames[0], { file: '/app/service/model.py', line: 19, function: 'service.model.pairwise_diversity' });
  assert.equal(diversity.release, '1.4.0');
  assert.match(diversity.label, /^pairwise_diversity: slowest \d+\.\d ms of \d+, \d+\.\d ms in itself$/);
  assert.equal(spans[0], diversity, 'the span with the most time of its own comes first');
  const failing = spans.find((s) => s.frames[0]!.function === '__main__.recommend')!;
  assert.match(failing.label, /; 2 failed \(ValueError: Invalid input shape/);
});
