/**
 * Seeded synthetic key-request traces with Zipf popularity, for tests and the replay benchmark:
 * an in-memory RequestReader and an oracleGeneral file writer (with true next-access times).
 */
import { writeFileAtomic } from '../io/write.js';
import { Rng } from '../stats/random.js';
import { ORACLE_RECORD_BYTES, encodeOracleRecord } from './oracle.js';
import type { RequestBatch, RequestReader } from './types.js';

/** Zipf(alpha) ranks over `keys` keys by inverse CDF (binary search over a table). */
export class ZipfRanks {
  private readonly cdf: Float64Array;
  private readonly rng: Rng;
  constructor(keys: number, alpha: number, seed: number) {
    this.cdf = new Float64Array(keys);
    let sum = 0;
    for (let r = 0; r < keys; r++) this.cdf[r] = sum += 1 / Math.pow(r + 1, alpha);
    for (let r = 0; r < keys; r++) this.cdf[r]! /= sum;
    this.rng = new Rng(seed);
  }
  /** Next rank, 0 = most popular. */
  next(): number {
    const u = this.rng.next();
    const cdf = this.cdf;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A scattered, unique 52-bit object id for a rank (so popular ids are not 0, 1, 2 …). */
export function idForRank(rank: number): number {
  let x = (rank ^ 0x5bd1e995) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0; // a bijection on 32 bits: ids stay unique
  return (rank % 0xfffff) * 4294967296 + x;
}

/** Object size (bytes) of a rank: log-normal around ~2 KB, fixed per object. */
export function sizeForRank(rank: number): number {
  const u1 = ((Math.imul(rank + 1, 0x9e3779b1) >>> 0) + 0.5) / 4294967296;
  const u2 = ((Math.imul(rank + 7, 0x85ebca6b) >>> 0) + 0.5) / 4294967296;
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(16, Math.round(Math.exp(7.6 + z)));
}

/** Parameters of a synthetic Zipf trace. */
export interface ZipfTraceOptions {
  requests: number;
  keys: number;
  /** Zipf exponent (0.6–1.0 is typical of production key-value traces). */
  alpha: number;
  seed: number;
}

/** An in-memory RequestReader over a seeded Zipf trace (keys = idForRank, sizes = sizeForRank). */
export class ZipfReader implements RequestReader {
  readonly hasTime = true;
  readonly hasSize = true;
  readonly hasTtl = false;
  readonly skipped = 0;
  readonly totalBytes: number;
  private readonly ranks: ZipfRanks;
  private done = 0;
  constructor(private readonly o: ZipfTraceOptions) {
    this.ranks = new ZipfRanks(o.keys, o.alpha, o.seed);
    this.totalBytes = o.requests * ORACLE_RECORD_BYTES;
  }
  get bytesRead(): number {
    return this.done * ORACLE_RECORD_BYTES;
  }
  async next(batch: RequestBatch): Promise<boolean> {
    const n = Math.min(batch.key.length, this.o.requests - this.done);
    for (let i = 0; i < n; i++) {
      const r = this.ranks.next();
      batch.key[i] = idForRank(r);
      batch.size[i] = sizeForRank(r);
      batch.time[i] = this.done + i;
      batch.ttl[i] = 0;
    }
    this.done += n;
    batch.n = n;
    return n > 0;
  }
  async close(): Promise<void> {}
}

/** An in-memory RequestReader over given keys (and sizes), for tests. */
export class ArrayReader implements RequestReader {
  readonly hasTime = false;
  readonly hasSize: boolean;
  readonly hasTtl = false;
  readonly skipped = 0;
  readonly totalBytes: number;
  private pos = 0;
  constructor(
    private readonly keys: ArrayLike<number>,
    private readonly sizes?: ArrayLike<number>,
  ) {
    this.hasSize = sizes !== undefined;
    this.totalBytes = keys.length;
  }
  get bytesRead(): number {
    return this.pos;
  }
  async next(batch: RequestBatch): Promise<boolean> {
    const n = Math.min(batch.key.length, this.keys.length - this.pos);
    for (let i = 0; i < n; i++) {
      batch.key[i] = this.keys[this.pos + i]!;
      batch.size[i] = this.sizes ? this.sizes[this.pos + i]! : 1;
      batch.time[i] = this.pos + i;
      batch.ttl[i] = 0;
    }
    this.pos += n;
    batch.n = n;
    return n > 0;
  }
  async close(): Promise<void> {}
}

/**
 * Write a seeded Zipf trace as an oracleGeneral file (time = request index × 86400 / requests,
 * so a day; next access = index of the key's next request, -1 if none). Memory: 4 bytes per
 * request for the next-access pass. Written atomically (src/io/write.ts), replacing `file`.
 */
export async function writeOracleTrace(file: string, o: ZipfTraceOptions): Promise<void> {
  const ranks = new ZipfRanks(o.keys, o.alpha, o.seed);
  const seq = new Int32Array(o.requests);
  for (let i = 0; i < o.requests; i++) seq[i] = ranks.next();
  const nextOf = new Int32Array(o.requests);
  const lastSeen = new Int32Array(o.keys).fill(-1);
  for (let i = o.requests - 1; i >= 0; i--) {
    nextOf[i] = lastSeen[seq[i]!]!;
    lastSeen[seq[i]!] = i;
  }
  /** The file in pieces of 65,536 records, encoded into one reused buffer (each written before the next). */
  function* pieces(): Generator<Uint8Array> {
    const per = 1 << 16;
    const buf = Buffer.allocUnsafe(per * ORACLE_RECORD_BYTES);
    for (let start = 0; start < o.requests; start += per) {
      const n = Math.min(per, o.requests - start);
      for (let j = 0; j < n; j++) {
        const i = start + j;
        const r = seq[i]!;
        encodeOracleRecord(buf, j * ORACLE_RECORD_BYTES, Math.floor((i * 86400) / o.requests), idForRank(r), sizeForRank(r), nextOf[i]!);
      }
      yield buf.subarray(0, n * ORACLE_RECORD_BYTES);
    }
  }
  writeFileAtomic(file, pieces(), { overwrite: true });
}
