import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRank } from '../../src/stats/signed-rank.js';
import { Rng } from '../../src/stats/random.js';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `expected ${b} ± ${tol}, got ${a}`);

test('all of 7 differences positive: exact p = 1/128', () => {
  const r = signedRank([1, 2, 3, 4, 5, 6, 7]);
  assert.equal(r.wPlus, 28);
  close(r.pGreater, 1 / 128, 1e-12);
  close(r.pLess, 1, 1e-12);
});

test('matches R wilcox.test(x, y, paired = TRUE, alternative = "greater"): V = 40, p = 0.01953', () => {
  // R's example (Hollander & Wolfe): depression scores before (x) and after (y).
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  const r = signedRank(x.map((v, i) => v - y[i]!));
  assert.equal(r.wPlus, 40);
  close(r.pGreater, 0.01953, 1e-5);
});

test('zeros are dropped, ties get mid-ranks, and the normal approximation agrees at n = 40', () => {
  assert.equal(signedRank([0, 0, 0]).pGreater, 1);
  const t = signedRank([1, -1, 2, 2, 0]);
  assert.equal(t.n, 4);
  assert.equal(t.wPlus, 1.5 + 3.5 + 3.5);
  const rng = new Rng(3);
  const d = Array.from({ length: 40 }, () => Math.round((rng.next() - 0.35) * 100));
  const exact = signedRank(d);
  const approx = signedRank(d, { exactMaxN: 0 });
  assert.equal(approx.method, 'normal');
  close(approx.pGreater, exact.pGreater, 0.003);
});

test('normal approximation: continuity correction of 0.5 toward the mean, both tails (values computed independently)', () => {
  // d = 1, −2, 3, 4, 5, 6, −7, 8: W+ = 27, mean 18, sd √(8·9·17/24) = 7.1414; reference p-values
  // from Python's math.erfc (sign flipped: pGreater 0.0917).
  const r = signedRank([1, -2, 3, 4, 5, 6, -7, 8], { exactMaxN: 0 });
  assert.equal(r.method, 'normal');
  assert.equal(r.wPlus, 27);
  close(r.pGreater, 0.11697641673529485, 1e-6);
  close(r.pLess, 0.9082846905089109, 1e-6);
});
