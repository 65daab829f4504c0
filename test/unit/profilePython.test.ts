// Every common Python profiler's output (issue #13): cProfile/pstats read in TypeScript and checked against
// Python's own pstats, pyinstrument (json, pyisession), scalene, austin — real files from
// test/fixtures/profile (NOTE.md) — plus property tests of each reader, the empty py-spy stack, gzip, and
// `iwb profile diff --map`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import fc from 'fast-check';
import { ProfileParseError, type CallEdge } from '../../src/core/profile/model';
import { parseProfile } from '../../src/core/profile/parse';
import { APPROXIMATION_NOTE, parsePstats, readCallGraph } from '../../src/core/profile/pstats';
import { NO_PYTHON_FRAME } from '../../src/core/profile/pythonProfilers';
import { summarize } from '../../src/core/profile/summary';
import { tempDir, runCli } from './helpers';

const FIXTURES = path.join(__dirname, '../fixtures/profile');
const fixture = (f: string) => readFileSync(path.join(FIXTURES, f));
const WORKLOAD = readFileSync(path.join(FIXTURES, 'workload.py'), 'utf8').split('\n');
const HOT_LINE = WORKLOAD.findIndex((l) => l.includes('total += i * i % 7')) + 1;
const HOT_DEF = WORKLOAD.findIndex((l) => l.startsWith('def hot_loop')) + 1;
const PYTHON = process.env.IWB_PYTHON ?? 'python3';

const run = (argv: string[], cwd = FIXTURES) => runCli(argv, cwd);

// ---------------------------------------------------------------------------------- cProfile

