/**
 * A fixed-budget key store over typed arrays: an open-addressing index (linear probing,
 * backward-shift deletion) in front of slots linked in recency/insertion order.
 *
 * Each index cell holds the key's 32-bit hash beside its slot (8 bytes a cell), so a probe
 * compares hashes in one cache line and reads a slot's key only when the hash matches, and a
 * deletion re-homes the cells after it from their stored hashes, without reading any key; a slot's
 * two links (previous, next) sit side by side in one Int32Array, so moving an entry in its queue
 * touches one line per neighbour (docs/policies.md, "Speed").
 *
 * It is the one cache structure of the project: the simulator's tier models, the bench's
 * in-process L1 and `replay` all use it (replay's LRU and FIFO with unit weights and no TTL run on
 * a leaner copy of their rules with the same misses, src/replay/log-queue.ts). Nothing is allocated per operation; a `Map`-based LRU
 * that deletes and re-inserts on every hit is an order of magnitude slower in V8.
 *
 * Keys are non-negative integers below 2^53. Values live in caller-owned parallel arrays
 * indexed by the slot number the store hands out, plus the few per-entry fields every caller
 * needs (expiry, creation time, entity version, entity, invalidation generation, aux: the cache-entry
 * contract of docs/architecture.md, "The request walk").
 */

// The list of policies lives with the scenario model (a tier's `eviction`, `replay --cache`, `sweep` accept it).
import { EVICTION_POLICIES, type EvictionPolicy } from '../config/model.js';

export { EVICTION_POLICIES, type EvictionPolicy };

/**
 * Each policy's fixed parameters, as libCacheSim's defaults (C = capacity, sizes truncated to
 * integers as there); printed by `replay --help` and listed in the README.
 */
export const EVICTION_PARAMETERS: Readonly<Record<EvictionPolicy, string>> = {
  lru: 'one queue; a hit moves the entry to the front; evicts the least recently used',
  fifo: 'one queue in insertion order; a hit changes nothing',
  sieve: 'FIFO queue plus a visited bit; the hand sweeps old to new, clearing bits, and evicts the first unvisited entry (Zhang et al., NSDI 24)',
  clock: 'FIFO with reinsertion, one reference bit (libCacheSim Clock, n-bit-counter=1): an evicted entry whose bit is set goes back to the front with the bit cleared',
  '2q': 'Ain FIFO floor(0.25 C) + Am LRU C - Ain + Aout ghost FIFO floor(0.5 C) (libCacheSim TwoQ, Ain-size-ratio=0.25, Aout-size-ratio=0.5); a miss found in Aout goes to Am; an entry heavier than Ain is not cached',
  arc: 'T1/T2 LRU lists with ghosts B1/B2, target p (a float) adapted by max(|B2|/|B1|, 1) and max(|B1|/|B2|, 1) (Megiddo and Modha, FAST 03; libCacheSim ARC)',
  s3fifo: 'small FIFO floor(0.1 C) + main FIFO C - small + ghost FIFO floor(0.9 C) (libCacheSim S3FIFO: small-size-ratio=0.10, ghost-size-ratio=0.90, move-to-main-threshold=2); 2-bit frequency capped at 3; main reinserts with freq-1; an entry not lighter than the small queue is not cached',
  tinylfu: 'W-TinyLFU: window LRU floor(0.01 C) + main SLRU (probation 20 %, protected 80 %) with a minimal-increment counting Bloom filter (sized for the main entries at 0.1 % error, halved every 32 × main-size main hits); a window victim enters main only if its estimate beats the main victim\'s (libCacheSim WTinyLFU, main-cache=SLRU, window-size=0.01)',
};

import { FrequencySketch } from './sketch.js';

const NONE = -1;
const INITIAL_SLOTS = 1024;

