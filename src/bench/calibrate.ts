/**
 * `simulate --latency-from FILE`: turn a bench result's measured per-tier lookup histograms into
 * latency models the simulator samples from (empirical quantiles, ms). Pure.
 */
import type { LatencyModelConfig } from '../config.js';
import { decodeHistogram } from '../histogram.js';
import type { BenchResult } from '../model/results.js';

/** Evenly spaced quantiles p = 0, 1/(n-1), …, 1 of each tier's lookup latency (ms). */
export function latencyModelsFromBench(result: Pick<BenchResult, 'tiers'>, points = 101): Record<string, LatencyModelConfig> {
  const out: Record<string, LatencyModelConfig> = {};
  for (const t of result.tiers) {
    if (!t.histogram) continue;
    const h = decodeHistogram(t.histogram);
    if (h.totalCount === 0) continue;
    const quantiles: number[] = [];
    for (let i = 0; i < points; i++) {
      const p = (i / (points - 1)) * 100;
      const us = p === 0 ? h.minNonZeroValue : p === 100 ? h.maxValue : h.getValueAtPercentile(p);
      quantiles.push(Number((us / 1000).toPrecision(6)));
    }
    out[t.name] = { quantiles };
  }
  return out;
}
