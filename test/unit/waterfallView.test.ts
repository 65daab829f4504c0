import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  AXIS_H,
  ROW_H,
  WaterfallView,
  centreWindow,
  childCounts,
  clampWindow,
  computeVisible,
  criticalByRow,
  formatDuration,
  formatValue,
  isWholeTrace,
  minimapWindow,
  parseTextQuery,
  matchesText,
  NO_FILTERS,
  revealScrollTop,
  rowIndexAt,
  rowOf,
  rowTop,
  rowsInView,
  zoomAround,
  type SpanFilters,
  type SpanTable,
  type TimeWindow,
} from '../../src/core/traces/waterfallView';
import { importTraces } from '../../src/core/traces/import';
import { buildTrace } from '../../src/core/traces/model';
import { buildSnapshot } from '../../src/host/traces/snapshot';
import { FLAG } from '../../src/protocol/waterfall';
import { repoRoot } from './helpers';

const NAMES = ['GET /recommend', 'SELECT', 'pairwise_diversity', 'load_items', 'Redis GET'];
const SERVICES = ['', 'api', 'recommend', 'db'];

/** A random trace in the snapshot's shape: rows depth-first (each row at most one level deeper than the last). */
const tableArb: fc.Arbitrary<SpanTable> = fc
  .array(
    fc.record({
      down: fc.integer({ min: -3, max: 1 }),
      start: fc.nat({ max: 1_000_000 }),
      dur: fc.nat({ max: 1_000_000 }),
      service: fc.nat({ max: SERVICES.length - 1 }),
      name: fc.nat({ max: NAMES.length - 1 }),
      flags: fc.nat({ max: 63 }),
    }),
    { maxLength: 60 },
  )
  .map((specs) => {
    const depth: number[] = [];
    const parent: number[] = [];
    const lastAt: number[] = [];
    specs.forEach((s, i) => {
      const d = i === 0 ? 0 : Math.max(0, depth[i - 1]! + s.down);
      depth.push(d);
      parent.push(d === 0 ? -1 : lastAt[d - 1]!);
      lastAt[d] = i;
    });
    const rows = {
      start: specs.map((s) => s.start),
      dur: specs.map((s) => s.dur),
      depth,
      parent,
      service: specs.map((s) => s.service),
      name: specs.map((s) => s.name),
      flags: specs.map((s) => s.flags),
      spanId: specs.map((_, i) => `${(i * 7919).toString(16).padStart(16, '0')}`),
    };
    const critical = specs.flatMap((s, i) => (s.flags & FLAG.critical ? [i, s.start, s.start + s.dur] : []));
    return { rows, names: NAMES, services: SERVICES, critical, durationUs: 2_000_000 };
  });

const filtersArb: fc.Arbitrary<SpanFilters> = fc.record({
  text: fc.constantFrom('', 'select', '-select', 'recommend -pairwise', 'API', '-', '  load  ', '0000'),
  service: fc.integer({ min: -1, max: SERVICES.length - 1 }),
  requireFlags: fc.constantFrom(0, FLAG.error, FLAG.critical, FLAG.error | FLAG.critical),
  minMs: fc.constantFrom(0, 0.5, 100, 900),
});

const withSubset = <T>(arb: fc.Arbitrary<SpanTable>, extra: (t: SpanTable) => fc.Arbitrary<T>) => arb.chain((t) => extra(t).map((x) => [t, x] as const));
const rowSet = (t: SpanTable) => fc.uniqueArray(fc.nat({ max: Math.max(0, t.rows.spanId.length - 1) }), { maxLength: t.rows.spanId.length }).map((a) => new Set(a.filter((i) => i < t.rows.spanId.length)));

function ancestors(t: SpanTable, row: number): number[] {
  const out: number[] = [];
  for (let p = t.rows.parent[row]!; p >= 0; p = t.rows.parent[p]!) out.push(p);
  return out;
}

function passes(t: SpanTable, i: number, f: SpanFilters, matches?: ReadonlySet<number>): boolean {
  const r = t.rows;
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = `${t.names[r.name[i]!]} ${t.services[r.service[i]!]} ${r.spanId[i]}`.toLowerCase();
  return (
    (r.flags[i]! & f.requireFlags) === f.requireFlags &&
    (f.service < 0 || r.service[i] === f.service) &&
    r.dur[i]! >= f.minMs * 1000 &&
    (!matches || matches.has(i)) &&
    words.every((w) => (w.startsWith('-') ? w === '-' || !hay.includes(w.slice(1)) : hay.includes(w)))
  );
}

