/**
 * A fixed-budget key store over typed arrays: an open-addressing index (linear probing,
 * backward-shift deletion) in front of slots linked in recency/insertion order.
 *
 * It is the one cache structure of the project: the simulator's tier models, the bench's
 * in-process L1 and `replay` all use it. Nothing is allocated per operation; a `Map`-based LRU
 * that deletes and re-inserts on every hit is an order of magnitude slower in V8.
 *
 * Keys are non-negative integers below 2^53. Values live in caller-owned parallel arrays
 * indexed by the slot number the store hands out, plus the few per-entry fields every caller
 * needs (expiry, creation time, entity version, invalidation generation, two int payloads).
 */

/** Eviction policy of a store. */
export type EvictionPolicy = 'lru' | 'fifo' | 'sieve';

export const EVICTION_POLICIES: readonly EvictionPolicy[] = ['lru', 'fifo', 'sieve'];

const NONE = -1;
const INITIAL_SLOTS = 1024;

function nextPow2(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/** Hash a key below 2^53 to 32 bits. */
function hashKey(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

export class KeyedStore {
  /** Budget in weight units (entries, or bytes when weights are sizes); Infinity = unbounded. */
  readonly capacity: number;
  readonly policy: EvictionPolicy;

  /** Current number of entries. */
  size = 0;
  /** Sum of the weights of the entries held. */
  usedWeight = 0;
  /** Key of the entry evicted by the last `insert`, or -1. */
  lastEvictedKey = NONE;
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
  /** Invalidation generation of the entry's entity at write time. */
  gen: Uint32Array;
  /** Two free int payloads for callers (e.g. intent id and scope). */
  auxA: Int32Array;
  auxB: Int32Array;
  weight: Float64Array;

  private prev: Int32Array;
  private next: Int32Array;
  private visited: Uint8Array;
  private freeList: Int32Array;
  private freeTop = 0;
  private head = NONE; // newest / most recently used
  private tail = NONE; // oldest / least recently used
  private hand = NONE; // SIEVE hand
  private table: Int32Array; // slot + 1, 0 = empty
  private mask: number;
  private slots: number;

  constructor(capacity: number, policy: EvictionPolicy = 'lru', maxEntriesHint?: number) {
    if (!(capacity > 0)) throw new RangeError(`capacity must be > 0, got ${capacity}`);
    this.capacity = capacity;
    this.policy = policy;
    const bounded = Number.isFinite(capacity);
    const hint = maxEntriesHint ?? (bounded ? capacity : INITIAL_SLOTS);
    this.slots = Math.max(16, Math.min(hint, bounded ? capacity : hint) | 0);
    this.keyOf = new Float64Array(this.slots);
    this.expiresAt = new Float64Array(this.slots);
    this.createdAt = new Float64Array(this.slots);
    this.version = new Float64Array(this.slots);
    this.gen = new Uint32Array(this.slots);
    this.auxA = new Int32Array(this.slots);
    this.auxB = new Int32Array(this.slots);
    this.weight = new Float64Array(this.slots);
    this.prev = new Int32Array(this.slots);
    this.next = new Int32Array(this.slots);
    this.visited = new Uint8Array(this.slots);
    this.freeList = new Int32Array(this.slots);
    for (let i = 0; i < this.slots; i++) this.freeList[i] = this.slots - 1 - i;
    this.freeTop = this.slots;
    this.table = new Int32Array(nextPow2(this.slots * 2));
    this.mask = this.table.length - 1;
  }

  /** Slot of `key` or -1, without touching recency. */
  peek(key: number): number {
    const table = this.table;
    const mask = this.mask;
    let i = hashKey(key) & mask;
    for (;;) {
      const s = table[i]!;
      if (s === 0) return NONE;
      if (this.keyOf[s - 1] === key) return s - 1;
      i = (i + 1) & mask;
    }
  }

  /** Slot of `key` or -1; a hit updates recency (LRU) or the visited bit (SIEVE). */
  get(key: number): number {
    const slot = this.peek(key);
    if (slot !== NONE) this.touch(slot);
    return slot;
  }

  /** Record an access to a held slot. */
  touch(slot: number): void {
    if (this.policy === 'lru') {
      if (this.head !== slot) {
        this.unlink(slot);
        this.linkHead(slot);
      }
    } else if (this.policy === 'sieve') {
      this.visited[slot] = 1;
    }
  }

  /**
   * Insert `key` (or overwrite it in place) and return its slot; evicts per policy until the
   * weight fits. Returns -1 when a single entry is heavier than the whole capacity.
   */
  insert(key: number, weight = 1): number {
    this.lastEvictedKey = NONE;
    // One probe finds the key or the empty cell it would go to.
    const table = this.table;
    const mask = this.mask;
    let i = hashKey(key) & mask;
    for (let s = table[i]!; s !== 0; s = table[i]!) {
      if (this.keyOf[s - 1] === key) {
        const existing = s - 1;
        this.usedWeight += weight - this.weight[existing]!;
        this.weight[existing] = weight;
        this.touch(existing);
        this.evictUntilFits(existing);
        return existing;
      }
      i = (i + 1) & mask;
    }
    if (weight > this.capacity) return NONE;
    let cellValid = true;
    while (this.size > 0 && this.usedWeight + weight > this.capacity) {
      this.evictOne();
      cellValid = false; // deletion shifts probe chains
    }
    if (this.freeTop === 0) {
      this.grow();
      cellValid = false;
    }
    const slot = this.freeList[--this.freeTop]!;
    this.keyOf[slot] = key;
    this.weight[slot] = weight;
    this.visited[slot] = 0;
    this.usedWeight += weight;
    this.size++;
    this.linkHead(slot);
    if (cellValid) this.table[i] = slot + 1;
    else this.indexInsert(key, slot);
    return slot;
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
    if (this.hand === slot) this.hand = this.prev[slot]!;
    this.unlink(slot);
    this.usedWeight -= this.weight[slot]!;
    this.size--;
    this.freeList[this.freeTop++] = slot;
  }

  /**
   * Remove up to `max` entries from the old end of the order whose expiry is before `now`
   * (active expiry, as Redis does): keeps an unbounded store from holding dead entries forever.
   */
  reapExpired(now: number, max: number): number {
    let n = 0;
    while (n < max && this.tail !== NONE && this.expiresAt[this.tail]! <= now) {
      this.removeSlot(this.tail);
      n++;
    }
    return n;
  }

  /** Drop every entry. */
  clear(): void {
    this.table.fill(0);
    this.size = 0;
    this.usedWeight = 0;
    this.head = this.tail = this.hand = NONE;
    for (let i = 0; i < this.slots; i++) this.freeList[i] = this.slots - 1 - i;
    this.freeTop = this.slots;
  }

  /** Keys from most to least recently used (LRU) or newest to oldest (FIFO/SIEVE). For tests. */
  keys(): number[] {
    const out: number[] = [];
    for (let s = this.head; s !== NONE; s = this.next[s]!) out.push(this.keyOf[s]!);
    return out;
  }

  private evictUntilFits(keep: number): void {
    while (this.usedWeight > this.capacity && this.size > 1) {
      const victim = this.victim();
      if (victim === keep) break;
      this.evictSlot(victim);
    }
  }

  private evictOne(): void {
    this.evictSlot(this.victim());
  }

  private evictSlot(slot: number): void {
    this.lastEvictedKey = this.keyOf[slot]!;
    this.evictions++;
    this.removeSlot(slot);
  }

  private victim(): number {
    if (this.policy !== 'sieve') return this.tail;
    let h = this.hand === NONE ? this.tail : this.hand;
    while (this.visited[h] === 1) {
      this.visited[h] = 0;
      h = this.prev[h] === NONE ? this.tail : this.prev[h]!;
    }
    this.hand = this.prev[h]!;
    return h;
  }

  private linkHead(slot: number): void {
    this.prev[slot] = NONE;
    this.next[slot] = this.head;
    if (this.head !== NONE) this.prev[this.head] = slot;
    this.head = slot;
    if (this.tail === NONE) this.tail = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p !== NONE) this.next[p] = n;
    else this.head = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail = p;
  }

  private indexInsert(key: number, slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = hashKey(key) & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  }

  private indexDelete(key: number): void {
    const table = this.table;
    const mask = this.mask;
    let i = hashKey(key) & mask;
    while (this.keyOf[table[i]! - 1] !== key) i = (i + 1) & mask;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const s = table[j]!;
      if (s === 0) break;
      const home = hashKey(this.keyOf[s - 1]!) & mask;
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!between) {
        table[i] = s;
        i = j;
      }
    }
    table[i] = 0;
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
    this.keyOf = growF64(this.keyOf);
    this.expiresAt = growF64(this.expiresAt);
    this.createdAt = growF64(this.createdAt);
    this.version = growF64(this.version);
    this.weight = growF64(this.weight);
    const gen = new Uint32Array(slots);
    gen.set(this.gen);
    this.gen = gen;
    this.auxA = growI32(this.auxA);
    this.auxB = growI32(this.auxB);
    this.prev = growI32(this.prev);
    this.next = growI32(this.next);
    const visited = new Uint8Array(slots);
    visited.set(this.visited);
    this.visited = visited;
    this.freeList = new Int32Array(slots);
    for (let i = 0; i < slots - old; i++) this.freeList[i] = slots - 1 - i;
    this.freeTop = slots - old;
    this.slots = slots;
    this.table = new Int32Array(nextPow2(slots * 2));
    this.mask = this.table.length - 1;
    for (let s = this.head; s !== NONE; s = this.next[s]!) this.indexInsert(this.keyOf[s]!, s);
  }
}
