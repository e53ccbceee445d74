/**
 * Miss-ratio curves for LRU in one streaming pass.
 *
 * Exact: the LRU stack distance of a request (1 + distinct keys touched since the key's previous
 * request) is counted with a Fenwick tree over "last access" marks: each key has one mark at the
 * time of its last request, so the distance is the number of marks after the previous one.
 * O(log M) per request; times are renumbered when the tree fills, so memory is O(distinct keys),
 * not O(trace length). An LRU cache of C entries hits exactly the requests with distance ≤ C.
 *
 * SHARDS (Waldspurger et al., FAST '15): keep only keys whose hash mod P is below T = rate·P,
 * compute their stack distances and scale them by 1/rate. The "adj" correction puts the
 * difference between the expected (rate × requests) and actual number of sampled requests in the
 * first distance bucket, removing most of the bias a few hot sampled keys cause.
 */
import { policyCurves, type PolicyCurve } from './curves.js';
import type { ReplayPolicy } from './engine.js';
import { IdMap, withIds } from './ids.js';
import { RecordedTrace } from './opt.js';
import { newRequestBatch, type RequestReader } from './types.js';

/** One point of a miss-ratio curve. */
import type { MrcPoint } from './curves.js';

export type { MrcPoint };

const INITIAL_TIMES = 1 << 12;

/** Exact LRU stack-distance histogram. */
export class StackDistances {
  /** Requests seen. */
  requests = 0;
  /** First-time requests (infinite distance). */
  cold = 0;
  /** hist[d] = requests with stack distance d (1-based). */
  hist: Float64Array = new Float64Array(1024);
  private readonly ids = new IdMap(); // raw keys given to access()
  private last: Float64Array = new Float64Array(1024).fill(-1); // key id -> time of its mark, -1 = unseen
  private tree = new Int32Array(INITIAL_TIMES + 1); // Fenwick, 1-based
  private keyAt = new Int32Array(INITIAL_TIMES); // time -> key id, -1 = no mark
  private now = 0; // next time
  private marks = 0; // = distinct keys

  /** Distinct keys seen. */
  get distinctKeys(): number {
    return this.marks;
  }

  /** Record a request for `key` (integer below 2^53); returns its stack distance, 0 if cold. */
  access(key: number): number {
    return this.accessId(this.ids.id(key));
  }

  /** Record a request for a dense key id (ids.ts); returns its stack distance, 0 if cold. */
  accessId(id: number): number {
    if (id >= this.last.length) {
      let size = this.last.length;
      while (size <= id) size *= 2;
      const l = new Float64Array(size).fill(-1);
      l.set(this.last);
      this.last = l;
    }
    const t0 = this.last[id]!;
    let distance = 0;
    if (t0 < 0) {
      this.marks++;
      this.cold++;
    } else {
      // marks after t0 = all marks (each key has one) minus those at or before t0
      distance = this.marks - this.prefix(t0) + 1;
      this.add(t0, -1);
      this.keyAt[t0] = -1;
      if (distance >= this.hist.length) this.hist = grow(this.hist, Math.max(distance + 1, this.hist.length * 2));
      this.hist[distance]!++;
    }
    if (this.now === this.keyAt.length) this.renumber();
    const t = this.now++;
    this.add(t, 1);
    this.keyAt[t] = id;
    this.last[id] = t;
    this.requests++;
    return distance;
  }

  /** Stop tracking a key (fixed-size SHARDS): its mark goes, as if it had never been seen. */
  forget(id: number): void {
    const t = id < this.last.length ? this.last[id]! : -1;
    if (t < 0) return;
    this.add(t, -1);
    this.keyAt[t] = -1;
    this.last[id] = -1;
    this.marks--;
  }

  /** Hits of an LRU cache of `capacity` entries over the requests seen (distance ≤ capacity). */
  hitsAt(capacity: number): number {
    let hits = 0;
    const top = Math.min(Math.floor(capacity), this.hist.length - 1);
    for (let d = 1; d <= top; d++) hits += this.hist[d]!;
    return hits;
  }

  /** Miss ratio of an LRU cache of `capacity` entries over the requests seen. */
  missRatioAt(capacity: number): number {
    return this.requests === 0 ? 0 : (this.requests - this.hitsAt(capacity)) / this.requests;
  }

