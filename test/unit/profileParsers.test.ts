import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { ProfileParseError, stackFrames, type Profile } from '../../src/core/profile/model';
import { parseProfile } from '../../src/core/profile/parse';
import { summarize } from '../../src/core/profile/summary';
import { parseFrameText } from '../../src/core/profile/collapsed';

const FIXTURES = path.join(__dirname, '../fixtures/profile');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
/** The line of `def hot_loop`'s multiply-add in workload.py, read from the file so the test follows edits. */
const HOT_LINE = readFileSync(path.join(FIXTURES, 'workload.py'), 'utf8').split('\n').findIndex((l) => l.includes('total += i * i % 7')) + 1;

/** Every sampled stack as "frame;frame;frame" (root first) with its weight, all threads merged. */
function stacksOf(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of p.threads) {
    t.stacks.forEach((s, k) => {
      const key = stackFrames(p, s)
        .map((f) => {
          const fr = p.frames[f]!;
          return fr.file ? `${fr.name} (${fr.file}${fr.line ? `:${fr.line}` : ''})` : fr.name;
        })
        .join(';');
      out.set(key, (out.get(key) ?? 0) + t.weights[k]!);
    });
  }
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

// ---------------------------------------------------------------- real py-spy output

for (const [file, format, threads] of [
  ['workload.speedscope.json', 'speedscope-sampled', 2],
  ['workload-threads.raw', 'pyspy-raw', 2],
  ['workload-short-names.raw', 'pyspy-raw', 1],
  ['workload.chrometrace.json', 'pyspy-chrometrace', 2],
  ['workload-subprocesses.raw', 'pyspy-raw', 4],
] as const) {
  test(`real py-spy ${file}: format ${format}, hot_loop at workload.py:${HOT_LINE} is the hottest self frame`, async () => {
    const p = await parseProfile(fixture(file));
    assert.equal(p.format, format);
    assert.equal(p.threads.length, threads);
    // Chrome traces weigh by time, and the background thread's sleeps count: look at the main thread there.
    const main = p.threads.findIndex((t) => t.stacks.some((st) => stackFrames(p, st).some((f) => p.frames[f]!.name === 'main')));
    const s = summarize(p, { top: 3, ...(format === 'pyspy-chrometrace' ? { threads: [main] } : {}) });
    assert.equal(s.top[0]!.function, 'hot_loop');
    assert.match(s.top[0]!.file, /(^|\/)workload\.py$/);
    assert.equal(s.top[0]!.line, HOT_LINE);
    assert.ok(s.top[0]!.selfPct > 30, `hot_loop self ${s.top[0]!.selfPct}%`);
    assert.deepEqual(p.warnings, []);
  });
}

test('py-spy --threads roots become thread names, not frames', async () => {
  const p = await parseProfile(fixture('workload-threads.raw'));
  assert.deepEqual(p.threads.map((t) => t.name.replace(/\d+/, 'N')).sort(), ['MainThread (N)', 'background (N)']);
  assert.ok(!p.frames.some((f) => f.name.startsWith('thread (')));
});

test('py-spy speedscope keeps the thread names and the exporter', async () => {
  const p = await parseProfile(fixture('workload.speedscope.json'));
  assert.match(p.exporter ?? '', /^py-spy@0\.4/);
  assert.ok(p.threads.some((t) => /MainThread/.test(t.name)));
  assert.equal(p.unit, 'seconds');
});

test('the same recording read as speedscope and as a stream of 7-byte chunks gives the same profile', async () => {
  const bytes = fixture('workload.speedscope.json');
  async function* tiny() {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
  }
  assert.deepEqual(stacksOf(await parseProfile(tiny())), stacksOf(await parseProfile(bytes)));
});

// ---------------------------------------------------------------- properties, one per parser

const frameArb = fc.record({
  name: fc.stringMatching(/^[A-Za-z_<>.][\w<>. ]{0,12}$/).filter((s) => !/^(thread|process) /.test(s) && !s.endsWith(' ') && s.trim() === s),
  file: fc.constantFrom('', '/app/a.py', '/usr/lib/python3.11/threading.py', 'rel/b.py', 'C:\\w\\c.py'),
  line: fc.nat({ max: 5000 }),
});
const stackArb = fc.array(frameArb, { minLength: 1, maxLength: 8 });
const text = (f: { name: string; file: string; line: number }) => (f.file ? `${f.name} (${f.file}${f.line ? `:${f.line}` : ''})` : f.name);

