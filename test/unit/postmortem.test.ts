import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkPostmortemText } from '../../src/core/postmortem/check';
import { followUp, isOverdue, openActionItems } from '../../src/core/postmortem/actionItems';
import { lintPostmortem, lintText, type LintRule } from '../../src/core/postmortem/lint';
import { escapeInline, renderMarkdown } from '../../src/core/postmortem/markdown';
import { formatMinutes, responseMetrics } from '../../src/core/postmortem/metrics';
import { mergeTimeline, postmortemFromIncident } from '../../src/core/postmortem/prefill';
import type { PostMortem } from '../../src/core/postmortem/types';
import type { Incident } from '../../src/core/incident/types';
import { validateText } from '../../src/core/validation/validate';
import { repoRoot } from './helpers';

const rules = (text: string, opts?: Parameters<typeof lintText>[1]) => lintText(text, opts).map((f) => f.rule);

test('lint: each rule fires on its phrase and explains with a suggestion', () => {
  const cases: [string, LintRule][] = [
    ['The outage was caused by human error.', 'human-error'],
    ['Root cause: operator error during the deploy', 'human-error'],
    ['The on-call should have checked the dashboard', 'should-have'],
    ["We should've rolled back", 'should-have'],
    ['A careless config change', 'blame-word'],
    ['Nobody is to blame but the reviewer was negligent', 'blame-word'],
    ['If the canary had run, we would have caught it', 'counterfactual'],
    ['Dave broke the build', 'person-blamed'],
    ['@jsmith forgot to update the config', 'person-blamed'],
    ['He accidentally deleted the table', 'person-blamed'],
    ['A 40 min outage of recommendations', 'outage-overstated'],
  ];
  for (const [text, rule] of cases) {
    const found = lintText(text);
    const f = found.find((x) => x.rule === rule);
    assert.ok(f, `${rule} in "${text}": got ${JSON.stringify(found.map((x) => x.rule))}`);
    assert.equal(text.slice(f.index, f.index + f.text.length), f.text, 'index points at the words');
    assert.ok(f.explanation.length > 20 && f.suggestion.length > 20);
  }
});

test('lint: systems phrasing passes', () => {
  for (const text of [
    'The nightly catalogue import doubled the candidate set; scoring time grew quadratically.',
    'The alert fired 17 minutes after latency rose because the threshold assumed the old catalogue size.',
    'The deploy pipeline accepted an empty config without validation.',
    'The health check failed to detect the slow path.',
    'The Scheduler missed two runs while the node was drained.',
    'Where p95 latency of POST /recommend rose to 5.2 s for 2 h.',
  ]) {
    assert.deepEqual(rules(text), [], text);
  }
});

test('lint: "outage" is accepted when the document says the service was fully down', () => {
  const pm: PostMortem = { title: 't', incidentId: 'INC-2026-001', summary: 'Outage of checkout.', impact: [{ key: 'Availability', value: '100% of requests failed' }] };
  assert.deepEqual(lintPostmortem(pm), []);
  const partial = { ...pm, impact: [{ key: 'Latency', value: 'p95 5 s for 40% of users' }] };
  assert.deepEqual(lintPostmortem(partial).map((f) => [f.field, f.rule]), [['summary', 'outage-overstated']]);
});

test('lint: people named in the document (actors, owners) are caught as subjects of a failure', () => {
  const pm: PostMortem = {
    title: 't',
    incidentId: 'INC-2026-001',
    timeline: [{ timestamp: '2026-11-20T09:00:00Z', event: 'Priya Raman deployed the change', actor: 'Priya Raman' }],
    whatWentWrong: ['Priya Raman missed the alert'],
    whereWeGotLucky: ['It could have hit checkout too'],
  };
  const findings = lintPostmortem(pm);
  assert.deepEqual(findings.map((f) => [f.field, f.rule]), [['whatWentWrong[0]', 'person-blamed']]);
  assert.deepEqual(findings[0]!.path, ['whatWentWrong', 0]);
});

test('lint walks every text field, including unknown ones, but not ids, dates and owners', () => {
  const pm = {
    title: 't',
    incidentId: 'INC-2026-001',
    actionItems: [{ description: 'Stop the careless deploys', owner: 'Careless Team', dueDate: '2026-12-01' }],
    review: { notes: 'human error' },
    customNotes: { text: 'They should have known' },
  } as PostMortem;
  assert.deepEqual(
    lintPostmortem(pm).map((f) => `${f.field}:${f.rule}`),
    ['actionItems[0].description:blame-word', 'review.notes:human-error', 'customNotes.text:should-have'],
  );
});