function nextPow2(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/** Hash a key below 2^53 to 32 bits (the store's index; replay's id map). */
export function hashKey(key: number): number {
  return hashWords(key >>> 0, (key / 4294967296) >>> 0);
}

/** `hashKey` of the key whose low and high 32-bit words are `lo` and `hi` (either signedness). */
export function hashWords(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

const enum P {
  Lru,
  Fifo,
  Sieve,
  Clock,
  TwoQ,
  Arc,
  S3fifo,
  TinyLfu,
}
const CODES: Record<EvictionPolicy, P> = { lru: P.Lru, fifo: P.Fifo, sieve: P.Sieve, clock: P.Clock, '2q': P.TwoQ, arc: P.Arc, s3fifo: P.S3fifo, tinylfu: P.TinyLfu };

// Queue numbers. One-queue policies use Q0; 2Q: Q0 = Ain, Q1 = Am; ARC: Q0 = T1, Q1 = T2;
// S3-FIFO: Q0 = small, Q1 = main; W-TinyLFU: Q0 = window, Q1 = probation, Q2 = protected.
const Q0 = 0;
const Q1 = 1;
const Q2 = 2;

/** Highest S3-FIFO frequency kept (a 2-bit counter: the policy only compares against 1, 2 and 3). */
const S3FIFO_MAX_FREQ = 3;

export class KeyedStore {
  /** Budget in weight units (entries, or bytes when weights are sizes); Infinity = unbounded. */
  readonly capacity: number;
  readonly policy: EvictionPolicy;

  /** Current number of entries. */
  size = 0;
  /** Sum of the weights of the entries held. */
  usedWeight = 0;
  /** Key of the entry evicted by the last `insert`, or -1 (the last one when it evicted several). */
  lastEvictedKey = NONE;
  /** Entries evicted by the last `insert` (a policy may evict more than one, e.g. W-TinyLFU). */
  lastEvictions = 0;
  /** Number of entries evicted for room since creation. */
  evictions = 0;

  /** Per-slot fields; grow together with the store when it is unbounded. */
  keyOf: Float64Array;
  /** Logical expiry time (ms); Infinity = never. */
  expiresAt: Float64Array;
  /** Time the entry was written (ms). */
  createdAt: Float64Array;
  /** Entity version the value was computed from (staleness oracle). */
  version: Float64Array;
  /** Invalidation generation of the entity at write time. */
  gen: Uint32Array;
  /** Entity the value depends on (its generation is `gen`), or NO_ENTITY. */
  entity: Int32Array;
  /** The entry contract's `aux`: a window's depth, or an LLM entry's ground-truth intent. */
  aux: Int32Array;
  weight: Float64Array;

  private readonly code: P;
  /** More than one queue: per-queue membership and weights are kept (single-queue policies skip that work). */
  private readonly multi: boolean;
  /** Queue links of slot s: `links[2s]` = previous (newer) slot, `links[2s + 1]` = next (older) slot, -1 = none. */
  private links: Int32Array;
  /** SIEVE visited bit, CLOCK reference bit, S3-FIFO frequency. */
  private freq: Uint8Array;
  /** Queue (Q0..Q2) of each held slot. */
  private queueOf: Uint8Array;
  private freeList: Int32Array;
  private freeTop = 0;
  /** Per queue: newest / most recently used, oldest / least recently used, summed weight. */
  private readonly qHead = new Int32Array([NONE, NONE, NONE]);
  private readonly qTail = new Int32Array([NONE, NONE, NONE]);
  private readonly qWeight = new Float64Array(3);
  private hand = NONE; // SIEVE hand
  /** Index cells, for even c: `cells[c]` = hashKey of the key, `cells[c + 1]` = its slot + 1 (0 = a free cell). */
  private cells: Int32Array;
  /** `cells.length - 1`: cell positions are even, and `(c + 2) & mask` is the next cell. */
  private mask: number;
  private slots: number;
  /** Keys are dense ids (0, 1, 2 … below 2^31): `direct[key]` = slot + 1 instead of the hash table. */
  private readonly dense: boolean;
  private direct: Int32Array;

  // Multi-queue policies: queue budgets (weight units), ghosts and adaptive state.
  /** 2Q Ain, S3-FIFO small, W-TinyLFU window. */
  private readonly firstCap: number;
  /** W-TinyLFU main and its SLRU segments. */
  private readonly mainCap: number;
  private readonly probationCap: number;
  private readonly protectedCap: number;
  /** 2Q Aout, S3-FIFO ghost, ARC B1 (ghost keys, weights = object weights). */
  private ghostA: KeyedStore | null = null;
  /** ARC B2. */
  private ghostB: KeyedStore | null = null;
  private readonly ghostCap: number;
  /** ARC target size of T1 (weight units, a float as in libCacheSim). */
  private arcP = 0;
  /** S3-FIFO: whether any eviction happened yet (before it, a full small queue spills into main). */
  private hasEvicted = false;
  private sketch: FrequencySketch | null = null;
  private sketchHits = 0;
  /** Entries W-TinyLFU's main part is expected to hold: what its sketch is sized for (main capacity with unit weights). */
  private sketchEntries = 0;
  /** Dense stores: the key each id stands for, which the sketch counts instead of the id (`countKeysOf`). */
  private sketchKeys: Float64Array | null = null;

  /**
   * `denseKeys`: every key is a small non-negative integer (a dense id, as replay assigns them), so
   * the index is a direct array instead of a hash table (faster; 4 bytes per id ever seen).
   * `meanWeight`: the expected weight of an entry (1 with unit weights; the mean object size when
   * the capacity is in bytes): W-TinyLFU sizes its sketch, and the period of its halving, for the
   * entries its main part is expected to hold (main capacity / meanWeight), not for the weight units.
   */
  constructor(capacity: number, policy: EvictionPolicy = 'lru', maxEntriesHint?: number, denseKeys = false, meanWeight = 1) {
    if (!(capacity > 0)) throw new RangeError(`capacity must be > 0, got ${capacity}`);
    this.capacity = capacity;
    this.policy = policy;
    this.code = CODES[policy];
    if (this.code === undefined) throw new RangeError(`unknown eviction policy ${JSON.stringify(policy)}`);
    this.multi = this.code > P.Clock;
    const bounded = Number.isFinite(capacity);
    const hint = maxEntriesHint ?? (bounded ? capacity : INITIAL_SLOTS);
    this.slots = Math.max(16, Math.min(hint, bounded ? capacity : hint) | 0);
    this.keyOf = new Float64Array(this.slots);
    this.expiresAt = new Float64Array(this.slots);
    this.createdAt = new Float64Array(this.slots);
    this.version = new Float64Array(this.slots);
    this.gen = new Uint32Array(this.slots);
    this.entity = new Int32Array(this.slots);
    this.aux = new Int32Array(this.slots);
    this.weight = new Float64Array(this.slots);
    this.links = new Int32Array(2 * this.slots);
    this.freq = new Uint8Array(this.slots);
    this.queueOf = new Uint8Array(this.slots);
    this.freeList = new Int32Array(this.slots);
    for (let i = 0; i < this.slots; i++) this.freeList[i] = this.slots - 1 - i;
    this.freeTop = this.slots;
    this.dense = denseKeys;
    this.cells = new Int32Array(denseKeys ? 0 : 2 * nextPow2(this.slots * 2));
    this.mask = this.cells.length - 1;
    this.direct = new Int32Array(denseKeys ? 1024 : 0);

    const trunc = (x: number) => (Number.isFinite(x) ? Math.floor(x) : x);
    let first = capacity;
    let ghost = 0;
    let main = 0;
    if (this.code === P.TwoQ) {
      first = trunc(capacity * 0.25);
      ghost = trunc(capacity * 0.5);
    } else if (this.code === P.S3fifo) {
      first = trunc(capacity * 0.1);
      ghost = trunc(capacity * 0.9);
    } else if (this.code === P.TinyLfu) {
      first = trunc(capacity * 0.01);
      main = capacity - first;
      if (Number.isFinite(main)) {
        this.sketchEntries = Math.max(1, Math.floor(main / Math.max(1, meanWeight)));
        this.sketch = new FrequencySketch(this.sketchEntries, 0.001);
      }
    } else if (this.code === P.Arc) {
      ghost = Number.POSITIVE_INFINITY; // ARC bounds its ghosts itself
    }
    this.firstCap = first;
    this.ghostCap = ghost;
    this.mainCap = main;
    this.probationCap = trunc((1 / 5) * main);
    this.protectedCap = trunc((4 / 5) * main);
  }

  /** Slot of `key` or -1, without touching recency. */
  peek(key: number): number {
    if (this.dense) return key < this.direct.length ? this.direct[key]! - 1 : NONE;
    const cells = this.cells;
    const keyOf = this.keyOf;
    const mask = this.mask;
    const h = hashKey(key) | 0;
    for (let c = (h << 1) & mask; ; c = (c + 2) & mask) {
      const s = cells[c + 1]!;
      if (s === 0) return NONE;
      if (cells[c] === h && keyOf[s - 1] === key) return s - 1;
    }
  }

  /** Slot of `key` or -1; a hit is recorded per policy (recency, reference bit, frequency). */
  get(key: number): number {
    const slot = this.peek(key);
    if (slot !== NONE) this.touch(slot);
    return slot;
  }

  /**
   * One request for `key` (weight on a miss): a hit is recorded per policy and returns true; a miss
   * inserts the key (as `insert`) and returns false. One index probe serves both for the
   * single-queue policies.
   */
  access(key: number, weight = 1): boolean {
    if (this.dense || this.code > P.Clock) {
      const slot = this.peek(key);
      if (slot !== NONE) {
        this.touch(slot);
        return true;
      }
      this.insert(key, weight);
      return false;
    }
    const cells = this.cells;
    const mask = this.mask;
    const h = hashKey(key) | 0;
    let i = (h << 1) & mask;
    for (let s = cells[i + 1]!; s !== 0; s = cells[i + 1]!) {
      if (cells[i] === h && this.keyOf[s - 1] === key) {
        this.touch(s - 1);
        return true;
      }
      i = (i + 2) & mask;
    }
    this.lastEvictedKey = NONE;
    this.lastEvictions = 0;
    if (weight > this.capacity) return false;
    let cellValid = true;
    while (this.size > 0 && this.usedWeight + weight > this.capacity) {
      this.evictSimple();
      cellValid = false; // deletion shifts probe chains
    }
    this.place(key, weight, Q0, cellValid ? i : NONE);
    return false;
  }

  /**
   * Requests for `keys[0, n)`, each new entry weighing 1: the same hits and the same store state
   * afterwards as `access(keys[i])` for each i in turn; returns the misses. LRU and FIFO over the
   * hash index (replay's common case) run a loop of their own with the queue in locals and no
   * per-request policy dispatch, which more than halves the time per request.
   */
  accessMany(keys: Float64Array, n: number): number {
    if (this.dense || this.code > P.Fifo) {
      let misses = 0;
      for (let i = 0; i < n; i++) if (!this.access(keys[i]!, 1)) misses++;
      return misses;
    }
    return this.accessManyLruFifo(keys, 0, n, this.code === P.Lru);
  }

  /**
   * `accessMany` for LRU (`moveOnHit`) and FIFO over the hash index, from request `from`; weights
   * of held entries may be anything. A request reads its index cell (hash and slot) and the slot's
   * key; a hit then touches the links of the entry and its two neighbours; a miss evicts the tail,
   * empties the victim's cell (re-homing later cells from their stored hashes) and takes the
   * victim's slot. The arrays are constants of the loop (so the compiled loop checks them once):
   * when the store must grow, the loop stops, grows and starts again after that request.
   */
  private accessManyLruFifo(keys: Float64Array, from: number, n: number, moveOnHit: boolean): number {
    const cap = this.capacity;
    const cells = this.cells;
    const mask = this.mask;
    const keyOf = this.keyOf;
    const links = this.links;
    const weight = this.weight;
    const freeList = this.freeList;
    let head = this.qHead[Q0]!;
    let tail = this.qTail[Q0]!;
    let size = this.size;
    let used = this.usedWeight;
    let freeTop = this.freeTop;
    let evicted = 0;
    let lastKey = this.lastEvictedKey;
    let lastCount = this.lastEvictions;
    let misses = 0;
    let r = from;
    for (; r < n; r++) {
      const key = keys[r]!;
      const h = hashKey(key) | 0;
      let cell = (h << 1) & mask;
      let hit = NONE;
      for (let s = cells[cell + 1]!; s !== 0; s = cells[cell + 1]!) {
        if (cells[cell] === h && keyOf[s - 1] === key) {
          hit = s - 1;
          break;
        }
        cell = (cell + 2) & mask;
      }
      if (hit !== NONE) {
        if (moveOnHit && hit !== head) {
          // unlink (hit is not the head, so it has a predecessor), then to the front
          const p = links[hit << 1]!;
          const nx = links[(hit << 1) | 1]!;
          links[(p << 1) | 1] = nx;
          if (nx !== NONE) links[nx << 1] = p;
          else tail = p;
          links[hit << 1] = NONE;
          links[(hit << 1) | 1] = head;
          links[head << 1] = hit;
          head = hit;
        }
        continue;
      }
      misses++;
      lastKey = NONE;
      lastCount = 0;
      if (1 > cap) continue; // not admitted (as access: nothing is evicted)
      let shifted = false;
      while (size > 0 && used + 1 > cap) {
        const v = tail;
        lastKey = keyOf[v]!;
        lastCount++;
        evicted++;
        let c = (hashKey(lastKey) << 1) & mask;
        while (cells[c + 1] !== v + 1) c = (c + 2) & mask;
        this.shiftBack(cells, c, mask);
        shifted = true;
        const p = links[v << 1]!;
        if (p !== NONE) links[(p << 1) | 1] = NONE;
        else head = NONE;
        tail = p;
        used -= weight[v]!;
        size--;
        freeList[freeTop++] = v;
      }
      if (freeTop === 0) break; // out of slots: grow below, then go on
      const slot = freeList[--freeTop]!;
      keyOf[slot] = key;
      weight[slot] = 1;
      used += 1;
      size++;
      links[slot << 1] = NONE;
      links[(slot << 1) | 1] = head;
      if (head !== NONE) links[head << 1] = slot;
      head = slot;
      if (tail === NONE) tail = slot;
      // a deletion may have emptied a cell before the one found: probe again
      if (shifted) {
        cell = (h << 1) & mask;
        while (cells[cell + 1] !== 0) cell = (cell + 2) & mask;
      }
      cells[cell] = h;
      cells[cell + 1] = slot + 1;
    }
    this.qHead[Q0] = head;
    this.qTail[Q0] = tail;
    this.size = size;
    this.usedWeight = used;
    this.freeTop = freeTop;
    this.evictions += evicted;
    this.lastEvictedKey = lastKey;
    this.lastEvictions = lastCount;
    if (r === n) return misses;
    // request r missed, made its room, and found no free slot
    this.place(keys[r]!, 1, Q0, NONE);
    return misses + this.accessManyLruFifo(keys, r + 1, n, moveOnHit);
  }

  /** Record an access to a held slot. */
  touch(slot: number): void {
    switch (this.code) {
      case P.Lru:
        if (this.qHead[Q0] !== slot) {
          this.unlink(slot);
          this.linkHead(slot, Q0);
        }
        return;
      case P.Fifo:
        return;
      case P.Sieve:
      case P.Clock:
        this.freq[slot] = 1;
        return;
      case P.TwoQ:
        if (this.queueOf[slot] === Q1) this.moveHead(slot, Q1); // a hit in Ain changes nothing
        return;
      case P.Arc:
        this.moveHead(slot, Q1); // T1 -> T2, or to T2's front
        return;
      case P.S3fifo:
        if (this.freq[slot]! < S3FIFO_MAX_FREQ) this.freq[slot]!++;
        return;
      case P.TinyLfu:
        this.touchTinyLfu(slot);
        return;
    }
  }

  /**
   * Insert `key` (or overwrite it in place) and return its slot; evicts per policy until the
   * weight fits. Returns -1 when the policy does not admit it (heavier than the whole capacity,
   * or than the queue a new entry enters for 2Q, S3-FIFO and W-TinyLFU).
   */
  insert(key: number, weight = 1): number {
    this.lastEvictedKey = NONE;
    this.lastEvictions = 0;
    // One probe finds the key or the empty cell it would go to.
    let i = NONE;
    if (this.dense) {
      const existing = this.peek(key);
      if (existing !== NONE) return this.overwrite(existing, weight);
    } else {
      const cells = this.cells;
      const mask = this.mask;
      const h = hashKey(key) | 0;
      i = (h << 1) & mask;
      for (let s = cells[i + 1]!; s !== 0; s = cells[i + 1]!) {
        if (cells[i] === h && this.keyOf[s - 1] === key) return this.overwrite(s - 1, weight);
        i = (i + 2) & mask;
      }
    }
    const code = this.code;
    if (code <= P.Clock) {
      if (weight > this.capacity) return NONE;
      let cellValid = true;
      while (this.size > 0 && this.usedWeight + weight > this.capacity) {
        this.evictSimple();
        cellValid = false; // deletion shifts probe chains
      }
      return this.place(key, weight, Q0, cellValid ? i : NONE);
    }
    return this.insertMulti(key, weight);
  }

  /** A write to a held key: new weight, counted as an access, evicting others if it grew. */
  private overwrite(existing: number, weight: number): number {
    const delta = weight - this.weight[existing]!;
    this.usedWeight += delta;
    if (this.multi) this.qWeight[this.queueOf[existing]!]! += delta;
    this.weight[existing] = weight;
    this.touch(existing);
    this.evictUntilFits(existing);
    return existing;
  }

  /** Remove `key`; returns whether it was held. */
  remove(key: number): boolean {
    const slot = this.peek(key);
    if (slot === NONE) return false;
    this.removeSlot(slot);
    return true;
  }

  /** Remove the entry at a held slot. */
  removeSlot(slot: number): void {
    this.indexDelete(this.keyOf[slot]!);
    if (this.hand === slot) this.hand = this.links[2 * slot]!;
    this.unlink(slot);
    this.usedWeight -= this.weight[slot]!;
    this.size--;
    this.freeList[this.freeTop++] = slot;
  }

  /**
   * Remove up to `max` entries from the old ends of the queues whose expiry is before `now`
   * (active expiry, as Redis does): keeps an unbounded store from holding dead entries forever.
   */
  reapExpired(now: number, max: number): number {
    let n = 0;
    // A single-queue policy keeps every entry in Q0 (the simulator's tiers write through here).
    const last = this.multi ? Q2 : Q0;
    for (let q = Q0; q <= last; q++) {
      while (n < max && this.qTail[q] !== NONE && this.expiresAt[this.qTail[q]!]! <= now) {
        this.removeSlot(this.qTail[q]!);
        n++;
      }
    }
    return n;
  }

  /** Drop every entry (and the policy's history: ghosts, adaptation, frequencies). */
  clear(): void {
    this.cells.fill(0);
    this.direct.fill(0);
    this.size = 0;
    this.usedWeight = 0;
    this.qHead.fill(NONE);
    this.qTail.fill(NONE);
    this.qWeight.fill(0);
    this.hand = NONE;
    for (let i = 0; i < this.slots; i++) this.freeList[i] = this.slots - 1 - i;
    this.freeTop = this.slots;
    this.ghostA?.clear();
    this.ghostB?.clear();
    this.arcP = 0;
    this.hasEvicted = false;
    if (this.sketch) this.sketch = new FrequencySketch(this.sketchEntries, 0.001);
    this.sketchHits = 0;
  }

  /** Keys newest (most recently used) first, queue by queue (Q0 first). For tests. */
  keys(): number[] {
    const out: number[] = [];
    for (let q = Q0; q <= Q2; q++) for (let s = this.qHead[q]!; s !== NONE; s = this.links[2 * s + 1]!) out.push(this.keyOf[s]!);
    return out;
  }

  // ---- LRU, FIFO, SIEVE, CLOCK (one queue) ----

  private evictUntilFits(keep: number): void {
    while (this.usedWeight > this.capacity && this.size > 1) {
      const victim = this.code <= P.Clock ? this.victimSimple() : this.qTail[Q0] !== NONE ? this.qTail[Q0]! : this.oldestAnyQueue();
      if (victim === keep) break;
      this.evictSlot(victim);
    }
  }

  private oldestAnyQueue(): number {
    for (let q = Q0; q <= Q2; q++) if (this.qTail[q] !== NONE) return this.qTail[q]!;
    return NONE;
  }

  private evictSimple(): void {
    this.evictSlot(this.victimSimple());
  }

  private victimSimple(): number {
    const code = this.code;
    if (code === P.Lru || code === P.Fifo) return this.qTail[Q0]!;
    if (code === P.Clock) {
      // reinsertion: a set bit buys one more trip through the queue
      let t = this.qTail[Q0]!;
      while (this.freq[t] === 1) {
        this.freq[t] = 0;
        this.moveHead(t, Q0);
        t = this.qTail[Q0]!;
      }
      return t;
    }
    let h = this.hand === NONE ? this.qTail[Q0]! : this.hand;
    while (this.freq[h] === 1) {
      this.freq[h] = 0;
      const p = this.links[2 * h]!;
      h = p === NONE ? this.qTail[Q0]! : p;
    }
    this.hand = this.links[2 * h]!;
    return h;
  }

  private evictSlot(slot: number): void {
    this.lastEvictedKey = this.keyOf[slot]!;
    this.lastEvictions++;
    this.evictions++;
    this.removeSlot(slot);
  }

  /** Take a free slot for `key` at the head of queue `q`; `cell` is its index cell if still valid. */
  private place(key: number, weight: number, q: number, cell: number): number {
    if (this.freeTop === 0) {
      this.grow();
      cell = NONE;
    }
    const slot = this.freeList[--this.freeTop]!;
    this.keyOf[slot] = key;
    this.weight[slot] = weight;
    this.freq[slot] = 0;
    this.usedWeight += weight;
    this.size++;
    this.linkHead(slot, q);
    if (cell !== NONE) {
      this.cells[cell] = hashKey(key) | 0;
      this.cells[cell + 1] = slot + 1;
    } else this.indexInsert(key, slot);
    return slot;
  }

  // ---- 2Q, ARC, S3-FIFO, W-TinyLFU ----

  private insertMulti(key: number, weight: number): number {
    const code = this.code;
    const cap = this.capacity;
    let ghostHit = 0; // 1: found in ghostA (Aout, S3-FIFO ghost, B1); 2: in B2
    if (code === P.TwoQ || code === P.S3fifo) {
      if (this.ghostA?.remove(key)) ghostHit = 1;
    } else if (code === P.Arc) {
      ghostHit = this.arcGhostHit(key);
    }
    // admission: the whole budget, and the first queue of a segmented policy
    if (weight > cap) return NONE;
    if (code === P.TwoQ || code === P.S3fifo || code === P.TinyLfu) {
      if (weight > this.firstCap) return NONE;
      if (code === P.TinyLfu && weight > this.mainCap) return NONE;
    }
    while (this.size > 0 && this.usedWeight + weight > cap) {
      if (code === P.TwoQ) this.evictTwoQ();
      else if (code === P.Arc) this.evictArc(weight, ghostHit);
      else if (code === P.S3fifo) this.evictS3fifo();
      else this.evictTinyLfu();
    }
    if (code === P.TwoQ) {
      if (ghostHit === 0) return this.place(key, weight, Q0, NONE);
      // a re-reference after leaving Ain: straight into Am, which makes its own room
      while (this.qTail[Q1] !== NONE && this.qWeight[Q1]! + weight > cap - this.firstCap) this.evictSlot(this.qTail[Q1]!);
      return this.place(key, weight, Q1, NONE);
    }
    if (code === P.Arc) return this.place(key, weight, ghostHit !== 0 ? Q1 : Q0, NONE);
    if (code === P.S3fifo) {
      if (ghostHit !== 0) return this.place(key, weight, Q1, NONE);
      if (weight >= this.firstCap) return NONE; // as libCacheSim: evicted for room, then not cached
      const spill = !this.hasEvicted && this.qWeight[Q0]! >= this.firstCap;
      return this.place(key, weight, spill ? Q1 : Q0, NONE);
    }
    const slot = this.place(key, weight, Q0, NONE);
    this.sketch?.add(this.sketchKey(key));
    return slot;
  }

  /** Evict for 2Q: Ain's oldest (remembered in Aout) while Ain is over its share, else Am's LRU. */
  private evictTwoQ(): void {
    const ain = this.qTail[Q0]!;
    if (ain !== NONE && (this.qWeight[Q0]! > this.firstCap || this.qTail[Q1] === NONE)) {
      this.ghostInsert(this.keyOf[ain]!, this.weight[ain]!);
      this.evictSlot(ain);
      return;
    }
    this.evictSlot(this.qTail[Q1]!);
  }

  /** FIFO ghost "get": remember `key` unless held, dropping the oldest ghosts until it fits. */
  private ghostInsert(key: number, weight: number): void {
    if (!(this.ghostCap > 0) || weight > this.ghostCap) return;
    this.ghostA ??= new KeyedStore(this.ghostCap, 'fifo', Math.min(this.slots, 1 << 16));
    if (this.ghostA.peek(key) === NONE) this.ghostA.insert(key, weight);
  }

  /** ARC: a miss found in B1 or B2 adapts p and leaves the ghost; returns 1 (B1), 2 (B2) or 0. */
  private arcGhostHit(key: number): number {
    const b1 = this.ghostA;
    const b2 = this.ghostB;
    if (b1 === null || b2 === null) return 0;
    const s1 = b1.peek(key);
    if (s1 !== NONE) {
      const delta = Math.max(b2.usedWeight / b1.usedWeight, 1);
      this.arcP = Math.min(this.arcP + delta, this.capacity);
      b1.removeSlot(s1);
      return 1;
    }
    const s2 = b2.peek(key);
    if (s2 !== NONE) {
      const delta = Math.max(b1.usedWeight / b2.usedWeight, 1);
      this.arcP = Math.max(this.arcP - delta, 0);
      b2.removeSlot(s2);
      return 2;
    }
    return 0;
  }

  /** ARC eviction for a miss (the paper's cases II–IV, as libCacheSim handles weights). */
  private evictArc(weight: number, ghostHit: number): void {
    this.ghostA ??= new KeyedStore(Number.POSITIVE_INFINITY, 'lru', 1024);
    this.ghostB ??= new KeyedStore(Number.POSITIVE_INFINITY, 'lru', 1024);
    const b1 = this.ghostA;
    const b2 = this.ghostB;
    if (ghostHit === 0) {
      const t1 = this.qWeight[Q0]!;
      if (t1 + b1.usedWeight + weight > this.capacity) {
        if (b1.usedWeight > 0) b1.removeSlot(b1.oldest());
        else {
          this.evictSlot(this.qTail[Q0]!); // T1 alone fills the cache: no ghost
          return;
        }
      } else if (t1 + b1.usedWeight + this.qWeight[Q1]! + b2.usedWeight >= 2 * this.capacity && b2.usedWeight > 0) {
        b2.removeSlot(b2.oldest());
      }
    }
    // REPLACE: demote T1's LRU to B1 when T1 exceeds p, else T2's LRU to B2
    const t1 = this.qWeight[Q0]!;
    const fromT1 = (t1 > 0 && (t1 > this.arcP || (t1 === this.arcP && ghostHit === 2))) || this.qWeight[Q1] === 0;
    const victim = this.qTail[fromT1 ? Q0 : Q1]!;
    (fromT1 ? b1 : b2).insert(this.keyOf[victim]!, this.weight[victim]!);
    this.evictSlot(victim);
  }

  /** S3-FIFO: evict from main when it is over its share or small is empty, else from small. */
  private evictS3fifo(): void {
    this.hasEvicted = true;
    const mainCap = this.capacity - this.firstCap;
    if (this.qWeight[Q1]! > mainCap || this.qTail[Q0] === NONE) {
      for (let t = this.qTail[Q1]!; t !== NONE; t = this.qTail[Q1]!) {
        const f = this.freq[t]!;
        if (f === 0) {
          this.evictSlot(t);
          return;
        }
        this.freq[t] = f - 1; // reinserted at the front, one access spent
        this.moveHead(t, Q1);
      }
      return;
    }
    for (let t = this.qTail[Q0]!; t !== NONE; t = this.qTail[Q0]!) {
      if (this.freq[t]! >= 2) {
        this.freq[t] = 0; // promoted to main, counting afresh
        this.moveHead(t, Q1);
        continue;
      }
      this.ghostInsert(this.keyOf[t]!, this.weight[t]!);
      this.evictSlot(t);
      return;
    }
  }

  private touchTinyLfu(slot: number): void {
    const q = this.queueOf[slot]!;
    if (q === Q0) {
      this.moveHead(slot, Q0);
      return;
    }
    if (q === Q2) this.moveHead(slot, Q2);
    else {
      this.moveHead(slot, Q2); // probation -> protected; protected overflow cools to probation
      while (this.qWeight[Q2]! > this.protectedCap) this.moveHead(this.qTail[Q2]!, Q1);
    }
    const sketch = this.sketch;
    if (sketch) {
      sketch.add(this.sketchKey(this.keyOf[slot]!));
      if (++this.sketchHits >= 32 * this.sketchEntries) {
        this.sketchHits = 0;
        sketch.age();
      }
    }
  }

  /** Oldest entry of the main SLRU (probation first), or -1. */
  private mainVictim(): number {
    return this.qTail[Q1] !== NONE ? this.qTail[Q1]! : this.qTail[Q2]!;
  }

  /** Move a window entry into main: probation if it has room, else protected, else probation after evicting. */
  private admitToMain(slot: number): void {
    const w = this.weight[slot]!;
    if (this.qWeight[Q1]! + w <= this.probationCap) this.moveHead(slot, Q1);
    else if (this.qWeight[Q2]! + w <= this.protectedCap) this.moveHead(slot, Q2);
    else {
      while (this.qWeight[Q1]! + this.qWeight[Q2]! + w > this.mainCap && this.mainVictim() !== NONE) this.evictSlot(this.mainVictim());
      this.moveHead(slot, Q1);
    }
  }

  /**
   * W-TinyLFU: window victims move to main while it has room; then each is admitted only if the
   * sketch rates it above main's victim (which is evicted), until one is rejected and evicted.
   */
  private evictTinyLfu(): void {
    const sketch = this.sketch!;
    for (;;) {
      const v = this.qTail[Q0]!;
      if (v === NONE) {
        this.evictSlot(this.mainVictim());
        return;
      }
      const key = this.keyOf[v]!;
      let evicted = false;
      if (this.qWeight[Q1]! + this.qWeight[Q2]! + this.weight[v]! <= this.mainCap) this.admitToMain(v);
      else {
        const mv = this.mainVictim();
        if (sketch.estimate(this.sketchKey(key)) > sketch.estimate(this.sketchKey(this.keyOf[mv]!))) {
          this.evictSlot(mv);
          this.admitToMain(v);
        } else {
          this.evictSlot(v);
          evicted = true;
        }
      }
      sketch.add(this.sketchKey(key));
      if (evicted) return;
    }
  }

  /**
   * A dense store over ids that stand for trace keys (`keys[id]`, e.g. `mrc`'s recorded trace):
   * W-TinyLFU's sketch then counts the keys, not the ids, so its estimates (and every admission)
   * are those of a store fed the keys themselves, as `replay` is.
   */
  countKeysOf(keys: Float64Array): void {
    if (!this.dense) throw new Error('countKeysOf: the store is not over dense ids');
    this.sketchKeys = keys;
  }

  private sketchKey(key: number): number {
    return this.sketchKeys === null ? key : this.sketchKeys[key]!;
  }

  /** Oldest slot of queue 0 (ghost stores use this to drop their oldest key). */
  oldest(): number {
    return this.qTail[Q0]!;
  }

  // ---- lists and index ----

  private moveHead(slot: number, q: number): void {
    this.unlink(slot);
    this.linkHead(slot, q);
  }

  private linkHead(slot: number, q: number): void {
    const links = this.links;
    const head = this.qHead[q]!;
    links[2 * slot] = NONE;
    links[2 * slot + 1] = head;
    if (head !== NONE) links[2 * head] = slot;
    this.qHead[q] = slot;
    if (this.qTail[q] === NONE) this.qTail[q] = slot;
    if (this.multi) {
      this.queueOf[slot] = q;
      this.qWeight[q]! += this.weight[slot]!;
    }
  }

  private unlink(slot: number): void {
    const q = this.multi ? this.queueOf[slot]! : Q0;
    const links = this.links;
    const p = links[2 * slot]!;
    const n = links[2 * slot + 1]!;
    if (p !== NONE) links[2 * p + 1] = n;
    else this.qHead[q] = n;
    if (n !== NONE) links[2 * n] = p;
    else this.qTail[q] = p;
    if (this.multi) this.qWeight[q]! -= this.weight[slot]!;
  }

  private indexInsert(key: number, slot: number): void {
    if (this.dense) {
      if (key >= this.direct.length) {
        let n = this.direct.length;
        while (n <= key) n *= 2;
        const d = new Int32Array(n);
        d.set(this.direct);
        this.direct = d;
      }
      this.direct[key] = slot + 1;
      return;
    }
    const cells = this.cells;
    const mask = this.mask;
    const h = hashKey(key) | 0;
    let c = (h << 1) & mask;
    while (cells[c + 1] !== 0) c = (c + 2) & mask;
    cells[c] = h;
    cells[c + 1] = slot + 1;
  }

  private indexDelete(key: number): void {
    if (this.dense) {
      this.direct[key] = 0;
      return;
    }
    const cells = this.cells;
    const keyOf = this.keyOf;
    const mask = this.mask;
    let i = (hashKey(key) << 1) & mask;
    while (keyOf[cells[i + 1]! - 1] !== key) i = (i + 2) & mask;
    this.shiftBack(cells, i, mask);
  }

  /**
   * Empty cell `i` without breaking probe chains (backward-shift deletion, no tombstones): each
   * later cell of the chain whose home is not between `i` and itself moves back into the gap.
   * The homes come from the hashes in the cells, so no key is read or hashed.
   */
  private shiftBack(cells: Int32Array, i: number, mask: number): void {
    for (let j = (i + 2) & mask; ; j = (j + 2) & mask) {
      const s = cells[j + 1]!;
      if (s === 0) break;
      const h = cells[j]!;
      const home = (h << 1) & mask;
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      cells[i] = h;
      cells[i + 1] = s;
      i = j;
    }
    cells[i + 1] = 0;
  }

  private grow(): void {
    const old = this.slots;
    const slots = old * 2;
    const growF64 = (a: Float64Array) => {
      const b = new Float64Array(slots);
      b.set(a);
      return b;
    };
    const growI32 = (a: Int32Array) => {
      const b = new Int32Array(slots);
      b.set(a);
      return b;
    };
    const growU8 = (a: Uint8Array) => {
      const b = new Uint8Array(slots);
      b.set(a);
      return b;
    };
    this.keyOf = growF64(this.keyOf);
    this.expiresAt = growF64(this.expiresAt);
    this.createdAt = growF64(this.createdAt);
    this.version = growF64(this.version);
    this.weight = growF64(this.weight);
    const gen = new Uint32Array(slots);
    gen.set(this.gen);
    this.gen = gen;
    this.entity = growI32(this.entity);
    this.aux = growI32(this.aux);
    const links = new Int32Array(2 * slots);
    links.set(this.links);
    this.links = links;
    this.freq = growU8(this.freq);
    this.queueOf = growU8(this.queueOf);
    this.freeList = new Int32Array(slots);
    for (let i = 0; i < slots - old; i++) this.freeList[i] = slots - 1 - i;
    this.freeTop = slots - old;
    this.slots = slots;
    if (this.dense) return; // the direct index holds slots, which did not move
    this.cells = new Int32Array(2 * nextPow2(slots * 2));
    this.mask = this.cells.length - 1;
    for (let q = Q0; q <= Q2; q++) for (let s = this.qHead[q]!; s !== NONE; s = this.links[2 * s + 1]!) this.indexInsert(this.keyOf[s]!, s);
  }
}
