// The element scanner (JSON.parse on each big array element's slice) against the generic streaming reader it
// replaces for trace answers: the same values, elements, truncation and errors, however the text is cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanJsonElements } from '../../src/core/json/elements';
import { parseJsonStream, type JsonPath } from '../../src/core/profile/jsonStream';
import { chunked } from './helpers';

const STREAMED: string[][] = [['resourceSpans'], ['data'], ['result', 'resourceSpans'], []];

function sameStreamed(path: JsonPath): boolean {
  return STREAMED.some((p) => p.length === path.length && p.every((k, i) => path[i] === k));
}

type Outcome = { ok: true; value: unknown; complete: boolean; openPath: JsonPath; elements: [JsonPath, unknown][] } | { ok: false; error: string; elements: [JsonPath, unknown][] };

async function generic(text: string, cuts: number[]): Promise<Outcome> {
  const elements: [JsonPath, unknown][] = [];
  try {
    const r = await parseJsonStream(chunked(text, cuts), { streamArray: sameStreamed, onElement: (p, v) => elements.push([[...p], v]) });
    return { ok: true, value: r.value, complete: r.complete, openPath: r.openPath, elements };
  } catch (e) {
    return { ok: false, error: placeOf(e), elements };
  }
}

/** An error without the text it quotes (each reader quotes up to 12 characters of what it holds then). */
function placeOf(e: unknown): string {
  return String(e).replace(/ near ".*"$/s, '');
}

async function scanned(text: string, cuts: number[]): Promise<Outcome> {
  const elements: [JsonPath, unknown][] = [];
  try {
    const r = await scanJsonElements(chunked(text, cuts), { streamed: STREAMED, onElement: (p, v) => elements.push([[...p], v]) });
    return { ok: true, value: r.value, complete: r.complete, openPath: r.openPath, elements };
  } catch (e) {
    return { ok: false, error: placeOf(e), elements };
  }
}

/** Documents shaped like trace answers (the arrays that are streamed, and others beside them), and any JSON. */
const doc = fc.oneof(
  fc.jsonValue(),
  fc.record({ data: fc.array(fc.jsonValue(), { maxLength: 6 }), total: fc.integer(), errors: fc.constant(null) }),
  fc.record({ resourceSpans: fc.array(fc.jsonValue(), { maxLength: 6 }) }),
  fc.record({ result: fc.record({ resourceSpans: fc.array(fc.jsonValue(), { maxLength: 6 }), other: fc.jsonValue() }) }),
  fc.array(fc.jsonValue(), { maxLength: 6 }),
  fc.dictionary(fc.constantFrom('data', 'resourceSpans', 'result', 'x', '__proto__'), fc.jsonValue(), { maxKeys: 4 }),
);

const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

test('scanJsonElements reads what parseJsonStream reads, for any JSON and any chunking', async () => {
  await fc.assert(
    fc.asyncProperty(doc, cutsArb, fc.boolean(), async (value, cuts, pretty) => {
      const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
      assert.deepEqual(await scanned(text, cuts), await generic(text, cuts));
    }),
    { numRuns: 500 },
  );
});

test('truncated and damaged documents: the same elements before the damage, the same open path or error', async () => {
  await fc.assert(
    fc.asyncProperty(doc, cutsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.constantFrom('x', '"', ',', ']', '}', '\\', 'NaN', '\u0001', '{', '['), { nil: undefined }), async (value, cuts, at, insert) => {
      const text = JSON.stringify(value, null, 1);
      const i = Math.floor(at * text.length);
      const damaged = insert === undefined ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i);
      assert.deepEqual(await scanned(damaged, cuts), await generic(damaged, cuts));
    }),
    { numRuns: 1000 },
  );
});

test('what JSON.parse refuses and real exporters write (NaN, raw control characters) is read as the generic reader reads it', async () => {
  const text = '{"data":[{"a":NaN,"b":"x\u0001y"},{"c":-Infinity}],"total":Infinity}';
  const r = await scanned(text, [0.3, 0.7]);
  assert.deepEqual(r, await generic(text, [0.3, 0.7]));
  assert.equal(r.ok && r.elements.length, 2);
});

test('an element split across many chunks, with escaped quotes and backslashes at the cuts', async () => {
  const big = { data: [{ s: 'a\\"b\\\\'.repeat(5000), t: ['"]}'.repeat(3000)] }, { u: 1 }] };
  const text = JSON.stringify(big);
  const cuts = Array.from({ length: 200 }, (_, k) => k / 200 + 0.0013);
  assert.deepEqual(await scanned(text, cuts), await generic(text, cuts));
});
