/**
 * libCacheSim's oracleGeneral binary trace: 24-byte little-endian records
 *   uint32 time (s) | uint64 object id | uint32 object size (bytes) | int64 next access (vtime, -1 = never)
 * decoded in big chunks (a ByteWindow over the shared byte source, plain or gzip) through a
 * Uint32Array view (no per-record allocation).
 *
 * Keys: ids below 2^53 are used exactly. An id at or above 2^53 cannot be a JS number, so its top
 * 11 bits are folded into the high word by XOR (`hi21 = (hi & 0x1fffff) ^ (hi >>> 21)`); two such
 * ids collide only if they agree on the low 32 bits and on the folded 21 bits. Counted in
 * `foldedIds` so a replay says when it happened.
 */
import { endianness } from 'node:os';
import { InputError } from '../errors.js';
import { ByteWindow, DEFAULT_CHUNK_BYTES, openBytes } from '../io/bytes.js';
import type { ReaderOptions, RequestBatch, RequestReader } from './types.js';

/** Bytes per oracleGeneral record. */
export const ORACLE_RECORD_BYTES = 24;
const WORDS = ORACLE_RECORD_BYTES / 4;
const TWO32 = 4294967296;
const LITTLE = endianness() === 'LE';

/** Fold a uint64 (hi, lo words) into an integer below 2^53; exact when the id is below 2^53. */
export function oracleKey(hi: number, lo: number): number {
  return ((hi & 0x1fffff) ^ (hi >>> 21)) * TWO32 + lo;
}

/** Encode one record into `buf` at `offset` (for writers and tests). `next` = -1 for never. */
export function encodeOracleRecord(
  buf: Buffer,
  offset: number,
  time: number,
  id: bigint | number,
  size: number,
  next: bigint | number,
): void {
  buf.writeUInt32LE(time >>> 0, offset);
  if (typeof id === 'number') {
    buf.writeUInt32LE(id % TWO32, offset + 4);
    buf.writeUInt32LE(Math.floor(id / TWO32), offset + 8);
  } else buf.writeBigUInt64LE(id, offset + 4);
  buf.writeUInt32LE(size >>> 0, offset + 12);
  if (typeof next === 'number' && next >= -1 && next < TWO32) {
    buf.writeInt32LE(next === -1 ? -1 : next | 0, offset + 16);
    buf.writeInt32LE(next === -1 ? -1 : 0, offset + 20);
  } else buf.writeBigInt64LE(BigInt(next), offset + 16);
}

export class OracleReader implements RequestReader {
  readonly hasTime = true;
  readonly hasSize = true;
  readonly hasTtl = false;
  skipped = 0;
  /** Records whose id was at or above 2^53 (folded, see the file comment). */
  foldedIds = 0;
  /** Unread records are `win.buf[win.start, win.end)`; `win.start` stays a multiple of 24 (aligned). */
  private readonly win: ByteWindow;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private closed = false;
  /** Index of the next record in the file. */
  private record = 0;

