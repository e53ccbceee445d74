/**
 * The frequency sketch of W-TinyLFU (Einziger et al., ACM ToS 2017): a counting Bloom filter
 * with minimal increment (only the counters equal to the current minimum grow), sized like a
 * Bloom filter for `entries` keys at a false-positive rate, and halved ("aged") on demand.
 *
 * Differs from libCacheSim's minimalIncrementCBF only in hashing: its k indexes come from
 * MurmurHash3 of the 8 id bytes, ours from double hashing (h1 + i·h2) of two 32-bit mixes of
 * the key, so estimates (and therefore some admission decisions) differ on collisions.
 */
export class FrequencySketch {
  private readonly counters: Uint32Array;
  private readonly hashes: number;
  private readonly width: number;
  private readonly idx: Int32Array;

  /** `entries`: keys the filter is sized for; `errorRate`: its false-positive rate. */
  constructor(entries: number, errorRate = 0.001) {
    const n = Math.max(1, Math.floor(entries));
    const ln2 = Math.LN2;
    this.width = Math.max(8, Math.ceil((-n * Math.log(errorRate)) / (ln2 * ln2)));
    this.hashes = Math.max(1, Math.ceil((this.width / n) * ln2));
    this.counters = new Uint32Array(this.width);
    this.idx = new Int32Array(this.hashes);
  }

  private locate(key: number): void {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h1 = Math.imul(lo ^ Math.imul(hi, 0xcc9e2d51), 0x1b873593);
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b) >>> 0;
    let h2 = Math.imul(hi ^ Math.imul(lo, 0x27d4eb2f), 0x165667b1);
    h2 ^= h2 >>> 15;
    h2 = (Math.imul(h2, 0xc2b2ae35) | 1) >>> 0;
    const w = this.width;
    for (let i = 0; i < this.hashes; i++) this.idx[i] = ((h1 + i * h2) >>> 0) % w;
  }

  /** Count one occurrence of `key` (minimal increment). */
  add(key: number): void {
    this.locate(key);
    const c = this.counters;
    let min = 0xffffffff;
    for (let i = 0; i < this.hashes; i++) min = Math.min(min, c[this.idx[i]!]!);
    if (min === 0xffffffff) return;
    for (let i = 0; i < this.hashes; i++) if (c[this.idx[i]!] === min) c[this.idx[i]!] = min + 1;
  }

  /** Estimated occurrences of `key` (never below the true count since the last ageing). */
  estimate(key: number): number {
    this.locate(key);
    let min = 0xffffffff;
    for (let i = 0; i < this.hashes; i++) min = Math.min(min, this.counters[this.idx[i]!]!);
    return min;
  }

  /** Halve every counter. */
  age(): void {
    const c = this.counters;
    for (let i = 0; i < c.length; i++) c[i] = c[i]! >>> 1;
  }
}
