import { test } from 'node:test';
import assert from 'node:assert/strict';
import { westfallYoung, type PairedMetric } from '../../src/stats/westfall-young.js';
import { compareTrials, pairedDesign, type CompareOptions } from '../../src/stats/compare.js';
import { holmAdjust } from '../../src/stats/holm.js';
import { Rng } from '../../src/stats/random.js';

/** Lognormal-ish positive values: exp(mean + sd × (sum of 4 uniforms − 2)). */
function draw(rng: Rng, mean: number, sd: number): number {
  return Math.exp(mean + sd * (rng.next() + rng.next() + rng.next() + rng.next() - 2));
}

/**
 * `metrics` paired metrics over `pairs` rounds: every round has a shared disturbance (both sides
 * and every metric: the machine's minute), each value its own noise, and current is slower by
 * `shift` (a fraction) in the first `shifted` metrics.
 */
function rounds(rng: Rng, pairs: number, metrics: number, shared: number, own: number, shift = 0, shifted = 0) {
  const round = Array.from({ length: pairs }, () => shared * (rng.next() - 0.5) * 2);
  return Array.from({ length: metrics }, (_, j) => {
    const b = round.map((r) => draw(rng, 4 + r, own));
    const c = round.map((r) => draw(rng, 4 + r + (j < shifted ? Math.log(1 + shift) : 0), own));
    return { b, c };
  });
}

const OFF: CompareOptions = { paired: true, pairedTest: 'signed-rank', disturbedFactor: 0 };
const SIGN: CompareOptions = { paired: true, pairedTest: 'sign', disturbedFactor: 1.5 };
const GUARD: CompareOptions = { paired: true, pairedTest: 'signed-rank', disturbedFactor: 1.5 };

function adjust(series: { b: number[]; c: number[] }[], o = OFF) {
  const tests = series.map((s) => compareTrials(s.b, s.c, o));
  const design: PairedMetric[] = series.map((s) => pairedDesign(s.b, s.c, o));
  return { tests, wy: westfallYoung(design, { pGreater: tests.map((t) => t.pGreater), pLess: tests.map((t) => t.pLess) }, o.pairedTest) };
}

test('one metric: the sign-flip distribution is the exact test itself (signed-rank, sign), so nothing is added (both tails)', () => {
  const rng = new Rng(7);
  for (let k = 0; k < 80; k++) {
    const [s] = rounds(rng, 6 + (k % 9), 1, 0.3, 0.2, k % 3 === 0 ? 0.1 : 0, 1);
    const { tests, wy } = adjust([s!], k % 2 === 0 ? OFF : SIGN);
    assert.equal(wy.exact, true);
    assert.ok(Math.abs(wy.pGreater[0]! - tests[0]!.pGreater) < 1e-12, `${wy.pGreater[0]} vs ${tests[0]!.pGreater}`);
    assert.ok(Math.abs(wy.pLess[0]! - tests[0]!.pLess) < 1e-12, `${wy.pLess[0]} vs ${tests[0]!.pLess}`);
  }
});

test('copies of one metric cost nothing; Holm charges each copy', () => {
  const [s] = rounds(new Rng(3), 12, 1, 0.2, 0.02, 0.1, 1);
  const series = Array.from({ length: 10 }, () => s!);
  const { tests, wy } = adjust(series);
  const p = tests[0]!.pGreater;
  assert.ok(p < 0.001, `a clear shift: p ${p}`);
  for (const q of wy.pGreater) assert.ok(Math.abs(q - p) < 1e-12, `${q} vs ${p}`);
  assert.ok(holmAdjust(tests.map((t) => t.pGreater))[0]! >= 10 * p - 1e-12);
});

test('unrelated metrics: between the metric alone and Bonferroni; step-down keeps the order', () => {
  const rng = new Rng(11);
  for (let k = 0; k < 10; k++) {
    const series = rounds(rng, 12, 8, 0, 0.2, 0.15, 3);
    const { tests, wy } = adjust(series);
    tests.forEach((t, j) => {
      assert.ok(wy.pGreater[j]! >= t.pGreater - 1e-12, 'never below the metric alone');
      assert.ok(wy.pGreater[j]! <= Math.min(1, 8 * t.pGreater) + 1e-12, 'never above Bonferroni');
    });
    const order = tests.map((_, j) => j).sort((a, b) => tests[a]!.pGreater - tests[b]!.pGreater);
    for (let i = 1; i < order.length; i++) assert.ok(wy.pGreater[order[i]!]! >= wy.pGreater[order[i - 1]!]! - 1e-12, 'monotone along the order');
  }
});

