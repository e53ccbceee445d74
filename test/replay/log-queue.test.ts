import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { LogQueueCache, type LogQueuePolicy } from '../../src/replay/log-queue.js';
import { ZipfRanks, idForRank } from '../../src/replay/synth.js';
import { Rng } from '../../src/stats/random.js';
import { KeyedStore } from '../../src/tiers/store.js';
import { tempDir } from '../tmp-helper.js';

/** Key families: small integers, scattered 52-bit ids, ids whose low word is at or above 2^31, ids near 2^53. */
const FAMILIES: Record<string, (rank: number) => number> = {
  small: (r) => r,
  ids: idForRank,
  'low word >= 2^31': (r) => 2 ** 31 + r * 2654435761 % 2 ** 31,
  'near 2^53': (r) => 2 ** 53 - 1 - r * 4294967311,
};

/** A seeded Zipf(0.9) trace of `n` keys over `universe` ranks. */
function zipfKeys(n: number, universe: number, seed: number, keyOf: (rank: number) => number): Float64Array {
  const ranks = new ZipfRanks(universe, 0.9, seed);
  return Float64Array.from({ length: n }, () => keyOf(ranks.next()));
}

describe('LogQueueCache (replay\'s LRU/FIFO with unit weights)', () => {
  for (const policy of ['lru', 'fifo'] as LogQueuePolicy[]) {
    for (const [family, keyOf] of Object.entries(FAMILIES)) {
      it(`${policy}, ${family} keys: the same hit or miss as KeyedStore on every request, and the same contents`, () => {
        // capacities from 1 entry up; a small first room makes the index grow; a first log position
        // just below 2^31 makes the positions wrap
        for (const [capacity, firstRoom, firstPosition] of [
          [1, undefined, 0],
          [2, undefined, 0],
          [3, 1, 2 ** 31 - 40],
          [17, undefined, -5],
          [300, 4, 0],
          [300, undefined, 2 ** 31 - 1000],
        ] as [number, number | undefined, number][]) {
          const keys = zipfKeys(6000, 2000, capacity, keyOf);
          const cache = new LogQueueCache(capacity, policy, firstRoom, firstPosition);
          const store = new KeyedStore(capacity, policy);
          let misses = 0;
          for (let i = 0; i < keys.length; i++) {
            const hit = store.access(keys[i]!, 1);
            assert.equal(cache.accessMany(keys.subarray(i, i + 1), 1) === 0, hit, `capacity ${capacity}, request ${i} (key ${keys[i]})`);
            if (!hit) misses++;
            if (i % 500 === 0) assert.deepEqual(cache.keys(), store.keys(), `capacity ${capacity}, after request ${i}`);
          }
          assert.deepEqual(cache.keys(), store.keys(), `capacity ${capacity}`);
          assert.equal(cache.size, store.size);
          // hits and misses both happen, so every path ran
          assert.ok(misses > capacity && misses < keys.length, `capacity ${capacity}: ${misses} misses`);
        }
      });
    }

    it(`${policy}: a hot set that fits, with a cold key now and then: the same as KeyedStore while the log fills and is compacted`, () => {
      // LRU hits append to the log while the least recently used entry (the last cold key) stays,
      // so the ring fills up between cold keys and must be compacted, many times over
      for (const [capacity, firstPosition] of [[2, 0], [3, 2 ** 31 - 100], [40, 0], [40, -7]]) {
        const rng = new Rng(capacity);
        const keys = Float64Array.from({ length: 20_000 }, (_, i) =>
          i % (40 * capacity) === 0 ? idForRank(1_000_000 + i) : idForRank(Math.floor(rng.next() * (capacity - 1))),
        );
        const cache = new LogQueueCache(capacity, policy, undefined, firstPosition);
        const store = new KeyedStore(capacity, policy);
        for (let i = 0; i < keys.length; i++) {
          const hit = store.access(keys[i]!, 1);
          assert.equal(cache.accessMany(keys.subarray(i, i + 1), 1) === 0, hit, `capacity ${capacity}, request ${i}`);
          if (i % 97 === 0) assert.deepEqual(cache.keys(), store.keys(), `capacity ${capacity}, after request ${i}`);
        }
        assert.deepEqual(cache.keys(), store.keys(), `capacity ${capacity}`);
      }
    });

    it(`${policy}: batches of any length give the store's misses and contents (the index growing mid-batch)`, () => {
      const rng = new Rng(11);
      for (const capacity of [5, 1000, 4096]) {
        const cache = new LogQueueCache(capacity, policy, 8);
        const store = new KeyedStore(capacity, policy);
        for (let batch = 0; batch < 60; batch++) {
          const n = batch % 9 === 0 ? 0 : Math.floor(rng.next() * 3000);
          const keys = Float64Array.from({ length: n }, () => idForRank(Math.floor(rng.next() ** 3 * 20_000)));
          let expected = 0;
          for (const k of keys) if (!store.access(k, 1)) expected++;
          // a longer array than n: only the first n requests count
          const padded = new Float64Array(n + 3);
          padded.set(keys);
          padded.fill(idForRank(999_999), n);
          assert.equal(cache.accessMany(padded, n), expected, `capacity ${capacity}, batch ${batch}`);
          assert.equal(cache.size, store.size, `capacity ${capacity}, batch ${batch}`);
        }
        assert.deepEqual(cache.keys(), store.keys(), `capacity ${capacity}`);
      }
    });
  }

  it('refuses a capacity that is not a positive integer, or above its largest', () => {
    for (const capacity of [0, 0.5, 1.5, Number.POSITIVE_INFINITY, Number.NaN, LogQueueCache.MAX_CAPACITY + 1]) {
      assert.throws(() => new LogQueueCache(capacity, 'lru'), RangeError, String(capacity));
    }
  });

  it('its loop, as the build emits it, is asm.js that V8 validates and links at the smallest and largest heap', () => {
    // The tests above run this file through tsx, whose transform drops the 'use asm' directive (and
    // prints 0.0 as 0), so they check the loop as plain JavaScript. V8 runs asm.js it cannot
    // validate or link as plain JavaScript too, with the same results, and only prints a warning:
    // so compile the file as the build does (as an ES module, which NodeNext makes of src/) and ask
    // V8 in a child process.
    const { config } = ts.readConfigFile('tsconfig.json', (f) => readFileSync(f, 'utf8'));
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, '.');
    const js = ts.transpileModule(readFileSync('src/replay/log-queue.ts', 'utf8'), { compilerOptions: { ...options, module: ts.ModuleKind.ES2022, sourceMap: false } }).outputText;
    const file = tempDir('llmcache-log-queue-').file('log-queue.mjs', js);
    const script = `
      const m = await import(${JSON.stringify(file)});
      for (const capacity of [1, m.LogQueueCache.MAX_CAPACITY]) {
        const cache = new m.LogQueueCache(capacity, 'lru', capacity);
        if (cache.accessMany(new Float64Array([1, 2, 1, 3]), 4) !== (capacity === 1 ? 4 : 3)) throw new Error('misses');
      }
      process.stdout.write(String(%IsAsmWasmCode(m.logQueueLoop)));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'true');
  });
});
