import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { FrameKeys, buildDiffTree, buildFlameTree, children, functionTotals, layoutBoxes, matchedShare, pathTo, sandwich, sortChildren, type TreeInput } from '../../src/core/profile/flameTree';
import { isIdleFrame } from '../../src/core/profile/idle';
import { parseProfile } from '../../src/core/profile/parse';
import { functionStats } from '../../src/core/profile/summary';
import { encodeFlameData } from '../../src/presenters/flamegraph';
import { decodeFrames, treeInput } from '../../src/protocol/flamegraph';

/** A random profile in the model's shape: frames, a stack table where parents come first, weights. */
const inputArb: fc.Arbitrary<TreeInput> = fc
  .record({
    frames: fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'wait', 'd'), file: fc.constantFrom('/w/x.py', '/usr/lib/python3.11/threading.py'), line: fc.nat({ max: 3 }) }).map((f) => ({ ...f, mine: f.file.startsWith('/w/') })), { minLength: 1, maxLength: 8 }),
    parents: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
    frameOf: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    samples: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 60 }),
    threads: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ frames, parents, frameOf, samples, threads }) => {
    const stackParent = parents.map((p, i) => (i === 0 ? -1 : (p % (i + 1)) - 1));
    const stackFrame = parents.map((_, i) => frameOf[i]! % frames.length);
    const withIdle = frames.map((f) => ({ ...f, idle: isIdleFrame(f) }));
    const ts = Array.from({ length: threads }, () => ({ stacks: [] as number[], weights: [] as number[] }));
    samples.forEach(([s, w], k) => {
      ts[k % threads]!.stacks.push(s % stackParent.length);
      ts[k % threads]!.weights.push(w);
    });
    return { frames: withIdle, stackParent, stackFrame, threads: ts };
  });

const sum = (input: TreeInput, pick: (frameIdx: number) => boolean = () => true) =>
  input.threads.reduce((a, t) => a + Array.from(t.weights).reduce((x, w, k) => x + (pick(input.stackFrame[t.stacks[k]!]!) ? w : 0), 0), 0);

test('flame tree: the root holds every sample; filters fold or drop exactly what they should (property)', () => {
  fc.assert(
    fc.property(inputArb, fc.boolean(), (input, leftHeavy) => {
      const keys = new FrameKeys();
      const canon = keys.intern(input.frames);
      const all = buildFlameTree(input, canon);
      assert.equal(all.total[0], sum(input));
      // Every node's total is its self plus its children's totals.
      for (let n = 0; n < all.count; n++) {
        let kids = 0;
        for (let i = all.childStart[n]!; i < all.childStart[n + 1]!; i++) kids += all.total[all.childIndex[i]!]!;
        assert.ok(Math.abs(all.total[n]! - all.self[n]! - kids) < 1e-9);
      }
      const mine = buildFlameTree(input, canon, { onlyMine: true });
      assert.equal(mine.total[0], sum(input), 'only my code folds frames, it drops no samples');
      for (let n = 1; n < mine.count; n++) assert.ok(keys.frames[mine.key[n]!]!.mine);
      const busy = buildFlameTree(input, canon, { hideIdle: true });
      assert.equal(busy.total[0], sum(input, (f) => !input.frames[f]!.idle));
      const one = buildFlameTree(input, canon, { threads: [0] });
      assert.equal(one.total[0], Array.from(input.threads[0]!.weights).reduce((a, b) => a + b, 0));
      sortChildren(all, keys.frames, leftHeavy);
      for (let n = 0; n < all.count; n++) {
        const c = children(all, n);
        for (let i = 1; i < c.length; i++) {
          if (leftHeavy) assert.ok(all.total[c[i - 1]!]! >= all.total[c[i]!]!);
          else assert.ok(keys.frames[all.key[c[i - 1]!]!]!.name <= keys.frames[all.key[c[i]!]!]!.name);
        }
      }
      const boxes = layoutBoxes(all, 0, 0.05);
      for (const b of boxes) {
        assert.ok(b.node === 0 || b.width >= 0.05);
        assert.ok(b.x >= -1e-9 && b.x + b.width <= 1 + 1e-9);
      }
    }),
    { numRuns: 200 },
  );
});

test('diff tree: "before" is scaled to the same root total; a profile against itself changes nothing (property)', () => {
  fc.assert(
    fc.property(inputArb, inputArb, (a, b) => {
      const keys = new FrameKeys();
      const ca = keys.intern(a.frames);
      const cb = keys.intern(b.frames);
      const d = buildDiffTree(a, ca, b, cb);
      assert.ok(Math.abs(d.total[0]! - d.base[0]!) < 1e-6 * d.total[0]!);
      const same = buildDiffTree(a, ca, a, ca);
      for (let n = 0; n < same.count; n++) assert.ok(Math.abs(same.total[n]! - same.base[n]!) < 1e-9);
    }),
    { numRuns: 100 },
  );
});

