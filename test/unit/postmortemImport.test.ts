import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseForensicsTimeline } from '../../src/core/postmortem/importTimeline';
import { validateText } from '../../src/core/validation/validate';

test('forensics timelines: arrays, {timeline}, {events} and JSON lines with different field names', () => {
  const rows = [
    { timestamp: '2026-11-20T09:12:00Z', event: 'alert fired', source: 'alertmanager', link: 'evidence/app.log:12' },
    { at: '2026-11-20T09:13:00+01:00', message: 'retry storm', level: 'WARN' },
    { time: 1763630000000, text: 'deploy' },
    { ts: 'not a date', msg: 'skipped' },
    { event: 'no time' },
    'junk',
  ];
  const fromArray = parseForensicsTimeline(JSON.stringify(rows));
  assert.deepEqual(fromArray.map((e) => e.event), ['alert fired', 'retry storm', 'deploy']);
  assert.equal(fromArray[0]!.actor, 'alertmanager');
  assert.equal(fromArray[0]!.link, 'evidence/app.log:12');
  assert.equal(fromArray[1]!.action, 'WARN');
  assert.match(fromArray[2]!.timestamp, /Z$/);
  assert.deepEqual(parseForensicsTimeline(JSON.stringify({ timeline: rows })), fromArray);
  assert.deepEqual(parseForensicsTimeline(JSON.stringify({ events: rows })), fromArray);
  assert.deepEqual(parseForensicsTimeline(rows.map((r) => JSON.stringify(r)).join('\n') + '\n{broken'), fromArray);
  assert.deepEqual(parseForensicsTimeline(''), []);
});

test('every imported entry is a valid post-mortem timeline row, whatever the input (property)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json(), fc.array(fc.record({ timestamp: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), event: fc.string() }, { requiredKeys: [] })).map((a) => JSON.stringify(a))), (text) => {
      const timeline = parseForensicsTimeline(text);
      const doc = { title: 't', incidentId: 'INC-2026-001', timeline };
      assert.deepEqual(validateText(JSON.stringify(doc), 'postmortem').problems, []);
    }),
    { numRuns: 300 },
  );
});