test('the disturbed-pair guard as compareTrials applies it, judged by its own sign-flip distribution', () => {
  const rng = new Rng(5);
  const b = Array.from({ length: 12 }, () => draw(rng, 4, 0.05));
  const c = b.map((v) => v * 1.1);
  c[3] = b[3]! * 3; // one disturbed pair
  const { tests, wy } = adjust([{ b, c }], GUARD);
  assert.deepEqual(pairedDesign(b, c, GUARD).keep, b.map((_, i) => i !== 3), 'the guard sets pair 4 aside');
  // compareTrials: all 12 pairs slower, p 1/4096; the 11 kept, 1/2048; the smaller, doubled: 1/2048.
  assert.equal(tests[0]!.pGreater, 1 / 2048);
  // Under sign flips, that guarded statistic reaches 1/2048 only when all 12 pairs are slower (the
  // kept 11 alone give 2 × 1/2048): one pattern in 4,096. The doubling is a bound; this is exact.
  assert.equal(wy.pGreater[0], 1 / 4096);
});

test('false failures under no change stay at or below alpha; a shift shared by correlated metrics is found more often than with Holm', () => {
  // 12 metrics over 10 pairs (all 1,024 sign patterns), rounds drifting together, alpha 0.05.
  const rng = new Rng(2026);
  const alpha = 0.05;
  let falseWy = 0;
  let falseHolm = 0;
  let hitWy = 0;
  let hitHolm = 0;
  const runs = 300;
  for (let k = 0; k < runs; k++) {
    const nul = adjust(rounds(rng, 10, 12, 0.5, 0.1));
    if (nul.wy.pGreater.some((p) => p < alpha)) falseWy++;
    if (holmAdjust(nul.tests.map((t) => t.pGreater)).some((p) => p < alpha)) falseHolm++;
    const alt = adjust(rounds(rng, 10, 12, 0.5, 0.1, 0.06, 12));
    if (alt.wy.pGreater.some((p) => p < alpha)) hitWy++;
    if (holmAdjust(alt.tests.map((t) => t.pGreater)).some((p) => p < alpha)) hitHolm++;
  }
  process.stdout.write(`# westfall-young: false ${falseWy}/${runs}, detected ${hitWy}/${runs}; holm: false ${falseHolm}/${runs}, detected ${hitHolm}/${runs}\n`);
  // Binomial(300, 0.05): mean 15, sd 3.8; 27 is three sd above.
  assert.ok(falseWy <= 27, `false failures ${falseWy}/${runs}`);
  assert.ok(hitWy > hitHolm, `westfall-young ${hitWy} vs holm ${hitHolm}`);
});

test('more than 14 pairs: drawn sign patterns, reproducible, never an adjusted p of 0', () => {
  const series = rounds(new Rng(9), 20, 5, 0.3, 0.1, 0.3, 5);
  const a = adjust(series);
  const b = adjust(series);
  assert.equal(a.wy.exact, false);
  assert.equal(a.wy.patterns, 20_000);
  assert.deepEqual(a.wy.pGreater, b.wy.pGreater);
  for (const p of a.wy.pGreater) assert.ok(p >= 1 / 20_001 - 1e-15 && p < 0.001, String(p));
});

test('sign test: copies of one metric cost nothing, unrelated metrics cost less than Bonferroni, and the disturbed pair is one vote', () => {
  const [s] = rounds(new Rng(3), 12, 1, 0.2, 0.02, 0.1, 1);
  s!.c[4] = s!.b[4]! * 0.3; // one pair at another speed, against the change
  const copies = adjust(Array.from({ length: 6 }, () => s!), SIGN);
  assert.equal(copies.tests[0]!.pGreater, 13 / 4096); // 11 or 12 of 12 slower
  assert.equal(copies.tests[0]!.disturbed, 0);
  for (const q of copies.wy.pGreater) assert.equal(q, 13 / 4096);
  const rng = new Rng(12);
  for (let k = 0; k < 10; k++) {
    const series = rounds(rng, 12, 6, 0, 0.2, 0.3, 6);
    const { tests, wy } = adjust(series, SIGN);
    tests.forEach((t, j) => {
      assert.ok(wy.pGreater[j]! >= t.pGreater - 1e-12, 'never below the metric alone');
      assert.ok(wy.pGreater[j]! <= Math.min(1, 6 * t.pGreater) + 1e-12, 'never above Bonferroni');
    });
  }
});