test('sandwich and search agree with the summary on a real py-spy profile', async () => {
  const p = await parseProfile(readFileSync(path.join(__dirname, '../fixtures/profile/workload.speedscope.json')));
  const keys = new FrameKeys();
  const input: TreeInput = { frames: p.frames, stackParent: p.stackParent, stackFrame: p.stackFrame, threads: p.threads };
  const tree = buildFlameTree(input, keys.intern(p.frames));
  const hotKey = keys.frames.findIndex((f) => f.name === 'hot_loop');
  const func = keys.func[hotKey]!;
  const s = sandwich(tree, keys, func);
  const stats = functionStats(p).functions.get(`hot_loop\u0000${p.frames[hotKey]!.file}`)!;
  assert.ok(Math.abs(s.total - stats.total) < 1e-9 && Math.abs(s.self - stats.self) < 1e-9);
  assert.ok(Math.abs(s.callers.total[0]! - stats.total) < 1e-9);
  assert.equal(keys.frames[s.callers.key[1]!]!.name, 'hot_loop');
  // A caller chain: hot_loop <- main <- <module>.
  const chain = pathTo(s.callers, s.callers.count - 1).map((n) => keys.frames[s.callers.key[n]!]!.name);
  assert.deepEqual(chain, ['hot_loop', 'main', '<module>']);
  const m = matchedShare(tree, (k) => keys.frames[k]!.name === 'hot_loop');
  assert.ok(Math.abs(m.share - stats.total / tree.total[0]!) < 1e-9);
});

test('one definition of a function\'s share: functionTotals is the sandwich total, recursion once (property)', async () => {
  const frame = fc.constantFrom('a (/app/a.py:1)', 'b (/app/b.py:2)', 'a (/app/a.py:9)', 'c', 'd (/app/d.py:4)');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.array(frame, { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 25 }), async (rows) => {
      const p = await parseProfile(rows.map(([st, n]) => `${st.join(';')} ${n}`).join('\n'));
      const keys = new FrameKeys();
      const tree = buildFlameTree({ frames: p.frames, stackParent: p.stackParent, stackFrame: p.stackFrame, threads: p.threads }, keys.intern(p.frames));
      for (const func of new Set(keys.func)) {
        const t = functionTotals(tree, keys, func);
        const s = sandwich(tree, keys, func);
        assert.ok(Math.abs(t.total - s.total) < 1e-9 && Math.abs(t.self - s.self) < 1e-9);
        // Never more than all samples, never less than any one node of the function.
        assert.ok(t.total <= tree.total[0]! + 1e-9);
        for (let n = 1; n < tree.count; n++) if (keys.func[tree.key[n]!] === func) assert.ok(tree.total[n]! <= t.total + 1e-9);
      }
    }),
    { numRuns: 100 },
  );
});

test('idle frames: the standard library blocking calls, not user functions of the same name', () => {
  assert.ok(isIdleFrame({ name: 'Condition.wait', file: '/usr/lib/python3.11/threading.py' }));
  assert.ok(isIdleFrame({ name: 'select', file: '/usr/lib/python3.11/selectors.py' }));
  assert.ok(!isIdleFrame({ name: 'wait', file: '/app/service/model.py' }));
  assert.ok(!isIdleFrame({ name: 'hot_loop', file: '/app/workload.py' }));
});

test('the page columns (typed arrays) give back every frame and the same tree as the profile (property)', async () => {
  const frame = fc.constantFrom('a (/app/a.py:1)', 'b (/app/b.py:2)', 'wait (/usr/lib/python3.11/threading.py:320)', 'c', 'a (/app/a.py:9)');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.array(frame, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 30 }), async (rows) => {
      const p = await parseProfile(rows.map(([st, n]) => `${st.join(';')} ${n}`).join('\n'));
      const mine = (file: string) => file.startsWith('/app/');
      const data = encodeFlameData(p, mine, isIdleFrame);
      // Own buffers only: VS Code sends a typed array's whole underlying buffer.
      for (const a of [data.frameName, data.frameFile, data.frameLine, data.frameFlags, data.stackParent, data.stackFrame, ...data.threads.flatMap((t) => [t.stacks, t.weights])]) {
        assert.equal(a.byteOffset, 0);
        assert.equal(a.byteLength, a.buffer.byteLength);
      }
      const frames = decodeFrames(data);
      assert.deepEqual(
        frames,
        p.frames.map((f) => ({ name: f.name, file: f.file, line: f.line, kind: f.kind, mine: f.file !== '' && mine(f.file), idle: isIdleFrame(f) })),
      );
      const plainKeys = new FrameKeys();
      const plain = buildFlameTree({ frames: frames, stackParent: p.stackParent, stackFrame: p.stackFrame, threads: p.threads }, plainKeys.intern(frames), { hideIdle: true });
      const typedKeys = new FrameKeys();
      const input = treeInput(data);
      const typed = buildFlameTree(input, typedKeys.intern(input.frames), { hideIdle: true });
      assert.deepEqual([...typed.total], [...plain.total]);
      assert.deepEqual([...typed.key], [...plain.key]);
    }),
    { numRuns: 100 },
  );
});
