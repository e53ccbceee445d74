import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialHalfTails, signTest } from '../../src/stats/sign-test.js';
import { signedRank } from '../../src/stats/signed-rank.js';
import { Rng } from '../../src/stats/random.js';

/** P(K ≥ k) for K ~ Binomial(n, ½), counted exactly with BigInt. */
function naiveUpper(n: number, k: number): number {
  let c = 1n;
  let sum = 0n;
  for (let j = 0; j <= n; j++) {
    if (j >= k) sum += c;
    c = (c * BigInt(n - j)) / BigInt(j + 1);
  }
  return Number((sum * 10n ** 18n) / 2n ** BigInt(n)) / 1e18;
}

test('all seven pairs slower: p = 1/128 one way, 1 the other', () => {
  const r = signTest([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  assert.deepEqual({ n: r.n, positive: r.positive, method: r.method }, { n: 7, positive: 7, method: 'exact' });
  assert.equal(r.pGreater, 1 / 128);
  assert.equal(r.pLess, 1);
});

test('zero differences are dropped; only directions count', () => {
  const r = signTest([1, -1, 2, 2000, 0]);
  assert.equal(r.n, 4);
  assert.equal(r.positive, 3);
  assert.equal(r.pGreater, 5 / 16); // 3 or 4 of 4: (4 + 1) / 16
  assert.equal(r.pLess, 15 / 16);
  assert.deepEqual(signTest([0, 0]), { n: 0, positive: 0, pGreater: 1, pLess: 1, method: 'exact' });
  assert.throws(() => signTest([1, NaN]), /not a finite number/);
});

test('tails equal the binomial counted exactly, n = 1..60', () => {
  for (let n = 1; n <= 60; n++) {
    const { ge, le } = binomialHalfTails(n);
    for (let k = 0; k <= n; k++) {
      const want = naiveUpper(n, k);
      assert.ok(Math.abs(ge[k]! - want) <= 1e-15 * Math.max(1, want), `n ${n} k ${k}: ${ge[k]} vs ${want}`);
      assert.ok(Math.abs(le[k]! - (1 - naiveUpper(n, k + 1))) <= 1e-12, `n ${n} k ${k} lower`);
    }
  }
});

test('beyond 1,000 pairs the normal approximation stays close to the exact tail', () => {
  const d = Array.from({ length: 1200 }, (_, i) => (i < 640 ? 1 : -1));
  const r = signTest(d);
  assert.equal(r.method, 'normal');
  const exact = naiveUpper(1200, 640);
  assert.ok(Math.abs(r.pGreater - exact) / exact < 0.05, `${r.pGreater} vs ${exact}`);
});

test('three rounds at the other machine speed do not hide a 10 % shift, as they do from the signed-rank test', () => {
  // 17 rounds slower by 8–12 %, 3 rounds whose runs caught the machine at different speeds (−20 %).
  const d = [...Array.from({ length: 17 }, (_, i) => Math.log(1.08 + (i % 5) * 0.01)), ...[1, 2, 3].map(() => Math.log(0.8))];
  const sign = signTest(d);
  const ranks = signedRank(d);
  assert.equal(sign.pGreater, (1140 + 190 + 20 + 1) / 2 ** 20); // 17 or more of 20 slower: 0.0013
  assert.ok(sign.pGreater < 0.01 && ranks.pGreater > 0.01, `sign ${sign.pGreater}, signed-rank ${ranks.pGreater}`);
});

test('under no change p < 0.01 as often as its exact level, 0.0081, says (30 pairs, symmetric noise with outliers)', () => {
  const rng = new Rng(30);
  let alarms = 0;
  const runs = 4000;
  for (let k = 0; k < runs; k++) {
    const d = Array.from({ length: 30 }, () => (rng.next() - 0.5) * (rng.next() < 0.1 ? 8 : 1));
    if (signTest(d).pGreater < 0.01) alarms++;
  }
  // p < 0.01 at 30 pairs means 22 or more slower: P(K ≥ 22) = 0.0081. 4,000 runs: mean 32, sd 5.7.
  assert.ok(alarms <= 50, `${alarms}/${runs}`);
  assert.ok(alarms >= 15, `${alarms}/${runs}`);
});
