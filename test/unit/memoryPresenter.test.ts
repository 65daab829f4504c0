// The memory page's snapshots, from a real memray capture of the workload (made at test time), and the
// page's intents as the host checks them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { VIEW_THREADS } from '../../src/core/memory/analysis';
import { isMemoryIntent, isMemoryViewState } from '../../src/protocol/memory';
import { encodeMemoryData, memoryDiffSnapshot, memorySnapshot, prepareCapture } from '../../src/presenters/memory';
import { readMemoryFile } from '../../src/node/memoryReader';
import { repoRoot } from './helpers';
import { HELPERS, PYTHON, WORKLOAD, markerLine, memrayCapture } from './memoryHelpers';

const LEAK = markerLine(WORKLOAD, 'LEAK');

async function read(fixed = false) {
  const r = await readMemoryFile(memrayCapture(fixed), { pythons: [PYTHON], helperDir: HELPERS, time: true });
  assert.ok('capture' in r, 'error' in r ? r.error : '');
  return r.capture;
}

test('a capture snapshot: one flame thread per view and measure, facts, timeline with lifetimes, suspects', async () => {
  const capture = await read();
  const data = encodeMemoryData(capture, (f) => f === WORKLOAD);
  const s = memorySnapshot({ version: 'v1', capture, data }, 'Memory: workload', { on: true, shown: false });
  assert.equal(s.mode, 'capture');
  assert.equal(s.error, undefined);
  assert.equal(s.data!.threads.length, VIEW_THREADS.length);
  assert.deepEqual(s.data!.threads.map((t) => t.name), ['peak (bytes)', 'peak (allocations)', 'leaks (bytes)', 'leaks (allocations)', 'temporary (bytes)', 'temporary (allocations)']);
  assert.equal(s.data!.unit, 'bytes');
  assert.ok(s.data!.frameName instanceof Int32Array, 'typed columns for the message');
  assert.ok(s.lifetimes!.stack instanceof Int32Array && s.lifetimes!.stack.length > 0);
  assert.deepEqual(s.available, { peak: true, leaks: true, temporary: true });
  assert.deepEqual(s.facts.slice(0, 3).map((f) => f.label), ['Peak', 'Allocations', 'Allocated in total']);
  assert.equal(s.suspects[0]!.line, LEAK);
  assert.match(s.suspectsNote, /fastest first/);
  assert.deepEqual([s.heatOn, s.heatShown], [true, false]);
  // "My code" is a flag on the frame: the workload's frames have it, memray's and runpy's do not.
  const mineFiles = new Set<string>();
  for (let i = 0; i < s.data!.frameFlags.length; i++) if (s.data!.frameFlags[i]! & 1) mineFiles.add(s.data!.files[s.data!.frameFile[i]!]!);
  assert.deepEqual([...mineFiles], [WORKLOAD]);
  // The editor prepares the suspects, lifetimes and facts once per read: its snapshots say the same.
  assert.deepEqual(memorySnapshot({ version: 'v1', capture, data, prepared: prepareCapture(capture) }, 'Memory: workload', { on: true, shown: false }), s);
});

test('a diff snapshot: both captures, per-view rows by change; an unreadable side is an error, not a crash', async () => {
  const [before, after] = await Promise.all([read(), read(true)]);
  const s = memoryDiffSnapshot({ version: 'a', capture: before, data: encodeMemoryData(before, () => false) }, { version: 'b', capture: after, data: encodeMemoryData(after, () => false) }, { title: 'x → y', before: 'x', after: 'y' }, { on: false, shown: false });
  assert.equal(s.mode, 'diff');
  assert.ok(s.data && s.base);
  assert.equal(s.diffRows!.leaks[0]!.line, LEAK);
  assert.ok(s.diffRows!.leaks[0]!.deltaBytes < 0);
  assert.equal(s.facts[2]!.label, 'Change');
  const broken = memoryDiffSnapshot({ version: 'a', error: 'x.bin: the file is empty' }, { version: 'b', capture: after, data: encodeMemoryData(after, () => false) }, { title: 't', before: 'x', after: 'y' }, { on: false, shown: false });
  assert.equal(broken.error, 'x.bin: the file is empty');
  assert.equal(broken.data, undefined);
  const none = memorySnapshot({ version: 'v', error: 'x.bin: no such file' }, 'Memory: x.bin', { on: true, shown: true });
  assert.equal(none.error, 'x.bin: no such file');
  assert.deepEqual(none.suspects, []);
});

test('intents and saved view state are checked before use', () => {
  assert.ok(isMemoryIntent({ type: 'openSourceFor', file: '/app/a.py', line: 3 } as { type: string }));
  assert.ok(isMemoryIntent({ type: 'heatView', view: 'range', measure: 'bytes', range: [1, 5] } as { type: string }));
  assert.ok(!isMemoryIntent({ type: 'heatView', view: 'everything', measure: 'bytes' } as { type: string }));
  assert.ok(!isMemoryIntent({ type: 'openSourceFor', file: 3, line: 3 } as { type: string }));
  assert.ok(!isMemoryIntent({ type: 'setHeat', on: 'yes' } as { type: string }));
  assert.ok(!isMemoryIntent({ type: 'heatView', view: 'peak', measure: 'bytes', range: [1] } as { type: string }));
  assert.ok(isMemoryViewState({ view: 'peak', measure: 'allocations', icicle: true, range: [0, 4] }));
  assert.ok(!isMemoryViewState({ view: 'peak', range: [-1, 4] }));
  assert.ok(!isMemoryViewState('peak'));
});

test('the Explorer menu offers the memory commands on capture files (the when-clause regex as VS Code reads it)', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
  for (const command of ['incidentWorkbench.openMemoryCapture', 'incidentWorkbench.compareMemoryCaptures']) {
    const when = manifest.contributes.menus['explorer/context']!.find((m) => m.command === command)!.when!;
    // VS Code's when-clause parser hands the literal's text to new RegExp as written.
    const literal = /=~ (\/.*\/)/.exec(when)![1]!;
    const re = new RegExp(literal.slice(1, literal.lastIndexOf('/')));
    for (const name of ['recommend-leak.memray.bin', 'memray-server.py.4242.bin', 'app.tracemalloc', 'mprofile_20261206101500.dat', 'job.mprof.dat', 'app.memory_profiler.txt']) assert.ok(re.test(name), `${command} on ${name}`);
    for (const name of ['notes.txt', 'data.bin', 'memrayXbin']) assert.ok(!re.test(name), `${command} not on ${name}`);
  }
});
