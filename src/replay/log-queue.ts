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
 *
 * The index, the log and the batch's keys live in one ArrayBuffer, the heap of an asm.js module
 * (`logQueueLoop`) that runs the requests: V8 compiles a valid asm.js module to WebAssembly, whose
 * heap accesses carry none of the checks an optimized loop over typed arrays makes at every access
 * (docs/architecture.md, "Measurement").
 */

/** Bytes a cell: the key + 1 as a double (0 = empty cell), the log position, the hash. */
const CELL_BYTES = 16;
/** A dead log record. */
const DEAD = -1;
/** Entries the index is first sized for when the capacity is larger (it doubles up to the capacity). */
const FIRST_ROOM = 1 << 22;
/** Keys copied into the heap and run at a time. */
const CHUNK = 8192;
/**
 * Requests ahead whose home cell the loop loads early (and each eviction loads the next victim's
 * cell): the index and log do not fit the core's own caches, and a load issued that far ahead
 * overlaps the misses of several requests (docs/policies.md, "Speed").
 */
const READ_AHEAD = 8;
/** Heap bytes after the index and the log: the chunk's keys and hashes (read ahead past the end), and `run`'s state words. */
const TAIL_BYTES = 8 * CHUNK + 4 * (CHUNK + READ_AHEAD) + 64;
/** Largest room whose heap stays below 2 GiB, the most an asm.js heap can address (signed byte offsets). */
const MAX_ROOM = 1 << 25;

function nextPow2(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/** The heap layout for `room` entries: index and log sizes (bytes, powers of 2) and the heap's length. */
function layoutFor(room: number): { cellBytes: number; logBytes: number; heapBytes: number } {
  const cellBytes = CELL_BYTES * nextPow2(2 * room);
  const logBytes = 4 * nextPow2(4 * room);
  const used = cellBytes + logBytes + TAIL_BYTES;
  // an asm.js heap is a power of 2 (at least 4 KiB), or a multiple of 16 MiB
  const heapBytes = used <= 1 << 24 ? nextPow2(used) : Math.ceil(used / (1 << 24)) * (1 << 24);
  return { cellBytes, logBytes, heapBytes };
}

/** The queue disciplines this cache runs (KeyedStore runs every policy). */
export type LogQueuePolicy = 'lru' | 'fifo';

export class LogQueueCache {
  /** Largest capacity this cache takes (its heap must stay below 2 GiB); replay runs larger ones on the store. */
  static readonly MAX_CAPACITY = MAX_ROOM;
  /** Entries held at most (each weighs 1). */
  readonly capacity: number;
  readonly policy: LogQueuePolicy;
  /** Entries held now. */
  size = 0;
  private readonly moveOnHit: number;
  /** Entries the index and log are sized for now (grows by doubling up to `capacity`). */
  private room: number;
  /** Log positions (int32, wrapping at 2^32): records live in [tail, head). */
  private head: number;
  private tail: number;
  private heap: Heap;

  /**
   * `capacity`: entries (a positive integer up to MAX_CAPACITY). `firstRoom` and `firstPosition` are
   * for tests: the entries the index starts sized for (it grows), and the first log position
   * (positions wrap).
   */
  constructor(capacity: number, policy: LogQueuePolicy, firstRoom = FIRST_ROOM, firstPosition = 0) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 1)) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    if (capacity > MAX_ROOM) throw new RangeError(`capacity must be at most ${MAX_ROOM}, got ${capacity}`);
    this.capacity = capacity;
    this.policy = policy;
    this.moveOnHit = policy === 'lru' ? 1 : 0;
    this.room = Math.min(capacity, Math.max(1, firstRoom));
    this.heap = newHeap(this.room);
    this.head = this.tail = firstPosition | 0;
  }

  /** Requests for `keys[0, n)` (integers below 2^53), in order; returns the misses. */
  accessMany(keys: Float64Array, n: number): number {
    let misses = 0;
    for (let at = 0; at < n; ) {
      const m = Math.min(CHUNK, n - at);
      let h = this.heap;
      h.f64.set(keys.subarray(at, at + m), h.keys >> 3);
      for (let from = 0; ; ) {
        const i32 = h.i32;
        const st = h.state >> 2;
        i32[st] = this.head;
        i32[st + 1] = this.tail;
        i32[st + 2] = this.size;
        i32[st + 4] = this.capacity;
        i32[st + 5] = this.room;
        i32[st + 6] = this.moveOnHit;
        const stop = h.run(from, m, h.cellBytes - 1, h.log, h.logBytes - 1, h.logBytes >> 2, h.keys, h.hashes, h.state);
        this.head = i32[st]!;
        this.tail = i32[st + 1]!;
        this.size = i32[st + 2]!;
        misses += i32[st + 3]!;
        if (stop === m) break;
        // a miss needs an entry beyond the room: grow, and go on from that request
        this.grow();
        h = this.heap;
        h.f64.set(keys.subarray(at, at + m), h.keys >> 3);
        from = stop;
      }
      at += m;
    }
    return misses;
  }

  /** Double the room (up to the capacity): re-index the live entries oldest first into a fresh, compact log. */
  private grow(): void {
    const old = this.heap;
    const oldLogMask = old.logBytes - 1;
    this.room = Math.min(this.capacity, 2 * this.room);
    const h = newHeap(this.room);
    const cellMask = h.cellBytes - 1;
    let w = 0;
    for (let p = this.tail; p !== this.head; p = (p + 1) | 0) {
      const o = old.i32[(old.log + ((p << 2) & oldLogMask)) >> 2]!;
      if (o === DEAD) continue;
      const hash = old.i32[(o + 12) >> 2]!;
      let c = (hash << 4) & cellMask;
      while (h.f64[c >> 3] !== 0) c = (c + CELL_BYTES) & cellMask;
      h.f64[c >> 3] = old.f64[o >> 3]!;
      h.i32[(c + 8) >> 2] = w;
      h.i32[(c + 12) >> 2] = hash;
      h.i32[(h.log + 4 * w) >> 2] = c;
      w++;
    }
    this.heap = h;
    this.tail = 0;
    this.head = w;
  }

  /** Keys held, most recently used (LRU) or newest (FIFO) first, as KeyedStore.keys(). For tests. */
  keys(): number[] {
    const h = this.heap;
    const out: number[] = [];
    for (let p = this.head; p !== this.tail; ) {
      p = (p - 1) | 0;
      const c = h.i32[(h.log + ((p << 2) & (h.logBytes - 1))) >> 2]!;
      if (c !== DEAD) out.push(h.f64[c >> 3]! - 1);
    }
    return out;
  }
}

