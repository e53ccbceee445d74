/**
 * Overwriting a key that is already held is an access: under LRU it moves the key to the most
 * recent end (a simulator write-back after a miss elsewhere, or bench's back-fill, must not leave
 * the entry where it was); under FIFO it changes nothing; under SIEVE it marks the entry visited.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedStore } from '../../src/tiers/store.js';
import { Rng } from '../../src/stats/random.js';

/** Insert a, b, c into a store of 3, overwrite a (no get), insert d: which key left? */
function evictedAfterOverwrite(policy: 'lru' | 'fifo' | 'sieve'): number[] {
  const s = new KeyedStore(3, policy);
  for (const k of [1, 2, 3]) s.insert(k);
  s.insert(1); // overwrite in place
  s.insert(4);
  return [1, 2, 3, 4].filter((k) => s.peek(k) < 0);
}

test('LRU: overwriting a held key refreshes its position (the next eviction takes the oldest other key)', () => {
  assert.deepEqual(evictedAfterOverwrite('lru'), [2]);
});

test('FIFO: overwriting keeps the insertion order (the overwritten first key still leaves first)', () => {
  assert.deepEqual(evictedAfterOverwrite('fifo'), [1]);
});

test('SIEVE: an overwrite marks the entry visited, so the hand passes over it', () => {
  assert.deepEqual(evictedAfterOverwrite('sieve'), [2]);
});

test('LRU over a long run: overwrites of held keys count as accesses, like a get', () => {
  // The same access sequence done as get-or-insert and as insert-always must leave the same keys.
  const viaGet = new KeyedStore(50, 'lru');
  const viaInsert = new KeyedStore(50, 'lru');
  const rng = new Rng(7);
  for (let i = 0; i < 20_000; i++) {
    const k = Math.floor(rng.next() ** 2 * 200); // skewed, so recency matters
    if (viaGet.get(k) < 0) viaGet.insert(k);
    viaInsert.insert(k);
  }
  assert.deepEqual(viaInsert.keys().sort((a, b) => a - b), viaGet.keys().sort((a, b) => a - b));
});
