/**
 * The bill of one request under provider prompt caching: hit tokens at the cache-read price,
 * newly written tokens at the write price of the TTL option, the rest of the input at the input
 * price, output at the output price (ModelPrice in src/config.ts; absent prices fall back there).
 *
 * A bill bucket is summed request by request in a cell of a Float64Array: cell c holds its four
 * parts (USD) from `BILL_CELL * c`, so a run adds a request with a few array writes.
 */
import type { ModelPrice } from '../config.js';
import type { BillParts } from '../model/results.js';
import type { PromptCacheTtl } from './cache.js';

export type { BillParts };

/**
 * Offsets of a bucket's parts in its cell, and the cell's size (Float64Array elements). Private:
 * the optimizing compiler folds a module's private constants, an exported one it loads and checks.
 */
const INPUT_UNCACHED = 0;
const CACHE_WRITE = 1;
const CACHE_READ = 2;
const OUTPUT = 3;
const BILL_CELL = 4;

/** The prices a request is billed at (USD per 1M tokens), the write price that of the run's TTL option (`writePrice`). */
export interface RequestPrices {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok: number;
  writePerMTok: number;
}

export function newBillParts(): BillParts {
  return { inputUncached: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
}

/** USD per 1M written tokens for a TTL option; `unlimited` is priced as the longest TTL offered. */
export function writePrice(p: ModelPrice, ttl: PromptCacheTtl): number {
  const five = p.cacheWrite5mPerMTok ?? p.inputPerMTok;
  return ttl === '5m' ? five : (p.cacheWrite1hPerMTok ?? five);
}

/** Zeroed sums for `cells` buckets. */
export function newBillSums(cells: number): Float64Array {
  return new Float64Array(BILL_CELL * cells);
}

/** `sums` when it holds cell `c`, else a copy twice its size (cells are added one at a time). */
export function withCell(sums: Float64Array, c: number): Float64Array {
  if (BILL_CELL * (c + 1) <= sums.length) return sums;
  const grown = new Float64Array(2 * sums.length);
  grown.set(sums);
  return grown;
}

/** Add one request to the bucket in cell `c` of `sums` (tokens; `hitTokens + writtenTokens <= inputTokens`). */
export function addRequestBill(
  sums: Float64Array,
  c: number,
  p: RequestPrices,
  inputTokens: number,
  hitTokens: number,
  writtenTokens: number,
  outputTokens: number,
): void {
  sums[BILL_CELL * c + CACHE_READ]! += (hitTokens * p.cachedInputPerMTok) / 1e6;
  sums[BILL_CELL * c + CACHE_WRITE]! += (writtenTokens * p.writePerMTok) / 1e6;
  addUncachedBill(sums, c, p.inputPerMTok, p.outputPerMTok, inputTokens - hitTokens - writtenTokens, outputTokens);
}

/**
 * `addRequestBill` of a request no token of which was read from or written to a prompt cache
 * (prompt caching off): the same sums, without adding the zero cache read and write.
 */
export function addUncachedBill(sums: Float64Array, c: number, inputPerMTok: number, outputPerMTok: number, inputTokens: number, outputTokens: number): void {
  sums[BILL_CELL * c + INPUT_UNCACHED]! += (inputTokens * inputPerMTok) / 1e6;
  sums[BILL_CELL * c + OUTPUT]! += (outputTokens * outputPerMTok) / 1e6;
}

/** The parts summed in cell `c` of `sums`. */
export function billParts(sums: Float64Array, c: number): BillParts {
  const at = BILL_CELL * c;
  return { inputUncached: sums[at + INPUT_UNCACHED]!, cacheWrite: sums[at + CACHE_WRITE]!, cacheRead: sums[at + CACHE_READ]!, output: sums[at + OUTPUT]! };
}

export function billTotal(b: BillParts): number {
  return b.inputUncached + b.cacheWrite + b.cacheRead + b.output;
}