  /** Sum of marks at times 0..t. */
  private prefix(t: number): number {
    let s = 0;
    for (let i = t + 1; i > 0; i -= i & -i) s += this.tree[i]!;
    return s;
  }

  private add(t: number, v: number): void {
    const tree = this.tree;
    for (let i = t + 1; i < tree.length; i += i & -i) tree[i]! += v;
  }

  /** Compact the live marks to times 0..marks-1 (order kept) in a tree of at least 2× their number. */
  private renumber(): void {
    const size = Math.max(this.keyAt.length, nextPow2(this.marks * 2));
    const keyAt = new Int32Array(size).fill(-1);
    let j = 0;
    for (let t = 0; t < this.now; t++) {
      const id = this.keyAt[t]!;
      if (id < 0) continue;
      keyAt[j] = id;
      this.last[id] = j++;
    }
    const tree = new Int32Array(size + 1);
    for (let i = 1; i <= size; i++) {
      if (i <= j) tree[i]! += 1;
      const p = i + (i & -i);
      if (p <= size) tree[p]! += tree[i]!;
    }
    this.keyAt = keyAt;
    this.tree = tree;
    this.now = j;
  }
}

function grow(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

function nextPow2(n: number): number {
  let p = INITIAL_TIMES;
  while (p < n) p *= 2;
  return p;
}

/** Hash modulus of the SHARDS filter. */
export const SHARDS_MODULUS = 1 << 24;

/** 24-bit hash of a key below 2^53 for spatial sampling (independent of the store's hash). */
export function samplingHash(key: number): number {
  let h = Math.imul((key >>> 0) ^ 0x27d4eb2f, 0x85ebca6b);
  h ^= Math.imul((key / 4294967296) >>> 0, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x165667b1);
  h ^= h >>> 16;
  return (h >>> 0) & (SHARDS_MODULUS - 1);
}

/**
 * SHARDS sampler around a StackDistances of the sampled keys. Fixed rate, or fixed size
 * (`maxKeys`): it starts at the given rate and, whenever more than `maxKeys` keys are tracked,
 * lowers the threshold to the largest tracked hash, forgets the keys at it and scales the weights
 * already counted by new rate / old rate (Waldspurger et al., FAST '15, §4.2). Each sampled
 * distance d is counted at ceil(d / rate) in the rate of the moment, so memory stays bounded
 * whatever the trace.
 */
export class ShardsSampler {
  threshold: number;
  /** Effective rate threshold / modulus (lowered by a fixed-size sampler). */
  rate: number;
  readonly sampled = new StackDistances();
  /** All requests offered (sampled or not). */
  requests = 0;
  /** Weighted sampled requests by scaled distance (1 … ), and in all. */
  private hist: Float64Array = new Float64Array(1024);
  private weight = 0;
  /** Max-heap of the tracked keys by hash (fixed size only). */
  private heapHash = new Int32Array(1024);
  private heapId = new Int32Array(1024);
  private heapSize = 0;
  constructor(
    rate: number,
    readonly maxKeys = Number.POSITIVE_INFINITY,
  ) {
    this.threshold = Math.max(1, Math.round(rate * SHARDS_MODULUS));
    this.rate = this.threshold / SHARDS_MODULUS;
  }
  /** Offer a request for `key` (its dense id `id`); returns whether it was sampled. */
  access(key: number, id: number): boolean {
    this.requests++;
    const h = samplingHash(key);
    if (h >= this.threshold) return false;
    const cold = this.sampled.cold;
    const d = this.sampled.accessId(id);
    if (d > 0) {
      const b = Math.ceil(d / this.rate);
      if (b >= this.hist.length) this.hist = grow(this.hist, Math.max(b + 1, this.hist.length * 2));
      this.hist[b]!++;
    }
    this.weight++;
    if (this.sampled.cold !== cold && Number.isFinite(this.maxKeys)) {
      this.push(h, id);
      if (this.sampled.distinctKeys > this.maxKeys) this.lowerRate();
    }
    return true;
  }
  /** Estimated distinct keys of the whole trace. */
  get estimatedKeys(): number {
    return Math.round(this.sampled.distinctKeys / this.rate);
  }
  /**
   * A rough 95 % bound on the absolute error of a sampled miss ratio from the number of sampled
   * keys n: 1.96 · √(0.25 / n) (the worst-case binomial spread, p = 0.5). A heuristic, not a
   * guarantee; docs/policies.md lists measured errors.
   */
  get errorBound(): number {
    return 1.96 * Math.sqrt(0.25 / Math.max(1, this.sampled.distinctKeys));
  }
  /** SHARDS-adj miss ratio of an LRU cache of `capacity` entries. */
  missRatioAt(capacity: number): number {
    const expected = this.requests * this.rate;
    if (expected <= 0 || this.weight === 0) return 0;
    let hits = 0;
    const top = Math.min(Math.floor(capacity), this.hist.length - 1);
    for (let b = 1; b <= top; b++) hits += this.hist[b]!;
    let misses = this.weight - hits;
    if (capacity * this.rate < 1) misses += expected - this.weight; // the adj bucket (distance 1) misses too
    return Math.min(1, Math.max(0, misses / expected));
  }

  private push(hash: number, id: number): void {
    if (this.heapSize === this.heapHash.length) {
      const hh = new Int32Array(this.heapSize * 2);
      hh.set(this.heapHash);
      const hi = new Int32Array(this.heapSize * 2);
      hi.set(this.heapId);
      this.heapHash = hh;
      this.heapId = hi;
    }
    let p = this.heapSize++;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (this.heapHash[parent]! >= hash) break;
      this.heapHash[p] = this.heapHash[parent]!;
      this.heapId[p] = this.heapId[parent]!;
      p = parent;
    }
    this.heapHash[p] = hash;
    this.heapId[p] = id;
  }

  private pop(): void {
    const n = --this.heapSize;
    const hash = this.heapHash[n]!;
    const id = this.heapId[n]!;
    let p = 0;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && this.heapHash[c + 1]! > this.heapHash[c]!) c++;
      if (this.heapHash[c]! <= hash) break;
      this.heapHash[p] = this.heapHash[c]!;
      this.heapId[p] = this.heapId[c]!;
      p = c;
    }
    this.heapHash[p] = hash;
    this.heapId[p] = id;
  }

  /** Drop the keys at the largest tracked hash; that hash becomes the threshold. */
  private lowerRate(): void {
    const t = this.heapHash[0]!;
    while (this.heapSize > 0 && this.heapHash[0] === t) {
      this.sampled.forget(this.heapId[0]!);
      this.pop();
    }
    const factor = t / this.threshold;
    for (let b = 0; b < this.hist.length; b++) this.hist[b]! *= factor;
    this.weight *= factor;
    this.threshold = t;
    this.rate = t / SHARDS_MODULUS;
  }
}

