// The demo's "what changed?": the workspace `npm start` opens is a git repository with a scripted history
// (scripts/demo-workspace.mjs). The commit that introduced the quadratic scoring is the first suspect of the
// incident's slow span and of its hot functions; the top error cluster's first suspect is the commit behind
// its line. Through the real git, the real demo evidence and the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/output';
import { deployMarkers } from '../../src/core/changes/releases';
import { GitRepo } from '../../src/core/changes/repo';
import { targetsFromFile } from '../../src/core/changes/sources';
import { rankSuspects } from '../../src/core/changes/suspects';
import type { Suspect } from '../../src/core/changes/types';
import type { Incident } from '../../src/core/incident/types';
import { gitRunner } from '../../src/node/git';
import { repoRoot } from './helpers';

const QUADRATIC = 'Penalise near-duplicate recommendations with a pairwise diversity score';
let tmp: string;
let ws: string;
let incident: Incident;

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'iwb-demo-history-'));
  ws = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'demo-workspace.mjs'), path.join(tmp, 'demo')], { encoding: 'utf8' }).trim();
  incident = JSON.parse(readFileSync(path.join(ws, '.incidents/INC-2026-001/incident.json'), 'utf8')) as Incident;
});
after(() => rmSync(tmp, { recursive: true, force: true }));

async function rankEvidence(file: string, kind: 'trace' | 'profile', pick = 0) {
  const { targets } = await targetsFromFile(file, readFileSync(path.join(ws, '.incidents/INC-2026-001', file)), { kind, firstSeen: incident.reportedAt });
  return rankSuspects(new GitRepo(gitRunner(ws)), targets[pick]!, { deployMarkers: deployMarkers(incident.events ?? []) });
}

test('the demo workspace is a clean repository whose last commit is demo/ as it is, with tagged releases', () => {
  const git = (args: string[]) => execFileSync('git', args, { cwd: ws, encoding: 'utf8' }).trim();
  assert.equal(git(['status', '--porcelain']), '');
  assert.deepEqual(git(['tag', '--points-at', 'v1.4.0^{commit}']).split('\n').sort(), ['2026.11.20', 'v1.4.0']);
  assert.equal(readFileSync(path.join(ws, 'service/model.py'), 'utf8'), readFileSync(path.join(repoRoot, 'demo/service/model.py'), 'utf8'));
  assert.match(git(['log', '--format=%s', '-1', '--', 'service/model.py']), /Log how many comparisons/);
});

test("the incident's slow span: the quadratic scoring's commit is the first suspect, blamed at the release's tag", async () => {
  const r = await rankEvidence('evidence/traces/recommend.otlp.jsonl', 'trace');
  assert.equal(r.target.frames[0]!.function, 'service.model.pairwise_diversity');
  assert.deepEqual([r.revision.ref, r.revision.source], ['v1.4.0', 'release-tag']);
  assert.equal(r.suspects[0]!.summary, QUADRATIC);
  assert.equal(r.suspects[0]!.author, 'Dana Novak');
  assert.ok(r.suspects[0]!.reasons.includes('in release 1.4.0'));
  assert.match(r.suspects[0]!.reasons[0]!, /^added pairwise_diversity \(service\/model\.py:\d+–\d+\), 8 of its 9 lines still as written$/);
});

test("the incident's hot functions: the quadratic scoring's commit first for each, through the deploy marker", async () => {
  for (const pick of [0, 1, 2]) {
    const r = await rankEvidence('evidence/profiles/rank-hot-path.speedscope.json', 'profile', pick);
    assert.deepEqual([r.revision.ref, r.revision.source, r.revision.release], ['v1.4.0', 'deploy-marker', '2026.11.20'], r.target.label);
    assert.equal(r.suspects[0]!.summary, QUADRATIC, `${r.target.label}: ${JSON.stringify(r.suspects.map((s) => [s.summary, s.score]))}`);
    assert.ok(r.suspects[0]!.reasons.includes('3 days before the first event'));
  }
});

test('the top error cluster of the demo logs: the commit behind its line, from iwb errors --suspects', async () => {
  const out: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: () => undefined, cwd: ws };
  assert.equal(await main(['errors', 'logs/service.jsonl', '--suspects', '--json'], io), 1);
  const json = JSON.parse(out.join('\n')) as { clusters: { id: string; exceptionType: string; suspects: Suspect[] }[]; problems: string[] };
  const top = json.clusters[0]!;
  // A note that holds for several clusters is said once, naming them all.
  const notes = json.problems.map((p) => /^clusters? ([0-9a-f, ]+): (.*)$/.exec(p)).filter((m) => m !== null);
  assert.equal(new Set(notes.map((m) => m[2])).size, notes.length, JSON.stringify(json.problems));
  for (const m of notes) for (const id of m[1]!.split(', ')) assert.ok(json.clusters.some((c) => c.id === id), id);
  assert.equal(top.exceptionType, 'ValueError');
  assert.equal(top.suspects[0]!.summary, 'Reject feature vectors of the wrong length');
  assert.match(top.suspects[0]!.reasons[0]!, /^changed service\/features\.py:11, the top in-app frame$/);
});

test("a memory profile's heaviest allocations are leak suspects, ranked the same way", async () => {
  // The incident's real py-spy profile read as a memory profile (the same stacks weighed in bytes): what a
  // memory profiler's speedscope export looks like to the ranking.
  const speedscope = JSON.parse(readFileSync(path.join(ws, '.incidents/INC-2026-001/evidence/profiles/rank-hot-path.speedscope.json'), 'utf8')) as { profiles: { unit: string }[] };
  for (const p of speedscope.profiles) p.unit = 'bytes';
  const { source, targets } = await targetsFromFile('heap.speedscope.json', new TextEncoder().encode(JSON.stringify(speedscope)), { firstSeen: incident.reportedAt });
  assert.equal(source, 'profile');
  assert.ok(targets.length > 0 && targets.every((t) => t.kind === 'leak'));
  const r = await rankSuspects(new GitRepo(gitRunner(ws)), targets[0]!, { deployMarkers: deployMarkers(incident.events ?? []) });
  assert.equal(r.suspects[0]!.summary, QUADRATIC);
  assert.ok(r.suspects[0]!.reasons.some((x) => /the allocation line/.test(x)), JSON.stringify(r.suspects[0]!.reasons));
});