test('cProfile: the marshal reader gives what Python\'s pstats reads, function by function and edge by edge', () => {
  const py = spawnSync(
    PYTHON,
    ['-c', 'import json,pstats,sys; s=pstats.Stats(sys.argv[1]).stats; print(json.dumps([[list(k), list(v[:4]), [[list(c), list(e)] for c, e in v[4].items()]] for k, v in s.items()]))', path.join(FIXTURES, 'workload.prof')],
    { encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  const expected = JSON.parse(py.stdout) as [[string, number, string], [number, number, number, number], [[string, number, string], number[]][]][];
  const g = readCallGraph(fixture('workload.prof'));
  assert.equal(g.functions.length, expected.length);
  const key = (f: string, l: number, n: string) => `${f}\u0000${l}\u0000${n}`;
  const mine = new Map(g.functions.map((f, i) => [key(f.file, f.line, f.name), i]));
  let edges = 0;
  for (const [[file, line, name], [cc, nc, tt, ct], callers] of expected) {
    const i = mine.get(key(file, line, name));
    assert.ok(i !== undefined, `${file}:${line} ${name}`);
    const f = g.functions[i]!;
    assert.deepEqual([f.cc, f.nc, f.tt, f.ct], [cc, nc, tt, ct]);
    for (const [[cf, cl, cn], values] of callers) {
      const callerId = mine.get(key(cf, cl, cn));
      const edge: CallEdge | undefined = g.edges.find((x) => x.callee === i && x.caller === callerId);
      assert.ok(edge, `edge ${cn} → ${name}`);
      // pstats reads a caller's tuple as (nc, cc, tt, ct).
      assert.deepEqual([edge.nc, edge.cc, edge.tt, edge.ct], values);
      edges++;
    }
  }
  assert.equal(g.edges.length, edges);
});

test('cProfile: exact tottime/cumtime in the summary, a flame graph approximated from the call graph', async () => {
  const p = await parseProfile(fixture('workload.prof'));
  assert.equal(p.format, 'pstats');
  assert.equal(p.unit, 'seconds');
  assert.equal(p.note, APPROXIMATION_NOTE);
  const s = summarize(p, { top: 3 });
  const hot = s.top[0]!;
  assert.deepEqual([hot.function, hot.file, hot.line], ['hot_loop', '/app/workload.py', HOT_DEF]);
  const g = p.callGraph!;
  const exact = g.functions.find((f) => f.name === 'hot_loop')!;
  assert.equal(hot.self, exact.tt);
  assert.equal(hot.total, exact.ct);
  assert.equal(hot.calls, exact.nc);
  assert.ok(Math.abs(s.totalWeight - g.totalTime) < 1e-12);
  // The approximated graph places all of the time, under the two roots cProfile saw called from outside
  // (the script's exec, which importlib calls seven more times inside it, and the profiler's disable),
  // and hot_loop under main.
  const weight = p.threads[0]!.weights.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(weight - g.totalTime) / g.totalTime < 1e-9, `${weight} vs ${g.totalTime}`);
  const roots = p.stackParent.flatMap((parent, i) => (parent < 0 ? [p.frames[p.stackFrame[i]!]!.name] : []));
  assert.deepEqual(roots.sort(), ['<built-in method builtins.exec>', "<method 'disable' of '_lsprof.Profiler' objects>"]);
  const hotFrame = p.frames.findIndex((f) => f.name === 'hot_loop');
  const hotStack = p.stackFrame.findIndex((f) => f === hotFrame);
  assert.equal(p.frames[p.stackFrame[p.stackParent[hotStack]!]!]!.name, 'main');
});

test('cProfile: a decorator shared by every function does not swallow their time in the approximated graph', (t) => {
  // outer → wrapper → inner, and wrapper → outer: the one `wrapper` code object sits twice on the path. A
  // function already on the path may come back through another caller → callee pair.
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'decorated.py'),
    ['import functools', 'def traced(f):', '    @functools.wraps(f)', '    def wrapper(*a):', '        return f(*a)', '    return wrapper',
      '@traced', 'def inner(n):', '    t = 0', '    for i in range(n):', '        t += i * i', '    return t',
      '@traced', 'def outer():', '    return sum(inner(20000) for _ in range(60))', 'outer()', ''].join('\n'),
  );
  const r = spawnSync(PYTHON, ['-m', 'cProfile', '-o', 'out.prof', 'decorated.py'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const p = parsePstats(readFileSync(path.join(dir, 'out.prof')));
  const inner = p.callGraph!.functions.findIndex((f) => f.name === 'inner');
  const placed = p.threads[0]!.stacks.reduce((sum, s, k) => sum + (p.stackFrame[s] === inner ? p.threads[0]!.weights[k]! : 0), 0);
  const exact = p.callGraph!.functions[inner]!.tt;
  assert.ok(Math.abs(placed - exact) / exact < 0.05, `inner: ${placed} placed, ${exact} measured`);
  const names = (s: number): string[] => (s < 0 ? [] : [...names(p.stackParent[s]!), p.frames[p.stackFrame[s]!]!.name]);
  const innerStack = p.stackFrame.findIndex((f) => f === inner);
  assert.deepEqual(names(innerStack).filter((n) => ['wrapper', 'outer', 'inner'].includes(n)), ['wrapper', 'outer', 'wrapper', 'inner']);
});

test('iwb profile summarize/diff on .prof files: exact figures with calls; the fast variant improves hot_loop', async () => {
  const r = await run(['profile', 'summarize', 'workload.prof', '--top', '2', '--json']);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.format, 'pstats');
  assert.deepEqual(Object.keys(s.top[0]).sort(), ['calls', 'file', 'function', 'line', 'self', 'selfPct', 'total', 'totalPct']);
  const d = await run(['profile', 'diff', 'workload.prof', 'workload-fast.prof', '--json']);
  assert.equal(d.code, 0, d.err);
  const hot = JSON.parse(d.out).functions.find((f: { function: string }) => f.function === 'hot_loop');
  assert.ok(hot.deltaPct < -20, JSON.stringify(hot));
});