/** Evenly spaced capacities rounded to integers: max/k, 2max/k, … max (or log-spaced from 1). */
export function capacityGrid(max: number, k: number, log = false): number[] {
  const out = new Set<number>();
  for (let i = 1; i <= k; i++) {
    const c = log ? Math.pow(max, i / k) : (i * max) / k;
    out.add(Math.max(1, Math.round(c)));
  }
  return [...out];
}

/** Options of `computeMrc`. */
export interface MrcOptions {
  /** Compute the exact curve (all keys). */
  exact: boolean;
  /** SHARDS sampling rate in (0, 1] (the starting rate with `sampleKeys`), or undefined for none. */
  sampleRate?: number;
  /** Fixed-size SHARDS: track at most this many sampled keys, lowering the rate as needed. */
  sampleKeys?: number;
  /** Largest capacity (entries); default the (estimated) number of distinct keys. */
  maxCapacity?: number;
  /** Number of capacities on the curve. */
  points: number;
  /** Log-spaced capacities instead of evenly spaced ones. */
  log?: boolean;
  /** Policies whose curves are simulated too (OPT, S3-FIFO, …); LRU always has one. */
  policies?: readonly ReplayPolicy[];
  onProgress?: (requests: number, bytesRead: number, totalBytes: number) => void;
}

