/**
 * LRU and FIFO over unit-weight entries, the case `replay` runs most (no sizes, no TTL): the same
 * hits, misses and evictions as KeyedStore's `lru` and `fifo`, in fewer memory accesses a request
 * (docs/policies.md, "Speed").
 *
 * The queue is a log instead of a linked list. Every access of an LRU entry (every insertion of a
 * FIFO entry) appends the entry's index cell to a ring and marks the entry's previous record there
 * dead, so the oldest live record is always the least recently used (first inserted) entry, and
 * evicting pops dead records off the old end until a live one comes. The index is open addressing
 * (linear probing, backward-shift deletion) whose cells hold the key itself and the log position of
 * its live record: a hit reads one cell and writes two log words, touching no neighbour in a list.
 * A cell that moves in a deletion tells its live record where it went. When the ring is full its
 * live records (at most the capacity, in a ring of 4× that) are compacted in place, so each record
 * is moved O(1) times on average. Memory: 16 bytes a cell (2 cells an entry) and 16 bytes an entry
 * of log, whatever the trace's length.
 */
import { hashWords } from '../tiers/store.js';

/** Int32 words per index cell: key low word, key high word + 1 (0 = empty cell), log position, hash. */
const CELL = 4;
const INV_2_32 = 1 / 4294967296;
/** A dead log record. */
const DEAD = -1;
/** Entries the index is first sized for when the capacity is larger (it doubles up to the capacity). */
const FIRST_ROOM = 1 << 22;

function nextPow2(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/** The queue disciplines this cache runs (KeyedStore runs every policy). */
export type LogQueuePolicy = 'lru' | 'fifo';

export class LogQueueCache {
  /** Entries held at most (each weighs 1). */
  readonly capacity: number;
  readonly policy: LogQueuePolicy;
  /** Entries held now. */
  size = 0;
  private readonly moveOnHit: boolean;
  /** Entries the index and log are sized for now (grows by doubling up to `capacity`). */
  private room: number;
  /** Index cells, CELL words each; a cell starts at a multiple of CELL. */
  private cells: Int32Array;
  /** Ring of records: a cell's offset, or DEAD; position p lives at `log[p & (log.length - 1)]`. */
  private log: Int32Array;
  /** Log positions (int32, wrapping at 2^32): records live in [tail, head). */
  private head: number;
  private tail: number;

  /**
   * `capacity`: entries (a positive safe integer). `firstRoom` and `firstPosition` are for tests:
   * the entries the index starts sized for (it grows), and the first log position (positions wrap).
   */
  constructor(capacity: number, policy: LogQueuePolicy, firstRoom = FIRST_ROOM, firstPosition = 0) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 1)) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.policy = policy;
    this.moveOnHit = policy === 'lru';
    this.room = Math.min(capacity, Math.max(1, firstRoom));
    this.cells = new Int32Array(CELL * nextPow2(2 * this.room));
    this.log = new Int32Array(nextPow2(4 * this.room));
    this.head = this.tail = firstPosition | 0;
  }

  /** Requests for `keys[0, n)` (integers below 2^53), in order; returns the misses. */
  accessMany(keys: Float64Array, n: number): number {
    if (!loopFed) feedTheLoop();
    let misses = 0;
    for (let from = 0; ; ) {
      const stop = this.run(keys, from, n);
      misses += this.runMisses;
      if (stop === n) return misses;
      this.grow();
      from = stop;
    }
  }

  /** `run`'s state in and out (RunState indices). */
  private readonly state = new Int32Array(RunState.Words);
  /** The batch's key hashes (hashWords), computed before the loop so it can read ahead. */
  private hashes = new Int32Array(0);

  /**
   * Requests `from` … up to `n`; stops early (returning the request's index, not yet served) when a
   * miss needs an entry beyond `room`.
   */
  private run(keys: Float64Array, from: number, n: number): number {
    if (this.hashes.length < n + PREFETCH_AHEAD) this.hashes = new Int32Array(n + PREFETCH_AHEAD);
    const st = this.state;
    st[RunState.Head] = this.head;
    st[RunState.Tail] = this.tail;
    st[RunState.Size] = this.size;
    const stop = runLog(keys, from, n, this.hashes, this.cells, this.log, this.moveOnHit, this.capacity, this.room, st);
    this.head = st[RunState.Head]!;
    this.tail = st[RunState.Tail]!;
    this.size = st[RunState.Size]!;
    this.runMisses = st[RunState.Misses]!;
    return stop;
  }

  /** Misses of the last `run`. */
  private runMisses = 0;

  /** Double the room (up to the capacity): re-index the live entries oldest first into a fresh, compact log. */
  private grow(): void {
    const old = this.cells;
    const oldLog = this.log;
    const oldLogMask = oldLog.length - 1;
    this.room = Math.min(this.capacity, 2 * this.room);
    const cells = new Int32Array(CELL * nextPow2(2 * this.room));
    const mask = cells.length - 1;
    const log = new Int32Array(nextPow2(4 * this.room));
    let w = 0;
    for (let p = this.tail; p !== this.head; p = (p + 1) | 0) {
      const o = oldLog[p & oldLogMask]!;
      if (o === DEAD) continue;
      let c = (old[o + 3]! << 2) & mask;
      while (cells[c + 1] !== 0) c = (c + CELL) & mask;
      cells[c] = old[o]!;
      cells[c + 1] = old[o + 1]!;
      cells[c + 2] = w;
      cells[c + 3] = old[o + 3]!;
      log[w++] = c;
    }
    this.cells = cells;
    this.log = log;
    this.tail = 0;
    this.head = w;
  }

  /** Keys held, most recently used (LRU) or newest (FIFO) first, as KeyedStore.keys(). For tests. */
  keys(): number[] {
    const out: number[] = [];
    const logMask = this.log.length - 1;
    for (let p = this.head; p !== this.tail; ) {
      p = (p - 1) | 0;
      const c = this.log[p & logMask]!;
      if (c !== DEAD) out.push((this.cells[c + 1]! - 1) * 4294967296 + (this.cells[c]! >>> 0));
    }
    return out;
  }
}

