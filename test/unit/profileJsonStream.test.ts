import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonSyntaxError, parseJsonStream } from '../../src/core/profile/jsonStream';
import { chunked } from './helpers';

test('parseJsonStream equals JSON.parse for any JSON, however the text is cut into chunks', async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }), fc.boolean(), async (value, cuts, pretty) => {
      const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
      const r = await parseJsonStream(chunked(text, cuts));
      assert.equal(r.complete, true);
      assert.deepEqual(r.value, JSON.parse(text));
    }),
    { numRuns: 300 },
  );
});

test('streamed arrays hand over every element in order and keep none', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 30 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }), async (items, cuts) => {
      const text = JSON.stringify({ meta: { a: 1 }, items, tail: true });
      const got: unknown[] = [];
      const r = await parseJsonStream(chunked(text, cuts), {
        streamArray: (p) => p.length === 1 && p[0] === 'items',
        onElement: (p, v) => {
          assert.deepEqual(p, ['items']);
          got.push(v);
        },
      });
      assert.deepEqual(got, JSON.parse(JSON.stringify(items)));
      assert.deepEqual(r.value, { meta: { a: 1 }, items: [], tail: true });
    }),
    { numRuns: 150 },
  );
});

test('a cut-off document is reported as incomplete or as a syntax error, never anything else', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.array(fc.jsonValue(), { minLength: 1 }), fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 })), fc.double({ min: 0, max: 1, noNaN: true }), async (value, at) => {
      const text = JSON.stringify(value);
      const prefix = text.slice(0, Math.max(1, Math.floor(at * (text.length - 1))));
      try {
        const r = await parseJsonStream(chunked(prefix, [0.5]));
        assert.equal(r.complete, false);
      } catch (e) {
        assert.ok(e instanceof JsonSyntaxError, String(e));
      }
    }),
    { numRuns: 300 },
  );
});

test('tolerates raw control characters in strings and Python NaN/Infinity', async () => {
  const r = await parseJsonStream(chunked('{"name":"a\u0001b\tc\nd","x":NaN,"y":-Infinity,"z":[Infinity]}', [0.3, 0.6]));
  assert.equal((r.value as { name: string }).name, 'a\u0001b\tc\nd');
  assert.ok(Number.isNaN((r.value as { x: number }).x));
  assert.equal((r.value as { y: number }).y, -Infinity);
});

test('syntax errors name the line and character', async () => {
  await assert.rejects(parseJsonStream(chunked('{\n  "a": 1,\n  "b": tru }', [])), (e: Error) => e instanceof JsonSyntaxError && /line 3/.test(e.message));
  await assert.rejects(parseJsonStream(chunked('', [])), /empty input/);
  await assert.rejects(parseJsonStream(chunked('[1] [2]', [])), /after the end/);
});

test('__proto__ keys stay data', async () => {
  const r = await parseJsonStream(chunked('{"__proto__":{"polluted":1}}', []));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(r.value as object), ['__proto__']);
});
