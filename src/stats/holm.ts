/**
 * Holm-Bonferroni step-down adjustment of p-values for a family of tests. Rejecting every test whose
 * adjusted p is below alpha keeps the chance of ANY false rejection in the family at or below alpha,
 * whatever the dependence between the tests (Holm 1979). It is uniformly more powerful than plain
 * Bonferroni (p × m): only the smallest p is multiplied by m, the next by m − 1, and so on.
 */

/**
 * Adjusted p-values, in the input order: sort ascending, p(i) × (m − i + 1) (i from 1), made
 * non-decreasing along the sorted order and capped at 1. Entries whose `inFamily` is false are not
 * part of the family (they cannot be rejected, e.g. a percentile with too few samples): they do not
 * count in m and are returned unchanged.
 */
export function holmAdjust(p: readonly number[], inFamily: readonly boolean[] = p.map(() => true)): number[] {
  const out = [...p];
  const order = p.map((_, i) => i).filter((i) => inFamily[i]).sort((a, b) => p[a]! - p[b]!);
  const m = order.length;
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[idx]!));
    out[idx] = running;
  });
  return out;
}
