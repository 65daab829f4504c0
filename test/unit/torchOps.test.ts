// CPU versus device time in torch.profiler traces (issue #13), checked against what torch and Holistic
// Trace Analysis compute themselves (test/fixtures/profile/NOTE.md, "torch.profiler"), plus properties of the
// op table on generated traces and `iwb profile ops`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseProfile } from '../../src/core/profile/parse';
import { summarize } from '../../src/core/profile/summary';
import { analyzeTorchTrace, opsReport, sortOps } from '../../src/core/profile/torchOps';
import { tempDir, runCli } from './helpers';

const TORCH = path.join(__dirname, '../fixtures/profile/torch');
const text = (f: string) => {
  const b = readFileSync(path.join(TORCH, f));
  return (f.endsWith('.gz') ? gunzipSync(b) : b).toString('utf8');
};
async function* chunks(s: string) {
  for (let i = 0; i < s.length; i += 65536) yield s.slice(i, i + 65536);
}

const run = (argv: string[], cwd = TORCH) => runCli(argv, cwd);

test('a real CPU trace: every op\'s calls, self CPU and CPU total are what torch\'s key_averages() said', async () => {
  const t = await analyzeTorchTrace(chunks(text('cpu-mlp.pt.trace.json')));
  const ref = JSON.parse(text('cpu-mlp.key_averages.json')) as { ops: { name: string; calls: number; selfCpuUs: number; cpuTotalUs: number }[] };
  assert.equal(t.ops.length, ref.ops.length);
  const mine = new Map(t.ops.map((o) => [o.name, o]));
  for (const r of ref.ops) {
    const o = mine.get(r.name);
    assert.ok(o, r.name);
    assert.equal(o.calls, r.calls, r.name);
    assert.ok(Math.abs(o.selfCpuUs - r.selfCpuUs) < 0.01, `${r.name} self ${o.selfCpuUs} vs ${r.selfCpuUs}`);
    assert.ok(Math.abs(o.cpuTotalUs - r.cpuTotalUs) < 0.01, `${r.name} total ${o.cpuTotalUs} vs ${r.cpuTotalUs}`);
  }
  // The table's "Self CPU time total".
  assert.ok(Math.abs(t.cpuTotalUs - ref.ops.reduce((n, o) => n + o.selfCpuUs, 0)) < 0.1);
  assert.equal(t.deviceTotalUs, 0);
  assert.equal(t.deviceIdlePct, null);
});

