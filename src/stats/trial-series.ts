/**
 * Per-trial series of the gate's latency metrics: for the end-to-end latency and every tier, one
 * value per trial and side for each requested percentile. p50/p95/p99 come from the figures bench
 * stored with each trial; any other percentile is read from the trial's HDR histogram.
 */
import { InputError } from '../errors.js';
import type { BenchResult, BenchTrial, Percentiles } from '../model/results.js';
import { histogramQuantiles } from './hdr-quantile.js';

const STORED = ['p50', 'p95', 'p99'] as const;

/** Quantile (0..1) of a percentile name such as p5 or p99.9; NaN when it is not one. */
export function statQuantile(stat: string): number {
  const m = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  const q = m ? Number(m[1]) / 100 : NaN;
  return q > 0 && q < 1 ? q : NaN;
}

/** Per-trial values of one metric on both sides. */
export interface Series {
  name: string;
  tier?: string;
  /** A workload op (e.g. `score`): the series is that op's end-to-end request latency. */
  opName?: string;
  stat: string;
  baseline: number[];
  current: number[];
  /** Fewest samples (requests or lookups) in any one trial. */
  minSamples: number;
  /** Samples of all trials of a side together, the smaller side's. */
  pooledSamples: number;
}

/**
 * Gather end-to-end, per-tier and per-op percentile series; tiers missing or idle on a side are
 * skipped with a warning. Ops are compared when every trial of both sides recorded them (bench
 * results from before per-trial op figures have none: skipped silently, the rest still gates).
 */
export function latencySeries(b: BenchResult, c: BenchResult, stats: string[], warnings: string[]): Series[] {
  type Pick = (t: BenchTrial) => { latencyUs: Percentiles; histogram: string } | undefined;
  const groups: { name: string; tier?: string; opName?: string; pick: Pick }[] = [{ name: 'latencyUs', pick: (t) => t }];
  const tierNames = new Set([...b.trials, ...c.trials].flatMap((t) => t.tiers.map((x) => x.name)));
  for (const tier of tierNames) {
    const pick: Pick = (t) => t.tiers.find((x) => x.name === tier);
    const all = [...b.trials, ...c.trials].map(pick);
    if (all.some((p) => !p)) warnings.push(`tier ${tier} is not in every trial of both results; not compared`);
    else if (all.some((p) => !(p!.latencyUs.count > 0))) warnings.push(`tier ${tier} had no lookups in some trial; not compared`);
    else groups.push({ name: 'tiers.latencyUs', tier, pick });
  }
  const everyTrial = [...b.trials, ...c.trials];
  const opNames = new Set(everyTrial.flatMap((t) => Object.keys(t.ops ?? {})));
  for (const opName of opNames) {
    const pick: Pick = (t) => t.ops?.[opName];
    // An op that a trial did not run at all (a short trial) is left out rather than compared on nothing.
    if (everyTrial.every((t) => (pick(t)?.latencyUs.count ?? 0) > 0)) groups.push({ name: 'ops.latencyUs', opName, pick });
  }
  const extra = stats.filter((x) => !(STORED as readonly string[]).includes(x));
  const values = (x: { latencyUs: Percentiles; histogram: string }, label: string): Record<string, number> => {
    const out: Record<string, number> = { p50: x.latencyUs.p50, p95: x.latencyUs.p95, p99: x.latencyUs.p99 };
    if (extra.length === 0) return out;
    if (!x.histogram) throw new InputError(`${extra.join(', ')} of ${label} needs the trial histograms, which this result lacks`);
    const qs = histogramQuantiles(x.histogram, extra.map(statQuantile));
    extra.forEach((stat, i) => (out[stat] = qs[i]!));
    return out;
  };
  return groups.flatMap((g) => {
    const label = g.tier ?? (g.opName !== undefined ? `op ${g.opName}` : 'end-to-end latency');
    const bp = b.trials.map(g.pick) as { latencyUs: Percentiles; histogram: string }[];
    const cp = c.trials.map(g.pick) as { latencyUs: Percentiles; histogram: string }[];
    const bv = bp.map((x) => values(x, label));
    const cv = cp.map((x) => values(x, label));
    const minSamples = Math.min(...[...bp, ...cp].map((x) => x.latencyUs.count));
    const total = (xs: { latencyUs: Percentiles }[]) => xs.reduce((n, x) => n + x.latencyUs.count, 0);
    const pooledSamples = Math.min(total(bp), total(cp));
    return stats.map((stat) => ({ name: g.name, tier: g.tier, ...(g.opName !== undefined ? { opName: g.opName } : {}), stat, baseline: bv.map((v) => v[stat]!), current: cv.map((v) => v[stat]!), minSamples, pooledSamples }));
  });
}
