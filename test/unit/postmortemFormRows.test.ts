// Issue 17: the post-mortem form addresses rows by a stable id and the version it saw. Rows keep their id
// when others are inserted, removed or edited around them; a change made against an old version lands on the
// row the user saw, or is refused, never applied to whatever now sits at that index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RowIdentities, alignRows, resolveChange, rowKey } from '../../src/core/postmortem/formRows';
import { checkPostmortemText } from '../../src/core/postmortem/check';
import { buildSnapshot } from '../../src/presenters/postmortem';

const entry = (event: string, t = '2026-11-20T09:00:00Z') => ({ timestamp: t, event, actor: 'on-call' });

test('a row inserted from outside above the row the user saw: "remove timeline[1]" removes the row the user saw', () => {
  const rows = new RowIdentities();
  const v1 = { timeline: [entry('alert fired'), entry('pool exhausted'), entry('rolled back')] };
  rows.update(1, v1);
  const seen = rows.id('timeline', 1)!; // "pool exhausted", as the form showed it at version 1
  const v2 = { timeline: [entry('deploy started'), ...v1.timeline] };
  rows.update(2, v2);
  const where = resolveChange(v2, 2, rows, { type: 'remove', version: 1, path: ['timeline', 1], row: seen, was: entry('pool exhausted') });
  assert.deepEqual(where, { path: ['timeline', 2] });
  assert.equal((v2.timeline[2] as { event: string }).event, 'pool exhausted');
});

test('a stale change to a row that is gone or changed is refused; an unchanged field of a changed row is not', () => {
  const rows = new RowIdentities();
  const v1 = { timeline: [entry('a'), entry('b'), entry('c')], title: 'T' };
  rows.update(1, v1);
  const b = rows.id('timeline', 1)!;
  const c = rows.id('timeline', 2)!;
  // b removed, c edited (its actor) from outside.
  const v2 = { timeline: [entry('a'), { ...entry('c'), actor: 'incident commander' }], title: 'T2' };
  rows.update(2, v2);
  assert.match((resolveChange(v2, 2, rows, { type: 'remove', version: 1, path: ['timeline', 1], row: b, was: entry('b') }) as { refused: string }).refused, /no longer in the file/);
  assert.match((resolveChange(v2, 2, rows, { type: 'remove', version: 1, path: ['timeline', 2], row: c, was: entry('c') }) as { refused: string }).refused, /changed/);
  // Setting c's event, which nobody else changed: lands on c where it is now.
  assert.deepEqual(resolveChange(v2, 2, rows, { type: 'set', version: 1, path: ['timeline', 2, 'event'], row: c, was: 'c' }), { path: ['timeline', 1, 'event'] });
  // Setting c's actor, which changed meanwhile: refused.
  assert.ok('refused' in resolveChange(v2, 2, rows, { type: 'set', version: 1, path: ['timeline', 2, 'actor'], row: c, was: 'on-call' }));
  // Outside lists: a stale set over a value that changed is refused, over one that did not is applied.
  assert.ok('refused' in resolveChange(v2, 2, rows, { type: 'set', version: 1, path: ['title'], was: 'T' }));
  assert.deepEqual(resolveChange(v2, 2, rows, { type: 'set', version: 1, path: ['summary'], was: null }), { path: ['summary'] });
  // The current version applies as it is.
  assert.deepEqual(resolveChange(v2, 2, rows, { type: 'set', version: 2, path: ['title'], was: 'T' }), { path: ['title'] });
});

test('rows edited in place keep their id, also next to an insertion in the same place', () => {
  const rows = new RowIdentities();
  rows.update(1, { actionItems: [{ description: 'x', owner: 'a', status: 'TODO' }, { description: 'y', owner: 'b', status: 'TODO' }] });
  const [x, y] = rows.ids('actionItems');
  rows.update(2, { actionItems: [{ description: 'x', owner: 'a', status: 'TODO' }, { description: 'new', owner: 'c', priority: 'LOW' }, { description: 'y', owner: 'b', status: 'DONE' }] });
  const now = rows.ids('actionItems');
  assert.equal(now[0], x);
  assert.equal(now[2], y, 'y, edited, keeps its id');
  assert.ok(![x, y].includes(now[1]), 'the inserted row is new');
});

/** A list, then random edits to it (insert, remove, edit in place), remembering where each old row went. */
const edits = fc.record({
  initial: fc.array(fc.record({ event: fc.string({ maxLength: 6 }), actor: fc.constantFrom('on-call', 'incident commander', 'alertmanager') }), { maxLength: 12 }),
  ops: fc.array(fc.record({ kind: fc.constantFrom('insert', 'remove', 'edit'), at: fc.nat(), text: fc.string({ maxLength: 6 }) }), { maxLength: 6 }),
});

