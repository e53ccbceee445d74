/**
 * Exact sign test for paired samples: of the pairs whose difference is not zero, how many have the
 * current side larger, against Binomial(n, ½) — the chance of that many under "no change", when
 * each pair is as likely to lean one way as the other.
 *
 * It reads only the direction of each pair, not its size. That is what makes it the gate's
 * default for paired rounds (docs/gate.md, "The defaults, and why"): on a machine that runs at
 * one of two speeds for a whole bench run, a round whose two runs landed at different speeds
 * moves by ±35 % instead of the +10 % of a real change; the signed-rank test gives such a round
 * the largest rank, and three of them against the change can hide it, while here each round is
 * one vote.
 */
import { nullTails } from './signed-rank.js';
import { normalCdf, normalUpperTail } from './normal.js';

/** Outcome of `signTest`. */
export interface SignTest {
  /** Pairs with a non-zero difference (the ones the test counts). */
  n: number;
  /** Of those, the pairs with a positive difference (current larger). */
  positive: number;
  /** One-sided p-value against "the differences are not positive" (small: current is larger). */
  pGreater: number;
  /** One-sided p-value against "the differences are not negative". */
  pLess: number;
  method: 'exact' | 'normal';
}

/** Beyond this many pairs, C(n, k) no longer fits a double: normal approximation. */
const EXACT_MAX_N = 1000;

/** P(K ≥ k) and P(K ≤ k) for K ~ Binomial(n, ½), k = 0..n (n ≤ 1000). */
export function binomialHalfTails(n: number): { ge: Float64Array; le: Float64Array } {
  // The sign test is the signed-rank test with every score 1: its null counts are Pascal's row.
  return nullTails(new Int32Array(n).fill(1));
}

/** Test whether the paired differences `d` (current − baseline, or log ratios) tend to be positive. */
export function signTest(d: readonly number[]): SignTest {
  for (const v of d) if (!Number.isFinite(v)) throw new RangeError(`signTest: not a finite number: ${v}`);
  let n = 0;
  let positive = 0;
  for (const v of d) {
    if (v === 0) continue;
    n++;
    if (v > 0) positive++;
  }
  if (n === 0) return { n, positive, pGreater: 1, pLess: 1, method: 'exact' };
  if (n <= EXACT_MAX_N) {
    const { ge, le } = binomialHalfTails(n);
    return { n, positive, pGreater: ge[positive]!, pLess: le[positive]!, method: 'exact' };
  }
  const mean = n / 2;
  const sd = Math.sqrt(n) / 2;
  return { n, positive, pGreater: normalUpperTail((positive - mean - 0.5) / sd), pLess: normalCdf((positive - mean + 0.5) / sd), method: 'normal' };
}