  constructor(
    private readonly file: string,
    private readonly opts: ReaderOptions = {},
  ) {
    const chunk = Math.max(ORACLE_RECORD_BYTES, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    const bytes = (Math.ceil(chunk / ORACLE_RECORD_BYTES) + 1) * ORACLE_RECORD_BYTES;
    this.win = new ByteWindow(openBytes(file), bytes);
    // The window's buffer owns its ArrayBuffer at offset 0, so the word views are aligned.
    const buf = this.win.buf;
    this.u32 = new Uint32Array(buf.buffer, buf.byteOffset, bytes / 4);
    this.i32 = new Int32Array(buf.buffer, buf.byteOffset, bytes / 4);
  }

  get bytesRead(): number {
    return this.win.src.bytesRead;
  }
  get totalBytes(): number {
    return this.win.src.totalBytes;
  }

  async next(batch: RequestBatch): Promise<boolean> {
    try {
      return this.fill(batch);
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.win.close();
  }

  private fill(batch: RequestBatch): boolean {
    batch.n = 0;
    const cap = batch.key.length;
    const win = this.win;
    while (batch.n < cap) {
      const avail = win.end - win.start;
      if (avail < ORACLE_RECORD_BYTES) {
        if (win.eof) {
          if (avail > 0) this.truncated(avail);
          break;
        }
        win.refill();
        continue;
      }
      const count = Math.min((avail / ORACLE_RECORD_BYTES) | 0, cap - batch.n);
      if (LITTLE) this.decodeLE(batch, count);
      else this.decodePortable(batch, count);
    }
    if (batch.n === 0) void this.close();
    return batch.n > 0;
  }

  /**
   * Little-endian records through the word views. With `keysOnly` the object ids alone, in a loop
   * of their own: skipping the time and size words there saves more than a branch per record.
   */
  private decodeLE(batch: RequestBatch, count: number): void {
    const u32 = this.u32;
    const keys = batch.key;
    let n = batch.n;
    let w = this.win.start >>> 2;
    if (this.opts.keysOnly === true) {
      n = this.decodeKeys(keys, n, w, count);
    } else {
      const sizes = batch.size;
      const times = batch.time;
      for (let r = 0; r < count; r++, w += WORDS) {
        if (!this.validNext(w)) continue;
        keys[n] = this.key(w);
        times[n] = u32[w]!;
        sizes[n] = u32[w + 3]!;
        n++;
      }
    }
    batch.n = n;
    this.record += count;
    this.win.start += count * ORACLE_RECORD_BYTES;
  }

  /**
   * The ids of `count` records from word `w` into `keys` from `n`; returns the new `n`. Runs of
   * common records go through `decodeCommonIds`, any other record through `validNext` and `key`.
   */
  private decodeKeys(keys: Float64Array, n: number, w: number, count: number): number {
    const end = w + count * WORDS;
    while (w < end) {
      const stop = decodeCommonIds(this.u32, this.i32, keys, n, w, end);
      n += (stop - w) / WORDS;
      w = stop;
      if (w < end) {
        if (this.validNext(w)) keys[n++] = this.key(w);
        w += WORDS;
      }
    }
    return n;
  }

  /** Whether the record at word `w` has a valid next access (-1 or >= 0); an invalid one is reported. */
  private validNext(w: number): boolean {
    const nextHi = this.i32[w + 5]!;
    if (nextHi >= 0 || (nextHi === -1 && this.u32[w + 4] === 0xffffffff)) return true;
    this.invalid(w * 4, 'next_access', `negative value other than -1 (${this.win.buf.readBigInt64LE(w * 4 + 16)})`);
    return false;
  }

  /** The key of the record at word `w` (an id at or above 2^53 folded and counted). */
  private key(w: number): number {
    const hi = this.u32[w + 2]!;
    if (hi >= 0x200000) this.foldedIds++;
    return oracleKey(hi, this.u32[w + 1]!);
  }

  private decodePortable(batch: RequestBatch, count: number): void {
    const buf = this.win.buf;
    let n = batch.n;
    for (let r = 0, o = this.win.start; r < count; r++, o += ORACLE_RECORD_BYTES) {
      const next = buf.readBigInt64LE(o + 16);
      if (next < -1n) {
        this.invalid(o, 'next_access', `negative value other than -1 (${next})`);
        continue;
      }
      const hi = buf.readUInt32LE(o + 8);
      if (hi >= 0x200000) this.foldedIds++;
      batch.key[n] = oracleKey(hi, buf.readUInt32LE(o + 4));
      batch.time[n] = buf.readUInt32LE(o);
      batch.size[n] = buf.readUInt32LE(o + 12);
      n++;
    }
    batch.n = n;
    this.record += count;
    this.win.start += count * ORACLE_RECORD_BYTES;
  }

  /** `bufOffset`: offset of the record in the buffer. */
  private invalid(bufOffset: number, field: string, problem: string): void {
    const index = this.record + (bufOffset - this.win.start) / ORACLE_RECORD_BYTES;
    if (this.opts.skipInvalid) {
      this.skipped++;
      return;
    }
    throw new InputError(
      `${this.file}: record ${index} (byte offset ${index * ORACLE_RECORD_BYTES}): field ${field}: ${problem}`,
    );
  }

  private truncated(avail: number): void {
    this.win.start = this.win.end;
    if (this.opts.skipInvalid) {
      this.skipped++;
      return;
    }
    throw new InputError(
      `${this.file}: record ${this.record} (byte offset ${this.record * ORACLE_RECORD_BYTES}): ` +
        `truncated record: ${avail} of ${ORACLE_RECORD_BYTES} bytes at the end of the file`,
    );
  }
}

/**
 * The ids of the records from word `w` up to word `end` into `keys` from `n`, up to the first record
 * that is not common (a valid next access and an id below 2^53, so not folded); returns the word
 * that record starts at, or `end`. A function of its arguments alone with the constants written
 * out: the optimized loop then loads no `this` field and checks no module binding per record.
 */
function decodeCommonIds(u32: Uint32Array, i32: Int32Array, keys: Float64Array, n: number, w: number, end: number): number {
  for (; w < end; w += 6) {
    const hi = u32[w + 2]!;
    const nextHi = i32[w + 5]!;
    if (!(hi < 0x200000 && (nextHi >= 0 || (nextHi === -1 && i32[w + 4] === -1)))) break;
    keys[n++] = hi * 4294967296 + u32[w + 1]!;
  }
  return w;
}
