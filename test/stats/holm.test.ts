import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holmAdjust } from '../../src/stats/holm.js';
import { DEFAULT_GATE_OPTIONS, judgeAll } from '../../src/gate.js';
import type { Series } from '../../src/stats/trial-series.js';
import { Rng, normalQuantile } from '../../src/stats/random.js';

test('Holm adjustment: sorted p × (m − rank), kept non-decreasing, capped at 1; metrics outside the family untouched', () => {
  // 0.005 × 4 = 0.02; 0.01 × 3 = 0.03; 0.03 × 2 = 0.06; 0.04 × 1 = 0.04 -> 0.06 (monotone).
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((x) => Number(x.toPrecision(6))), [0.03, 0.06, 0.06, 0.02]);
  assert.deepEqual(holmAdjust([0.5, 0.6]), [1, 1]);
  // The third is outside the family: m = 2, and its own p stays as it was.
  assert.deepEqual(holmAdjust([0.01, 0.02, 0.001], [true, true, false]), [0.02, 0.02, 0.001]);
  assert.deepEqual(holmAdjust([]), []);
});

/**
 * The null hypothesis, many times over: both sides of every metric draw their per-trial values from
 * the same distribution, each metric independently (for a family-wise rate that is the worst case:
 * correlated metrics fail together, so they add less). 27 metrics = p25/p50/p99 of end-to-end, three
 * tiers and five ops; 10 trials a side, as `gate run` makes them; a spread of 20 % per trial, so the
 * 5 % threshold alone does not hold noise back.
 */
function familyWiseFalseFailures(gates: number): { corrected: number; alone: number } {
  const rng = new Rng(20261201);
  const draw = () => 100 * Math.exp(0.2 * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rng.next()))));
  const opts = DEFAULT_GATE_OPTIONS;
  const out = { corrected: 0, alone: 0 };
  for (let g = 0; g < gates; g++) {
    const series: Series[] = [];
    for (let k = 0; k < 27; k++) {
      series.push({ name: 'latencyUs', stat: 'p50', baseline: Array.from({ length: 10 }, draw), current: Array.from({ length: 10 }, draw), minSamples: 2000, pooledSamples: 20000 });
    }
    const { metrics } = judgeAll(series, opts);
    if (metrics.some((m) => m.status === 'fail')) out.corrected++;
    // The same metrics, each judged alone (no correction): the p-value of each is its own.
    if (metrics.some((m) => m.pValue < opts.alpha && m.change > opts.threshold)) out.alone++;
  }
  return out;
}

test('family-wise: between identical revisions, at most alpha of verdicts fail over 27 independent metrics (uncorrected: about 1 in 4)', (t) => {
  const gates = 1000;
  const { corrected, alone } = familyWiseFalseFailures(gates);
  // alpha 0.01 -> about 10 expected at most; 20 leaves room for the binomial spread (sd ≈ 3.1).
  assert.ok(corrected <= 2 * DEFAULT_GATE_OPTIONS.alpha * gates, `corrected: ${corrected}/${gates} verdicts failed`);
  assert.ok(alone > 0.1 * gates, `uncorrected: ${alone}/${gates} (the simulation must be able to show the difference)`);
  t.diagnostic(`family-wise false failures: ${corrected}/${gates} corrected, ${alone}/${gates} uncorrected`);
});
