/**
 * The bill of one request under provider prompt caching: hit tokens at the cache-read price,
 * newly written tokens at the write price of the TTL option, the rest of the input at the input
 * price, output at the output price (ModelPrice in src/config.ts; absent prices fall back there).
 */
import type { ModelPrice } from '../config.js';
import type { BillParts } from '../model/results.js';
import type { PromptCacheTtl } from './cache.js';

export type { BillParts };

export function newBillParts(): BillParts {
  return { inputUncached: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
}

/** USD per 1M written tokens for a TTL option; `unlimited` is priced as the longest TTL offered. */
export function writePrice(p: ModelPrice, ttl: PromptCacheTtl): number {
  const five = p.cacheWrite5mPerMTok ?? p.inputPerMTok;
  return ttl === '5m' ? five : (p.cacheWrite1hPerMTok ?? five);
}

/** Add one request to `into` (tokens; `hitTokens + writtenTokens <= inputTokens`). */
export function addRequestBill(
  into: BillParts,
  p: ModelPrice,
  ttl: PromptCacheTtl,
  inputTokens: number,
  hitTokens: number,
  writtenTokens: number,
  outputTokens: number,
): void {
  into.cacheRead += (hitTokens * p.cachedInputPerMTok) / 1e6;
  into.cacheWrite += (writtenTokens * writePrice(p, ttl)) / 1e6;
  into.inputUncached += ((inputTokens - hitTokens - writtenTokens) * p.inputPerMTok) / 1e6;
  into.output += (outputTokens * p.outputPerMTok) / 1e6;
}

export function billTotal(b: BillParts): number {
  return b.inputUncached + b.cacheWrite + b.cacheRead + b.output;
}