/** A minimal marshal writer (version 4 layout) for the property test: what Python's marshal.dumps writes. */
function marshalStats(entries: { key: [string, number, string]; value: [number, number, number, number]; callers: { key: [string, number, string]; value: [number, number, number, number] }[] }[], useRefs: boolean): Uint8Array {
  const out: number[] = [];
  const refs = new Map<string, number>();
  let refCount = 0;
  const i32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    out.push(...b);
  };
  const str = (s: string) => {
    const seen = useRefs ? refs.get(s) : undefined;
    if (seen !== undefined) {
      out.push(0x72);
      i32(seen);
      return;
    }
    const bytes = Buffer.from(s, 'utf8');
    const ascii = bytes.length === s.length;
    const flag = useRefs ? 0x80 : 0;
    if (useRefs) refs.set(s, refCount++);
    if (ascii && bytes.length < 256) out.push(0x7a | flag, bytes.length, ...bytes);
    else {
      out.push(0x75 | flag);
      i32(bytes.length);
      out.push(...bytes);
    }
  };
  const int = (n: number) => {
    if (n < 2 ** 31) {
      out.push(0x69);
      i32(n);
    } else {
      const digits: number[] = [];
      for (let v = n; v > 0; v = Math.floor(v / 32768)) digits.push(v % 32768);
      out.push(0x6c);
      i32(digits.length);
      for (const d of digits) out.push(d & 0xff, d >> 8);
    }
  };
  const float = (x: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    out.push(0x67, ...b);
  };
  const key = (k: [string, number, string]) => {
    out.push(0x29, 3);
    str(k[0]);
    int(k[1]);
    str(k[2]);
  };
  const four = (v: [number, number, number, number], tail: boolean) => {
    out.push(0x29, tail ? 5 : 4);
    int(v[0]);
    int(v[1]);
    float(v[2]);
    float(v[3]);
  };
  out.push(0x7b);
  for (const e of entries) {
    key(e.key);
    four(e.value, true);
    out.push(0x7b);
    for (const c of e.callers) {
      key(c.key);
      four(c.value, false);
    }
    out.push(0x30);
  }
  out.push(0x30);
  return Uint8Array.from(out);
}

test('marshal: stats dicts of any shape read back exactly; broken bytes give a ProfileParseError (property)', () => {
  const keyArb = fc.tuple(fc.oneof(fc.constantFrom('~', '/app/a.py', '<frozen runpy>'), fc.string({ maxLength: 40 })), fc.nat({ max: 3_000_000_000 }), fc.string({ minLength: 1, maxLength: 30 }));
  const valArb = fc.tuple(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 40 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }));
  const statsArb = fc.uniqueArray(fc.record({ key: keyArb, value: valArb, callers: fc.array(fc.record({ key: keyArb, value: valArb }), { maxLength: 3 }) }), { minLength: 1, maxLength: 20, selector: (e) => e.key.join('\u0000') });
  fc.assert(
    fc.property(statsArb, fc.boolean(), (stats, refs) => {
      const g = readCallGraph(marshalStats(stats, refs));
      for (const e of stats) {
        const f = g.functions.find((x) => x.file === e.key[0] && x.line === e.key[1] && x.name === e.key[2])!;
        assert.ok(f);
        assert.deepEqual([f.cc, f.nc, f.tt, f.ct], e.value);
      }
      assert.equal(g.edges.length, stats.reduce((n, e) => n + e.callers.length, 0));
    }),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
      try {
        readCallGraph(Uint8Array.from([0x7b, 0x29, ...tail]));
      } catch (e) {
        assert.ok(e instanceof ProfileParseError, String(e));
      }
    }),
    { numRuns: 500 },
  );
  const prof = fixture('workload.prof');
  assert.throws(() => readCallGraph(prof.subarray(0, prof.length / 2)), /truncated/);
  const pyc = Uint8Array.from([0x7b, 0x29, 0x03, 0xe3, 0, 0, 0, 0]);
  assert.throws(() => readCallGraph(pyc), /code object|\.pyc/);
});

// ---------------------------------------------------------------------------------- pyinstrument, scalene, austin

/** A profiler this machine has (requirements-dev.txt), or why the test that needs it is skipped. */
function missing(cmd: string, args: string[]): string | false {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? false : `${cmd} ${args.join(' ')} does not run here (requirements-dev.txt)`;
}