test('visible rows: a subset of the rows in tree order; all rows when nothing is collapsed or filtered (property)', () => {
  fc.assert(
    fc.property(withSubset(tableArb, (t) => fc.tuple(rowSet(t), filtersArb, fc.option(rowSet(t), { nil: undefined }))), ([t, [collapsed, filters, matches]]) => {
      const n = t.rows.spanId.length;
      assert.deepEqual([...computeVisible(t, new Set(), NO_FILTERS)], [...Array(n).keys()]);
      for (const v of [computeVisible(t, collapsed, NO_FILTERS), computeVisible(t, collapsed, filters, matches)]) {
        for (let k = 0; k < v.length; k++) {
          assert.ok(v[k]! >= 0 && v[k]! < n);
          if (k > 0) assert.ok(v[k - 1]! < v[k]!, 'strictly increasing: tree order, no duplicates');
        }
      }
    }),
  );
});

test('visible rows: a row shows iff no ancestor is collapsed; with filters, iff it passes them (property)', () => {
  fc.assert(
    fc.property(withSubset(tableArb, (t) => fc.tuple(rowSet(t), filtersArb, fc.option(rowSet(t), { nil: undefined }))), ([t, [collapsed, filters, matches]]) => {
      const n = t.rows.spanId.length;
      const tree = new Set(computeVisible(t, collapsed, NO_FILTERS));
      for (let i = 0; i < n; i++) assert.equal(tree.has(i), !ancestors(t, i).some((a) => collapsed.has(a)), `row ${i}`);
      const filtering = filters.text !== '' || filters.service >= 0 || filters.requireFlags !== 0 || filters.minMs > 0 || matches !== undefined;
      if (!filtering) return;
      const flat = new Set(computeVisible(t, collapsed, filters, matches));
      for (let i = 0; i < n; i++) assert.equal(flat.has(i), passes(t, i, filters, matches), `row ${i} under ${JSON.stringify(filters)}`);
    }),
  );
});

test('collapsing then expanding a row (or toggling it twice) gives back the same rows (property)', () => {
  fc.assert(
    fc.property(withSubset(tableArb, (t) => fc.tuple(rowSet(t), fc.nat())), ([t, [collapsed, pick]]) => {
      const n = t.rows.spanId.length;
      if (!n) return;
      const view = new WaterfallView();
      view.load(t);
      for (const c of collapsed) view.collapsed.add(c);
      view.refresh();
      const row = pick % n;
      const before = [...view.visible];
      view.toggle(row);
      view.toggle(row);
      assert.deepEqual([...view.visible], before);
      if (!collapsed.has(row)) {
        view.collapse(row);
        // The collapsed row's own subtree is gone, nothing else changed.
        const after = new Set(view.visible);
        for (const i of before) assert.equal(after.has(i), i === row || !ancestors(t, i).includes(row));
        view.expand(row);
        assert.deepEqual([...view.visible], before);
      }
    }),
  );
});

test('reveal expands exactly the ancestors a row needs; the selection moves within the visible rows (property)', () => {
  fc.assert(
    fc.property(withSubset(tableArb, (t) => fc.tuple(rowSet(t), fc.nat(), fc.array(fc.constantFrom(1, -1, 5, -5, 100), { maxLength: 8 }))), ([t, [collapsed, pick, moves]]) => {
      const n = t.rows.spanId.length;
      const view = new WaterfallView();
      view.load(t);
      assert.equal(view.step(1), n ? 0 : -1, 'from no selection, the first row');
      if (!n) return;
      for (const c of collapsed) view.collapsed.add(c);
      view.refresh();
      const row = pick % n;
      const before = new Set(view.visible);
      const k = view.reveal(row);
      assert.equal(view.visible[k], row);
      for (const i of before) assert.ok(view.visible.includes(i), 'revealing only adds rows');
      for (const a of ancestors(t, row)) assert.ok(!view.collapsed.has(a));
      assert.ok(view.select(row));
      for (const m of moves) {
        const next = view.step(m);
        assert.ok(view.visible.includes(next));
        const expected = Math.max(0, Math.min(view.visible.length - 1, view.indexOf(view.selected) + m));
        assert.equal(next, view.visible[expected]);
        view.select(next);
      }
      assert.equal(view.select(n), false);
      assert.equal(view.select(-1), false);
    }),
  );
});