test('collapsed stacks: every stack and count comes back (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(stackArb, fc.integer({ min: 1, max: 10_000 })), { minLength: 1, maxLength: 40 }), fc.boolean(), async (rows, crlf) => {
      const expected = new Map<string, number>();
      for (const [st, n] of rows) {
        const key = st.map(text).join(';');
        expected.set(key, (expected.get(key) ?? 0) + n);
      }
      const body = rows.map(([st, n]) => `${st.map(text).join(';')} ${n}`).join(crlf ? '\r\n' : '\n');
      const p = await parseProfile(body + '\n');
      assert.deepEqual(stacksOf(p), expected);
      assert.equal(summarize(p).samples, rows.reduce((a, [, n]) => a + n, 0));
    }),
    { numRuns: 150 },
  );
});

test('speedscope sampled: weights per stack are the sums of the samples (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(frameArb, { minLength: 1, maxLength: 20 }),
      fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.double({ min: 0.001, max: 5, noNaN: true })), { minLength: 1, maxLength: 60 }),
      async (frames, samples) => {
        const stacks = samples.map(([s]) => s.map((i) => i % frames.length));
        const doc = {
          $schema: 'https://www.speedscope.app/file-format-schema.json',
          profiles: [{ type: 'sampled', name: 'Thread 1 "main"', unit: 'seconds', startValue: 0, endValue: 1, samples: stacks, weights: samples.map(([, w]) => w) }],
          shared: { frames },
          exporter: 'test',
        };
        const p = await parseProfile(JSON.stringify(doc));
        const expected = new Map<string, number>();
        stacks.forEach((st, k) => {
          const key = st.map((i) => text(frames[i]!)).join(';');
          expected.set(key, (expected.get(key) ?? 0) + samples[k]![1]);
        });
        const got = stacksOf(p);
        assert.equal(got.size, expected.size);
        for (const [k, v] of expected) assert.ok(close(got.get(k)!, v), k);
        assert.equal(p.threads[0]!.samples, samples.length);
      },
    ),
    { numRuns: 120 },
  );
});

/** A random well-nested call tree flattened into (stack, duration) leaves and open/close events. */
type CallTree = { f: number; dur: number; children: CallTree[] };
const callTreeArb = (depth: number): fc.Arbitrary<CallTree> =>
  fc.record({ f: fc.nat({ max: 9 }), dur: fc.integer({ min: 1, max: 100 }), children: depth === 0 ? fc.constant([]) : fc.array(callTreeArb(depth - 1), { maxLength: 3 }) });
type CallNode = CallTree;

function walk(nodes: CallNode[], visit: (kind: 'O' | 'C' | 'self', n: CallNode, path: number[], dur: number) => void, path: number[] = []): void {
  for (const n of nodes) {
    const p = [...path, n.f];
    visit('O', n, p, 0);
    visit('self', n, p, n.dur);
    walk(n.children, visit, p);
    visit('C', n, p, 0);
  }
}

