import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configCollision } from '../../src/model/configCollision';

test('collides on the path, on a non-table prefix, and on a table below', () => {
  assert.is(configCollision({ a: { b: 1 } }, ['a', 'b']), 'a.b');
  assert.is(configCollision({ a: 1 }, ['a', 'b']), 'a');
  assert.is(configCollision({ a: { b: { c: 1 } } }, ['a', 'b']), 'a.b');
});

test('no collision beside plain values, and prototype names are ordinary keys', () => {
  assert.is(configCollision({ a: { c: 1 } }, ['a', 'b']), undefined);
  assert.is(configCollision({}, ['toString']), undefined);
  assert.is(configCollision({ a: {} }, ['a', 'constructor']), undefined);
});

test.run();
