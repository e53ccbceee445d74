/**
 * Belady's OPT (MIN) for demand caching: on a miss, evict the held key whose next request is
 * furthest in the future (never again = infinitely far) until the new key fits, then insert it.
 * With unit weights no demand-caching policy misses less, so it is the lower bound `replay` and
 * `mrc` draw under the other policies. With byte weights this is Belady's rule applied to sizes
 * (as libCacheSim's Belady), a strong reference but not a proven optimum.
 *
 * It needs the future: the trace is recorded in memory (8 bytes per request for the key, 8 for
 * the weight with --by-size, 4 for the next-use index), so OPT is the one policy whose memory
 * grows with the trace. Ties (several keys never requested again) do not change the miss count
 * with unit weights.
 */
import { KeyedStore } from '../tiers/store.js';
import { IdMap } from './ids.js';
import type { RequestBatch } from './types.js';

/** A whole trace as dense key ids (ids.ts, in order of first appearance) and weights, in growable typed arrays. */
export class RecordedTrace {
  n = 0;
  private readonly ids = new IdMap();
  keys: Float64Array = new Float64Array(1 << 16);
  /** Null when every weight is 1. */
  weights: Float64Array | null;
  constructor(bySize: boolean) {
    this.weights = bySize ? new Float64Array(1 << 16) : null;
  }

  /** The trace key each recorded id stands for (`originalKeys()[keys[i]]` is request i's key). */
  originalKeys(): Float64Array {
    return this.ids.keyTable;
  }

  /** Append one key (unit weight). */
  pushKey(key: number): void {
    if (this.n === this.keys.length) this.keys = grow(this.keys, this.n * 2);
    this.keys[this.n++] = this.ids.id(key);
  }

  push(b: RequestBatch): void {
    const need = this.n + b.n;
    if (need > this.keys.length) {
      let size = this.keys.length;
      while (size < need) size *= 2;
      this.keys = grow(this.keys, size);
      if (this.weights) this.weights = grow(this.weights, size);
    }
    for (let i = 0; i < b.n; i++) this.keys[this.n + i] = this.ids.id(b.key[i]!);
    this.weights?.set(b.size.subarray(0, b.n), this.n);
    this.n = need;
  }
}

function grow(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/** For each request i, the index of the next request for the same key id, or n when there is none. */
export function nextUseTimes(ids: Float64Array, n: number): Int32Array {
  const next = new Int32Array(n);
  let last = new Int32Array(1 << 16).fill(-1); // id -> the next request seen so far (backwards)
  for (let i = n - 1; i >= 0; i--) {
    const id = ids[i]!;
    if (id >= last.length) {
      let size = last.length;
      while (size <= id) size *= 2;
      const l = new Int32Array(size).fill(-1);
      l.set(last);
      last = l;
    }
    const j = last[id]!;
    next[i] = j < 0 ? n : j;
    last[id] = i;
  }
  return next;
}

/** An OPT cache over a recorded trace: `access(i)` replays request i (in order) and says hit or miss. */
export class OptCache {
  misses = 0;
  private readonly index = new KeyedStore(Number.POSITIVE_INFINITY, 'fifo', 1024, true);
  private used = 0;
  /** Max-heap of slots by next use; pos[slot] = its place in the heap. */
  private heap = new Int32Array(1024);
  private pos = new Int32Array(1024);
  private nextOf = new Int32Array(1024);
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly trace: RecordedTrace,
    private readonly next: Int32Array,
  ) {}

  access(i: number): boolean {
    const key = this.trace.keys[i]!;
    const index = this.index;
    const slot = index.peek(key);
    if (slot >= 0) {
      this.nextOf[slot] = this.next[i]!;
      this.siftUp(this.pos[slot]!);
      this.siftDown(this.pos[slot]!);
      return true;
    }
    this.misses++;
    const w = this.trace.weights ? this.trace.weights[i]! : 1;
    if (w > this.capacity) return false;
    while (this.count > 0 && this.used + w > this.capacity) this.evictFurthest();
    const s = index.insert(key, w);
    if (s >= this.nextOf.length) this.growArrays(index.keyOf.length);
    this.used += w;
    this.nextOf[s] = this.next[i]!;
    this.heap[this.count] = s;
    this.pos[s] = this.count++;
    this.siftUp(this.count - 1);
    return false;
  }

  /** Replay requests [0, n) and return the misses. */
  run(): number {
    for (let i = 0; i < this.trace.n; i++) this.access(i);
    return this.misses;
  }

  private evictFurthest(): void {
    const top = this.heap[0]!;
    this.used -= this.index.weight[top]!;
    this.index.removeSlot(top);
    const last = this.heap[--this.count]!;
    if (this.count > 0) {
      this.heap[0] = last;
      this.pos[last] = 0;
      this.siftDown(0);
    }
  }

  private siftUp(p: number): void {
    const heap = this.heap;
    const nextOf = this.nextOf;
    const s = heap[p]!;
    const v = nextOf[s]!;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      const ps = heap[parent]!;
      if (nextOf[ps]! >= v) break;
      heap[p] = ps;
      this.pos[ps] = p;
      p = parent;
    }
    heap[p] = s;
    this.pos[s] = p;
  }

  private siftDown(p: number): void {
    const heap = this.heap;
    const nextOf = this.nextOf;
    const n = this.count;
    const s = heap[p]!;
    const v = nextOf[s]!;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && nextOf[heap[c + 1]!]! > nextOf[heap[c]!]!) c++;
      const cs = heap[c]!;
      if (nextOf[cs]! <= v) break;
      heap[p] = cs;
      this.pos[cs] = p;
      p = c;
    }
    heap[p] = s;
    this.pos[s] = p;
  }

  private growArrays(size: number): void {
    const g = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.heap = g(this.heap);
    this.pos = g(this.pos);
    this.nextOf = g(this.nextOf);
  }
}