test('today\'s installed profilers: what each writes now is read, with hot_loop among the top functions', async (t) => {
  // The fixtures are one recording; this runs the real tools again so a new release's format change shows.
  // scalene takes ten seconds to start and is left to its fixture.
  const dir = tempDir(t);
  const script = path.join(dir, 'workload.py');
  writeFileSync(script, WORKLOAD.join('\n'));
  const runs: { name: string; skip: string | false; cmd: string; args: string[]; out: string }[] = [
    { name: 'cProfile', skip: false, cmd: PYTHON, args: ['-m', 'cProfile', '-o', 'out.prof', script, '--seconds', '0.5'], out: 'out.prof' },
    { name: 'pyinstrument', skip: missing(PYTHON, ['-m', 'pyinstrument', '--version']), cmd: PYTHON, args: ['-m', 'pyinstrument', '-r', 'json', '-o', 'out.json', script, '--seconds', '0.5'], out: 'out.json' },
    { name: 'austin', skip: missing('austin', ['--version']), cmd: 'austin', args: ['-i', '2ms', '-t', '10s', '-o', 'out.austin', PYTHON, script, '--seconds', '0.5'], out: 'out.austin' },
  ];
  for (const r of runs) {
    await t.test(r.name, { skip: r.skip }, async () => {
      let p = spawnSync(r.cmd, r.args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      // austin 3.7 sometimes misses the interpreter of the Python it starts when the machine is loaded (the
      // unit files run side by side) and says it is "not a Python process": its attach is retried, twice.
      for (let attempt = 0; attempt < 2 && p.status !== 0 && /not a Python\s+process/.test(p.stderr + p.stdout); attempt++) {
        p = spawnSync(r.cmd, r.args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      }
      assert.equal(p.status, 0, `${r.name}: ${p.stderr}`);
      const profile = await parseProfile(readFileSync(path.join(dir, r.out)));
      const top = summarize(profile, { top: 10 }).top;
      assert.ok(top.some((f) => f.function === 'hot_loop' && f.file === script), `${r.name}: ${top.map((f) => f.function).join(', ')}`);
    });
  }
});


test('pyinstrument -r json and -r pyisession: hot_loop first, at its definition (json) and at the hot line (session)', async () => {
  const j = await parseProfile(fixture('workload.pyinstrument.json'));
  assert.equal(j.format, 'pyinstrument');
  const root = JSON.parse(fixture('workload.pyinstrument.json').toString()) as { root_frame: { time: number }; sample_count: number };
  const sj = summarize(j);
  assert.ok(Math.abs(sj.totalWeight - root.root_frame.time) < 1e-6);
  assert.equal(sj.samples, root.sample_count);
  assert.deepEqual([sj.top[0]!.function, sj.top[0]!.file, sj.top[0]!.line], ['hot_loop', '/app/workload.py', HOT_DEF]);
  const s = await parseProfile(fixture('workload.pyisession'));
  assert.equal(s.format, 'pyinstrument-session');
  const ss = summarize(s);
  // The line each sample was on (pyinstrument 5.1.3 on CPython 3.11 reports the loop's last line).
  assert.equal(ss.top[0]!.function, 'hot_loop');
  assert.ok(ss.top[0]!.line > HOT_DEF && ss.top[0]!.line <= HOT_LINE + 1, String(ss.top[0]!.line));
  assert.equal(ss.threads[0]!.name, 'MainThread');
  assert.ok(ss.samples > 50);
});

test('scalene --json and austin: hot_loop at the hot line; austin\'s empty stacks are counted; memory mode in bytes', async () => {
  const sc = await parseProfile(fixture('workload.scalene.json'));
  assert.equal(sc.format, 'scalene');
  const top = summarize(sc).top.filter((f) => f.function !== 'background_work')[0]!;
  assert.deepEqual([top.function, top.file, top.line], ['hot_loop', '/app/workload.py', HOT_LINE]);
  const au = await parseProfile(fixture('workload.austin'));
  assert.equal(au.format, 'austin');
  assert.equal(au.exporter, 'austin@3.7.0');
  assert.equal(au.unit, 'microseconds');
  assert.equal(au.threads.length, 2);
  const sa = summarize(au, { top: 50 });
  assert.ok(sa.top.some((f) => f.function === 'hot_loop' && f.line === HOT_LINE));
  const lines = fixture('workload.austin').toString().split('\n').filter((l) => /^P\d+;T[^; ]+ \d+$/.test(l));
  assert.ok(lines.length > 0, 'the fixture has samples without Python frames');
  const empty = sa.top.find((f) => f.function === NO_PYTHON_FRAME)!;
  assert.equal(empty.self, lines.reduce((n, l) => n + Number(l.split(' ')[1]), 0));
  const mem = await parseProfile(fixture('workload-memory.austin'));
  assert.equal(mem.unit, 'bytes');
});

const pyFrame = fc.record({ name: fc.stringMatching(/^[A-Za-z_<>][\w<>.]{0,10}$/), file: fc.constantFrom('/app/a.py', '/usr/lib/python3.11/x.py', 'C:\\w\\c.py', '<frozen runpy>'), line: fc.integer({ min: 1, max: 9999 }) });

test('pyinstrument, scalene and austin readers keep every stack\'s time (property)', async () => {
  // pyinstrument trees built from random stacks: each node's time is its own plus its children's.
  type Node = { f: { name: string; file: string; line: number }; self: number; kids: Map<string, Node> };
  const treeOf = (stacks: [{ name: string; file: string; line: number }[], number][]): Node => {
    const root: Node = { f: { name: '<module>', file: '/app/main.py', line: 1 }, self: 0, kids: new Map() };
    for (const [frames, w] of stacks) {
      let n = root;
      for (const f of frames) {
        const k = `${f.name}\u0000${f.file}\u0000${f.line}`;
        let c = n.kids.get(k);
        if (!c) n.kids.set(k, (c = { f, self: 0, kids: new Map() }));
        n = c;
      }
      n.self += w;
    }
    return root;
  };
  const total = (t: Node): number => t.self + [...t.kids.values()].reduce((n, k) => n + total(k), 0);
  const render = (t: Node): unknown => ({ function: t.f.name, file_path: t.f.file, line_no: t.f.line, time: total(t) / 1000, children: [...t.kids.values()].map(render) });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.array(pyFrame, { maxLength: 5 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 20 }), async (stacks) => {
      const t = treeOf(stacks);
      const p = await parseProfile(JSON.stringify({ duration: 1, sample_count: 3, root_frame: render(t) }));
      assert.ok(Math.abs(summarize(p).totalWeight - total(t) / 1000) < 1e-9);
    }),
    { numRuns: 100 },
  );
  const stackArb = fc.array(fc.tuple(fc.array(pyFrame, { maxLength: 6 }), fc.integer({ min: 1, max: 10_000 })), { minLength: 1, maxLength: 30 });
  await fc.assert(
    fc.asyncProperty(stackArb, async (stacks) => {
      const sum = stacks.reduce((n, [, w]) => n + w, 0);
      const austin = `# austin: 3.7.0\n# mode: wall\n\n${stacks.map(([fs, w]) => `P1;T0:1${fs.map((f) => `;${f.file}:${f.name}:${f.line}`).join('')} ${w}`).join('\n')}\n`;
      const a = await parseProfile(austin);
      assert.equal(summarize(a).totalWeight, sum);
      for (const [fs] of stacks) for (const f of fs) assert.ok(a.frames.some((x) => x.name === f.name && x.file === f.file && x.line === f.line), JSON.stringify(f));
      const withFrames = stacks.filter(([fs]) => fs.length > 0);
      fc.pre(withFrames.length > 0);
      const scalene = { elapsed_time_sec: 1, files: {}, stacks: withFrames.map(([fs, w]) => [fs.map((f) => `${f.file} ${f.name}:${f.line};`), { python_time: w / 2, c_time: w / 2, count: 1 }]) };
      const s = await parseProfile(JSON.stringify(scalene));
      assert.ok(Math.abs(summarize(s).totalWeight - withFrames.reduce((n, [, w]) => n + w, 0)) < 1e-6);
    }),
    { numRuns: 100 },
  );
});