let loopFed = false;

/**
 * Run every branch of `runLog` once, on tiny caches (hits, evictions past dead records, backward
 * shifts, a compaction, growing), before the real requests: the optimizing compiler then compiles
 * the loop with all its paths. Otherwise it compiles the first requests' paths only (no eviction
 * while the cache fills), and each path met later throws the compiled loop away and compiles it
 * again, several times at tens of ms of CPU each (docs/policies.md, "Speed").
 */
function feedTheLoop(): void {
  loopFed = true;
  const keys = new Float64Array(96);
  // ids of the trace's size (both words used), a working set a little larger than the capacity
  for (let r = 0; r < keys.length; r++) keys[r] = (r % 7) * 0x9e3779b1 * 4096 + ((r * r) % 11);
  for (const policy of ['lru', 'fifo'] as const) new LogQueueCache(8, policy, 2).accessMany(keys, keys.length);
}

/** Indices of LogQueueCache's `state` words, `runLog`'s inputs and outputs. */
const enum RunState {
  Head,
  Tail,
  Size,
  /** Out: misses of the run. */
  Misses,
  /** Out: what the read-ahead loads read (kept so the compiler cannot drop them). */
  Sink,
  Words,
}

/**
 * Requests ahead whose home cell the loop loads early, and log records ahead of the tail whose cell
 * an eviction loads early: the index and log do not fit the core's own caches, and a load issued
 * that far ahead overlaps the misses of several requests (docs/policies.md, "Speed").
 */
const PREFETCH_AHEAD = 8;

/**
 * LogQueueCache's loop as a function of its arrays (no `this`, no call in the loop: the compiled
 * loop keeps them in registers). `st` holds head, tail and size in and out, and the misses out;
 * returns the index of the first request not served (`n`, or earlier when a miss needs an entry
 * beyond `room`). `hashes` has room for `n + PREFETCH_AHEAD` words.
 */
