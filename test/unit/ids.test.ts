import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIncidentId, isIncidentId, nextIncidentId, parseIncidentId } from '../../src/core/incident/ids';

test('the first incident of a year is NNN = 001', () => {
  assert.equal(nextIncidentId([], 2026), 'INC-2026-001');
});

test('the next id is one above the highest of the same year; other years and gaps do not count', () => {
  assert.equal(nextIncidentId(['INC-2026-001', 'INC-2026-007', 'INC-2025-120', 'notes'], 2026), 'INC-2026-008');
  assert.equal(nextIncidentId(['INC-2025-120'], 2026), 'INC-2026-001');
});

test('numbers past 999 keep growing instead of wrapping', () => {
  assert.equal(nextIncidentId(['INC-2026-999'], 2026), 'INC-2026-1000');
  assert.ok(isIncidentId('INC-2026-1000'));
});

test('property: the next id is new, valid, and above every existing number of its year', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1, max: 5000 }))), fc.integer({ min: 2020, max: 2030 }), (pairs, year) => {
      const ids = pairs.map(([y, n]) => formatIncidentId(y, n));
      const next = nextIncidentId(ids, year);
      const parsed = parseIncidentId(next)!;
      assert.equal(parsed.year, year);
      assert.ok(!ids.includes(next));
      for (const [y, n] of pairs) if (y === year) assert.ok(parsed.number > n);
    }),
  );
});
