/** Miss-ratio curves as line-chart series, shared by the replay and mrc views. */
import type { MrcPoint, ReplayPolicy } from '../../model/results.js';
import type { LineSeries } from '../view.js';

/** A policy's name in a legend or a table: Belady's OPT says what it is. */
export function policyLabel(policy: ReplayPolicy | string): string {
  return policy === 'opt' ? 'opt (Belady, lower bound)' : policy;
}

/** One curve: capacity (x) against miss ratio (y); OPT is drawn as the bound beneath the others. */
export function curveSeries(label: string, policy: ReplayPolicy | string, points: readonly MrcPoint[]): LineSeries {
  const series: LineSeries = { label, points: points.map((p) => ({ x: p.capacity, y: p.missRatio })) };
  if (policy === 'opt') series.bound = true;
  return series;
}

/** Spread wide enough to read on a log axis: the largest capacity over the smallest is at least 20. */
export function wantsLogAxis(capacities: readonly number[]): boolean {
  const positive = capacities.filter((c) => c > 0);
  return positive.length > 1 && Math.max(...positive) / Math.min(...positive) >= 20;
}