function runLog(
  keys: Float64Array,
  from: number,
  n: number,
  hashes: Int32Array,
  cells: Int32Array,
  log: Int32Array,
  moveOnHit: boolean,
  full: number,
  room: number,
  st: Int32Array,
): number {
  const mask = cells.length - 1;
  const logMask = log.length - 1;
  const logLength = log.length;
  let head = st[RunState.Head]!;
  let tail = st[RunState.Tail]!;
  let size = st[RunState.Size]!;
  let misses = 0;
  let sink = 0;
  for (let r = from; r < n; r++) {
    const key = keys[r]!;
    hashes[r] = hashWords(key | 0, (key * INV_2_32) | 0);
  }
  let r = from;
  for (; r < n; r++) {
    const key = keys[r]!;
    const lo = key | 0;
    const hi = (key * INV_2_32) | 0;
    const h = hashes[r]!;
    // the home cell of the request PREFETCH_AHEAD on (past n: a stale hash, a harmless load)
    sink ^= cells[((hashes[r + PREFETCH_AHEAD]! << 2) | 1) & mask]!;
    if (((head - tail) | 0) === logLength) {
      // only LRU gets here (a FIFO log holds only live records): keep the live ones, in order
      let w = tail;
      for (let p = tail; p !== head; p = (p + 1) | 0) {
        const c = log[p & logMask]!;
        if (c === DEAD) continue;
        log[w & logMask] = c;
        cells[(c + 2) & mask] = w;
        w = (w + 1) | 0;
      }
      head = w;
    }
    const hiPlus1 = (hi + 1) | 0;
    let c = (h << 2) & mask; // << 2: CELL words a cell
    let k = cells[(c + 1) & mask]!;
    while (k !== 0) {
      if (k === hiPlus1 && cells[c] === lo) break;
      c = (c + CELL) & mask;
      k = cells[(c + 1) & mask]!;
    }
    if (k !== 0) {
      if (moveOnHit) {
        log[cells[(c + 2) & mask]! & logMask] = DEAD;
        cells[(c + 2) & mask] = head;
        log[head & logMask] = c;
        head = (head + 1) | 0;
      }
      continue;
    }
    if (size === full) {
      let i = log[tail & logMask]!;
      while (i === DEAD) {
        tail = (tail + 1) | 0;
        i = log[tail & logMask]!;
      }
      tail = (tail + 1) | 0;
      // the cell of the record PREFETCH_AHEAD on, a later victim if it is live (DEAD | 1 is in range too)
      sink ^= cells[(log[(tail + PREFETCH_AHEAD) & logMask]! | 1) & mask]!;
      // Empty cell i without breaking probe chains (backward shift, as KeyedStore's index): each
      // later cell of the chain whose home is not between i and itself moves back into the gap,
      // and its live log record follows it.
      for (let j = (i + CELL) & mask; cells[(j + 1) & mask] !== 0; j = (j + CELL) & mask) {
        const home = (cells[(j + 3) & mask]! << 2) & mask;
        if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
        const position = cells[(j + 2) & mask]!;
        cells[i] = cells[j]!;
        cells[(i + 1) & mask] = cells[(j + 1) & mask]!;
        cells[(i + 2) & mask] = position;
        cells[(i + 3) & mask] = cells[(j + 3) & mask]!;
        log[position & logMask] = i;
        i = j;
      }
      cells[(i + 1) & mask] = 0;
      // the deletion may have emptied a cell before the one the probe ended at
      c = (h << 2) & mask;
      while (cells[(c + 1) & mask] !== 0) c = (c + CELL) & mask;
    } else if (size === room) break;
    else size++;
    misses++;
    cells[c] = lo;
    cells[(c + 1) & mask] = hiPlus1;
    cells[(c + 2) & mask] = head;
    cells[(c + 3) & mask] = h;
    log[head & logMask] = c;
    head = (head + 1) | 0;
  }
  st[RunState.Head] = head;
  st[RunState.Tail] = tail;
  st[RunState.Size] = size;
  st[RunState.Misses] = misses;
  st[RunState.Sink] = sink;
  return r;
}
