import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyU, midRanks } from '../../src/stats/mann-whitney.js';
import { normalCdf, normalUpperTail } from '../../src/stats/normal.js';
import { Rng } from '../../src/stats/random.js';

const close = (a: number, b: number, tol: number, msg?: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${msg ?? ''} expected ${b} ± ${tol}, got ${a}`);

test('normal tails match known values', () => {
  close(normalCdf(0), 0.5, 1e-7);
  close(normalUpperTail(1.959963985), 0.025, 1e-7);
  close(normalUpperTail(2.326347874), 0.01, 1e-7);
  close(normalCdf(-3), 0.0013498980, 1e-8);
});

test('mid-ranks average tied positions and sum the tie correction', () => {
  const { ranks, tieSum } = midRanks([10, 20, 20, 30, 20]);
  assert.deepEqual(Array.from(ranks), [1, 3, 3, 5, 3]);
  assert.equal(tieSum, 3 * 3 * 3 - 3);
});

test('complete separation of 5 vs 5 gives the exact minimum p = 1/252', () => {
  const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  assert.equal(r.u, 25);
  assert.equal(r.method, 'exact');
  close(r.pGreater, 1 / 252, 1e-12);
  close(r.pLess, 1, 1e-12);
  close(r.pTwoSided, 2 / 252, 1e-12);
});

test('matches R wilcox.test(x, y, alternative = "greater"): W = 35, p = 0.1272', () => {
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  // Our U counts how often the second sample is larger, so x goes second.
  const r = mannWhitneyU(y, x);
  assert.equal(r.u, 35);
  close(r.pGreater, 0.1272, 5e-5);
});

test('exact tails with ties equal a brute-force enumeration of all labelings', () => {
  const x = [3, 5, 5, 7];
  const y = [5, 7, 7, 9, 1];
  const pooled = [...x, ...y];
  const { ranks } = midRanks(pooled);
  const observed = y.reduce((s, _, j) => s + ranks[x.length + j]!, 0);
  let ge = 0;
  let le = 0;
  let total = 0;
  const n = pooled.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) (bits++, (sum += ranks[i]!));
    if (bits !== y.length) continue;
    total++;
    if (sum >= observed - 1e-9) ge++;
    if (sum <= observed + 1e-9) le++;
  }
  const r = mannWhitneyU(x, y);
  assert.ok(r.ties);
  close(r.pGreater, ge / total, 1e-12);
  close(r.pLess, le / total, 1e-12);
});

test('normal approximation agrees with the exact distribution at n = 25 + 25', () => {
  const rng = new Rng(7);
  const x = Array.from({ length: 25 }, () => Math.round(100 + rng.next() * 50));
  const y = Array.from({ length: 25 }, () => Math.round(110 + rng.next() * 50));
  const exact = mannWhitneyU(x, y);
  const approx = mannWhitneyU(x, y, { exactMaxN: 0 });
  assert.equal(exact.method, 'exact');
  assert.equal(approx.method, 'normal');
  assert.ok(exact.pGreater < 0.05, `shifted sample should be significant, p=${exact.pGreater}`);
  close(approx.pGreater, exact.pGreater, 0.003);
});

test('identical samples are never significant', () => {
  const r = mannWhitneyU([5, 5, 5, 5, 5], [5, 5, 5, 5, 5]);
  assert.equal(r.pGreater, 1);
  assert.equal(mannWhitneyU(Array(40).fill(1), Array(40).fill(1)).pGreater, 1);
});

test('under the null the false-positive rate stays at or below alpha', () => {
  const rng = new Rng(42);
  const draw = () => Array.from({ length: 8 }, () => Math.exp(rng.next() * 2));
  let significant = 0;
  const runs = 2000;
  for (let i = 0; i < runs; i++) if (mannWhitneyU(draw(), draw()).pGreater < 0.05) significant++;
  // The exact test is conservative: the level is ≤ 5 %; allow binomial noise (sd ≈ 0.5 %).
  assert.ok(significant / runs <= 0.065, `false positives ${significant}/${runs}`);
  assert.ok(significant / runs >= 0.025, `test should not be absurdly conservative: ${significant}/${runs}`);
});

test('rejects empty or non-finite samples', () => {
  assert.throws(() => mannWhitneyU([], [1]), RangeError);
  assert.throws(() => mannWhitneyU([1, NaN], [1]), RangeError);
});

test('normal approximation: continuity correction of 0.5 toward the mean, both tails (values computed independently)', () => {
  // x = 1,2,4,7 and y = 3,5,6,8,9 (no ties): U = 16, mean 10, sd √(4·5·10/12) = 4.0825.
  // pGreater = P(Z ≥ (16 − 10 − 0.5) / sd), pLess = P(Z ≤ (16 − 10 + 0.5) / sd), from Python's math.erfc;
  // with the correction's sign flipped pGreater would be 0.0557: far outside the tolerance.
  const r = mannWhitneyU([1, 2, 4, 7], [3, 5, 6, 8, 9], { exactMaxN: 0 });
  assert.equal(r.method, 'normal');
  assert.equal(r.u, 16);
  close(r.pGreater, 0.08895479749349126, 1e-6);
  close(r.pLess, 0.9443265567334298, 1e-6);
});