test('speedscope evented and Chrome traces (B/E and X): self time per stack is exact (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(callTreeArb(3), { minLength: 1, maxLength: 4 }), async (trees) => {
      const names = Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, file: `/app/m${i}.py`, line: i + 1 }));
      const expected = new Map<string, number>();
      const events: { type: 'O' | 'C'; at: number; frame: number }[] = [];
      const be: object[] = [];
      const x: object[] = [];
      let now = 0;
      const starts: number[] = [];
      walk(trees, (kind, n, p, dur) => {
        if (kind === 'O') {
          events.push({ type: 'O', at: now, frame: n.f });
          be.push({ ph: 'B', name: names[n.f]!.name, cat: 'py-spy', pid: 1, tid: 2, ts: now, args: { filename: names[n.f]!.file, line: names[n.f]!.line } });
          starts.push(now);
        } else if (kind === 'self') {
          const key = p.map((i) => text(names[i]!)).join(';');
          expected.set(key, (expected.get(key) ?? 0) + dur);
          now += dur;
        } else {
          events.push({ type: 'C', at: now, frame: n.f });
          be.push({ ph: 'E', name: names[n.f]!.name, cat: 'py-spy', pid: 1, tid: 2, ts: now, args: { filename: names[n.f]!.file, line: names[n.f]!.line } });
          const start = starts.pop()!;
          x.push({ ph: 'X', name: `${names[n.f]!.file}(${names[n.f]!.line}): ${names[n.f]!.name}`, cat: 'python_function', pid: 1, tid: 2, ts: start, dur: now - start });
        }
      });
      const evented = { profiles: [{ type: 'evented', name: 't', unit: 'microseconds', startValue: 0, endValue: now, events }], shared: { frames: names } };
      for (const doc of [evented, be, { traceEvents: x, schemaVersion: 1 }]) {
        const p = await parseProfile(JSON.stringify(doc));
        const got = stacksOf(p);
        assert.equal(got.size, expected.size, JSON.stringify([...got.keys()]));
        for (const [k, v] of expected) assert.ok(close(got.get(k) ?? NaN, v), `${p.format} ${k}: ${got.get(k)} != ${v}`);
      }
    }),
    { numRuns: 120 },
  );
});

test('any bytes at all: a profile or a ProfileParseError, never another exception (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
        fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
        fc.constantFrom('{"profiles":[', '[{"ph":"B"', 'a;b 1\nc', '{"shared":{"frames":[]},"profiles":[{"samples":[[5]]}]}').map((s) => new TextEncoder().encode(s)),
      ),
      async (bytes) => {
        try {
          const p = await parseProfile(bytes);
          assert.ok(p.threads.length >= 0);
        } catch (e) {
          assert.ok(e instanceof ProfileParseError, `${(e as Error).name}: ${(e as Error).message}`);
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('real fixtures cut at any point: a message or the part that was read, never a crash (property)', async () => {
  const files = ['workload.speedscope.json', 'workload-threads.raw', 'workload.chrometrace.json'].map(fixture);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: files.length - 1 }), fc.double({ min: 0, max: 0.999, noNaN: true }), async (i, at) => {
      const bytes = files[i]!;
      const cut = bytes.subarray(0, Math.floor(at * bytes.length));
      try {
        const p = await parseProfile(cut);
        assert.ok(p.threads.length > 0);
      } catch (e) {
        assert.ok(e instanceof ProfileParseError, String(e));
      }
    }),
    { numRuns: 150 },
  );
});

// ---------------------------------------------------------------- specific bad input

test('bad input gets a specific message', async () => {
  const cases: [string | Uint8Array, RegExp][] = [
    ['', /empty/],
    ['   \n\n', /empty/],
    [new Uint8Array([0x1f, 0x8b, 8, 0, 0]), /gzip/],
    [new Uint8Array([0, 1, 2, 3, 0, 0]), /binary/],
    ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', /SVG flame graph.*--format speedscope/],
    ['hello world\nthis is text', /neither JSON nor/],
    ['{"nodes":[],"startTime":0,"endTime":1,"samples":[]}', /cpuprofile/],
    ['{"resourceSpans":[]}', /OpenTelemetry/],
    ['{"a":1}', /not a profile format/],
    ['[1,2,3]', /not of Chrome trace events/],
    ['[]', /no events/],
    ['{"profiles":[{"type":"sampled","samples":[[0,1]],"weights":[1]}]', /truncated|ends inside/],
    ['{"profiles":[{"type":"sampled","samples":[[0,7]],"weights":[1]}],"shared":{"frames":[{"name":"a"}]}}', /frame 7/],
    ['{"profiles":[{"type":"sampled","samples":[["x"]],"weights":[1]}],"shared":{"frames":[{"name":"a"}]}}', /not a frame index/],
    ['{"profiles":[],"shared":{"frames":[]}}', /empty/],
    ['a;b 1\n{', /skipped|last line/],
  ];
  for (const [input, re] of cases) {
    try {
      const p = await parseProfile(input);
      assert.ok(p.warnings.some((w) => re.test(w)), `${JSON.stringify(input)} parsed with warnings ${JSON.stringify(p.warnings)}`);
    } catch (e) {
      assert.ok(e instanceof ProfileParseError, String(e));
      assert.match(e.message, re, JSON.stringify(input));
    }
  }
});

