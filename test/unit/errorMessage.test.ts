import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { errorMessage } from '../../src/core/util/errors';

test('an Error gives its message, whatever its class', () => {
  assert.equal(errorMessage(new Error('disk full')), 'disk full');
  assert.equal(errorMessage(new TypeError('not a function')), 'not a function');
  class StoreProblem extends Error {}
  assert.equal(errorMessage(new StoreProblem('conflict')), 'conflict');
});

test('throwables that are not Errors still give a useful message', () => {
  assert.equal(errorMessage('plain string'), 'plain string');
  assert.equal(errorMessage({ message: 'from a rejected JSON-RPC call', code: -32000 }), 'from a rejected JSON-RPC call');
  // An Error made in another realm (a vm context, another extension host) fails `instanceof Error`.
  assert.equal(errorMessage(runInNewContext('new Error("elsewhere")')), 'elsewhere');
  assert.equal(errorMessage(42), '42');
  assert.equal(errorMessage(undefined), 'undefined');
  assert.equal(errorMessage(null), 'null');
  assert.equal(errorMessage({ message: 7 }), '[object Object]');
});

test('values that throw when read or printed do not throw out of the handler', () => {
  assert.equal(errorMessage(Object.create(null)), '[object Object]');
  const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
  assert.equal(errorMessage(hostile), 'unprintable object');
  assert.equal(errorMessage(Symbol('s')), 'Symbol(s)');
});

test('property: anything thrown gives a string, and an Error gives exactly its message', () => {
  fc.assert(
    fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (v) => {
      assert.equal(typeof errorMessage(v), 'string');
    }),
  );
  fc.assert(fc.property(fc.string(), (m) => assert.equal(errorMessage(new Error(m)), m)));
});
