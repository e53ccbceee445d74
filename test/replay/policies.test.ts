import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { access, replay, storeFor } from '../../src/replay/engine.js';
import { LogQueueCache } from '../../src/replay/log-queue.js';
import { openReader } from '../../src/replay/open.js';
import { ArrayReader, ZipfRanks, idForRank } from '../../src/replay/synth.js';
import { EVICTION_POLICIES, KeyedStore, type EvictionPolicy } from '../../src/tiers/store.js';
import { REFERENCES } from './reference.js';

const POLICIES = EVICTION_POLICIES;
const FIXTURES = new URL('../fixtures/replay/', import.meta.url).pathname;

/** A random trace: keys from a small universe (some above 2^32), optional sizes, a capacity. */
const traceArb = fc
  .record({
    universe: fc.integer({ min: 2, max: 40 }),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
    room: fc.nat(),
    bySize: fc.boolean(),
  })
  .map(({ universe, picks, room, bySize }) => {
    // fewer entries than keys, so evictions happen; squaring skews popularity toward low ranks
    const capacity = 1 + (room % (universe - 1));
    const ranks = picks.map((p) => Math.floor(((p % 1000) / 1000) ** 2 * universe));
    return {
      keys: ranks.map((r) => (r % 2 === 0 ? r : idForRank(r))),
      sizes: ranks.map((r) => 1 + ((r * 7) % 9)), // fixed per key, 1..9
      capacity: bySize ? capacity * 4 : capacity,
      bySize,
    };
  });

/** Caches of 20–220 entries (the segmented policies' small queues hold at least 2), Zipf-like keys. */
const bigTraceArb = fc
  .record({
    universe: fc.integer({ min: 30, max: 600 }),
    picks: fc.array(fc.nat(), { minLength: 200, maxLength: 1500 }),
    room: fc.integer({ min: 20, max: 220 }),
    bySize: fc.boolean(),
  })
  .map(({ universe, picks, room, bySize }) => {
    const ranks = picks.map((p) => Math.floor(((p % 1000) / 1000) ** 2 * universe));
    return {
      keys: ranks.map((r) => idForRank(r)),
      sizes: ranks.map((r) => 1 + ((r * 7) % 9)),
      capacity: bySize ? room * 4 : room,
      bySize,
    };
  });

/** A generated trace and the cache to run it through. */
interface Trace {
  keys: number[];
  sizes: number[];
  capacity: number;
  bySize: boolean;
}