/** A heap and the loop linked to it. Offsets are in bytes; the index starts at 0. */
interface Heap {
  i32: Int32Array;
  f64: Float64Array;
  cellBytes: number;
  /** The log ring's offset and length. */
  log: number;
  logBytes: number;
  /** The chunk's keys (doubles) and their hashes (int32). */
  keys: number;
  hashes: number;
  /** `run`'s state words (see `run`). */
  state: number;
  run: RunLoop;
}

function newHeap(room: number): Heap {
  const { cellBytes, logBytes, heapBytes } = layoutFor(room);
  const buffer = new ArrayBuffer(heapBytes);
  const log = cellBytes;
  const keys = log + logBytes;
  const hashes = keys + 8 * CHUNK;
  const state = hashes + 4 * (CHUNK + READ_AHEAD);
  const { run } = logQueueLoop(globalThis, { readAhead: READ_AHEAD }, buffer);
  return { i32: new Int32Array(buffer), f64: new Float64Array(buffer), cellBytes, log, logBytes, keys, hashes, state, run };
}

/** `logQueueLoop`'s `run`. */
type RunLoop = ReturnType<typeof logQueueLoop>['run'];

/**
 * LogQueueCache's loop, an asm.js module over one heap (docs/architecture.md, "Measurement"): the
 * `x | 0` and `+x` say each value's type, as asm.js requires, and every heap access is a view
 * indexed by a byte offset shifted right by the element size; a double literal is written with
 * its `.0`, and there is no `&&` or `||`. Code asm.js does not validate still runs, as plain
 * JavaScript with the same results but slower, and V8 prints a warning: the test of this file
 * checks that the compiled module validates and links. The index cell at offset c holds the
 * key + 1 (double at c; 0 = empty), the log position of its live record (c + 8) and its hash
 * (c + 12); a log record holds its cell's offset, or DEAD (-1).
 */