test('a truncated Chrome trace keeps the events before the cut', async () => {
  const text = fixture('workload.chrometrace.json').toString('utf8');
  const p = await parseProfile(text.slice(0, Math.floor(text.length * 0.6)));
  assert.ok(p.threads.length > 0);
  assert.match(p.warnings[0]!, /ends inside/);
});

test('a Chrome trace with garbage in the middle throws with the part before it', async () => {
  const text = fixture('workload.chrometrace.json').toString('utf8');
  const cut = text.indexOf('},{', Math.floor(text.length / 2));
  try {
    await parseProfile(`${text.slice(0, cut + 2)}@@garbage`);
    assert.fail('should not parse');
  } catch (e) {
    assert.ok(e instanceof ProfileParseError);
    assert.ok(e.partial && e.partial.threads.length > 0);
  }
});

test('torch.profiler traces: python_function names become file, line and function; raw control characters are tolerated', async () => {
  const trace =
    '{"schemaVersion":1,"deviceProperties":[],"traceEvents":[' +
    '{"ph":"X","cat":"python_function","name":"train.py(12): step","pid":1,"tid":1,"ts":0,"dur":100},' +
    '{"ph":"X","cat":"cpu_op","name":"aten::mm\u0001","pid":1,"tid":1,"ts":10,"dur":60,"args":{"External id":3}},' +
    '{"ph":"X","cat":"kernel","name":"sgemm","pid":0,"tid":7,"ts":20,"dur":30},' +
    '{"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"python main"}}]}';
  const p = await parseProfile(trace);
  assert.equal(p.format, 'torch-chrometrace');
  assert.equal(p.unit, 'microseconds');
  const step = p.frames.find((f) => f.name === 'step')!;
  assert.deepEqual([step.file, step.line, step.kind], ['train.py', 12, 'python']);
  assert.ok(p.threads.some((t) => t.name.includes('python main')));
  const s = summarize(p);
  assert.equal(s.top[0]!.function, 'aten::mm\u0001');
  // CPU and device time are not one base (issue #13): the summary takes the CPU thread, the stream apart.
  assert.equal(s.totalWeight, 100);
  const stream = s.threads.find((t) => t.device)!;
  assert.deepEqual([stream.name, stream.weight], ['GPU 0 · stream 7', 30]);
});

test('parseFrameText splits py-spy frames', () => {
  assert.deepEqual(parseFrameText('f (/a/b.py:12)'), { name: 'f', file: '/a/b.py', line: 12 });
  assert.deepEqual(parseFrameText('f (b.py)'), { name: 'f', file: 'b.py', line: 0 });
  assert.deepEqual(parseFrameText('<module>'), { name: '<module>', file: '', line: 0 });
  assert.deepEqual(parseFrameText('g (C:\\x\\y.py:3)'), { name: 'g', file: 'C:\\x\\y.py', line: 3 });
});

test('collapsed stacks sharing prefixes (the parser reuses a shared prefix of the previous line) come back exactly (property)', async () => {
  // A small alphabet so consecutive lines share prefixes; frames that are prefixes of each other ("b" and
  // "b (x)") and thread roots make a wrong reuse visible.
  const frame = fc.constantFrom('a', 'b', 'b (x)', 'b (x:1)', 'c d', 'thread-like', 'e (/p;q.py:2)'.replace(';', '_'));
  const root = fc.constantFrom('', 'thread (1): MainThread;', 'thread (2): worker;', 'process 9:"python x.py";thread (3): T;');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(root, fc.array(frame, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 50 }), async (rows) => {
      const expected = new Map<string, number>();
      for (const [r, st, n] of rows) {
        const key = `${r}|${st.join(';')}`;
        expected.set(key, (expected.get(key) ?? 0) + n);
      }
      const p = await parseProfile(rows.map(([r, st, n]) => `${r}${st.join(';')} ${n}`).join('\n'));
      const got = new Map<string, number>();
      for (const t of p.threads) {
        const r = t.name === 'all' ? '' : t.name.startsWith('process') ? 'process 9:"python x.py";thread (3): T;' : t.name.startsWith('MainThread') ? 'thread (1): MainThread;' : 'thread (2): worker;';
        t.stacks.forEach((s, k) => {
          const key = `${r}|${stackFrames(p, s).map((f) => { const fr = p.frames[f]!; return fr.file ? `${fr.name} (${fr.file}${fr.line ? `:${fr.line}` : ''})` : fr.name; }).join(';')}`;
          got.set(key, (got.get(key) ?? 0) + t.weights[k]!);
        });
      }
      assert.deepEqual(got, expected);
    }),
    { numRuns: 300 },
  );
});

