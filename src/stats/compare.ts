/**
 * Compare the per-trial values of one metric between two sides: rank test + effect size, with a
 * guard against DISTURBED trials. On a shared machine a burst of other work makes a whole trial
 * about twice as slow, on whichever side happened to run then; three such trials on one side can
 * hide a real 10 % change from a rank test. A trial is disturbed when its value exceeds
 * `disturbedFactor` × the median of ALL trials of both sides — and lies beyond the pooled trials'
 * own spread (median × e^(4 × robust σ of the log values)), so a metric that is merely wide, such as
 * a clean lognormal with σ 0.3, has no trial set aside. The rule looks only at the pooled
 * values, never at which side a trial came from, so the rank test on the kept trials is still
 * exact. The guard tests both ways (all trials, undisturbed trials) and keeps the smaller p-value
 * doubled (Bonferroni): the false-alarm rate stays at or below alpha, and a large real regression
 * — which lifts the pooled median and so may look "disturbed" itself — is still judged on all
 * trials.
 */
import { hodgesLehmannShift, median, ratioOfMediansChange } from './effect.js';
import { mannWhitneyU } from './mann-whitney.js';
import { signedRank } from './signed-rank.js';
import { signTest } from './sign-test.js';
import type { PairedTest } from '../model/results.js';

/** Result of comparing two sides of one metric. Values in the metric's unit (µs). */
export interface SideComparison {
  /** One-sided p-value for "current is larger" (doubled when the guard compared two ways). */
  pGreater: number;
  /** One-sided p-value for "current is smaller". */
  pLess: number;
  /** Relative change: ratio of medians − 1, or the median per-pair ratio − 1 when paired. */
  change: number;
  /** Medians of the trials the chosen test used. */
  baseline: number;
  current: number;
  /** Hodges-Lehmann shift of the chosen trials. */
  shift: number;
  /** Trials left out as disturbed by the test whose p-value was kept (0 = all trials used). */
  disturbed: number;
  /**
   * The smallest p-value this comparison could have produced for "current is larger", whatever the
   * values (guard doubling included): when it is ≥ alpha the metric cannot fail, however slow.
   */
  minP: number;
}

export interface CompareOptions {
  /** Trial i of each side ran together: `pairedTest` on the per-pair log ratios. */
  paired: boolean;
  /** Which paired test (read only when `paired`): the sign test counts directions, the signed-rank test weighs them by size too. */
  pairedTest: PairedTest;
  /**
   * Disturbed = value > this × the pooled median; 0 turns the guard off. Not used by the paired
   * sign test: a disturbed pair is one vote there, whatever its size, so the guard would only
   * cost its doubling of p.
   */
  disturbedFactor: number;
}

/**
 * log(c / b), rounded to 12 significant digits: |log(110/100)| and |log(100/110)| differ in the
 * last bit of a double, and the signed-rank test must see such symmetric ratios as tied.
 */
export function logRatio(c: number, b: number): number {
  const x = Math.log(Math.max(c, 0.5) / Math.max(b, 0.5));
  return x === 0 ? 0 : Number(x.toPrecision(12));
}

/** Smallest one-sided p of the exact test: 1 / 2^n paired, 1 / C(n1 + n2, n2) unpaired. */
export function smallestP(n1: number, n2: number, paired: boolean): number {
  if (paired) return 0.5 ** Math.min(n1, n2);
  let ways = 1;
  for (let i = 1; i <= n2; i++) ways = (ways * (n1 + i)) / i;
  return 1 / ways;
}

function plain(b: readonly number[], c: readonly number[], o: CompareOptions): Omit<SideComparison, 'disturbed'> {
  const { paired } = o;
  const minP = smallestP(b.length, c.length, paired);
  if (paired) {
    const logRatios = c.map((v, i) => logRatio(v, b[i]!));
    const t = o.pairedTest === 'sign' ? signTest(logRatios) : signedRank(logRatios);
    return { pGreater: t.pGreater, pLess: t.pLess, change: Math.exp(median(logRatios)) - 1, baseline: median(b), current: median(c), shift: hodgesLehmannShift(b, c), minP };
  }
  const t = mannWhitneyU(b, c);
  return { pGreater: t.pGreater, pLess: t.pLess, change: ratioOfMediansChange(b, c), baseline: median(b), current: median(c), shift: hodgesLehmannShift(b, c), minP };
}

/** Spread allowance of the guard: e^(4 × 1.4826 × MAD of the log values), ≥ `factor`. */
function disturbedLimit(values: readonly number[], factor: number): number {
  const m = median(values);
  const logs = values.map((v) => Math.log(Math.max(v, 0.5)));
  const ml = median(logs);
  const sigma = 1.4826 * median(logs.map((x) => Math.abs(x - ml)));
  return m * Math.max(factor, Math.exp(4 * sigma));
}

/** The trials the guard keeps: those at or below the limit of the pooled values (null: guard off). */
function guardKeeps(baseline: readonly number[], current: readonly number[], o: CompareOptions): ((v: number) => boolean) | null {
  if (!(o.disturbedFactor > 0) || (o.paired && o.pairedTest === 'sign')) return null;
  const limit = disturbedLimit([...baseline, ...current], o.disturbedFactor);
  return (v: number) => v <= limit;
}

/**
 * A paired metric as the joint correction over metrics sees it (stats/westfall-young.ts): the
 * per-pair log ratios and the pairs the guard keeps (null when it sets none aside), exactly as
 * `compareTrials` tests them.
 */
export function pairedDesign(baseline: readonly number[], current: readonly number[], o: CompareOptions): { d: number[]; keep: boolean[] | null } {
  const d = current.map((v, i) => logRatio(v, baseline[i]!));
  const ok = guardKeeps(baseline, current, o);
  const keep = ok ? baseline.map((v, i) => ok(v) && ok(current[i]!)) : null;
  return { d, keep: keep && keep.every(Boolean) ? null : keep };
}

/** Compare `baseline` and `current` trial values of one metric. */
export function compareTrials(baseline: readonly number[], current: readonly number[], o: CompareOptions): SideComparison {
  const all = { ...plain(baseline, current, o), disturbed: 0 };
  const ok = guardKeeps(baseline, current, o);
  if (!ok) return all;
  let b: number[];
  let c: number[];
  if (o.paired) {
    const keep = baseline.map((v, i) => ok(v) && ok(current[i]!));
    b = baseline.filter((_, i) => keep[i]);
    c = current.filter((_, i) => keep[i]);
  } else {
    b = baseline.filter(ok);
    c = current.filter(ok);
  }
  const dropped = baseline.length + current.length - b.length - c.length;
  if (dropped === 0) return all;
  const double = (x: SideComparison): SideComparison => ({ ...x, pGreater: Math.min(1, 2 * x.pGreater), pLess: Math.min(1, 2 * x.pLess), minP: Math.min(1, 2 * x.minP) });
  if (b.length < 2 || c.length < 2) return double(all);
  const kept = { ...plain(b, c, o), disturbed: dropped };
  const best = kept.pGreater < all.pGreater ? kept : all;
  return { ...double(best), pLess: Math.min(1, 2 * Math.min(all.pLess, kept.pLess)), minP: Math.min(1, 2 * Math.min(all.minP, kept.minP)) };
}