test('lint never throws and every finding points into its field (property)', () => {
  fc.assert(
    fc.property(fc.anything(), fc.string(), (junk, text) => {
      const pm = { title: text, incidentId: 'INC-2026-001', summary: text, junk, timeline: [junk], actionItems: junk } as unknown as PostMortem;
      for (const f of lintPostmortem(pm)) {
        let v: unknown = pm;
        for (const k of f.path) v = (v as Record<string | number, unknown>)[k];
        assert.equal(typeof v, 'string');
        assert.equal((v as string).slice(f.index, f.index + f.text.length), f.text);
      }
    }),
  );
});

test('MTTD, MTTA, MTTM and MTTR from milestones', () => {
  const m = responseMetrics({
    started: '2026-11-20T08:55:00Z',
    detected: '2026-11-20T09:12:00Z',
    acknowledged: '2026-11-20T09:15:00Z',
    mitigated: '2026-11-20T10:30:00Z',
    resolved: '2026-11-20T12:55:00Z',
  });
  assert.deepEqual(m, { problems: [], mttdMinutes: 17, mttaMinutes: 3, mttmMinutes: 95, mttrMinutes: 240 });
  assert.deepEqual(responseMetrics(undefined), { problems: [] });
  assert.deepEqual(responseMetrics({ detected: '2026-11-20T09:12:00Z' }), { problems: [] });
  const bad = responseMetrics({ started: '2026-11-20T10:00:00Z', detected: '2026-11-20T09:00:00Z' });
  assert.equal(bad.mttdMinutes, undefined, 'no negative durations');
  assert.match(bad.problems[0]!, /detected .* is before started/);
  assert.equal(formatMinutes(95), '1 h 35 min');
  assert.equal(formatMinutes(17), '17 min');
  assert.equal(formatMinutes(undefined), '—');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: 5, maxLength: 5 }), (gaps) => {
      let t = Date.parse('2026-01-01T00:00:00Z');
      const ts = gaps.map((g) => new Date((t += g * 60000)).toISOString());
      const r = responseMetrics({ started: ts[0], detected: ts[1], acknowledged: ts[2], mitigated: ts[3], resolved: ts[4] });
      assert.equal(r.mttdMinutes, gaps[1]);
      assert.equal(r.mttaMinutes, gaps[2]);
      assert.equal(r.mttrMinutes, gaps[1]! + gaps[2]! + gaps[3]! + gaps[4]!);
      assert.deepEqual(r.problems, []);
    }),
  );
});

const demoIncident = (): Incident => JSON.parse(readFileSync(path.join(repoRoot, 'demo/.incidents/INC-2026-001/incident.json'), 'utf8'));

test('pre-fill from the incident is a valid post-mortem with its timeline and evidence', () => {
  const pm = postmortemFromIncident(demoIncident());
  assert.deepEqual(validateText(JSON.stringify(pm), 'postmortem').problems, []);
  assert.equal(pm.incidentId, 'INC-2026-001');
  assert.equal(pm.timeline!.length, demoIncident().events!.length);
  assert.equal(pm.milestones!.detected, demoIncident().reportedAt);
});

test('timeline import adds only what is missing and keeps time order', () => {
  const a = { timestamp: '2026-11-20T09:00:00Z', event: 'a' };
  const b = { timestamp: '2026-11-20T10:00:00Z', event: 'b' };
  const c = { timestamp: '2026-11-20T09:30:00Z', event: 'c' };
  const r = mergeTimeline([a, b], [c, { ...a }]);
  assert.equal(r.added, 1);
  assert.deepEqual(r.timeline.map((e) => e.event), ['a', 'c', 'b']);
  assert.equal(mergeTimeline(r.timeline, r.timeline).added, 0);
});

const fullPm: PostMortem = {
  title: 'Recommendation latency',
  incidentId: 'INC-2026-001',
  date: '2026-11-20',
  severity: 'HIGH',
  durationMinutes: 240,
  summary: 'p95 rose to 5.2 s.',
  impact: [{ key: 'Requests affected', value: '40% | slow' }],
  timeline: [
    { timestamp: '2026-11-20T10:00:00Z', event: 'Fix deployed', actor: 'ci', action: 'fix', link: 'evidence/deploy.log' },
    { timestamp: '2026-11-20T09:30:00Z', event: 'First error', actor: 'api', link: 'evidence/app.log:1042' },
    { timestamp: '2026-11-20T09:12:00Z', event: 'Alert <script>alert(1)</script>', actor: 'alertmanager' },
  ],
  rootCause: 'Quadratic diversity penalty.',
  contributingFactors: ['No latency test at catalogue scale'],
  whatWentWell: ['Reproduced in 30 min'],
  whatWentWrong: [],
  actionItems: [
    { description: 'Low one', priority: 'LOW', owner: 'a', dueDate: '2026-12-01' },
    { description: 'Critical one', priority: 'CRITICAL', owner: 'b', dueDate: '2026-12-10' },
    { description: 'High one', priority: 'HIGH', owner: 'c', dueDate: '2026-12-05', status: 'IN_PROGRESS' },
  ],
  milestones: { started: '2026-11-20T08:55:00Z', detected: '2026-11-20T09:12:00Z', resolved: '2026-11-20T12:55:00Z' },
  evidence: [{ kind: 'profile', path: 'evidence/cpu profile.speedscope.json', note: 'hot path' }],
};

