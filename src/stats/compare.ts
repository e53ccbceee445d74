/**
 * Compare the per-trial values of one metric between two sides: rank test + effect size, with a
 * guard against DISTURBED trials. On a shared machine a burst of other work makes a whole trial
 * about twice as slow, on whichever side happened to run then; three such trials on one side can
 * hide a real 10 % change from a rank test. A trial is disturbed when its value exceeds
 * `disturbedFactor` × the median of ALL trials of both sides. The rule looks only at the pooled
 * values, never at which side a trial came from, so the rank test on the kept trials is still
 * exact. The guard tests both ways (all trials, undisturbed trials) and keeps the smaller p-value
 * doubled (Bonferroni): the false-alarm rate stays at or below alpha, and a large real regression
 * — which lifts the pooled median and so may look "disturbed" itself — is still judged on all
 * trials.
 */
import { hodgesLehmannShift, median, ratioOfMediansChange } from './effect.js';
import { mannWhitneyU } from './mann-whitney.js';
import { signedRank } from './signed-rank.js';

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
}

export interface CompareOptions {
  /** Trial i of each side ran together: Wilcoxon signed-rank on per-pair log ratios. */
  paired: boolean;
  /** Disturbed = value > this × the pooled median; 0 turns the guard off. */
  disturbedFactor: number;
}

function plain(b: readonly number[], c: readonly number[], paired: boolean): Omit<SideComparison, 'disturbed'> {
  if (paired) {
    const logRatios = c.map((v, i) => Math.log(Math.max(v, 0.5) / Math.max(b[i]!, 0.5)));
    const t = signedRank(logRatios);
    return { pGreater: t.pGreater, pLess: t.pLess, change: Math.exp(median(logRatios)) - 1, baseline: median(b), current: median(c), shift: hodgesLehmannShift(b, c) };
  }
  const t = mannWhitneyU(b, c);
  return { pGreater: t.pGreater, pLess: t.pLess, change: ratioOfMediansChange(b, c), baseline: median(b), current: median(c), shift: hodgesLehmannShift(b, c) };
}

/** Compare `baseline` and `current` trial values of one metric. */
export function compareTrials(baseline: readonly number[], current: readonly number[], o: CompareOptions): SideComparison {
  const all = { ...plain(baseline, current, o.paired), disturbed: 0 };
  if (!(o.disturbedFactor > 0)) return all;
  const limit = o.disturbedFactor * median([...baseline, ...current]);
  const ok = (v: number) => v <= limit;
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
  const double = (x: SideComparison): SideComparison => ({ ...x, pGreater: Math.min(1, 2 * x.pGreater), pLess: Math.min(1, 2 * x.pLess) });
  if (b.length < 2 || c.length < 2) return double(all);
  const kept = { ...plain(b, c, o.paired), disturbed: dropped };
  const best = kept.pGreater < all.pGreater ? kept : all;
  return { ...double(best), pLess: Math.min(1, 2 * Math.min(all.pLess, kept.pLess)) };
}