test('left and right arrows: collapse, go to the parent, expand; nothing while filtering', () => {
  // root(0) > a(1) > b(2), root > c(3)
  const t: SpanTable = {
    rows: { start: [0, 1, 2, 5], dur: [10, 3, 1, 2], depth: [0, 1, 2, 1], parent: [-1, 0, 1, 0], service: [1, 1, 2, 3], name: [0, 3, 1, 2], flags: [0, 0, FLAG.error, 0], spanId: ['r', 'a', 'b', 'c'] },
    names: NAMES,
    services: SERVICES,
  };
  const view = new WaterfallView();
  view.load(t);
  assert.equal(view.left(), 'none', 'no selection');
  view.select(1);
  assert.equal(view.left(), 'collapsed');
  assert.deepEqual([...view.visible], [0, 1, 3]);
  assert.equal(view.left(), 'selected');
  assert.equal(view.selected, 0);
  assert.equal(view.right(), 'expanded');
  view.select(1);
  assert.equal(view.right(), 'expanded');
  assert.deepEqual([...view.visible], [0, 1, 2, 3]);
  view.select(0);
  assert.equal(view.left(), 'collapsed');
  assert.equal(view.left(), 'none', 'a collapsed root has no parent');
  view.setFilters({ requireFlags: FLAG.error });
  assert.deepEqual([...view.visible], [2]);
  assert.equal(view.left(), 'none');
  assert.equal(view.canCollapse(0), false);
});

test('attribute matches: only the answer to the current query applies; an empty query clears at once', () => {
  const view = new WaterfallView();
  view.load({ rows: { start: [0, 1], dur: [2, 1], depth: [0, 1], parent: [-1, 0], service: [0, 0], name: [0, 1], flags: [0, 0], spanId: ['a', 'b'] }, names: NAMES, services: SERVICES });
  assert.equal(view.setAttributeQuery('db.system'), false, 'ask the host');
  assert.equal(view.applyMatches('older', [0]), false);
  assert.deepEqual([...view.visible], [0, 1]);
  assert.equal(view.applyMatches('db.system', [1]), true);
  assert.deepEqual([...view.visible], [1]);
  assert.equal(view.setAttributeQuery(''), true);
  assert.deepEqual([...view.visible], [0, 1]);
  view.setAttributeQuery('x');
  view.applyMatches('x', [0]);
  view.load(view.table);
  assert.equal(view.matches, undefined, 'a new trace drops the matches');
  assert.deepEqual([...view.visible], [0, 1]);
});

test('the zoom window stays inside the trace, ordered and at least a millionth of it wide, whatever is asked (property)', () => {
  const num = fc.oneof(fc.double({ min: -1e12, max: 1e12 }), fc.constantFrom(NaN, Infinity, -Infinity, 0));
  const op = fc.oneof(
    fc.tuple(fc.constant('set' as const), num, num),
    fc.tuple(fc.constant('zoom' as const), num, fc.double({ min: 0, max: 1e6, noNaN: true })),
    fc.tuple(fc.constant('centre' as const), num, fc.constant(0)),
    fc.tuple(fc.constant('drag' as const), fc.double({ min: -50, max: 900, noNaN: true }), fc.double({ min: -50, max: 900, noNaN: true })),
  );
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 1, max: 1e10 }), fc.constant(1)), fc.array(op, { maxLength: 20 }), (total, ops) => {
      let w: TimeWindow = { from: 0, to: total };
      for (const [kind, a, b] of ops) {
        if (kind === 'set') w = clampWindow(a, b, total);
        else if (kind === 'zoom') w = zoomAround(w, a, b, total);
        else if (kind === 'centre') w = centreWindow(w, a, total);
        else w = minimapWindow(a, b, 800, w, total);
        assert.ok(w.from >= 0 && w.to <= total && w.from < w.to, JSON.stringify({ total, w, kind, a, b }));
        assert.ok(w.to - w.from >= Math.max(1, total / 1e6) * (1 - 1e-9), JSON.stringify({ total, w }));
      }
    }),
  );
  assert.deepEqual(clampWindow(30, 10, 100), { from: 10, to: 30 });
  assert.deepEqual(zoomAround({ from: 20, to: 60 }, 40, 0.5, 100), { from: 30, to: 50 }, 'the time under the pointer stays put');
  assert.deepEqual(minimapWindow(200, 400, 800, { from: 0, to: 100 }, 100), { from: 25, to: 50 });
  assert.deepEqual(minimapWindow(400, 401, 800, { from: 0, to: 20 }, 100), { from: 40, to: 60 }, 'a click centres the window');
  assert.ok(isWholeTrace(clampWindow(-5, 1e9, 100), 100));
});