for (const policy of POLICIES) {
  /** The store and the naive reference agree on every request of a trace. */
  const sameAsReference = ({ keys, sizes, capacity, bySize }: Trace) => {
    const ref = REFERENCES[policy](capacity);
    const store = storeFor({ policy, capacity }, bySize);
    keys.forEach((k, i) => {
      const w = bySize ? sizes[i]! : 1;
      assert.equal(access(store, k, w, i, 0), ref.access(k, w), `request ${i} (key ${k})`);
    });
  };

  test(`${policy}: same hit/miss sequence as the naive reference on random traces`, () => {
    fc.assert(fc.property(traceArb, sameAsReference), { numRuns: 300, seed: 20241126 });
  });

  test(`${policy}: same hit/miss sequence as the naive reference on random traces with larger caches`, () => {
    fc.assert(fc.property(bigTraceArb, sameAsReference), { numRuns: 25, seed: 20261201 });
  });

  test(`${policy}: replay() miss counts equal the reference across batch boundaries`, async () => {
    await fc.assert(
      fc.asyncProperty(traceArb, async ({ keys, sizes, capacity, bySize }) => {
        const ref = REFERENCES[policy](capacity);
        const expected = keys.filter((k, i) => !ref.access(k, bySize ? sizes[i]! : 1)).length;
        const run = await replay(new ArrayReader(keys, sizes), [{ policy, capacity }], { bySize, batchSize: 7 });
        assert.equal(run.results[0]!.misses, expected);
        assert.equal(run.results[0]!.requests, keys.length);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
}

test('LRU and FIFO above the log-queue cache\'s largest capacity: replay runs them on the store, with the reference\'s misses', async () => {
  const ranks = new ZipfRanks(3000, 0.9, 5);
  const keys = Array.from({ length: 5000 }, () => idForRank(ranks.next()));
  for (const policy of ['lru', 'fifo'] as const) {
    const capacity = LogQueueCache.MAX_CAPACITY + 1;
    const ref = REFERENCES[policy](capacity);
    const expected = keys.filter((k) => !ref.access(k, 1)).length;
    const run = await replay(new ArrayReader(keys), [{ policy, capacity }]);
    assert.equal(run.results[0]!.misses, expected);
  }
});

// The checked-in trace is the textbook reference string 1 2 3 4 1 2 5 1 2 3 4 5 (Belady's anomaly,
// as in Silberschatz's "Operating System Concepts"). Derived by hand:
//   FIFO 3 entries: 9 misses; FIFO 4 entries: 10 misses (more room, more misses: the anomaly).
//   LRU 3 entries: 10 misses; LRU 4 entries: 8 misses.
//   SIEVE 3 entries: 10 misses (1 2 3 4 1 2 5 miss; 1 2 hit; 3 evicts 5 after clearing 1 and 2;
//     4 evicts 1, 5 evicts 2). SIEVE 4 entries: 8 misses (5 clears 1, 2 and evicts 3; 1 2 hit;
//     3 evicts 4, 4 evicts 5, 5 evicts 3).
//   By size (belady.csv, object k weighs k×100 bytes, 1000 bytes): LRU 8 misses (5 evicts 3 and 4;
//     3 evicts 5; 4 fits; 5 evicts 1, 2, 3); FIFO 10 misses (5 evicts 1, 2, 3; then 1 2 3 4 5 all miss).
const EXPECTED: [EvictionPolicy, number, number][] = [
  ['fifo', 3, 9],
  ['fifo', 4, 10],
  ['lru', 3, 10],
  ['lru', 4, 8],
  ['sieve', 3, 10],
  ['sieve', 4, 8],
];

for (const [file, format, opts] of [
  ['belady.txt', 'txt', {}],
  ['belady.txt.gz', 'txt', {}],
  ['belady.csv', 'csv', {}],
  ['belady.oracleGeneral.bin', 'oracle', {}],
] as const) {
  test(`exact miss counts on the checked-in trace ${file}`, async () => {
    const caches = EXPECTED.map(([policy, capacity]) => ({ policy, capacity }));
    const run = await replay(openReader(FIXTURES + file, format, opts), caches);
    assert.equal(run.requests, 12);
    assert.deepEqual(
      run.results.map((r) => [r.policy, r.capacity, r.misses]),
      EXPECTED,
    );
  });
}

test('by-size miss counts on the checked-in CSV (object k weighs k×100 bytes)', async () => {
  const run = await replay(openReader(FIXTURES + 'belady.csv', 'csv'), [
    { policy: 'lru', capacity: 1000 },
    { policy: 'fifo', capacity: 1000 },
  ], { bySize: true });
  assert.deepEqual(run.results.map((r) => r.misses), [8, 10]);
  // the oracle file carries the same sizes
  const bin = await replay(openReader(FIXTURES + 'belady.oracleGeneral.bin', 'oracle'), [{ policy: 'lru', capacity: 1000 }], { bySize: true });
  assert.equal(bin.results[0]!.misses, 8);
});

test('an object heavier than the whole capacity is a miss and is not cached', async () => {
  const run = await replay(new ArrayReader([1, 1, 2, 1], [50, 50, 5, 50]), [{ policy: 'lru', capacity: 10 }], { bySize: true });
  assert.equal(run.results[0]!.misses, 4);
});

test('TTL: a read at or after time + ttl is a miss', () => {
  const store = storeFor({ policy: 'lru', capacity: 10 }, false);
  assert.equal(access(store, 1, 1, 0, 5), false);
  assert.equal(access(store, 1, 1, 4, 5), true);
  assert.equal(access(store, 1, 1, 5, 5), false); // expired at 0 + 5, re-inserted until 10
  assert.equal(access(store, 1, 1, 9, 5), true);
  assert.equal(store.size, 1);
});

test('tinylfu --by-size sizes its sketch for the entries it holds: equal sizes S give the misses of capacity / S entries', async () => {
  const ranks = new ZipfRanks(4000, 0.8, 21);
  const keys = Array.from({ length: 40_000 }, () => idForRank(ranks.next()));
  const size = 1000;
  const sizes = keys.map(() => size);
  for (const entries of [300, 1200]) {
    const byEntries = await replay(new ArrayReader(keys), [{ policy: 'tinylfu', capacity: entries }]);
    const byBytes = await replay(new ArrayReader(keys, sizes), [{ policy: 'tinylfu', capacity: entries * size }], { bySize: true });
    assert.equal(byBytes.results[0]!.misses, byEntries.results[0]!.misses, `${entries} entries`);
  }
  // a byte capacity no sketch could be sized by (about 1.5e13 counters): built for 2^30 / 2^20 entries
  const big = new KeyedStore(2 ** 40, 'tinylfu', 1 << 10, false, 2 ** 20);
  assert.equal(big.insert(7, 2 ** 20) >= 0, true);
});
