/**
 * Seeded randomness and latency models. Every draw in the project goes through `Rng` so a seed
 * reproduces a run byte for byte.
 */
import type { LatencyModelConfig } from '../config.js';

/** sfc32: small, fast, good statistical quality; 2^128 state. Returns floats in [0, 1). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9 ^ stream;
    this.b = 0x243f6a88 ^ Math.imul(stream, 0x85ebca6b);
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    this.c ^= Math.floor(seed / 4294967296) >>> 0;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Index drawn from cumulative weights (last element = total). */
  pick(cumulative: Float64Array): number {
    const u = this.next() * cumulative[cumulative.length - 1]!;
    let i = 0;
    while (i < cumulative.length - 1 && u >= cumulative[i]!) i++;
    return i;
  }
}

/** Cumulative sums of weights, for `Rng.pick`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (out[i] = s += w));
  return out;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

const TABLE_SIZE = 4096;
const Z99 = normalQuantile(0.99);

/**
 * A latency model compiled to an inverse-CDF table: sampling is one uniform draw and one
 * lookup, with no allocation. Values in ms.
 */
export class LatencySampler {
  readonly constantMs: number;
  private readonly table: Float64Array | null;

  constructor(model: LatencyModelConfig) {
    if ('constant' in model) {
      this.constantMs = model.constant;
      this.table = null;
      return;
    }
    this.constantMs = -1;
    const table = new Float64Array(TABLE_SIZE);
    if ('quantiles' in model) {
      // Evenly spaced quantiles from p=0 to p=1, linearly interpolated.
      const q = model.quantiles;
      for (let i = 0; i < TABLE_SIZE; i++) {
        const pos = ((i + 0.5) / TABLE_SIZE) * (q.length - 1);
        const j = Math.floor(pos);
        const f = pos - j;
        table[i] = q[j]! + (q[Math.min(j + 1, q.length - 1)]! - q[j]!) * f;
      }
    } else {
      const mu = Math.log(Math.max(model.p50, 1e-9));
      const sigma = Math.max(0, (Math.log(Math.max(model.p99, 1e-9)) - mu) / Z99);
      for (let i = 0; i < TABLE_SIZE; i++) table[i] = Math.exp(mu + sigma * normalQuantile((i + 0.5) / TABLE_SIZE));
    }
    this.table = table;
  }

  /** One latency draw (ms). */
  sample(rng: Rng): number {
    if (this.table === null) return this.constantMs;
    return this.table[(rng.nextU32() >>> 20) & (TABLE_SIZE - 1)]!;
  }

  /** Median of the model (ms). */
  median(): number {
    return this.table === null ? this.constantMs : this.table[TABLE_SIZE >> 1]!;
  }
}