test('markdown has the seed sections in order, action items by priority and evidence by relative link', () => {
  const md = renderMarkdown(fullPm);
  const headings = md.split('\n').filter((l) => l.startsWith('## '));
  assert.deepEqual(headings, [
    '## Summary', '## Impact', '## Timeline', '## Detection and Response', '## Root Cause', '## Contributing Factors',
    '## What Went Well', '## What Went Wrong', '## Where We Got Lucky', '## Action Items', '## Evidence', '## Review and Follow-up',
  ]);
  assert.match(md, /^# Post-Mortem: Recommendation latency$/m);
  const order = ['Critical one', 'High one', 'Low one'].map((s) => md.indexOf(s));
  assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, 'sorted by priority');
  assert.ok(md.indexOf('Alert') < md.indexOf('Fix deployed'), 'timeline sorted by time');
  assert.match(md, /\[evidence\/cpu profile\.speedscope\.json\]\(evidence\/cpu%20profile\.speedscope\.json\)/);
  assert.match(md, /\[Fix deployed\]\(evidence\/deploy\.log\)/);
  assert.match(md, /\[First error\]\(evidence\/app\.log#L1042\)/);
  assert.match(md, /MTTD\): 17 min/);
  assert.match(md, /MTTR\): 4 h/);
  assert.ok(!md.includes('<script>'), 'HTML is escaped');
  assert.match(md, /40% \\\| slow/, 'pipes cannot break the table');
  assert.match(md, /_None recorded\._/);
});

test('markdown of a minimal document renders every section empty, and never throws on junk (property)', () => {
  const md = renderMarkdown({ title: 'x', incidentId: 'INC-2026-002' });
  assert.match(md, /_No summary yet\._/);
  assert.match(md, /_No action items\._/);
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom('summary', 'impact', 'timeline', 'actionItems', 'milestones', 'evidence', 'review', 'whatWentWell'), fc.anything()), (junk) => {
      const text = renderMarkdown({ title: 'x', incidentId: 'INC-2026-002', ...junk } as PostMortem);
      assert.equal(typeof text, 'string');
    }),
    { numRuns: 300 },
  );
});

test('escapeInline neutralises markdown and HTML (property: no raw < or unescaped |)', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const e = escapeInline(s);
      assert.ok(!e.includes('<') && !e.includes('\n'));
      assert.ok(!/(^|[^\\])\|/.test(e));
    }),
  );
});

test('open action items across incidents: overdue first, done ones left out', () => {
  const docs = [
    { incidentId: 'INC-2026-001', postmortem: { ...fullPm } },
    { incidentId: 'INC-2026-002', postmortem: { title: 'y', incidentId: 'INC-2026-002', actionItems: [{ description: 'old', dueDate: '2026-11-01' }, { description: 'done', dueDate: '2026-01-01', status: 'DONE' as const }, { description: 'no date' }] } },
  ];
  const items = openActionItems(docs, '2026-12-06');
  assert.deepEqual(items.map((i) => i.item.description), ['old', 'Low one', 'High one', 'Critical one', 'no date']);
  assert.deepEqual(items.map((i) => i.overdue), [true, true, true, false, false]);
  assert.equal(items[3]!.daysLeft, 4);
  assert.equal(isOverdue({ description: 'x', dueDate: '2026-12-05' }, '2026-12-06'), true);
  assert.equal(isOverdue({ description: 'x', dueDate: '2026-12-06' }, '2026-12-06'), false);
});

test('follow-up review is due 30 days after the close unless reviewed', () => {
  assert.deepEqual(followUp('INC-1', '2026-11-20T12:00:00Z', undefined, '2026-12-01'), { incidentId: 'INC-1', dueDate: '2026-12-20', due: false });
  assert.equal(followUp('INC-1', '2026-11-20T12:00:00Z', undefined, '2026-12-20')!.due, true);
  assert.equal(followUp('INC-1', undefined, undefined, '2026-12-20'), undefined);
  assert.equal(followUp('INC-1', '2026-11-20T12:00:00Z', { title: 't', incidentId: 'INC-1', review: { reviewedAt: '2026-12-21' } }, '2026-12-30'), undefined);
});

