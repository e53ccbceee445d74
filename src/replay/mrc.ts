/**
 * Miss-ratio curves for LRU in one streaming pass.
 *
 * Exact: the LRU stack distance of a request (1 + distinct keys touched since the key's previous
 * request) is counted over "last access" marks: each key has one mark at the time of its last
 * request, so the distance is the number of marks after the previous one (StackDistances: a bit
 * per time and a Fenwick tree over blocks of times). O(log M) per request; times are renumbered
 * when the bits fill, so memory is O(distinct keys), not O(trace length). An LRU cache of C
 * entries hits exactly the requests with distance ≤ C.
 *
 * SHARDS (Waldspurger et al., FAST '15): keep only keys whose hash mod P is below T = rate·P,
 * compute their stack distances and scale them by 1/rate. The "adj" correction puts the
 * difference between the expected (rate × requests) and actual number of sampled requests in the
 * first distance bucket, removing most of the bias a few hot sampled keys cause.
 */
import { policyCurves } from './curves.js';
import type { MrcResult, ReplayPolicy } from '../model/results.js';
import { IdMap, withIds } from './ids.js';
import { RecordedTrace } from './opt.js';
import { newRequestBatch, type RequestReader } from './types.js';

const INITIAL_TIMES = 1 << 13;
/** Times per block of the Fenwick tree: 8 words of 32 bits. */
const BLOCK_SHIFT = 8;
const BLOCK_WORDS = (1 << BLOCK_SHIFT) >>> 5;

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Exact LRU stack-distance histogram. Each key has one mark, a bit at the time of its last
 * request; a request's distance is 1 + the marks after its key's previous one. Marks are counted
 * with a bit per time plus a Fenwick tree over blocks of 256 times (the block being filled joins
 * the tree when it is complete), so the tree is 1/256 of the times and stays in the processor's
 * cache; times are renumbered when the bits fill, so memory is O(distinct keys).
 */
export class StackDistances {
  /** Requests seen. */
  requests = 0;
  /** First-time requests (infinite distance). */
  cold = 0;
  /** hist[d] = requests with stack distance d (1-based). */
  hist: Float64Array = new Float64Array(1024);
  private readonly ids = new IdMap(); // raw keys given to access()
  private last: Int32Array = new Int32Array(1024).fill(-1); // key id -> time of its mark, -1 = unseen
  private bits = new Int32Array(INITIAL_TIMES >>> 5); // bit t set = some key's last request was at time t
  private tree = new Int32Array((INITIAL_TIMES >>> BLOCK_SHIFT) + 1); // Fenwick over complete blocks, 1-based
  private now = 0; // next time
  private marks = 0; // = distinct keys tracked

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
      const l = new Int32Array(size).fill(-1);
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
      distance = this.marks - this.marksThrough(t0) + 1;
      this.unmark(t0);
      if (distance >= this.hist.length) this.hist = grow(this.hist, Math.max(distance + 1, this.hist.length * 2));
      this.hist[distance]!++;
    }
    if (this.now === this.bits.length << 5) this.renumber();
    const t = this.now++;
    this.bits[t >>> 5]! |= 1 << (t & 31);
    // the tree holds the blocks before now's: t's joins it when t was its last time
    if ((this.now & ((1 << BLOCK_SHIFT) - 1)) === 0) this.completeBlock(t >>> BLOCK_SHIFT);
    this.last[id] = t;
    this.requests++;
    return distance;
  }

  /** Stop tracking a key (fixed-size SHARDS): its mark goes, as if it had never been seen. */
  forget(id: number): void {
    const t = id < this.last.length ? this.last[id]! : -1;
    if (t < 0) return;
    this.unmark(t);
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

  /** Marks at times 0..t: the complete blocks before t's (tree), then t's block word by word. */
  private marksThrough(t: number): number {
    const tree = this.tree;
    const bits = this.bits;
    const block = t >>> BLOCK_SHIFT;
    let s = 0;
    for (let i = block; i > 0; i -= i & -i) s += tree[i]!;
    const w = t >>> 5;
    for (let v = block * BLOCK_WORDS; v < w; v++) s += popcount(bits[v]!);
    return s + popcount(bits[w]! & ((2 << (t & 31)) - 1));
  }

  /** Clear the mark at time t (a complete block's count in the tree goes down with it). */
  private unmark(t: number): void {
    this.bits[t >>> 5]! &= ~(1 << (t & 31));
    const block = t >>> BLOCK_SHIFT;
    if (block < this.now >>> BLOCK_SHIFT) {
      const tree = this.tree;
      for (let i = block + 1; i < tree.length; i += i & -i) tree[i]!--;
    }
  }

  /** The block is full of times: its marks join the tree. */
  private completeBlock(block: number): void {
    let count = 0;
    for (let v = block * BLOCK_WORDS, end = v + BLOCK_WORDS; v < end; v++) count += popcount(this.bits[v]!);
    const tree = this.tree;
    for (let i = block + 1; i < tree.length; i += i & -i) tree[i]! += count;
  }

  /**
   * Compact the live marks to times 0..marks-1 (order kept) in bits for at least 4× their
   * number: a key's new time is the number of marks before its old one.
   */
  private renumber(): void {
    const bits = this.bits;
    const before = new Int32Array(bits.length); // marks in the words before each word
    for (let v = 1; v < bits.length; v++) before[v] = before[v - 1]! + popcount(bits[v - 1]!);
    const last = this.last;
    for (let id = 0; id < last.length; id++) {
      const t = last[id]!;
      if (t >= 0) last[id] = before[t >>> 5]! + popcount(bits[t >>> 5]! & ((1 << (t & 31)) - 1));
    }
    // the live marks (the request being recorded has no mark at the moment)
    const m = before[bits.length - 1]! + popcount(bits[bits.length - 1]!);
    const size = Math.max(bits.length << 5, nextPow2(m * 4));
    const fresh = new Int32Array(size >>> 5);
    fresh.fill(-1, 0, m >>> 5);
    if ((m & 31) !== 0) fresh[m >>> 5] = (1 << (m & 31)) - 1;
    const blocks = size >>> BLOCK_SHIFT;
    const full = m >>> BLOCK_SHIFT; // complete blocks, all marks; the one after is being filled
    const tree = new Int32Array(blocks + 1);
    for (let i = 1; i <= blocks; i++) {
      if (i <= full) tree[i]! += 1 << BLOCK_SHIFT;
      const p = i + (i & -i);
      if (p <= blocks) tree[p]! += tree[i]!;
    }
    this.bits = fresh;
    this.tree = tree;
    this.now = m;
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

/** Outcome of `computeMrc`: the mrc result without what the command adds. */
export type MrcRun = Omit<MrcResult, 'schema' | 'kind' | 'trace' | 'format' | 'choice'>;

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
