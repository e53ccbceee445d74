/**
 * Dense ids for trace keys, in order of first appearance (0, 1, 2 …): `mrc`'s stack distances and
 * the recorded traces of OPT and the per-policy curves index typed arrays by them instead of
 * hashing, and the reader worker computes them on the other core (pipeline.ts). Insert-only open
 * addressing: 8 bytes per distinct key plus a table of 2–4 Int32 cells per key; nothing grows with
 * the trace length.
 */
import { hashKey } from '../tiers/store.js';
import type { RequestBatch, RequestReader } from './types.js';

/** Key (integer below 2^53) -> dense id. */
export class IdMap {
  /** Distinct keys seen = the next id. */
  size = 0;
  private keys = new Float64Array(1 << 12);
  private table = new Int32Array(1 << 13); // id + 1, 0 = empty
  private mask = (1 << 13) - 1;

  /** The id of `key`, assigning the next one on first sight. */
  id(key: number): number {
    const table = this.table;
    const mask = this.mask;
    let i = hashKey(key) & mask;
    for (let s = table[i]!; s !== 0; s = table[i]!) {
      if (this.keys[s - 1] === key) return s - 1;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    if (id === this.keys.length) {
      const k = new Float64Array(id * 2);
      k.set(this.keys);
      this.keys = k;
    }
    this.keys[id] = key;
    table[i] = id + 1;
    if (this.size * 2 > table.length) this.rehash();
    return id;
  }

  /** Key of each id (valid below `size`; replaced when the map grows). */
  get keyTable(): Float64Array {
    return this.keys;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.size; id++) {
      let i = hashKey(this.keys[id]!) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Fill `batch.id` from `batch.key`. */
export function assignIds(ids: IdMap, batch: RequestBatch): void {
  const keys = batch.key;
  const out = batch.id;
  for (let i = 0; i < batch.n; i++) out[i] = ids.id(keys[i]!);
}

/** A reader that also fills `batch.id` (in this thread). */
export function withIds(reader: RequestReader): RequestReader {
  const ids = new IdMap();
  return {
    get skipped() {
      return reader.skipped;
    },
    hasTime: reader.hasTime,
    hasSize: reader.hasSize,
    hasTtl: reader.hasTtl,
    get bytesRead() {
      return reader.bytesRead;
    },
    get totalBytes() {
      return reader.totalBytes;
    },
    async next(batch) {
      const more = await reader.next(batch);
      assignIds(ids, batch);
      return more;
    },
    close: () => reader.close(),
    withIds: true,
  };
}