// ---------------------------------------------------------------------------------- py-spy empty stacks, gzip, --map

test('a py-spy raw line with an empty stack is counted (as "(no Python frame)"), not dropped', async () => {
  // py-spy writes the stack joined by ";" then " COUNT": an empty stack is a line " 3" (src/flamegraph.rs).
  const raw = 'main (/app/w.py:9);hot (/app/w.py:3) 580\n 3\nmain (/app/w.py:9) 7\nthread (0x7f12): MainThread 0\n';
  const p = await parseProfile(raw);
  const s = summarize(p);
  assert.equal(s.samples, 590);
  assert.equal(s.totalWeight, 590);
  assert.equal(s.top.find((f) => f.function === NO_PYTHON_FRAME)!.self, 3);
  // A file that starts with the empty stack is still recognised.
  assert.equal(summarize(await parseProfile(' 3\nmain (/app/w.py:9) 7\n')).totalWeight, 10);
  // speedscope samples with no frames likewise.
  const speedscope = { $schema: 'https://www.speedscope.app/file-format-schema.json', shared: { frames: [{ name: 'main', file: '/app/w.py', line: 9 }] }, profiles: [{ type: 'sampled', name: 't', unit: 'seconds', startValue: 0, endValue: 1, samples: [[0], []], weights: [0.01, 0.01] }] };
  const sp = summarize(await parseProfile(JSON.stringify(speedscope)));
  assert.equal(sp.top.find((f) => f.function === NO_PYTHON_FRAME)!.self, 0.01);
});

