/**
 * Westfall-Young step-down minP adjustment for PAIRED metrics (Westfall & Young 1993), by sign
 * flips of whole pairs.
 *
 * Holm multiplies the smallest p by the number of metrics, as if the metrics were unrelated. The
 * gate's metrics are not: one slow round lifts the L2 floor, the L2 median, the end-to-end median
 * and every op that reads L2 together. Under "no change" the two runs of a pair are exchangeable,
 * so flipping the sign of pair i's log ratio in EVERY metric at once is as likely as the observed
 * signs; recomputing every metric's signed-rank p under each flip pattern gives the joint null
 * distribution of the metrics' p-values, dependence included. A metric's adjusted p is the chance,
 * under that distribution, that the smallest p among it and the metrics less significant than it
 * falls at or below its own p (step-down). That keeps the chance of any false failure at or below
 * alpha as Holm does, but the factor it costs is the metrics' effective number, not their count.
 *
 * Each metric's p under a flip pattern is the same exact p the gate's paired test gives: the
 * signed-rank test (`signedRank`; ranks of |d| do not change under flips) or the sign test
 * (`signTest`: the signed-rank test with every rank 1), with the disturbed-pair guard of
 * `compareTrials` (which pairs it sets aside depends only on the pooled values, so flips leave it
 * alone): min(p all, p kept) × 2.
 * All 2ⁿ patterns are enumerated up to n = 14 pairs; beyond, 20,000 patterns are drawn with a
 * fixed seed, so a verdict is reproducible.
 */
import { midRanks } from './mann-whitney.js';
import { nullTails } from './signed-rank.js';
import { Rng } from './random.js';
import type { PairedTest } from '../model/results.js';

/** One metric's paired design: per-pair log ratios and the pairs the disturbed guard keeps. */
export interface PairedMetric {
  /** log(current / baseline) per pair (logRatio of compare.ts). */
  d: readonly number[];
  /** Pairs kept by the guard; null when it set none aside (no doubling). */
  keep: readonly boolean[] | null;
}

/** Adjusted one-sided p-values, in input order, for "current larger" and "current smaller". */
export interface WestfallYoung {
  pGreater: number[];
  pLess: number[];
  /** Sign patterns counted (2ⁿ enumerated, or drawn). */
  patterns: number;
  exact: boolean;
}

const ENUMERATE_MAX_PAIRS = 14;
const DRAWN_PATTERNS = 20_000;
const SEED = 0x5eed;

/** The exact null of one set of pairs: the scores of the test and the upper / lower tail tables. */
interface RankTable {
  /** Pair index of each non-zero difference, its score (doubled mid-rank; 1 for the sign test) and its sign (+1 / −1). */
  pair: Int32Array;
  rank2: Int32Array;
  sign: Int8Array;
  /** P(W ≥ w) and P(W ≤ w) for sums w = 0..max of the positive pairs' scores. */
  ge: Float64Array;
  le: Float64Array;
}

function rankTable(d: readonly number[], keep: readonly boolean[] | null, test: PairedTest): RankTable | null {
  const idx: number[] = [];
  d.forEach((v, i) => {
    if (v !== 0 && (keep === null || keep[i])) idx.push(i);
  });
  if (idx.length === 0) return null;
  const rank2 = test === 'sign' ? new Int32Array(idx.length).fill(1) : Int32Array.from(midRanks(idx.map((i) => Math.abs(d[i]!))).ranks, (r) => Math.round(2 * r));
  const { ge, le } = nullTails(rank2);
  return { pair: Int32Array.from(idx), rank2, sign: Int8Array.from(idx, (i) => (d[i]! > 0 ? 1 : -1)), ge, le };
}

/** Sum of the positive pairs' scores under the flip pattern `flip` (1 = pair flipped). */
function wPlus2(t: RankTable, flip: Uint8Array): number {
  let w = 0;
  for (let k = 0; k < t.pair.length; k++) if ((t.sign[k]! > 0) !== (flip[t.pair[k]!] === 1)) w += t.rank2[k]!;
  return w;
}

/**
 * Adjust the one-sided p-values of `metrics` (all with the same number of pairs) jointly. `observed`
 * are their unadjusted p-values as the gate computed them (compareTrials with the same `test`): the
 * step-down order and the thresholds.
 */
export function westfallYoung(metrics: readonly PairedMetric[], observed: { pGreater: readonly number[]; pLess: readonly number[] }, test: PairedTest): WestfallYoung {
  const m = metrics.length;
  const n = m === 0 ? 0 : metrics[0]!.d.length;
  // As compareTrials: a guard that sets pairs aside doubles p, and tests the kept pairs too when at least 2 remain.
  const tables = metrics.map((x) => {
    const keptTest = x.keep !== null && x.keep.filter(Boolean).length >= 2;
    return { all: rankTable(x.d, null, test), kept: keptTest ? rankTable(x.d, x.keep, test) : null, guarded: x.keep !== null };
  });
  const exact = n <= ENUMERATE_MAX_PAIRS;
  const patterns = exact ? 2 ** n : DRAWN_PATTERNS;
  const rng = new Rng(SEED);
  const flip = new Uint8Array(n);
  const orderG = ascending(observed.pGreater);
  const orderL = ascending(observed.pLess);
  const hitsG = new Float64Array(m);
  const hitsL = new Float64Array(m);
  const pg = new Float64Array(m);
  const pl = new Float64Array(m);
  for (let b = 0; b < patterns; b++) {
    for (let i = 0; i < n; i++) flip[i] = exact ? (b >>> i) & 1 : rng.nextU32() & 1;
    for (let j = 0; j < m; j++) {
      const t = tables[j]!;
      let g = 1;
      let l = 1;
      if (t.all) {
        const w = wPlus2(t.all, flip);
        g = t.all.ge[w]!;
        l = t.all.le[w]!;
      }
      if (t.guarded) {
        // A kept set with no non-zero difference has p 1 both ways: it changes nothing.
        if (t.kept) {
          const w = wPlus2(t.kept, flip);
          g = Math.min(g, t.kept.ge[w]!);
          l = Math.min(l, t.kept.le[w]!);
        }
        g = Math.min(1, 2 * g);
        l = Math.min(1, 2 * l);
      }
      pg[j] = g;
      pl[j] = l;
    }
    stepDownCount(orderG, pg, observed.pGreater, hitsG);
    stepDownCount(orderL, pl, observed.pLess, hitsL);
  }
  // Drawn patterns: the observed one counts too (+1), so an adjusted p is never 0.
  const adjust = (order: number[], hits: Float64Array) => {
    const out = new Array<number>(m).fill(1);
    let running = 0;
    for (const j of order) {
      running = Math.max(running, exact ? hits[j]! / patterns : (hits[j]! + 1) / (patterns + 1));
      out[j] = Math.min(1, running);
    }
    return out;
  };
  return { pGreater: adjust(orderG, hitsG), pLess: adjust(orderL, hitsL), patterns, exact };
}

function ascending(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
}

/**
 * Step-down: walking from the least significant metric to the most, the running minimum of the
 * pattern's p-values over the metrics seen so far; metric j counts a hit when that minimum is at or
 * below its observed p (1e-12 relative slack: the identity pattern must count for itself).
 */
function stepDownCount(order: readonly number[], pattern: Float64Array, obs: readonly number[], hits: Float64Array): void {
  let min = Infinity;
  for (let k = order.length - 1; k >= 0; k--) {
    const j = order[k]!;
    if (pattern[j]! < min) min = pattern[j]!;
    if (min <= obs[j]! * (1 + 1e-12)) hits[j]!++;
  }
}