test('alignment: every row that survives unchanged keeps its id, ids stay unique, and order is kept (property)', () => {
  fc.assert(
    fc.property(edits, ({ initial, ops }) => {
      const rows = new RowIdentities();
      const list: { event: string; actor: string; uid: number }[] = initial.map((r, i) => ({ ...r, uid: i }));
      const plain = () => list.map(({ event, actor }) => ({ event, actor }));
      rows.update(0, { timeline: plain() });
      const idOf = new Map(list.map((r, i) => [r.uid, rows.id('timeline', i)!]));
      const untouched = new Set(list.map((r) => r.uid));
      let uid = 1000;
      for (const op of ops) {
        const at = list.length ? op.at % (list.length + (op.kind === 'insert' ? 1 : 0)) : 0;
        if (op.kind === 'insert') list.splice(at, 0, { event: `+${op.text}`, actor: 'on-call', uid: uid++ });
        else if (list.length && op.kind === 'remove') untouched.delete(list.splice(at, 1)[0]!.uid);
        else if (list.length) {
          untouched.delete(list[at]!.uid);
          list[at] = { ...list[at]!, event: `${list[at]!.event}~${op.text}` };
        }
      }
      rows.update(1, { timeline: plain() });
      const ids = [...rows.ids('timeline')];
      assert.equal(new Set(ids).size, ids.length, 'ids are unique');
      // A row nobody touched keeps its id when it is the only row with its content (duplicates may swap).
      const count = new Map<string, number>();
      for (const r of list) count.set(rowKey({ event: r.event, actor: r.actor }), (count.get(rowKey({ event: r.event, actor: r.actor })) ?? 0) + 1);
      list.forEach((r, i) => {
        if (untouched.has(r.uid) && count.get(rowKey({ event: r.event, actor: r.actor })) === 1 && initial.filter((x) => x.event === r.event && x.actor === r.actor).length === 1) {
          assert.equal(ids[i], idOf.get(r.uid), `row ${JSON.stringify(r)} kept its id`);
        }
      });
      // Old ids appear in the same relative order as before.
      const old = [...idOf.values()];
      const kept = ids.filter((id) => old.includes(id));
      assert.deepEqual(kept, old.filter((id) => kept.includes(id)));
    }),
  );
});

test('resolveChange never points outside the list nor at another row than the one named (property)', () => {
  fc.assert(
    fc.property(edits, fc.nat(), fc.boolean(), ({ initial, ops }, pick, remove) => {
      const rows = new RowIdentities();
      let list = initial.map((r) => ({ ...r }));
      rows.update(0, { timeline: list });
      if (list.length === 0) return;
      const index = pick % list.length;
      const seen = rows.id('timeline', index)!;
      const shown = list[index]!;
      for (const op of ops) {
        const at = list.length ? op.at % (list.length + 1) : 0;
        list = [...list];
        if (op.kind === 'insert') list.splice(at, 0, { event: `+${op.text}`, actor: 'on-call' });
        else if (list.length && op.kind === 'remove') list.splice(Math.min(at, list.length - 1), 1);
        else if (list.length) list[Math.min(at, list.length - 1)] = { ...list[Math.min(at, list.length - 1)]!, event: `~${op.text}` };
      }
      const doc = { timeline: list };
      rows.update(1, doc);
      const where = resolveChange(doc, 1, rows, remove ? { type: 'remove', version: 0, path: ['timeline', index], row: seen, was: shown } : { type: 'set', version: 0, path: ['timeline', index, 'event'], row: seen, was: initial[index]!.event });
      if ('path' in where) {
        const i = where.path[1] as number;
        assert.ok(i >= 0 && i < list.length);
        assert.equal(rows.id('timeline', i), seen, 'the row named by the change');
        if (remove) assert.equal(rowKey(list[i]), rowKey(shown), 'a removal only of the row as the user saw it');
        else assert.equal(list[i]!.event, initial[index]!.event, 'a set only over the value the user saw');
      }
    }),
  );
});

test('large lists align in bounded time (greedy beyond the LCS table) and keep unchanged rows', () => {
  const n = 3000;
  const a = Array.from({ length: n }, (_, i) => `h${i}`);
  const b = [...a.slice(0, 1500).reverse(), ...a.slice(1500)];
  const values = (h: string[]) => h.map((x) => ({ x }));
  const out = alignRows({ hashes: a, values: values(a) }, { hashes: b, values: values(b) });
  for (let j = 1500; j < n; j++) assert.equal(out[j], j);
  assert.equal(new Set(out.filter((i) => i >= 0)).size, out.filter((i) => i >= 0).length, "no old row is taken twice");
});

test('the snapshot sends row ids with the rows, the same ids the host resolves changes with', () => {
  const rows = new RowIdentities();
  const text = (tl: unknown[]) => JSON.stringify({ title: 't', incidentId: 'INC-2026-001', timeline: tl, whatWentWell: ['w1', 'w2'] });
  const s1 = buildSnapshot(checkPostmortemText(text([entry('a'), entry('b')]), { positions: false }), { version: 1, fileName: 'p', today: '2026-12-06' }, undefined, rows);
  const s2 = buildSnapshot(checkPostmortemText(text([entry('z'), entry('a'), entry('b')]), { positions: false }), { version: 2, fileName: 'p', today: '2026-12-06' }, undefined, rows);
  assert.deepEqual(s2.timeline.rows.slice(1).map((r) => r.id), s1.timeline.rows.map((r) => r.id));
  assert.equal(s2.rows.whatWentWell!.length, 2);
  assert.deepEqual(s2.rows.whatWentWell, s1.rows.whatWentWell);
  assert.deepEqual(s2.lintContext, { names: [], allowOutage: false });
});
