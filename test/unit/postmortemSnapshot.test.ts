import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPostmortemText } from '../../src/core/postmortem/check';
import { LIST_LIMIT, buildSnapshot } from '../../src/presenters/postmortem';

const base = { version: 3, fileName: 'pm.json', today: '2026-12-06' };

function doc(n: number) {
  return {
    title: 't',
    incidentId: 'INC-2026-001',
    timeline: Array.from({ length: n }, (_, i) => ({ timestamp: new Date(Date.parse('2026-11-20T09:00:00Z') + ((i * 7919) % n) * 60000).toISOString(), event: i === 5 ? 'human error' : `e${i}`, actor: `a${i % 3}` })),
    whatWentWell: Array.from({ length: LIST_LIMIT + 10 }, (_, i) => (i === LIST_LIMIT + 5 ? 'careless' : `w${i}`)),
    actionItems: [{ description: 'x', owner: 'o', dueDate: '2026-12-01' }],
  };
}

test('the snapshot is bounded: timeline rows as asked, long lists cut, lint for what is shown', () => {
  const check = checkPostmortemText(JSON.stringify(doc(1000)), { positions: false });
  const s = buildSnapshot(check, base);
  assert.equal(s.state, 'ok');
  assert.equal(s.timeline.total, 1000);
  assert.equal(s.timeline.rows.length, 100);
  assert.deepEqual(s.timeline.rows.slice(0, 3).map((r) => r.index), [0, 1, 2]);
  assert.equal('timeline' in s.document!, false);
  assert.equal((s.document!.whatWentWell as unknown[]).length, LIST_LIMIT);
  assert.deepEqual(s.truncated, [{ key: 'whatWentWell', shown: LIST_LIMIT, total: LIST_LIMIT + 10 }]);
  assert.equal(s.lengths.whatWentWell, LIST_LIMIT + 10);
  assert.equal(s.lengths.timeline, 1000);
  assert.equal(s.lintTotal, 2);
  assert.deepEqual(s.lint.map((f) => f.field), ['timeline[5].event'], 'the cut list item is not in the page, the shown row is');
  assert.equal(s.timeline.sortedInFile, false);
  assert.ok(JSON.stringify(s).length < JSON.stringify(doc(1000)).length / 3);
});

test('sorting by time in the view keeps file indexes, so edits land on the right entries', () => {
  const d = doc(300);
  const check = checkPostmortemText(JSON.stringify(d), { positions: false });
  const s = buildSnapshot(check, base, { sortKey: 'timestamp', desc: false, limit: 300 });
  const times = s.timeline.rows.map((r) => Date.parse(r.entry.timestamp as string));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  for (const r of s.timeline.rows) assert.deepEqual(r.entry, d.timeline[r.index]);
  const desc = buildSnapshot(check, base, { sortKey: 'actor', desc: true, limit: 5 });
  assert.ok(desc.timeline.rows.every((r) => r.entry.actor === 'a2'));
});

test('a broken file gives an invalid snapshot with the first syntax error position', () => {
  const s = buildSnapshot(checkPostmortemText('{\n  "title": "x",\n  "summary": "open\n}', { positions: false }), base);
  assert.equal(s.state, 'invalid');
  assert.equal(s.document, undefined);
  assert.equal(s.error!.line, 3);
});

test('the form offers the values the schema allows', () => {
  const s = buildSnapshot(checkPostmortemText('{"title":"t","incidentId":"INC-2026-001"}', { positions: false }), base);
  assert.deepEqual(s.enums, { severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'], priority: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'], status: ['TODO', 'IN_PROGRESS', 'DONE'] });
});
