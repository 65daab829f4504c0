// Metric units and values as the waterfall's band and anomaly pane write them: a unit from the series'
// name or OTLP unit, and numbers at three significant digits ("0.31800007820129395" reads "318 ms").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatSeriesValue, seriesUnit, significant } from '../../src/core/metrics/units';

test('units from Prometheus name suffixes and OTLP units', () => {
  assert.equal(seriesUnit('recommend_request_duration_seconds{endpoint="/recommend"}'), 's');
  assert.equal(seriesUnit('http_request_duration_seconds_sum'), 's');
  assert.equal(seriesUnit('process_resident_memory_bytes'), 'B');
  assert.equal(seriesUnit('recommend_requests_failed_total'), 'count');
  assert.equal(seriesUnit('cache_hit_ratio'), 'ratio');
  assert.equal(seriesUnit('cpu_busy_percent'), '%');
  assert.equal(seriesUnit('queue_depth'), '');
  assert.equal(seriesUnit('x', 'By'), 'B');
  assert.equal(seriesUnit('x', 'ms'), 'ms');
  assert.equal(seriesUnit('x', '{request}'), 'count');
  assert.equal(seriesUnit('x', '1'), 'ratio');
});

test('values at their precision, with their unit', () => {
  assert.equal(formatSeriesValue(0.31800007820129395, 's'), '318 ms');
  assert.equal(formatSeriesValue(2.5, 's'), '2.5 s');
  assert.equal(formatSeriesValue(0.0000123, 's'), '12.3 µs');
  assert.equal(formatSeriesValue(1250, 'ms'), '1.25 s');
  assert.equal(formatSeriesValue(1536, 'B'), '1.5 KiB');
  assert.equal(formatSeriesValue(12, 'count'), '12');
  assert.equal(formatSeriesValue(123456, ''), '123,456');
  assert.equal(formatSeriesValue(-0.5, '%'), '\u22120.5 %');
  assert.equal(formatSeriesValue(3, 'req/s'), '3 req/s');
  assert.equal(formatSeriesValue(null, 's'), '—');
  assert.equal(formatSeriesValue(NaN, ''), '—');
});

test('any finite value: at most three significant digits below 1000, a real minus sign, never "e+" (property)', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), (v) => {
      const text = significant(v);
      assert.ok(!text.includes('-'), text);
      assert.ok(!/e\+/.test(text), text);
      if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1000) {
        const digits = text.replace(/[^\d]/g, '').replace(/^0+/, '');
        assert.ok(digits.length <= 3, `${v} → ${text}`);
        assert.ok(Math.abs(Number(text.replace('\u2212', '-')) - v) <= Math.abs(v) * 0.005 + 1e-12, `${v} → ${text}`);
      }
      for (const unit of ['s', 'ms', 'B', '%', 'count', '', 'req/s']) assert.ok(formatSeriesValue(v, unit).length > 0);
    }),
  );
});
