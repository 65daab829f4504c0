import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { focusLabel, focusProfile, sharesKey } from '../../src/core/profile/focus';
import { totalWeight, type Frame, type Profile } from '../../src/core/profile/model';
import { lineHeat } from '../../src/core/profile/summary';

const fr = (name: string, file: string, line: number): Frame => ({ name, file, line, kind: 'python' });

// main -> handle -> rank -> score (8 samples), main -> handle -> load (2), main -> idle wait (5, other thread).
function demo(): Profile {
  const frames = [fr('main', 'server.py', 10), fr('handle', 'server.py', 20), fr('rank', 'model.py', 5), fr('score', 'model.py', 30), fr('load', 'model.py', 50), fr('json.loads', '/usr/lib/json.py', 1), fr('wait', 'threading.py', 3)];
  //            0 main  1 handle  2 rank  3 score  4 load  5 json(lib) 6 load under lib  7 wait
  const stackParent = [-1, 0, 1, 2, 1, 4, 5, 0];
  const stackFrame = [0, 1, 2, 3, 4, 5, 4, 6];
  return {
    format: 'collapsed',
    unit: 'samples',
    frames,
    stackParent,
    stackFrame,
    threads: [
      { name: 'MainThread', stacks: [3, 2, 5], weights: [6, 2, 2], samples: 10 },
      { name: 'worker', stacks: [7], weights: [5], samples: 5 },
    ],
    warnings: [],
  };
}

test('zooming into rank keeps only its samples, re-rooted at rank', () => {
  const p = demo();
  const f = focusProfile(p, [fr('main', 'server.py', 10), fr('handle', 'server.py', 20), fr('rank', 'model.py', 5)]);
  assert.equal(totalWeight(f), 8);
  const heat = lineHeat(f);
  assert.deepEqual([...heat.keys()].sort(), ['model.py']);
  // rank: 2 of 8 self, 8 of 8 total; score: 6 of 8 self.
  assert.deepEqual(heat.get('model.py')!.get(5), { self: 0.25, total: 1 });
  assert.deepEqual(heat.get('model.py')!.get(30), { self: 0.75, total: 0.75 });
  assert.equal(heat.get('model.py')!.has(50), false, 'load is a sibling, not under rank');
  // Roots of the focused profile are rank frames only.
  f.stackParent.forEach((parent, s) => parent < 0 && assert.equal(f.frames[f.stackFrame[s]!]!.name, 'rank'));
});

test('no path keeps everything; a thread choice keeps only that thread', () => {
  const p = demo();
  assert.equal(totalWeight(focusProfile(p, [])), 15);
  const worker = focusProfile(p, [], { threads: [1] });
  assert.equal(totalWeight(worker), 5);
  assert.deepEqual([...lineHeat(worker).keys()].sort(), ['server.py', 'threading.py']);
  assert.equal(totalWeight(focusProfile(p, [fr('main', 'server.py', 10), fr('handle', 'server.py', 20)], { threads: [1] })), 0);
});

test('only my code: library frames are passed over while matching; hide idle drops idle leaves', () => {
  const p = demo();
  const mine = (f: Frame) => !f.file.startsWith('/usr/');
  const path = [fr('main', 'server.py', 10), fr('handle', 'server.py', 20), fr('load', 'model.py', 50)];
  assert.equal(totalWeight(focusProfile(p, path)), 2, 'load directly under handle');
  assert.equal(totalWeight(focusProfile(p, path, { skip: (f) => !mine(f) })), 2);
  assert.equal(totalWeight(focusProfile(p, [fr('main', 'server.py', 10)], { dropLeaf: (f) => f.name === 'wait' })), 10);
});

test('a path that matches nothing leaves nothing; a wrong line is another frame', () => {
  const p = demo();
  assert.equal(totalWeight(focusProfile(p, [fr('main', 'server.py', 11)])), 0);
  assert.equal(lineHeat(focusProfile(p, [fr('nope', '', 0)])).size, 0);
});

test('property: the subtrees of the root frames partition the samples, and every focused stack keeps a valid parent', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 30, maxLength: 30 }),
      (paths, weights) => {
        const frames = [0, 1, 2, 3, 4].map((i) => fr(`f${i}`, `m${i % 2}.py`, i + 1));
        const stackParent: number[] = [];
        const stackFrame: number[] = [];
        const ids = new Map<string, number>();
        const leaf = paths.map((path) => {
          let parent = -1;
          for (const f of path) {
            const key = `${parent}:${f}`;
            let id = ids.get(key);
            if (id === undefined) {
              id = stackParent.length;
              ids.set(key, id);
              stackParent.push(parent);
              stackFrame.push(f);
            }
            parent = id;
          }
          return parent;
        });
        const p: Profile = { format: 'collapsed', unit: 'samples', frames, stackParent, stackFrame, threads: [{ name: 't', stacks: leaf, weights: leaf.map((_, i) => weights[i]!), samples: leaf.length }], warnings: [] };
        let sum = 0;
        for (const f of frames) {
          const focused = focusProfile(p, [f]);
          focused.stackParent.forEach((parent, s) => assert.ok(parent < s));
          sum += totalWeight(focused);
        }
        assert.equal(sum, totalWeight(p));
      },
    ),
  );
});

test('the note names the zoomed frame and the thread, as text', () => {
  assert.equal(focusLabel([fr('rank', '/srv/service/model.py', 5)], 'MainThread'), 'rank (model.py:5) · thread MainThread');
  assert.equal(focusLabel([fr('<img src=x onerror=alert(1)>', '', 0)]), '<img src=x onerror=alert(1)>');
});

test('sharesKey: equal exactly when the heat would be: no zoom is the whole profile, a zoom, idle or threads differ', () => {
  const none = { path: [], onlyMine: false, hideIdle: false };
  assert.equal(sharesKey(null, undefined, 0), sharesKey(null, none, 0));
  assert.equal(sharesKey(null, undefined, 0), sharesKey(null, { ...none, onlyMine: true }, 0));
  assert.notEqual(sharesKey(null, undefined, 0), sharesKey(null, { ...none, hideIdle: true }, 0));
  assert.notEqual(sharesKey(null, undefined, 0), sharesKey([0], undefined, 0));
  assert.notEqual(sharesKey(null, undefined, 0), sharesKey(null, undefined, 1));
  const rank = { path: [{ name: 'rank', file: 'model.py', line: 5 }], onlyMine: false, hideIdle: false };
  assert.notEqual(sharesKey(null, rank, 0), sharesKey(null, { ...rank, onlyMine: true }, 0));
  assert.equal(sharesKey([1, 2], rank, 3), sharesKey([1, 2], { path: [{ name: 'rank', file: 'model.py', line: 5 }], onlyMine: false, hideIdle: false }, 3));
  // The key follows what sharesOf reads: with no narrowing zoom, the whole profile's line heat.
  const p = demo();
  assert.deepEqual(lineHeat(focusProfile(p, [])), lineHeat(p));
});
