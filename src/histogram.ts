/**
 * HDR histograms (hdr-histogram-js) with the project's conventions: integer values in µs,
 * 3 significant digits, base64-encoded (compressed) in result files so `gate` and `report` can
 * recompute any percentile.
 */
// The package's own modules, not its index: the index also loads the histogram log writer, whose
// load-time Intl.NumberFormat costs every process start about 110 M instructions (docs/architecture.md,
// "Measurement").
import type * as HistogramModule from 'hdr-histogram-js/dist/Histogram.js';
import { build } from 'hdr-histogram-js/dist/HistogramBuilder.js';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js/dist/encoding.js';
import type { Percentiles } from './model/results.js';

export type Histogram = HistogramModule.default;

/** A new µs histogram: 1 µs resolution, 3 significant digits, auto-resizing. */
export function newHistogram(): Histogram {
  return build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, autoResize: true });
}

/** Record a value in µs, rounded to the nearest µs (a positive value below 1 µs counts as 1 µs). */
export function recordUs(h: Histogram, us: number): void {
  h.recordValue(us <= 0 ? 0 : Math.max(1, Math.round(us)));
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): Histogram {
  return decodeFromCompressedBase64(base64, 32);
}

/**
 * Percentiles of a histogram, divided by `scale` (1 for µs, 1000 for ms). One definition for every
 * figure, max included: the top of the HDR bucket that holds it (at most 0.1 % above the recorded
 * value). So max is never below a percentile, and a histogram decoded from a result gives the
 * same numbers as the one that was encoded (the raw max does not survive encoding).
 */
export function percentilesOf(h: Histogram, scale = 1): Percentiles {
  const at = (p: number) => (h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / scale);
  return {
    p50: at(50),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: at(100),
    mean: h.totalCount === 0 ? 0 : h.mean / scale,
    count: h.totalCount,
  };
}

const SUB_BUCKETS = 1024;
const MAX_RECORDABLE = 2 ** 31 - 1;

/**
 * A hot-loop front for an HDR histogram: counts go into a flat typed array using the same
 * bucketing as a 3-significant-digit HDR histogram (2048 sub-buckets), and are replayed into the
 * histogram with `flushInto`. Same resulting histogram, about 5× cheaper per value.
 */
export class FastRecorder {
  private readonly counts = new Float64Array(SUB_BUCKETS * 24);
  private maxIndex = 0;

  /** Record a value in µs (rounded; clamped to 2^31 - 1). */
  record(us: number): void {
    let v = us <= 0 ? 0 : us < 1 ? 1 : Math.round(us);
    if (v > MAX_RECORDABLE) v = MAX_RECORDABLE;
    let index = v;
    if (v >= 2 * SUB_BUCKETS) {
      const shift = 31 - Math.clz32(v) - 10;
      index = shift * SUB_BUCKETS + (v >>> shift);
    }
    this.counts[index]++;
    if (index > this.maxIndex) this.maxIndex = index;
  }

  /** Add everything recorded so far into `h` and reset. */
  flushInto(h: Histogram): void {
    for (let i = 0; i <= this.maxIndex; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      let value = i;
      if (i >= 2 * SUB_BUCKETS) {
        const shift = Math.floor(i / SUB_BUCKETS) - 1;
        value = (i - shift * SUB_BUCKETS) * 2 ** shift;
      }
      h.recordValueWithCount(value, c);
      this.counts[i] = 0;
    }
    this.maxIndex = 0;
  }

  /** A new histogram (newHistogram) holding everything recorded so far; resets this recorder. */
  toHistogram(): Histogram {
    const h = newHistogram();
    this.flushInto(h);
    return h;
  }
}