/** Outcome of `computeMrc`. */
export interface MrcRun {
  requests: number;
  skipped: number;
  /** Distinct keys (exact run) or the SHARDS estimate. */
  distinctKeys: number;
  exact?: MrcPoint[];
  sampled?: {
    /** The final rate (a fixed-size sampler lowers it as keys arrive). */
    rate: number;
    /** Fixed-size sampling: the bound on tracked keys. */
    maxKeys?: number;
    sampledRequests: number;
    sampledKeys: number;
    /** Rough 95 % bound on the absolute error of a sampled miss ratio: 1.96 · √(0.25 / sampled keys). */
    errorBound: number;
    points: MrcPoint[];
    /** Only when the exact curve was computed too: |sampled − exact| over the points. */
    maxAbsErrorVsExact?: number;
    meanAbsErrorVsExact?: number;
  };
  /**
   * One curve per policy at the same capacities, LRU first (the exact curve, else the sampled
   * one), then the simulated `policies` (OPT, the lower bound, among them when asked for).
   */
  curves: PolicyCurve[];
}

/** One streaming pass computing the exact and/or sampled LRU miss-ratio curve. */
export async function computeMrc(source: RequestReader, o: MrcOptions): Promise<MrcRun> {
  const reader = source.withIds ? source : withIds(source);
  const exact = o.exact ? new StackDistances() : null;
  const shards = o.sampleRate !== undefined || o.sampleKeys !== undefined ? new ShardsSampler(o.sampleRate ?? 1, o.sampleKeys) : null;
  const simulated = (o.policies ?? []).filter((p) => p !== 'lru');
  // other policies replay a recording: every request for an exact run, else the sampled ones
  const recorded = simulated.length > 0 ? new RecordedTrace(false) : null;
  const recordAll = recorded !== null && exact !== null;
  // the sampled keys, kept raw: a fixed-size sampler may later drop some of them
  let sampledKeys: Float64Array | null = recorded && !recordAll ? new Float64Array(1 << 16) : null;
  let nSampled = 0;
  const batch = newRequestBatch();
  let requests = 0;
  while (await reader.next(batch)) {
    const keys = batch.key;
    const ids = batch.id;
    if (recordAll) recorded.push(batch);
    if (exact) for (let i = 0; i < batch.n; i++) exact.accessId(ids[i]!);
    if (shards) {
      for (let i = 0; i < batch.n; i++) {
        if (shards.access(keys[i]!, ids[i]!) && sampledKeys) {
          if (nSampled === sampledKeys.length) sampledKeys = grow(sampledKeys, nSampled * 2);
          sampledKeys[nSampled++] = keys[i]!;
        }
      }
    }
    requests += batch.n;
    o.onProgress?.(requests, reader.bytesRead, reader.totalBytes);
  }
  const distinctKeys = exact ? exact.distinctKeys : (shards?.estimatedKeys ?? 0);
  const grid = capacityGrid(Math.max(1, o.maxCapacity ?? distinctKeys), o.points, o.log);
  const run: MrcRun = { requests, skipped: reader.skipped, distinctKeys, curves: [] };
  if (exact) run.exact = grid.map((capacity) => ({ capacity, missRatio: exact.missRatioAt(capacity) }));
  if (shards) {
    const points = grid.map((capacity) => ({ capacity, missRatio: shards.missRatioAt(capacity) }));
    run.sampled = {
      rate: shards.rate,
      ...(Number.isFinite(shards.maxKeys) ? { maxKeys: shards.maxKeys } : {}),
      sampledRequests: shards.sampled.requests,
      sampledKeys: shards.sampled.distinctKeys,
      errorBound: shards.errorBound,
      points,
    };
    if (run.exact) {
      const errs = points.map((p, i) => Math.abs(p.missRatio - run.exact![i]!.missRatio));
      run.sampled.maxAbsErrorVsExact = Math.max(...errs);
      run.sampled.meanAbsErrorVsExact = errs.reduce((a, b) => a + b, 0) / errs.length;
    }
  }
  const lru = run.exact ?? run.sampled?.points ?? [];
  run.curves = [{ policy: 'lru', points: lru, sampled: !run.exact }];
  if (recorded && sampledKeys && shards) {
    for (let i = 0; i < nSampled; i++) if (samplingHash(sampledKeys[i]!) < shards.threshold) recorded.pushKey(sampledKeys[i]!);
  }
  if (recorded) run.curves.push(...policyCurves(simulated, grid, recorded, recordAll ? 1 : (shards?.rate ?? 1)));
  return run;
}
