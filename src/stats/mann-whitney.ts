/**
 * Mann-Whitney U (Wilcoxon rank-sum) test: do the values of one sample tend to be larger than
 * those of another? It uses only the order of the values, so one outlier trial cannot dominate,
 * and it assumes nothing about the shape of the distribution (latency is anything but normal).
 *
 * Small samples get the exact permutation distribution (ties handled by mid-ranks, counted
 * exactly); larger ones the normal approximation with tie correction and continuity correction.
 */
import { normalCdf, normalUpperTail } from './normal.js';

/** Outcome of comparing sample `x` (baseline) with sample `y` (current). */
export interface RankTest {
  /** Sample sizes of x and y. */
  n1: number;
  n2: number;
  /** U of y over x: pairs (x_i, y_j) with y_j > x_i, a tie counting one half. 0 … n1·n2. */
  u: number;
  /** One-sided p-value against "y is not larger": small means y is significantly larger. */
  pGreater: number;
  /** One-sided p-value against "y is not smaller". */
  pLess: number;
  /** Two-sided p-value. */
  pTwoSided: number;
  /** How the p-values were obtained. */
  method: 'exact' | 'normal';
  /** Whether tied values occurred across the pooled sample. */
  ties: boolean;
}

/** Options of `mannWhitneyU`. */
export interface RankTestOptions {
  /** Use the exact distribution while n1 + n2 is at most this (default 60). */
  exactMaxN?: number;
}

/** Mid-ranks (1-based) of `values`, plus the tie-correction sum Σ(t³ − t) over tie groups. */
export function midRanks(values: readonly number[]): { ranks: Float64Array; tieSum: number } {
  const order = values.map((v, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  let tieSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    const t = j - i + 1;
    tieSum += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieSum };
}

/** Test whether `y` tends to be larger (or smaller) than `x`. Both samples must be non-empty. */
export function mannWhitneyU(x: readonly number[], y: readonly number[], opts: RankTestOptions = {}): RankTest {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs two non-empty samples');
  for (const v of [...x, ...y]) if (!Number.isFinite(v)) throw new RangeError(`mannWhitneyU: not a finite number: ${v}`);
  const n = n1 + n2;
  const { ranks, tieSum } = midRanks([...x, ...y]);
  let r2 = 0;
  for (let j = n1; j < n; j++) r2 += ranks[j]!;
  const u = r2 - (n2 * (n2 + 1)) / 2;
  const ties = tieSum > 0;
  let pGreater: number;
  let pLess: number;
  let method: RankTest['method'];
  if (n <= (opts.exactMaxN ?? 60)) {
    ({ pGreater, pLess } = exactTails(ranks, n2, r2));
    method = 'exact';
  } else {
    const mean = (n1 * n2) / 2;
    const variance = ((n1 * n2) / 12) * (n + 1 - tieSum / (n * (n - 1)));
    if (variance <= 0) {
      pGreater = 1;
      pLess = 1;
    } else {
      const sd = Math.sqrt(variance);
      pGreater = normalUpperTail((u - mean - 0.5) / sd);
      pLess = normalCdf((u - mean + 0.5) / sd);
    }
    method = 'normal';
  }
  pGreater = Math.min(1, pGreater);
  pLess = Math.min(1, pLess);
  return { n1, n2, u, pGreater, pLess, pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)), method, ties };
}

/**
 * Exact tails of the rank sum of y: among all C(n, n2) ways to label n2 of the pooled values as
 * "y", the share whose rank sum is ≥ (and ≤) the observed one. Ranks are doubled so mid-ranks are
 * integers; a subset-sum count by dynamic programming gives the distribution.
 */
function exactTails(ranks: Float64Array, n2: number, observed: number): { pGreater: number; pLess: number } {
  const n = ranks.length;
  const doubled = Array.from(ranks, (r) => Math.round(2 * r));
  const maxSum = doubled.slice().sort((a, b) => b - a).slice(0, n2).reduce((s, v) => s + v, 0);
  const width = maxSum + 1;
  // ways[k * width + s]: subsets of size k of the items seen so far with doubled rank sum s.
  const ways = new Float64Array((n2 + 1) * width);
  ways[0] = 1;
  for (let i = 0; i < n; i++) {
    const r = doubled[i]!;
    for (let k = Math.min(i + 1, n2); k >= 1; k--) {
      const dst = k * width;
      const src = (k - 1) * width;
      for (let s = maxSum; s >= r; s--) ways[dst + s]! += ways[src + s - r]!;
    }
  }
  const obs = Math.round(2 * observed);
  let total = 0;
  let ge = 0;
  let le = 0;
  for (let s = 0; s <= maxSum; s++) {
    const w = ways[n2 * width + s]!;
    total += w;
    if (s >= obs) ge += w;
    if (s <= obs) le += w;
  }
  return { pGreater: ge / total, pLess: le / total };
}
