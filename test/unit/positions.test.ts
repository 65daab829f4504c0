import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex, locate, parseJsonWithPositions, pointerToPath } from '../../src/core/json/positions';

function naivePosition(text: string, offset: number) {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

test('property: LineIndex agrees with splitting the text, for \\n, \\r\\n and \\r line ends', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r'), fc.string({ maxLength: 5 }))).map((a) => a.join('')), fc.nat(), (text, n) => {
      const offset = text.length === 0 ? 0 : n % (text.length + 1);
      // An offset between \r and \n is not a real position; skip it.
      if (text[offset - 1] === '\r' && text[offset] === '\n') return;
      assert.deepEqual(new LineIndex(text).positionAt(offset), naivePosition(text, offset));
    }),
  );
});

test('pointers unescape ~1 and ~0 and turn indexes into numbers', () => {
  assert.deepEqual(pointerToPath(''), []);
  assert.deepEqual(pointerToPath('/events/0/at'), ['events', 0, 'at']);
  assert.deepEqual(pointerToPath('/a~1b/c~0d/01'), ['a/b', 'c~d', '01']);
});

test('locate points at the property name of a value, and at the parent when the property is missing', () => {
  const text = '{\n  "a": {\n    "b": [1, 2]\n  }\n}';
  const parsed = parseJsonWithPositions(text);
  assert.deepEqual([locate(parsed, ['a', 'b', 1]).line, locate(parsed, ['a', 'b', 1]).column], [3, 14]);
  assert.deepEqual([locate(parsed, ['a', 'b']).line, locate(parsed, ['a', 'b']).column], [3, 5]);
  const missing = locate(parsed, ['a', 'zzz']);
  assert.deepEqual([missing.line, missing.column], [2, 3]);
});

test('syntax errors carry a position and no half-parsed value', () => {
  const parsed = parseJsonWithPositions('{\n  "a": 1,\n}');
  assert.equal(parsed.value, undefined);
  assert.equal(parsed.syntaxErrors[0]!.line, 3);
  assert.match(parsed.syntaxErrors[0]!.message, /JSON syntax error/);
});

test('comments are rejected: incident files are strict JSON', () => {
  assert.ok(parseJsonWithPositions('{"a": 1 // no\n}').syntaxErrors.length > 0);
});

test('property: arbitrary text never throws, and either parses like JSON.parse or reports errors', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json(), fc.json().map((j) => j.slice(0, Math.floor(j.length / 2)))), (text) => {
      const parsed = parseJsonWithPositions(text);
      let expected: unknown;
      let ok = true;
      try {
        expected = JSON.parse(text);
      } catch {
        ok = false;
      }
      if (ok && text.trim() !== '') assert.deepEqual(parsed.value, expected);
      if (!ok) {
        assert.ok(parsed.syntaxErrors.length > 0);
        for (const e of parsed.syntaxErrors) assert.ok(e.line >= 1 && e.column >= 1);
      }
    }),
    { numRuns: 500 },
  );
});