export function logQueueLoop(stdlib: typeof globalThis, foreign: { readAhead: number }, heap: ArrayBuffer) {
  'use asm';
  var readAhead = foreign.readAhead | 0;
  var imul = stdlib.Math.imul;
  var H32 = new stdlib.Int32Array(heap);
  var F64 = new stdlib.Float64Array(heap);

  /**
   * Requests `from` … up to `n` of the chunk at `keys`; stops early (returning the request's index,
   * not yet served) when a miss needs an entry beyond `room`. `state`, int32 words: head, tail
   * and size in and out (0-2), the misses out (3), the capacity, the room and whether a hit moves
   * the entry (LRU) in (4-6), what the read-ahead loads read out (7).
   */
  function run(
    from: number,
    n: number,
    cellMask: number,
    log: number,
    logMask: number,
    logLength: number,
    keys: number,
    hashes: number,
    state: number,
  ): number {
    from = from | 0;
    n = n | 0;
    cellMask = cellMask | 0;
    log = log | 0;
    logMask = logMask | 0;
    logLength = logLength | 0;
    keys = keys | 0;
    hashes = hashes | 0;
    state = state | 0;
    var head = 0;
    var tail = 0;
    var size = 0;
    var misses = 0;
    var r = 0;
    var key = 0.0;
    var k = 0.0;
    var h = 0;
    var c = 0;
    var i = 0;
    var j = 0;
    var p = 0;
    var w = 0;
    var home = 0;
    var position = 0;
    var sink = 0;
    var full = 0;
    var room = 0;
    var moveOnHit = 0;
    head = H32[state >> 2] | 0;
    tail = H32[(state + 4) >> 2] | 0;
    size = H32[(state + 8) >> 2] | 0;
    full = H32[(state + 16) >> 2] | 0;
    room = H32[(state + 20) >> 2] | 0;
    moveOnHit = H32[(state + 24) >> 2] | 0;
    // the keys' hashes (the index's home cells), from the key's two 32-bit words
    for (r = from; (r | 0) < (n | 0); r = (r + 1) | 0) {
      key = +F64[(keys + (r << 3)) >> 3];
      h = imul(~~key ^ imul(~~(key * 2.3283064365386963e-10), -2048144789), -1640531535);
      h = h ^ (h >>> 15);
      H32[(hashes + (r << 2)) >> 2] = imul(h, 739982445);
    }
    for (r = from; (r | 0) < (n | 0); r = (r + 1) | 0) {
      key = +F64[(keys + (r << 3)) >> 3] + 1.0;
      h = H32[(hashes + (r << 2)) >> 2] | 0;
      // the home cell of the request readAhead on (past n: a stale hash, a harmless load)
      sink = sink ^ H32[((H32[(hashes + ((r + readAhead) << 2)) >> 2] << 4) & cellMask) >> 2];
      if (((head - tail) | 0) == (logLength | 0)) {
        // only LRU gets here (a FIFO log holds only live records): keep the live ones, in order
        w = tail;
        for (p = tail; (p | 0) != (head | 0); p = (p + 1) | 0) {
          c = H32[(log + ((p << 2) & logMask)) >> 2] | 0;
          if ((c | 0) == -1) continue;
          H32[(log + ((w << 2) & logMask)) >> 2] = c;
          H32[(c + 8) >> 2] = w;
          w = (w + 1) | 0;
        }
        head = w;
      }
      c = (h << 4) & cellMask;
      k = +F64[c >> 3];
      while (k != 0.0) {
        if (k == key) break;
        c = (c + 16) & cellMask;
        k = +F64[c >> 3];
      }
      if (k != 0.0) {
        if (moveOnHit) {
          H32[(log + ((H32[(c + 8) >> 2] << 2) & logMask)) >> 2] = -1;
          H32[(c + 8) >> 2] = head;
          H32[(log + ((head << 2) & logMask)) >> 2] = c;
          head = (head + 1) | 0;
        }
        continue;
      }
      if ((size | 0) == (full | 0)) {
        i = H32[(log + ((tail << 2) & logMask)) >> 2] | 0;
        while ((i | 0) == -1) {
          tail = (tail + 1) | 0;
          i = H32[(log + ((tail << 2) & logMask)) >> 2] | 0;
        }
        tail = (tail + 1) | 0;
        // pop the dead records after the victim too, and load the cell of the live record that
        // follows, the next victim unless it is hit before
        while ((tail | 0) != (head | 0)) {
          j = H32[(log + ((tail << 2) & logMask)) >> 2] | 0;
          if ((j | 0) != -1) {
            sink = sink ^ H32[(j + 8) >> 2];
            break;
          }
          tail = (tail + 1) | 0;
        }
        // Empty cell i without breaking probe chains (backward shift, as KeyedStore's index): each
        // later cell of the chain whose home is not between i and itself moves back into the gap,
        // and its live log record follows it.
        for (j = (i + 16) & cellMask; +F64[j >> 3] != 0.0; j = (j + 16) & cellMask) {
          home = (H32[(j + 12) >> 2] << 4) & cellMask;
          if ((i | 0) <= (j | 0)) {
            if ((i | 0) < (home | 0)) if ((home | 0) <= (j | 0)) continue;
          } else {
            if ((i | 0) < (home | 0)) continue;
            if ((home | 0) <= (j | 0)) continue;
          }
          position = H32[(j + 8) >> 2] | 0;
          F64[i >> 3] = +F64[j >> 3];
          H32[(i + 8) >> 2] = position;
          H32[(i + 12) >> 2] = H32[(j + 12) >> 2] | 0;
          H32[(log + ((position << 2) & logMask)) >> 2] = i;
          i = j;
        }
        F64[i >> 3] = 0.0;
        // the deletion may have emptied a cell before the one the probe ended at
        c = (h << 4) & cellMask;
        while (+F64[c >> 3] != 0.0) c = (c + 16) & cellMask;
      } else if ((size | 0) == (room | 0)) break;
      else size = (size + 1) | 0;
      misses = (misses + 1) | 0;
      F64[c >> 3] = key;
      H32[(c + 8) >> 2] = head;
      H32[(c + 12) >> 2] = h;
      H32[(log + ((head << 2) & logMask)) >> 2] = c;
      head = (head + 1) | 0;
    }
    H32[state >> 2] = head;
    H32[(state + 4) >> 2] = tail;
    H32[(state + 8) >> 2] = size;
    H32[(state + 12) >> 2] = misses;
    // what the read-ahead loads read (kept so the compiler cannot drop them)
    H32[(state + 28) >> 2] = sink;
    return r | 0;
  }

  return { run: run };
}