test('a real A100 trace: device idle, device total and kernels as Holistic Trace Analysis computes them', async () => {
  const t = await analyzeTorchTrace(chunks(text('hta-alexnet-a100.pt.trace.json.gz')));
  const ref = JSON.parse(text('hta-alexnet-a100.hta-reference.json')) as { kernelsMemcpyMemset: { idleUs: number; windowUs: number; idlePct: number }; kernels: { name: string; calls: number; totalUs: number }[]; deviceTotalUs: number };
  assert.equal(t.deviceIdlePct, ref.kernelsMemcpyMemset.idlePct);
  assert.equal(t.deviceIdleUs, ref.kernelsMemcpyMemset.idleUs);
  assert.equal(t.deviceWindowUs, ref.kernelsMemcpyMemset.windowUs);
  assert.equal(t.deviceTotalUs, ref.deviceTotalUs);
  assert.deepEqual(
    t.kernels.map((k) => [k.name, k.calls, k.totalUs]).sort(),
    ref.kernels.map((k) => [k.name, k.calls, k.totalUs]).sort(),
  );
  // Copies: 16 host-to-device copies and 3 memsets, with their bytes.
  const h2d = t.copies.find((c) => c.kind === 'HtoD')!;
  assert.equal(h2d.calls, 16);
  assert.ok(h2d.bytes > 200 * 2 ** 20);
  assert.equal(t.copies.find((c) => c.kind === 'Memset')!.calls, 3);
  // Every kernel was launched under an op (correlation → cudaLaunchKernel → the ops around it).
  assert.equal(t.warnings.length, 0, t.warnings.join('; '));
  assert.equal(t.longest[0]!.ops[0], 'aten::cudnn_convolution');
  const conv = t.ops.find((o) => o.name === 'aten::cudnn_convolution')!;
  assert.ok(conv.selfDeviceUs > 0 && conv.deviceTotalUs >= conv.selfDeviceUs);
  const conv2d = t.ops.find((o) => o.name === 'aten::conv2d')!;
  assert.equal(conv2d.selfDeviceUs, 0, 'conv2d launches nothing itself');
  assert.ok(conv2d.deviceTotalUs >= conv.deviceTotalUs);
  // Kernels per stream for the timeline: two streams on GPU 0, every event inside the trace window.
  assert.deepEqual(t.streams.map((s) => [s.device, s.stream]), [[0, 7], [0, 20]]);
  for (const lane of t.timeline) for (let i = 0; i < lane.start.length; i++) assert.ok(lane.start[i]! >= 0 && lane.start[i]! + lane.dur[i]! <= t.windowUs + 1e-6);
  // The flame graph reads the same trace with its GPU streams apart from the CPU threads.
  const p = await parseProfile(readFileSync(path.join(TORCH, 'hta-alexnet-a100.pt.trace.json.gz')));
  const s = summarize(p);
  assert.deepEqual(s.threads.filter((x) => x.device).map((x) => x.name).sort(), ['GPU 0 · device-wide', 'GPU 0 · stream 20', 'GPU 0 · stream 7']);
  assert.ok(!s.top.some((f) => /^(void |ampere_|cudnn_|Memcpy |Memset )/.test(f.function)), 'the summary is CPU time only');
  assert.ok(!s.top.some((f) => f.function.startsWith('PyTorch Profiler')), 'Kineto\'s own span is not work');
});

test('a Triton kernel launched through the driver API is attributed to its op', async () => {
  const t = await analyzeTorchTrace(chunks(text('hta-triton.pt.trace.json.gz')));
  assert.equal(t.kernels.length, 1);
  assert.equal(t.kernels[0]!.name, 'triton_poi_fused_add_cos_sin_0');
  assert.ok(t.longest[0]!.ops.length > 0, JSON.stringify(t.longest));
});

test('op tables of generated traces keep their invariants (property)', async () => {
  type Op = { name: string; ts: number; dur: number; kids: Op[]; launches: number[] };
  // Nested ops on one thread, each launching kernels (durations) through cudaLaunchKernel inside it.
  const opArb: fc.Arbitrary<Op[]> = fc.array(
    fc.record({ name: fc.constantFrom('aten::mm', 'aten::add', 'aten::relu', 'step'), dur: fc.integer({ min: 10, max: 1000 }), launches: fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 3 }), nested: fc.array(fc.record({ name: fc.constantFrom('aten::mm', 'aten::t', 'aten::empty'), dur: fc.integer({ min: 1, max: 9 }), launches: fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 2 }) }), { maxLength: 3 }) }),
    { minLength: 1, maxLength: 12 },
  ).map((tops) => {
    let at = 0;
    return tops.map((o) => {
      const start = at;
      at += o.dur + 5;
      let inner = start + 1;
      const kids: Op[] = o.nested.map((n) => {
        const k = { name: n.name, ts: inner, dur: n.dur, kids: [], launches: n.launches };
        inner += n.dur;
        return k;
      });
      return { name: o.name, ts: start, dur: o.dur + 20 * (o.nested.length + 1), kids, launches: o.launches };
    });
  });
  await fc.assert(
    fc.asyncProperty(opArb, async (ops) => {
      const events: unknown[] = [];
      let corr = 1;
      let gpuAt = 0;
      let launched = 0;
      const emit = (o: Op) => {
        events.push({ ph: 'X', cat: 'cpu_op', name: o.name, pid: 1, tid: 1, ts: o.ts, dur: o.dur });
        o.kids.forEach(emit);
        const end = o.kids.length ? o.kids[o.kids.length - 1]!.ts + o.kids[o.kids.length - 1]!.dur : o.ts;
        o.launches.forEach((d, i) => {
          const c = corr++;
          events.push({ ph: 'X', cat: 'cuda_runtime', name: 'cudaLaunchKernel', pid: 1, tid: 1, ts: end + i * 0.1, dur: 0.05, args: { correlation: c } });
          events.push({ ph: 'X', cat: 'kernel', name: `k${d % 3}`, pid: 0, tid: 7, ts: gpuAt, dur: d, args: { device: 0, stream: 7, correlation: c } });
          gpuAt += d + 3;
          launched += d;
        });
      };
      ops.forEach(emit);
      const t = await analyzeTorchTrace(chunks(JSON.stringify({ schemaVersion: 1, traceEvents: events })));
      assert.ok(Math.abs(t.cpuTotalUs - t.ops.reduce((n, o) => n + o.selfCpuUs, 0)) < 1e-3);
      for (const o of t.ops) {
        assert.ok(o.selfCpuUs <= o.cpuTotalUs + 1e-9, JSON.stringify(o));
        assert.ok(o.selfDeviceUs <= o.deviceTotalUs + 1e-9, JSON.stringify(o));
      }
      assert.equal(t.deviceTotalUs, launched);
      assert.equal(t.kernels.reduce((n, k) => n + k.totalUs, 0), launched);
      // Every kernel's time is some op's own device time exactly once.
      assert.ok(Math.abs(t.ops.reduce((n, o) => n + o.selfDeviceUs, 0) - launched) < 1e-6);
      if (launched > 0) assert.ok(t.deviceIdlePct! >= 0 && t.deviceIdlePct! < 100);
      const sorted = sortOps(t.ops, 'self-device');
      for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.selfDeviceUs >= sorted[i]!.selfDeviceUs);
    }),
    { numRuns: 150 },
  );
});

