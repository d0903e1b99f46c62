// The one bounded cache of values made per key (ePIDs, builds, GUIDs, frames, pads):
// it keeps null values, and a peer that varies its input empties it rather than grows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../../src/util/bounded-cache.js';

test('keeps what it was given, null included; undefined is "not cached"', () => {
  const cache = new BoundedCache<string, string | null>(4);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.add('a', 'A'), 'A');
  assert.equal(cache.add('bad', null), null);
  assert.equal(cache.get('a'), 'A');
  assert.equal(cache.get('bad'), null);
});

test('starts again when full: never more than max entries', () => {
  const cache = new BoundedCache<number, number>(3);
  for (const k of [1, 2, 3]) cache.add(k, k * 10);
  assert.equal(cache.get(1), 10);
  cache.add(4, 40);
  assert.deepEqual(
    [1, 2, 3, 4].map((k) => cache.get(k)),
    [undefined, undefined, undefined, 40],
  );
});
