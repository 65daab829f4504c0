// Releases in logs: every record's release counted as traffic, also on the reader's raw-text fast path
// (property: the same counts as parsing every line), and the status rules (new, regressed, resolved,
// ongoing) and the rate per release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readText } from '../../src/core/logs/reader';
import { orderReleases, ratePerRelease, releaseStatus, startOf, type LogRelease } from '../../src/core/errors/releases';

const rel = (name: string, firstSeen: string, records = 100): LogRelease => ({ name, records, errors: 1, firstSeen });

test('every record counts for its release, on the fast path as when every line is parsed (property)', () => {
  const line = fc.record({
    level: fc.constantFrom('INFO', 'DEBUG', 'WARNING', 'ERROR'),
    release: fc.option(fc.constantFrom('1.0.0', '1.1.0', '2026.11.20', 'v2'), { nil: undefined }),
    spaced: fc.boolean(),
    message: fc.string({ maxLength: 30 }),
    minute: fc.integer({ min: 0, max: 59 }),
  });
  fc.assert(
    // Logs are written in time order; a release's start is its first record read.
    fc.property(fc.array(line, { minLength: 1, maxLength: 60 }).map((ls) => [...ls].sort((a, b) => a.minute - b.minute)), (lines) => {
      const text = lines
        .map((l) => {
          const o: Record<string, unknown> = { timestamp: `2026-03-04T10:${String(l.minute).padStart(2, '0')}:00Z`, level: l.level, message: l.message, ...(l.release ? { version: l.release } : {}) };
          return l.spaced ? JSON.stringify(o).replace(/":/g, '": ').replace(/,"/g, ', "') : JSON.stringify(o);
        })
        .join('\n');
      const fast = readText(text).context.releases;
      const slow = readText(text, { fastPath: false }).context.releases;
      const want = new Map<string, number>();
      for (const l of lines) if (l.release) want.set(l.release, (want.get(l.release) ?? 0) + 1);
      const counts = (m: Map<string, { records: number }>) => new Map([...m].map(([k, v]) => [k, v.records]));
      assert.deepEqual(counts(fast), want);
      assert.deepEqual(counts(fast), counts(slow));
      for (const [name, r] of fast) {
        const first = Math.min(...lines.filter((l) => l.release === name).map((l) => l.minute));
        assert.equal(r.first, Date.parse(`2026-03-04T10:${String(first).padStart(2, '0')}:00Z`), `${name} starts at its earliest record`);
      }
    }),
    { numRuns: 200 },
  );
});

test('a release field under a mapped name, and one nested only, hostile values', () => {
  const { context } = readText(['{"level":"INFO","release":"<img src=x onerror=alert(1)>","message":"a"}', '{"level":"INFO","release":"<img src=x onerror=alert(1)>","message":"b"}'].join('\n'));
  assert.deepEqual([...context.releases.keys()], ['<img src=x onerror=alert(1)>']);
  const nested = readText(['{"level":"INFO","message":"a","resource":{"service.version":"3.1"}}', '{"level":"ERROR","message":"b","resource":{"service.version":"3.1"}}'].join('\n'));
  assert.equal(nested.context.releases.get('3.1')?.records, 2);
});

test('status from the releases the logs show: new, regressed, resolved, ongoing; a regression starts where it came back', () => {
  const logs = [rel('1.0', '2026-01-01T00:00:00Z'), rel('1.1', '2026-01-02T00:00:00Z'), rel('1.2', '2026-01-03T00:00:00Z')];
  const c = (...names: string[]) => names.map((name) => ({ name, count: 3, firstSeen: logs.find((r) => r.name === name)!.firstSeen }));
  assert.equal(releaseStatus(c('1.2'), logs), 'new');
  assert.equal(releaseStatus(c('1.0', '1.2'), logs), 'regressed');
  assert.equal(releaseStatus(c('1.0', '1.1'), logs), 'resolved');
  assert.equal(releaseStatus(c('1.0', '1.1', '1.2'), logs), 'ongoing');
  assert.equal(releaseStatus(c('1.1', '1.2'), logs), 'ongoing');
  assert.equal(releaseStatus(c('1.2'), logs.slice(2)), 'ongoing', 'one release cannot tell new from old');
  assert.equal(startOf(c('1.0', '1.2'), logs)?.name, '1.2');
  assert.equal(startOf(c('1.0', '1.1', '1.2'), logs)?.name, '1.0');
  assert.deepEqual(
    ratePerRelease(c('1.0', '1.2'), logs).map((r) => [r.name, r.count, r.perThousand]),
    [
      ['1.0', 3, 30],
      ['1.1', 0, 0],
      ['1.2', 3, 30],
    ],
  );
  // Releases without times order by name, after the timed ones.
  assert.deepEqual(orderReleases([{ name: '1.10' }, { name: '1.9' }, { name: '0.1', firstSeen: '2026-01-01T00:00:00Z' }]).map((r) => r.name), ['0.1', '1.9', '1.10']);
});