test('collapsed stacks read as bytes: any split into chunks, UTF-8 names, a BOM and CRLF give the same stacks (property)', async () => {
  // The collapsed parser works on bytes and decodes a frame only when first seen; chunk edges that cut a
  // line, a multi-byte character or a CRLF pair must not change what comes back.
  const frame = fc.constantFrom('a', 'ä (/app/ü.py:3)', '测试 (/srv/模块.py:12)', 'b (x)', 'emoji 🔥 (/e.py:1)', 'c', 'process 1:"py"', 'thread (0x1): T');
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.array(frame, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 99 })), { minLength: 1, maxLength: 30 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
      fc.boolean(),
      async (rows, cuts, crlf) => {
        const text = `\uFEFF${rows.map(([st, n]) => `${st.join(';')} ${n}`).join(crlf ? '\r\n' : '\n')}\n`;
        const bytes = new TextEncoder().encode(text);
        function* chunks() {
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const size = cuts[i % cuts.length]!;
            yield bytes.slice(at, at + size);
            at += size;
          }
        }
        const whole = await parseProfile(text);
        const split = await parseProfile(chunks());
        assert.deepEqual(stacksOf(split), stacksOf(whole));
        assert.deepEqual(split.threads.map((t) => t.name).sort(), whole.threads.map((t) => t.name).sort());
        assert.ok(!split.frames.some((f) => f.name.includes('\uFFFD') || f.name.startsWith('\uFEFF')));
      },
    ),
    { numRuns: 200 },
  );
});

test('collapsed stacks: the same lines in any order give the same profile (property)', async () => {
  // Prefix reuse with the previous line must give the same stacks whether or not neighbours share a prefix.
  const frame = fc.constantFrom('a', 'a b', 'ab', 'b (x:1)', 'b (x:12)', 'c');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.array(frame, { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 9 })), { minLength: 2, maxLength: 40 }), fc.integer(), async (rows, seed) => {
      const sorted = [...rows].sort((x, y) => x[0].join(';').localeCompare(y[0].join(';')));
      const shuffled = [...rows].sort((x, y) => ((x[1] * 31 + x[0].length * seed) % 7) - ((y[1] * 31 + y[0].length * seed) % 7));
      const read = async (r: typeof rows) => stacksOf(await parseProfile(r.map(([st, n]) => `${st.join(';')} ${n}`).join('\n')));
      assert.deepEqual(await read(sorted), await read(shuffled));
      assert.deepEqual(await read(sorted), await read(rows));
    }),
    { numRuns: 200 },
  );
});

test('parseFrameText agrees with the py-spy frame pattern on any text (property)', () => {
  // The reference: py-spy's `name (file:line)` as one regular expression; the parser splits by hand.
  const reference = (text: string) => {
    const m = /^(.*) \(([^()]*)\)$/s.exec(text);
    if (!m) return { name: text, file: '', line: 0 };
    const colon = m[2]!.lastIndexOf(':');
    return colon > 0 && /^\d+$/.test(m[2]!.slice(colon + 1)) ? { name: m[1]!, file: m[2]!.slice(0, colon), line: Number(m[2]!.slice(colon + 1)) } : { name: m[1]!, file: m[2]!, line: 0 };
  };
  const piece = fc.constantFrom('f', ' ', '(', ')', ':', '1', '42', '/a.py', 'x y', '');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 10 }).map((p) => p.join('')), (text) => {
      assert.deepEqual(parseFrameText(text), reference(text));
    }),
    { numRuns: 2000 },
  );
});
