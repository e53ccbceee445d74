/**
 * Prompt prefixes as block ids. A trace describes a prompt's prefix either as block ids (Mooncake
 * `hash_ids`: block i stands for the first (i+1) × blockTokens tokens) or as named segments, each
 * "the first `tokens` tokens of the content stream `id`" (a system prompt, a contact's growing
 * history, a unique new message). Segments become block ids here: the id of the block ending at
 * token E hashes every (segment id, covered length) up to E, so two prompts share a block exactly
 * when their first E tokens are the same content (docs/trace-format.md, "Prompt prefix").
 */

const TWO32 = 2 ** 32;

/** Fold (segment id, covered tokens) into a running 53-bit prefix hash. */
function mix(h: number, id: number, tokens: number): number {
  const hLo = h >>> 0;
  const hHi = Math.floor(h / TWO32) >>> 0;
  const lo = id >>> 0;
  const hi = Math.floor(id / TWO32) >>> 0;
  let a = Math.imul(hLo ^ lo, 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13) ^ hi, 0xc2b2ae35);
  a = Math.imul(a ^ (a >>> 16) ^ tokens, 0x27d4eb2d);
  a ^= a >>> 15;
  let b = Math.imul(hHi ^ hi ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(lo ^ tokens, 0x165667b1);
  b = Math.imul(b ^ (b >>> 13) ^ hLo, 0xc2b2ae35);
  b ^= b >>> 16;
  return (b & 0x1fffff) * TWO32 + (a >>> 0);
}

/**
 * Block ids of a segment prefix into `out` (negative, so they never equal a trace's own block ids);
 * returns the number of blocks. The prefix is cut at `inputTokens`; the last block may be partial.
 */
export function segmentBlocks(
  ids: ArrayLike<number>,
  tokens: ArrayLike<number>,
  nSeg: number,
  blockTokens: number,
  inputTokens: number,
  out: number[],
): number {
  let total = 0;
  for (let s = 0; s < nSeg; s++) total += tokens[s]!;
  total = Math.min(total, inputTokens);
  const n = Math.ceil(total / blockTokens);
  let h = 0; // hash of the segments wholly before segment s
  let start = 0; // first token of segment s
  let s = 0;
  for (let b = 0; b < n; b++) {
    const end = Math.min((b + 1) * blockTokens, total);
    // Fold in every segment that ends before this block does.
    while (start + tokens[s]! < end) {
      if (tokens[s]! > 0) h = mix(h, ids[s]!, tokens[s]!);
      start += tokens[s]!;
      s++;
    }
    out[b] = -1 - mix(h, ids[s]!, end - start);
  }
  return n;
}
