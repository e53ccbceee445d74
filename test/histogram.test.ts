import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeHistogram, encodeHistogram, FastRecorder, newHistogram, percentilesOf, recordUs } from '../src/histogram.js';
import { Rng } from '../src/stats/random.js';

test('FastRecorder gives the same percentiles as recording each value (bench and simulate record latencies through it); toHistogram and flushInto reset it', () => {
  const rng = new Rng(3);
  const direct = newHistogram();
  const fast = new FastRecorder();
  // 0.3 µs .. ~200 ms, spanning many HDR buckets; plus the edges 0, < 1 µs and exactly 2048 µs.
  const values = [0, 0.4, 2048, 2047.5, ...Array.from({ length: 20_000 }, () => Math.exp(rng.next() * 12.2) - 0.7)];
  for (const v of values) {
    recordUs(direct, v);
    fast.record(v);
  }
  const viaFast = fast.toHistogram();
  assert.equal(viaFast.totalCount, values.length);
  assert.equal(fast.toHistogram().totalCount, 0, 'toHistogram empties the recorder');
  fast.record(7);
  const again = newHistogram();
  fast.flushInto(again);
  assert.deepEqual([again.totalCount, again.maxValue], [1, 7], 'flushInto adds what was recorded since');
  // Every figure but the max is identical; the max is its bucket's lowest value (3 significant digits).
  const { max: fastMax, ...fastRest } = percentilesOf(viaFast);
  const { max, ...rest } = percentilesOf(direct);
  assert.deepEqual(fastRest, rest);
  assert.ok(fastMax <= max && fastMax >= max * 0.999, `max ${fastMax} vs ${max}`);
  for (const p of [1, 5, 25, 75, 99.9]) assert.equal(viaFast.getValueAtPercentile(p), direct.getValueAtPercentile(p), `p${p}`);
});

test('one definition for percentiles and max: max is never below a percentile, and decoding a result gives the same numbers', () => {
  const h = newHistogram();
  recordUs(h, 5000); // 5,000 µs falls in the HDR bucket [5,000, 5,003]
  const direct = percentilesOf(h);
  assert.equal(direct.p999, 5003);
  assert.equal(direct.max, 5003, 'max is the top of its bucket, like the percentiles');
  assert.deepEqual(percentilesOf(decodeHistogram(encodeHistogram(h))), direct);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 200 }), (values) => {
      const r = newHistogram();
      for (const v of values) recordUs(r, v);
      const p = percentilesOf(r, 1000);
      assert.ok(p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= p.p999 && p.p999 <= p.max, JSON.stringify(p));
      assert.ok(p.max >= Math.max(...values) / 1000, 'max covers the largest recorded value');
      assert.deepEqual(percentilesOf(decodeHistogram(encodeHistogram(r)), 1000), p);
    }),
    { numRuns: 200, seed: 7 },
  );
});
