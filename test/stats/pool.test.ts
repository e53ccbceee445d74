import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolResults } from '../../src/stats/pool.js';
import { gate } from '../../src/gate.js';
import { benchResult, encode, simulateResult } from './bench-fixture.js';

function withHistograms(seed: number, values: number[]) {
  const r = benchResult({ seed, trials: 1 });
  r.histogram = encode(values);
  for (const t of r.tiers) t.histogram = r.histogram;
  return r;
}

test('pooling interleaved single-trial runs concatenates trials and merges histograms', () => {
  const a = withHistograms(1, [100, 100, 100, 100]);
  const b = withHistograms(2, [300, 300, 300, 300]);
  const pooled = poolResults([a, b], 'baseline');
  assert.equal(pooled.kind, 'bench');
  if (pooled.kind !== 'bench') return;
  assert.equal(pooled.trials.length, 2);
  assert.equal(pooled.requests, a.requests + b.requests);
  assert.equal(pooled.latencyUs.count, 8);
  assert.equal(pooled.latencyUs.max, 300);
  assert.equal(pooled.latencyUs.p50, 100);
  assert.equal(pooled.tiers.find((t) => t.name === 'L2')!.lookups, a.tiers[1]!.lookups + b.tiers[1]!.lookups);
  assert.ok(pooled.warnings.includes('pooled 2 runs (2 trials)'));
});

test('seven pooled single-trial runs a side are enough for the gate; five cannot fail over 12 metrics and say so', () => {
  const side = (runs: number, seed: number, slow?: Record<string, number>) =>
    poolResults(Array.from({ length: runs }, (_, i) => benchResult({ seed: seed + i, trials: 1, slow })), 'side');
  const v = gate(side(7, 10), side(7, 20, { L2: 1.3 }));
  assert.equal(v.verdict, 'fail');
  assert.equal(v.metrics[0]!.trials.baseline, 7);
  // 5 vs 5: the smallest p is 1/252, × 12 metrics (Holm) = 0.048 ≥ alpha: could not tell, never a silent pass.
  const five = gate(side(5, 10), side(5, 20, { L2: 1.3 }));
  assert.equal(five.verdict, 'unsure');
  assert.ok(five.warnings.some((w) => /^with 5 vs 5 trials the smallest possible p \(Holm over 12 metrics\) is 0\.048 ≥ alpha 0\.01: latency cannot fail/.test(w)), five.warnings.join('\n'));
});

test('runs that differ in scenario, machine or injected delay are not pooled', () => {
  const a = benchResult({ seed: 1, trials: 1 });
  assert.throws(() => poolResults([a, benchResult({ seed: 2, trials: 1, fingerprint: 'ffffffffffffffff' })], 'current'), /current: the pooled runs differ in scenario/);
  assert.throws(() => poolResults([a, benchResult({ seed: 2, trials: 1, cpu: 'Other' })], 'current'), /differ in environment/);
  assert.throws(() => poolResults([a, benchResult({ seed: 2, trials: 1, slow: { L2: 1.1 } })], 'current'), /differ in injected delay/);
  assert.throws(() => poolResults([simulateResult(), simulateResult()], 'baseline'), /only bench results can be pooled/);
  assert.equal(poolResults([a], 'x'), a, 'one file is returned as is');
});