test('lint findings land on the exact words in the file, escapes included', () => {
  const pm = { title: 't', incidentId: 'INC-2026-001', summary: 'Tab\there: "quoted" then human error.', whatWentWrong: ['ok', 'Someone forgot to check'] };
  const text = JSON.stringify(pm, null, 2);
  const c = checkPostmortemText(text);
  assert.deepEqual(c.schemaProblems, []);
  assert.deepEqual(c.lint.map((f) => f.rule), ['human-error', 'person-blamed', 'should-have']);
  const raw0 = text.slice(c.lintProblems[0]!.offset, c.lintProblems[0]!.offset + c.lintProblems[0]!.length);
  assert.equal(raw0, 'human error');
  const p1 = c.lintProblems[1]!;
  assert.equal(text.slice(p1.offset, p1.offset + p1.length), 'Someone forgot');
  const p2 = c.lintProblems[2]!;
  assert.equal(text.slice(p2.offset, p2.offset + p2.length), 'forgot to');
  assert.equal(p1.line, text.split('\n').findIndex((l) => l.includes('Someone forgot')) + 1);
  assert.equal(p1.severity, 'warning');
  const broken = checkPostmortemText('{"title": ');
  assert.equal(broken.value, undefined);
  assert.ok(broken.schemaProblems[0]!.message.startsWith('JSON syntax error'));
});

test('the demo post-mortem is schema-valid and passes the blameless lint; its session is complete', () => {
  const text = readFileSync(path.join(repoRoot, 'demo/.incidents/INC-2026-001/postmortem.json'), 'utf8');
  const c = checkPostmortemText(text);
  assert.deepEqual(c.schemaProblems, []);
  assert.deepEqual(c.lint, []);
  const i = demoIncident();
  assert.ok(i.evidence!.length > 0 && i.hypotheses!.some((h) => h.verification?.result === 'CONFIRMED'));
  assert.ok(i.rootCause && i.fix?.description && i.fixVerification?.verified && i.prevention!.length > 0);
  assert.match(i.rootCause, /pairwise_diversity/);
  for (const e of i.evidence!) assert.ok(existsSync(path.join(repoRoot, 'demo/.incidents/INC-2026-001', e.path)), e.path);
  assert.ok(c.value!.actionItems!.some((a) => a.owner && a.dueDate), 'closable: an owned, dated action item');
});

test('the fast check (no positions) agrees with the full one; problems still get positions', () => {
  const text = JSON.stringify(fullPm, null, 2);
  const fast = checkPostmortemText(text, { positions: false });
  const full = checkPostmortemText(text);
  assert.deepEqual(fast.value, full.value);
  assert.deepEqual(fast.lint, full.lint);
  assert.deepEqual(fast.schemaProblems, []);
  const bad = JSON.stringify({ ...fullPm, severity: 'SEV1' }, null, 2);
  const p = checkPostmortemText(bad, { positions: false }).schemaProblems[0]!;
  assert.equal(p.line, bad.split('\n').findIndex((l) => l.includes('"severity"')) + 1);
  assert.equal(checkPostmortemText('{"title": ', { positions: false }).value, undefined);
});

const SYSTEM_WORDS = ['the', 'pool', 'queue', 'latency', 'rose', 'catalogue', 'import', 'doubled', 'scoring', 'time', 'alert', 'fired', 'after', 'threshold', 'dashboard', 'showed', 'retries', 'requests', 'p95', 'cache', 'replica', 'was', 'slow'];
const PHRASES: [string, LintRule][] = [
  ['human error', 'human-error'],
  ['should have', 'should-have'],
  ['careless', 'blame-word'],
  ['if the canary had', 'counterfactual'],
  ['outage', 'outage-overstated'],
  ['Dana forgot', 'person-blamed'],
];

test('lint (property): systems sentences pass; inserting a blame phrase anywhere is found at its place', () => {
  const sentence = fc.array(fc.constantFrom(...SYSTEM_WORDS), { minLength: 0, maxLength: 25 }).map((w) => w.join(' '));
  fc.assert(
    fc.property(sentence, sentence, fc.constantFrom(...PHRASES), (before, after, [phrase, rule]) => {
      assert.deepEqual(lintText(`${before} ${after}`), []);
      const text = `${before}${before ? ' ' : ''}${phrase}${after ? ' ' : ''}${after}`;
      const found = lintText(text).find((f) => f.rule === rule);
      assert.ok(found, `${rule} in "${text}"`);
      assert.equal(found.index, before ? before.length + 1 : 0);
    }),
    { numRuns: 500 },
  );
});
