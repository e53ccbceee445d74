/**
 * Every policy against its naive reference, request by request, on the traces that break caches:
 * scans, loops one larger than the cache, one-hit wonders and seeded Zipf; and Belady's OPT as a
 * lower bound of every policy on every trace and capacity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { access, replay, storeFor } from '../../src/replay/engine.js';
import { OptCache, RecordedTrace, nextUseTimes } from '../../src/replay/opt.js';
import { ArrayReader, ZipfRanks, idForRank } from '../../src/replay/synth.js';
import { EVICTION_POLICIES } from '../../src/tiers/store.js';
import { newRequestBatch } from '../../src/replay/types.js';
import { REFERENCES, refOpt } from './reference.js';

function zipf(n: number, keys: number, alpha: number, seed: number): number[] {
  const z = new ZipfRanks(keys, alpha, seed);
  return Array.from({ length: n }, () => idForRank(z.next()));
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** Adversarial traces for a cache of `c` entries. */
function traces(c: number): Record<string, number[]> {
  const hot = range(0, Math.max(1, Math.floor(c / 2)));
  return {
    // a hot set re-read between long one-pass scans
    'scan over a hot set': Array.from({ length: 8 }, (_, r) => [...hot, ...hot, ...range(10_000 + r * 3 * c, 3 * c)]).flat(),
    // a loop one key larger than the cache: LRU and FIFO miss every request
    'loop of C+1 keys': Array.from({ length: 12 }, () => range(0, c + 1)).flat(),
    // one-hit wonders interleaved with a small reused set
    'one-hit wonders': range(0, 30 * c).map((i) => (i % 3 === 0 ? i % (c / 2) : 1_000_000 + i)),
    'Zipf(0.9), seed 7': zipf(12_000, 20 * c, 0.9, 7),
    'Zipf(0.6), seed 11': zipf(12_000, 20 * c, 0.6, 11),
  };
}

const CAPACITIES = [20, 100, 300];

/** Misses of OPT with unit weights over `keys` at `capacity`. */
function optMisses(keys: number[], capacity: number): number {
  const t = new RecordedTrace(false);
  const b = newRequestBatch(keys.length);
  b.key.set(keys);
  b.n = keys.length;
  t.push(b);
  return new OptCache(capacity, t, nextUseTimes(t.keys, t.n)).run();
}

for (const policy of EVICTION_POLICIES) {
  test(`${policy}: same hits as the naive reference on scans, loops, one-hit wonders and Zipf`, () => {
    for (const c of CAPACITIES) {
      for (const [name, keys] of Object.entries(traces(c))) {
        const ref = REFERENCES[policy](c);
        const store = storeFor({ policy, capacity: c }, false);
        for (let i = 0; i < keys.length; i++) {
          const got = access(store, keys[i]!, 1, i, 0);
          if (got !== ref.access(keys[i]!, 1)) assert.fail(`${name}, capacity ${c}: request ${i} (key ${keys[i]}) differs`);
        }
      }
    }
  });
}

test('a loop one larger than the cache: LRU and FIFO miss everything, OPT misses 1 in C', () => {
  const c = 100;
  const keys = traces(c)['loop of C+1 keys']!;
  for (const policy of ['lru', 'fifo'] as const) {
    const store = storeFor({ policy, capacity: c }, false);
    assert.equal(keys.filter((k, i) => !access(store, k, 1, i, 0)).length, keys.length, policy);
  }
  // C+1 cold misses; after that OPT keeps C of the C+1 keys and misses once per C requests
  const opt = optMisses(keys, c);
  const warm = keys.length - (c + 1);
  assert.ok(opt >= c + 1 + Math.floor(warm / c) && opt <= c + 1 + Math.ceil(warm / c), `opt ${opt}`);
});

test('OPT equals the quadratic reference request by request (unit and byte weights)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 1, max: 30 }),
      fc.boolean(),
      (keys, capacity, bySize) => {
        const weights = keys.map((k) => (bySize ? 1 + (k % 5) : 1));
        const t = new RecordedTrace(bySize);
        const b = newRequestBatch(keys.length);
        b.key.set(keys);
        b.size.set(weights);
        b.n = keys.length;
              t.push(b);
        const opt = new OptCache(bySize ? capacity * 3 : capacity, t, nextUseTimes(t.keys, t.n));
        const want = refOpt(keys, weights, bySize ? capacity * 3 : capacity);
        keys.forEach((k, i) => assert.equal(opt.access(i), want[i], `request ${i} (key ${k})`));
      },
    ),
    { numRuns: 200, seed: 42 },
  );
});

test('OPT misses no more than any policy, on every trace and capacity (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        universe: fc.integer({ min: 2, max: 300 }),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 1200 }),
        capacity: fc.integer({ min: 1, max: 150 }),
        skew: fc.integer({ min: 1, max: 3 }),
      }),
      async ({ universe, picks, capacity, skew }) => {
        const keys = picks.map((p) => Math.floor(((p % 1000) / 1000) ** skew * universe));
        const caches = [...EVICTION_POLICIES, 'opt' as const].map((policy) => ({ policy, capacity }));
        const run = await replay(new ArrayReader(keys), caches, { batchSize: 97 });
        const opt = run.results.find((r) => r.policy === 'opt')!.misses;
        for (const r of run.results) assert.ok(opt <= r.misses, `${r.policy} ${r.misses} < opt ${opt} at capacity ${capacity}`);
      },
    ),
    { numRuns: 150, seed: 1201 },
  );
});

test('OPT is below every policy on the adversarial traces too', () => {
  for (const c of CAPACITIES) {
    for (const [name, keys] of Object.entries(traces(c))) {
      const opt = optMisses(keys, c);
      for (const policy of EVICTION_POLICIES) {
        const store = storeFor({ policy, capacity: c }, false);
        const misses = keys.filter((k, i) => !access(store, k, 1, i, 0)).length;
        assert.ok(opt <= misses, `${name}, capacity ${c}: ${policy} ${misses} < opt ${opt}`);
      }
    }
  }
});
