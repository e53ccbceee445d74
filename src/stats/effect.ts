/** Effect sizes: how much slower, not just whether. Pure functions over plain number arrays. */

/** Median of `values` (mean of the two middle values for an even count). NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Relative change of the medians: median(current) / median(baseline) − 1 (0.1 = 10 % slower).
 * A zero baseline gives 0 when the current median is zero too, otherwise +Infinity.
 */
export function ratioOfMediansChange(baseline: readonly number[], current: readonly number[]): number {
  const b = median(baseline);
  const c = median(current);
  if (b === 0) return c === 0 ? 0 : Infinity;
  return c / b - 1;
}

/**
 * Hodges-Lehmann shift: the median of all pairwise differences current_j − baseline_i. The
 * natural estimate of "how far the current distribution moved", in the unit of the values.
 */
export function hodgesLehmannShift(baseline: readonly number[], current: readonly number[]): number {
  const diffs: number[] = [];
  for (const c of current) for (const b of baseline) diffs.push(c - b);
  return median(diffs);
}
