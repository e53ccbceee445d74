import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { replay, type CacheSpec } from '../../src/replay/engine.js';
import { openReader } from '../../src/replay/open.js';
import { assignRunners, replayFile } from '../../src/replay/parallel.js';
import { writeOracleTrace } from '../../src/replay/synth.js';
import { InputError } from '../../src/errors.js';
import { tempFile, tempPath } from '../io/helpers.js';

// More requests than the shared ring holds (4 slots of 65,536), so every slot is refilled
// while the other threads still read theirs.
const file = tempPath('parallel.oracleGeneral.bin');
await writeOracleTrace(file, { requests: 300_000, keys: 30_000, alpha: 0.9, seed: 3 });

const CACHES: CacheSpec[] = [
  { policy: 'lru', capacity: 1000 },
  { policy: 'sieve', capacity: 3000 },
  { policy: 'opt', capacity: 1000 },
  { policy: 'fifo', capacity: 3000 },
  { policy: 's3fifo', capacity: 2000 },
  { policy: 'tinylfu', capacity: 2000 },
  { policy: 'arc', capacity: 500 },
];

/** Each cache replayed alone, in this thread, with the in-thread reader. */
async function alone(f: string, format: 'oracle' | 'csv', caches: CacheSpec[], bySize = false, options = {}) {
  const out: number[] = [];
  for (const c of caches) out.push((await replay(openReader(f, format, options), [c], { bySize })).results[0]!.misses);
  return out;
}

for (const bySize of [false, true]) {
  test(`parallel replay${bySize ? ' --by-size' : ''}: every cache's misses equal its replay alone`, async () => {
    // (W-TinyLFU by bytes sizes its sketch for a byte count of entries: too slow for a unit test)
    const caches = bySize ? CACHES.filter((c) => c.policy !== 'tinylfu').map((c) => ({ ...c, capacity: c.capacity * 2000 })) : CACHES;
    const expected = await alone(file, 'oracle', caches, bySize);
    assert.equal(new Set(expected).size, expected.length, 'the caches differ, so a result in the wrong place shows');
    for (const threads of bySize ? [2] : [2, 3]) {
      const run = await replayFile(file, 'oracle', {}, caches, { threads, bySize });
      assert.equal(run.requests, 300_000);
      assert.deepEqual(run.results.map((r) => r.misses), expected, `${threads} threads`);
      assert.deepEqual(run.results.map((r) => [r.policy, r.capacity]), caches.map((c) => [c.policy, c.capacity]));
    }
  });
}

test('parallel replay of a CSV trace with TTLs equals each cache alone (expiry runs in the cache workers too)', async () => {
  const lines = ['time,key,size,ttl'];
  for (let i = 0; i < 100_000; i++) lines.push(`${i},k${(i * 7919) % 5000 ^ (i % 13)},${1 + (i % 7)},${i % 3 === 0 ? 50 : 0}`);
  const csv = tempFile('ttl.csv', lines.join('\n') + '\n');
  const options = { columns: 'time,key,size,ttl', header: true };
  const caches: CacheSpec[] = [{ policy: 'lru', capacity: 800 }, { policy: 'fifo', capacity: 900 }, { policy: '2q', capacity: 1000 }];
  const expected = await alone(csv, 'csv', caches, false, options);
  const run = await replayFile(csv, 'csv', options, caches, { threads: 2 });
  assert.deepEqual(run.results.map((r) => r.misses), expected);
});

test('one thread over an oracleGeneral trace (read in this thread, no reader worker): the misses of each cache alone; a bad record is the InputError naming it', async () => {
  const caches = CACHES.slice(0, 4);
  const expected = await alone(file, 'oracle', caches);
  const run = await replayFile(file, 'oracle', {}, caches, { threads: 1 });
  assert.equal(run.requests, 300_000);
  assert.deepEqual(run.results.map((r) => r.misses), expected);
  const lone = await replayFile(file, 'oracle', {}, [CACHES[0]!]);
  assert.deepEqual(lone.results.map((r) => r.misses), [expected[0]]);
  // by bytes the caches read the sizes too (unit weights read the keys alone)
  const bytes = caches.map((c) => ({ ...c, capacity: c.capacity * 2000 }));
  const bySize = await replayFile(file, 'oracle', {}, bytes, { threads: 1, bySize: true });
  assert.deepEqual(bySize.results.map((r) => r.misses), await alone(file, 'oracle', bytes, true));
  const bad = tempPath('truncated-one-thread.oracleGeneral.bin');
  writeFileSync(bad, readFileSync(file).subarray(0, 24 * 280_000 + 10));
  await assert.rejects(replayFile(bad, 'oracle', {}, caches, { threads: 1 }), (e: unknown) => e instanceof InputError && /record 280000 .*truncated record/.test(e.message));
});

test('a bad record stops a parallel replay with the InputError naming it (exit 2), in every thread', async () => {
  const bad = tempPath('truncated.oracleGeneral.bin');
  writeFileSync(bad, readFileSync(file).subarray(0, 24 * 280_000 + 10));
  await assert.rejects(replayFile(bad, 'oracle', {}, CACHES, { threads: 2 }), (e: unknown) => e instanceof InputError && /record 280000 .*truncated record/.test(e.message));
});

test('assignRunners: every cache once, OPT on this thread, the fast LRU/FIFO loops weigh half', () => {
  const shares = assignRunners(CACHES, 2, true);
  assert.equal(shares.length, 2);
  assert.deepEqual(shares.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(shares[0]!.includes(2), 'opt on runner 0');
  // costs: lru 1, sieve 2, opt 1, fifo 1, s3fifo 2, tinylfu 2, arc 2 = 11: split 6 / 5
  const cost = (s: number[]) => s.reduce((a, i) => a + (['lru', 'fifo', 'opt'].includes(CACHES[i]!.policy) ? 1 : 2), 0);
  assert.deepEqual(shares.map(cost).sort(), [5, 6]);
  // more threads than caches: no empty worker; one thread: everything here
  assert.deepEqual(assignRunners(CACHES.slice(0, 2), 4, true).map((s) => s.length), [1, 1]);
  assert.deepEqual(assignRunners(CACHES, 1, true), [[0, 1, 2, 3, 4, 5, 6]]);
  assert.deepEqual(assignRunners([{ policy: 'opt', capacity: 5 }, { policy: 'opt', capacity: 6 }], 2, true), [[0, 1]]);
});

test('a cache worker that fails stops the whole replay with its error instead of leaving the reader waiting for its slots', { timeout: 120_000 }, async () => {
  // sieve (cost 2) stays here, lru (cost 1) goes to the worker, where a zero capacity throws
  const caches: CacheSpec[] = [{ policy: 'sieve', capacity: 10 }, { policy: 'lru', capacity: 0 }];
  assert.deepEqual(assignRunners(caches, 2, true), [[0], [1]]);
  await assert.rejects(replayFile(file, 'oracle', {}, caches, { threads: 2 }), /capacity must be > 0/);
});