test('iwb profile ops --json: exactly the contract\'s fields, in order; not a torch trace: exit 2', async (t) => {
  const r = await run(['profile', 'ops', 'hta-alexnet-a100.pt.trace.json.gz', '--json', '--top', '5', '--sort', 'self-device']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['cpuTotalUs', 'deviceTotalUs', 'deviceIdlePct', 'ops', 'kernels']);
  assert.deepEqual(Object.keys(j.ops[0]), ['name', 'calls', 'selfCpuUs', 'cpuTotalUs', 'selfDeviceUs', 'deviceTotalUs']);
  assert.deepEqual(Object.keys(j.kernels[0]), ['name', 'calls', 'totalUs']);
  assert.equal(j.ops.length, 5);
  assert.equal(j.ops[0].name, 'aten::copy_');
  assert.equal(JSON.stringify(j), JSON.stringify(opsReport(await analyzeTorchTrace(chunks(text('hta-alexnet-a100.pt.trace.json.gz'))), j.ops, j.kernels)));
  const human = await run(['profile', 'ops', 'cpu-mlp.pt.trace.json', '--top', '3']);
  assert.equal(human.code, 0);
  assert.match(human.out, /no device events/);
  assert.match(human.out, /train_step/);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'pyspy.json'), readFileSync(path.join(TORCH, '..', 'workload.chrometrace.json')));
  const notTorch = await run(['profile', 'ops', 'pyspy.json'], dir);
  assert.equal(notTorch.code, 2);
  assert.match(notTorch.err, /^iwb profile: pyspy\.json: not a torch\.profiler trace/);
  writeFileSync(path.join(dir, 'run.prof'), readFileSync(path.join(TORCH, '..', 'workload.prof')));
  const prof = await run(['profile', 'ops', 'run.prof', '--json'], dir);
  assert.equal(prof.code, 2);
  assert.match(prof.err, /^iwb profile: run\.prof: not a torch\.profiler trace/);
  assert.ok('error' in JSON.parse(prof.out));
  const sort = await run(['profile', 'ops', 'pyspy.json', '--sort', 'fastest'], dir);
  assert.equal(sort.code, 2);
  assert.match(sort.err, /--sort takes one of/);
});