test('row geometry: the row under a point is the row drawn there; reveal scrolls a row fully into view (property)', () => {
  fc.assert(
    fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 2_000_000 }), fc.integer({ min: 3 * (AXIS_H + ROW_H), max: 3000 }), fc.nat({ max: ROW_H - 1 }), (count, scrollTop, height, dy) => {
      if (!count) return;
      const k = scrollTop % count;
      const y = rowTop(k, scrollTop) + dy;
      if (y >= AXIS_H) assert.equal(rowIndexAt(y, scrollTop, count), k);
      assert.equal(rowIndexAt(AXIS_H - 1, scrollTop, count), -1, 'the axis is no row');
      const top = revealScrollTop(k, scrollTop, height);
      assert.ok(rowTop(k, top) >= AXIS_H && rowTop(k, top) + ROW_H <= height, JSON.stringify({ k, top, height }));
      const [first, last] = rowsInView(top, height, count);
      assert.ok(first <= k && k < last, 'the revealed row is drawn');
      // Every row drawn at least partly below the axis is in the range drawn.
      for (const j of [first - 1, last]) if (j >= 0 && j < count) assert.ok(rowTop(j, top) + ROW_H <= AXIS_H || rowTop(j, top) >= height);
    }),
  );
});

test('text query: words to find and "-words" to reject, case-insensitive', () => {
  assert.deepEqual(parseTextQuery('  Select -Redis - '), { include: ['select'], exclude: ['redis'] });
  assert.ok(matchesText('select recommend ab12', parseTextQuery('SELECT -redis')));
  assert.ok(!matchesText('redis get cache', parseTextQuery('get -redis')));
});

test('columns: children, critical sections, rows by span id or name', () => {
  const t: SpanTable = { rows: { start: [0, 1, 2], dur: [3, 1, 1], depth: [0, 1, 1], parent: [-1, 0, 0], service: [1, 2, 2], name: [0, 1, 1], flags: [0, 0, 0], spanId: ['aa', 'bb', 'SELECT'] }, names: NAMES, services: SERVICES };
  assert.deepEqual([...childCounts(t.rows)], [2, 0, 0]);
  assert.deepEqual([...criticalByRow([0, 0, 5, 2, 1, 2, 0, 7, 9, 4])], [[0, [0, 5, 7, 9]], [2, [1, 2]]], 'a trailing partial triple is ignored');
  assert.equal(rowOf(t, 'bb'), 1);
  assert.equal(rowOf(t, 'SELECT'), 2, 'a span id before an operation name');
  assert.equal(rowOf(t, 'GET /recommend'), 0);
  assert.equal(rowOf(t, 'nothing'), -1);
});

test('durations and metric values as the waterfall writes them', () => {
  assert.equal(formatDuration(5), '5 µs');
  assert.equal(formatDuration(1234), '1.23 ms');
  assert.equal(formatDuration(12_345), '12.3 ms');
  assert.equal(formatDuration(2_346_000), '2.35 s');
  assert.equal(formatDuration(12_345_000), '12.3 s');
  assert.equal(formatValue(0.31800007820129395), '0.318');
  assert.equal(formatValue(12345), '1.23e+4');
  assert.equal(formatValue(null), 'null', 'NaN crosses JSON as null');
});

test('the demo trace: the slow span is found, revealed from a collapsed root and filtered by words', () => {
  const text = readFileSync(path.join(repoRoot, 'demo/.incidents/INC-2026-001/evidence/traces/recommend.otlp.jsonl'), 'utf8');
  const r = importTraces(text);
  const trace = buildTrace(r.spans.filter((s) => s.traceId === r.traces[0]!.traceId));
  const s = buildSnapshot({ file: 'f', format: r.format, trace, traces: r.traces, problems: [], prometheusConfigured: false });
  const view = new WaterfallView();
  view.load({ rows: s.rows!, names: s.names!, services: s.services!, critical: s.critical!, durationUs: s.durationUs! });
  assert.equal(view.visible.length, trace.nodes.length);
  const slow = rowOf(view.table!, 'pairwise_diversity');
  assert.equal(slow, s.summary!.slowest!.row);
  assert.ok(view.critical.has(slow), 'the slow span is on the critical path');
  view.collapse(0);
  assert.equal(view.visible.length, 1);
  assert.ok(view.reveal(slow) > 0);
  view.setFilters({ text: 'pairwise recommend' });
  assert.deepEqual([...view.visible], [slow]);
  view.setFilters({ text: 'select -pairwise', requireFlags: FLAG.critical });
  assert.ok(view.visible.every((i) => s.names![s.rows!.name[i]!] === 'SELECT' && s.rows!.flags[i]! & FLAG.critical));
});
