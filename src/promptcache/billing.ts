/**
 * The bill of one request under provider prompt caching: hit tokens at the cache-read price,
 * newly written tokens at the write price of the TTL option, the rest of the input at the input
 * price, output at the output price (ModelPrice in src/config.ts; absent prices fall back there).
 *
 * A bill bucket is summed request by request in a cell of a Float64Array: cell c holds, from
 * `BILL_CELL * c`, its four parts in TOKENS and its request count, so a run adds a request with a
 * few array writes. A bucket has one price (one model, one TTL option), so it is priced once, at
 * the end (`billParts`): token counts are integers, their sums exact, and a bill of millions of
 * requests carries no rounding error of per-request dollar amounts.
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
const REQUESTS = 4;
const BILL_CELL = 5;

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

/**
 * Add `requests` requests to the bucket in cell `c` of `sums` (tokens, summed over those requests;
 * `hitTokens + writtenTokens <= inputTokens`).
 */
export function addRequestBill(sums: Float64Array, c: number, inputTokens: number, hitTokens: number, writtenTokens: number, outputTokens: number, requests = 1): void {
  const at = BILL_CELL * c;
  sums[at + CACHE_READ]! += hitTokens;
  sums[at + CACHE_WRITE]! += writtenTokens;
  sums[at + INPUT_UNCACHED]! += inputTokens - hitTokens - writtenTokens;
  sums[at + OUTPUT]! += outputTokens;
  sums[at + REQUESTS]! += requests;
}

/**
 * `addRequestBill` of a request no token of which was read from or written to a prompt cache
 * (prompt caching off): the same sums, without adding the zero cache read and write.
 */
export function addUncachedBill(sums: Float64Array, c: number, inputTokens: number, outputTokens: number): void {
  const at = BILL_CELL * c;
  sums[at + INPUT_UNCACHED]! += inputTokens;
  sums[at + OUTPUT]! += outputTokens;
  sums[at + REQUESTS]!++;
}

/** The tokens summed in cell `c` of `sums`: every input token (uncached, written and read), output tokens, and the requests. */
export function billTokens(sums: Float64Array, c: number): { inputTokens: number; outputTokens: number; requests: number } {
  const at = BILL_CELL * c;
  return { inputTokens: sums[at + INPUT_UNCACHED]! + sums[at + CACHE_WRITE]! + sums[at + CACHE_READ]!, outputTokens: sums[at + OUTPUT]!, requests: sums[at + REQUESTS]! };
}

/** The parts of cell `c` of `sums` in USD, at prices `p`. */
export function billParts(sums: Float64Array, c: number, p: RequestPrices): BillParts {
  const at = BILL_CELL * c;
  return {
    inputUncached: (sums[at + INPUT_UNCACHED]! * p.inputPerMTok) / 1e6,
    cacheWrite: (sums[at + CACHE_WRITE]! * p.writePerMTok) / 1e6,
    cacheRead: (sums[at + CACHE_READ]! * p.cachedInputPerMTok) / 1e6,
    output: (sums[at + OUTPUT]! * p.outputPerMTok) / 1e6,
  };
}

export function billTotal(b: BillParts): number {
  return b.inputUncached + b.cacheWrite + b.cacheRead + b.output;
}
