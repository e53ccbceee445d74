/**
 * Wilcoxon signed-rank test for paired samples: trial i of the baseline against trial i of the
 * current run, when both sides ran at the same time (or back to back). Pairing cancels the noise
 * both members of a pair share — a busy minute on a shared runner slows both — which an unpaired
 * test cannot remove. Zero differences are dropped (Wilcoxon's convention); ties in |d| get
 * mid-ranks; the exact distribution is counted for up to 50 pairs, a normal approximation with
 * tie and continuity correction beyond.
 */
import { midRanks } from './mann-whitney.js';
import { normalUpperTail, normalCdf } from './normal.js';

/** Outcome of `signedRank`. */
export interface SignedRankTest {
  /** Pairs with a non-zero difference (the ones the test uses). */
  n: number;
  /** Sum of the ranks of |d| over the positive differences. */
  wPlus: number;
  /** One-sided p-value against "the differences are not positive" (small: current is larger). */
  pGreater: number;
  /** One-sided p-value against "the differences are not negative". */
  pLess: number;
  method: 'exact' | 'normal';
}

/**
 * The exact null of the signed-rank statistic given the ranks: for each doubled (integer) sum w of
 * the ranks of the positive differences, the number of the 2ⁿ sign patterns that give it.
 */
export function positiveRankSumWays(doubledRanks: Int32Array): Float64Array {
  const max = doubledRanks.reduce((s, v) => s + v, 0);
  const ways = new Float64Array(max + 1);
  ways[0] = 1;
  // 0/1 subset-sum count, in place: descending s reads ways[s - r] before this rank touched it.
  for (const r of doubledRanks) for (let s = max; s >= r; s--) ways[s]! += ways[s - r]!;
  return ways;
}

/**
 * The exact null of a sum of positive pairs' scores (doubled ranks, or 1 each for the sign test):
 * P(W ≥ w) and P(W ≤ w) for every sum w = 0..max, over all 2ⁿ sign patterns.
 */
export function nullTails(scores: Int32Array): { ge: Float64Array; le: Float64Array } {
  const ways = positiveRankSumWays(scores);
  const max = ways.length - 1;
  const total = ways.reduce((s, v) => s + v, 0);
  const ge = new Float64Array(max + 1);
  const le = new Float64Array(max + 1);
  let acc = 0;
  for (let w = max; w >= 0; w--) ge[w] = (acc += ways[w]!) / total;
  acc = 0;
  for (let w = 0; w <= max; w++) le[w] = (acc += ways[w]!) / total;
  return { ge, le };
}

/** Test whether the paired differences `d` (current − baseline, or log ratios) tend to be positive. */
export function signedRank(d: readonly number[], opts: { exactMaxN?: number } = {}): SignedRankTest {
  for (const v of d) if (!Number.isFinite(v)) throw new RangeError(`signedRank: not a finite number: ${v}`);
  const nz = d.filter((v) => v !== 0);
  const n = nz.length;
  if (n === 0) return { n, wPlus: 0, pGreater: 1, pLess: 1, method: 'exact' };
  const { ranks, tieSum } = midRanks(nz.map(Math.abs));
  let wPlus = 0;
  nz.forEach((v, i) => (wPlus += v > 0 ? ranks[i]! : 0));
  if (n <= (opts.exactMaxN ?? 50)) {
    const ways = positiveRankSumWays(Int32Array.from(ranks, (r) => Math.round(2 * r)));
    const max = ways.length - 1;
    const obs = Math.round(2 * wPlus);
    let total = 0;
    let ge = 0;
    let le = 0;
    for (let s = 0; s <= max; s++) {
      total += ways[s]!;
      if (s >= obs) ge += ways[s]!;
      if (s <= obs) le += ways[s]!;
    }
    return { n, wPlus, pGreater: ge / total, pLess: le / total, method: 'exact' };
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48);
  if (!(sd > 0)) return { n, wPlus, pGreater: 1, pLess: 1, method: 'normal' };
  return { n, wPlus, pGreater: normalUpperTail((wPlus - mean - 0.5) / sd), pLess: normalCdf((wPlus - mean + 0.5) / sd), method: 'normal' };
}
