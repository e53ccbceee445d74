import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVICTION_POLICIES, KeyedStore } from '../../src/tiers/store.js';
import { Rng } from '../../src/stats/random.js';

/** Naive LRU / FIFO over an array: obviously correct, O(n) per operation. */
function reference(policy: 'lru' | 'fifo', capacity: number, keys: number[]): boolean[] {
  const order: number[] = []; // oldest / least recent first
  return keys.map((k) => {
    const i = order.indexOf(k);
    if (i >= 0) {
      if (policy === 'lru') order.push(...order.splice(i, 1));
      return true;
    }
    if (order.length >= capacity) order.shift();
    order.push(k);
    return false;
  });
}

describe('KeyedStore', () => {
  for (const policy of ['lru', 'fifo'] as const) {
    it(`${policy} matches a naive reference request by request (with index growth and deletions)`, () => {
      const rng = new Rng(3);
      const keys = Array.from({ length: 20_000 }, () => Math.floor(rng.next() ** 2 * 3000) * 7919);
      const store = new KeyedStore(500, policy);
      const got = keys.map((k) => {
        if (store.get(k) >= 0) return true;
        store.insert(k);
        return false;
      });
      assert.deepEqual(got, reference(policy, 500, keys));
    });
  }

  for (const policy of ['lru', 'fifo', 'sieve', 'clock', 's3fifo'] as const) {
    it(`${policy}: access() (one probe) gives the same hits and contents as get() + insert()`, () => {
      const rng = new Rng(5);
      const keys = Array.from({ length: 20_000 }, () => Math.floor(rng.next() ** 2 * 3000) * 7919 + 2 ** 40);
      const one = new KeyedStore(500, policy);
      const two = new KeyedStore(500, policy);
      keys.forEach((k, i) => {
        const hit = two.get(k) >= 0;
        if (!hit) two.insert(k);
        assert.equal(one.access(k), hit, `request ${i}`);
      });
      assert.deepEqual(one.keys(), two.keys());
    });
  }

  it('an unbounded store grows and keeps every key findable', () => {
    const store = new KeyedStore(Number.POSITIVE_INFINITY, 'lru');
    for (let k = 0; k < 50_000; k++) store.insert(k * 31 + 2 ** 40);
    assert.equal(store.size, 50_000);
    for (let k = 0; k < 50_000; k += 997) assert.ok(store.peek(k * 31 + 2 ** 40) >= 0);
    assert.equal(store.peek(7), -1);
  });

  it('removal keeps probe chains intact (backward-shift deletion)', () => {
    const store = new KeyedStore(4096, 'fifo');
    for (let k = 0; k < 3000; k++) store.insert(k);
    for (let k = 0; k < 3000; k += 2) assert.ok(store.remove(k));
    for (let k = 0; k < 3000; k++) assert.equal(store.peek(k) >= 0, k % 2 === 1, `key ${k}`);
    assert.equal(store.size, 1500);
  });

  it('weights: a byte budget evicts until the new entry fits', () => {
    const store = new KeyedStore(100, 'lru');
    store.insert(1, 40);
    store.insert(2, 40);
    store.insert(3, 40); // evicts 1
    assert.equal(store.peek(1), -1);
    assert.equal(store.usedWeight, 80);
    assert.equal(store.insert(4, 101), -1, 'heavier than the whole budget: not admitted');
  });

  it('reapExpired removes only expired entries from the old end', () => {
    const store = new KeyedStore(Number.POSITIVE_INFINITY, 'fifo');
    for (let k = 0; k < 10; k++) store.expiresAt[store.insert(k)] = k < 5 ? 100 : 1000;
    assert.equal(store.reapExpired(500, 100), 5);
    assert.deepEqual(store.keys().sort((a, b) => a - b), [5, 6, 7, 8, 9]);
  });
  /** The observable state of a store: contents in queue order, counts, the last insert's evictions. */
  const state = (s: KeyedStore) => ({ keys: s.keys(), size: s.size, used: s.usedWeight, evictions: s.evictions, last: s.lastEvictedKey, lastN: s.lastEvictions });

  for (const policy of EVICTION_POLICIES) {
    for (const dense of [false, true]) {
      it(`${policy}${dense ? ' (dense keys)' : ''}: accessMany gives the same misses and state as access() request by request`, () => {
        const rng = new Rng(9);
        const keyOf = (r: number) => (dense ? r : r * 7919 + 2 ** 40);
        // capacities: one the policies admit into, one below any queue's share, a fraction, and an
        // unbounded store that starts with 16 slots and grows inside the batch
        for (const capacity of [300, 3, 0.5, Number.POSITIVE_INFINITY]) {
          const one = new KeyedStore(capacity, policy, 16, dense);
          const many = new KeyedStore(capacity, policy, 16, dense);
          // entries of other weights already held: the loop must evict them by their weight
          for (const s of [one, many]) for (let k = 0; k < 5; k++) s.insert(keyOf(100_000 + k), 40);
          let misses = 0;
          for (let batch = 0; batch < 40; batch++) {
            const n = batch % 7 === 0 ? 1 : Math.floor(rng.next() * 700);
            const keys = Float64Array.from({ length: n }, () => keyOf(Math.floor(rng.next() ** 2 * 2000)));
            let expected = 0;
            for (const k of keys) if (!one.access(k, 1)) expected++;
            const got = many.accessMany(keys, n);
            misses += got;
            assert.equal(got, expected, `capacity ${capacity}, batch ${batch}`);
            assert.deepEqual(state(many), state(one), `capacity ${capacity}, batch ${batch}`);
          }
          assert.ok(capacity < 1 || misses > 0);
        }
      });
    }
  }
});