test('gzip-compressed profiles are read; a damaged gzip says so', async () => {
  const plain = await parseProfile(fixture('workload.speedscope.json'));
  const gz = await parseProfile(gzipSync(fixture('workload.speedscope.json')));
  assert.deepEqual(summarize(gz), summarize(plain));
  const broken = gzipSync(fixture('workload.speedscope.json')).subarray(0, 200);
  await assert.rejects(parseProfile(broken), (e: unknown) => e instanceof ProfileParseError);
  await assert.rejects(parseProfile(gzipSync(Buffer.from('not a profile at all\n'))), (e: unknown) => e instanceof ProfileParseError);
});

test('iwb profile diff --map FROM=TO: the same code recorded under /app and in the checkout matches', async (t) => {
  const dir = tempDir(t);
  const checkout = path.join(dir, 'checkout');
  writeFileSync(path.join(dir, 'local.speedscope.json'), fixture('workload-fast.speedscope.json').toString().replaceAll('/app/', `${checkout}/`));
  const unmapped = await run(['profile', 'diff', path.join(FIXTURES, 'workload.speedscope.json'), 'local.speedscope.json', '--json'], dir);
  assert.equal(unmapped.code, 0, unmapped.err);
  const hotRows = (out: string) => JSON.parse(out).functions.filter((f: { function: string }) => f.function === 'hot_loop');
  assert.equal(hotRows(unmapped.out).length, 2, 'without a mapping, hot_loop in /app and in the checkout are two functions');
  const mapped = await run(['profile', 'diff', path.join(FIXTURES, 'workload.speedscope.json'), 'local.speedscope.json', '--map', '/app=checkout', '--json'], dir);
  assert.equal(mapped.code, 0, mapped.err);
  const rows = hotRows(mapped.out);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].file, path.join(checkout, 'workload.py'));
  assert.ok(rows[0].beforePct > 0 && rows[0].afterPct > 0 && rows[0].deltaPct < -10, JSON.stringify(rows[0]));
  const bad = await run(['profile', 'diff', 'a', 'b', '--map', 'nothing'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--map needs FROM=TO/);
});
