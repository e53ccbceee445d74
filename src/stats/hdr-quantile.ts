/**
 * Percentiles of an encoded HDR histogram with sub-bucket interpolation. Bench records whole µs,
 * so a 22 µs Redis lookup has 4.5 % steps: too coarse to see a 10 % change at low percentiles.
 * Treating each recorded value v as the interval [v − ½, v + ½) (its HDR bucket, widened the same
 * way above 2048 µs) and interpolating linearly inside it gives a continuous estimate.
 */
import { decodeHistogram } from '../histogram.js';

/** The parts of hdr-histogram-js's JsHistogram used here (not in its public typings). */
interface IterableHistogram {
  totalCount: number;
  lowestEquivalentValue(v: number): number;
  sizeOfEquivalentValueRange(v: number): number;
  recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } };
}

/** Quantiles `qs` (0..1) of a base64 HDR histogram (µs); NaN for an empty histogram. */
export function histogramQuantiles(encoded: string, qs: readonly number[]): number[] {
  const h = decodeHistogram(encoded) as unknown as IterableHistogram;
  const n = h.totalCount;
  if (!(n > 0)) return qs.map(() => NaN);
  const buckets: [lo: number, width: number, count: number][] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const x = it.next();
    buckets.push([h.lowestEquivalentValue(x.valueIteratedTo), h.sizeOfEquivalentValueRange(x.valueIteratedTo), x.countAtValueIteratedTo]);
  }
  return qs.map((q) => {
    const rank = Math.min(Math.max(q, 0), 1) * n;
    let below = 0;
    for (const [lo, width, count] of buckets) {
      if (below + count >= rank) return Math.max(0, lo - 0.5 + ((rank - below) / count) * width);
      below += count;
    }
    const [lo, width] = buckets[buckets.length - 1]!;
    return lo - 0.5 + width;
  });
}
