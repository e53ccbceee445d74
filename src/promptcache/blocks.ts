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
  out: number[] | Float64Array,
): number {
  const total = cutTotal(tokens, nSeg, inputTokens);
  const n = Math.ceil(total / blockTokens);
  blockRange(ids, tokens, blockTokens, total, 0, n, out);
  return n;
}

/** Tokens of the prefix: its segments, cut at the input. */
function cutTotal(tokens: ArrayLike<number>, nSeg: number, inputTokens: number): number {
  let total = 0;
  for (let s = 0; s < nSeg; s++) total += tokens[s]!;
  return Math.min(total, inputTokens);
}

/** Ids of blocks `from` ≤ b < `to` of a prefix of `total` tokens into `out[b]`. */
function blockRange(ids: ArrayLike<number>, tokens: ArrayLike<number>, blockTokens: number, total: number, from: number, to: number, out: number[] | Float64Array): void {
  let h = 0; // hash of the segments wholly before segment s
  let start = 0; // first token of segment s
  let s = 0;
  for (let b = from; b < to; b++) {
    const end = Math.min((b + 1) * blockTokens, total);
    // Fold in every segment that ends before this block does.
    while (start + tokens[s]! < end) {
      if (tokens[s]! > 0) h = mix(h, ids[s]!, tokens[s]!);
      start += tokens[s]!;
      s++;
    }
    out[b] = -1 - mix(h, ids[s]!, end - start);
  }
}

/** Chains remembered at once (direct-mapped: a chain whose slot is taken is recomputed). */
const CHAIN_SLOTS = 1 << 14;

/**
 * `segmentBlocks` for a stream of prompts that grow: a contact's prompt is its op's system
 * prompt, its history so far and a new message; the history only grows, so the blocks up to the
 * end of the history are the previous prompt's plus a few. The blocks that end within every
 * segment but the last (the "chain": its content is the segments' ids and every length but the
 * last one's) are kept per chain, and only new ones are hashed. Same ids as `segmentBlocks`.
 */
export class SegmentBlocker {
  private readonly keys = new Float64Array(CHAIN_SLOTS).fill(Number.NaN);
  /** Per slot: block ids of the chain known so far, and how many. */
  private readonly known: (Float64Array | undefined)[] = [];
  private readonly count = new Int32Array(CHAIN_SLOTS);

  constructor(readonly blockTokens: number) {}

  /** Block ids of a segment prefix into `out`; returns their number (see `segmentBlocks`). */
  blocks(ids: ArrayLike<number>, tokens: ArrayLike<number>, nSeg: number, inputTokens: number, out: number[]): number {
    const bt = this.blockTokens;
    const total = cutTotal(tokens, nSeg, inputTokens);
    const n = Math.ceil(total / bt);
    if (nSeg < 2 || n === 0) {
      blockRange(ids, tokens, bt, total, 0, n, out);
      return n;
    }
    // The chain: segments before the growing one, folded, and the growing one's id.
    let h = 0;
    let start = 0;
    for (let s = 0; s < nSeg - 2; s++) {
      if (tokens[s]! > 0) h = mix(h, ids[s]!, tokens[s]!);
      start += tokens[s]!;
    }
    const key = mix(h, ids[nSeg - 2]!, 0);
    // Whole blocks that end within the chain: their ids are the chain's, whatever follows.
    const m = Math.floor(Math.min(start + tokens[nSeg - 2]!, total) / bt);
    const slot = (key >>> 0) & (CHAIN_SLOTS - 1);
    let known = this.known[slot];
    if (this.keys[slot] !== key) {
      this.keys[slot] = key;
      this.count[slot] = 0;
    }
    const have = this.count[slot]!;
    if (have < m) {
      if (known === undefined || known.length < m) {
        const grown = new Float64Array(Math.max(16, 2 * m));
        if (known !== undefined) grown.set(known.subarray(0, have));
        known = this.known[slot] = grown;
      }
      blockRange(ids, tokens, bt, total, have, m, known);
      this.count[slot] = m;
    }
    for (let b = 0; b < m; b++) out[b] = known![b]!;
    blockRange(ids, tokens, bt, total, m, n, out);
    return n;
  }
}
