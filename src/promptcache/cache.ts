/**
 * The provider's prompt cache, modelled from the trace (no provider is called): a prompt is a run
 * of blocks, each identified by an id that stands for the whole prefix up to the block's end
 * (Mooncake `hash_ids`, or ids derived from named segments by `segmentBlocks`).
 *
 * - hit = the longest run of leading blocks that are cached; a block stays cached while it is used
 *   within the TTL (each use refreshes it); hit tokens = min(block tokens × hit blocks, input tokens);
 * - a prefix shorter than the minimum is neither read nor written (a hit shorter than it counts as none);
 * - the blocks after the hit are written (written tokens), and every block of the prompt is refreshed;
 * - optional capacity in blocks, least recently used evicted first.
 *
 * Pure: time is the request's trace time (ms). One Map in use order holds the cached blocks, so
 * expired blocks are dropped from its front and memory follows the live set, not the trace.
 */

import type { PromptCacheTtl } from '../config/model.js';
/** TTL options (one list, in the scenario model): the provider's 5-minute and 1-hour caches, or no expiry at all. */
export { PROMPT_CACHE_TTLS, type PromptCacheTtl } from '../config/model.js';

export function ttlMsOf(ttl: PromptCacheTtl): number {
  return ttl === '5m' ? 300_000 : ttl === '1h' ? 3_600_000 : Number.POSITIVE_INFINITY;
}

export interface PromptCacheConfig {
  /** How long an unused block stays cached (ms); Infinity = never expires. */
  ttlMs: number;
  /** Shortest prefix that is cached or read (tokens). */
  minTokens: number;
  /** Most blocks held at once (LRU beyond it); null = unbounded. */
  capacityBlocks: number | null;
}

/** What the prompt cache did for one request (tokens and blocks). */
export interface PromptCacheOutcome {
  /** Blocks of the prompt's cacheable prefix. */
  blocks: number;
  /** Leading blocks found cached. */
  hitBlocks: number;
  /** Input tokens read from the cache. */
  hitTokens: number;
  /** Input tokens written to the cache by this request. */
  writtenTokens: number;
}

export function newOutcome(): PromptCacheOutcome {
  return { blocks: 0, hitBlocks: 0, hitTokens: 0, writtenTokens: 0 };
}

/**
 * Block id → time of last use (ms), open addressing over typed arrays: no allocation per block
 * and no boxing of the 53-bit ids. No deletion: `rebuild` keeps only the entries asked for.
 */
class BlockTable {
  private keys: Float64Array;
  private times: Float64Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    this.keys = new Float64Array(n);
    this.times = new Float64Array(n);
    this.used = new Uint8Array(n);
    this.mask = n - 1;
  }

  private slot(id: number): number {
    const lo = id >>> 0;
    const hi = Math.floor(id / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 16;
    let i = h & this.mask;
    while (this.used[i] === 1 && this.keys[i] !== id) i = (i + 1) & this.mask;
    return i;
  }

  /** Time of last use of `id`, or -1 when it is not held. */
  get(id: number): number {
    const i = this.slot(id);
    return this.used[i] === 1 ? this.times[i]! : -1;
  }

  set(id: number, t: number): void {
    const i = this.slot(id);
    if (this.used[i] === 0) {
      this.used[i] = 1;
      this.keys[i] = id;
      this.size++;
    }
    this.times[i] = t;
    if (this.size * 2 > this.mask) this.rebuild(Number.NEGATIVE_INFINITY);
  }

  /** Re-hash the entries used at or after `since` (ms) into a table with room to grow. */
  rebuild(since: number): void {
    const { keys, times, used } = this;
    let n = 1024;
    while (n < this.size * 4) n *= 2;
    const k2 = new Float64Array(n);
    const t2 = new Float64Array(n);
    const u2 = new Uint8Array(n);
    const mask = n - 1;
    let size = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 0 || times[i]! < since) continue;
      const id = keys[i]!;
      let h = Math.imul((id >>> 0) ^ Math.imul(Math.floor(id / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1);
      h ^= h >>> 16;
      let j = h & mask;
      while (u2[j] === 1) j = (j + 1) & mask;
      u2[j] = 1;
      k2[j] = id;
      t2[j] = times[i]!;
      size++;
    }
    this.keys = k2;
    this.times = t2;
    this.used = u2;
    this.mask = mask;
    this.size = size;
  }
}

export class PromptCache {
  /**
   * With a capacity: block id → time of last use in a Map whose iteration order is use order
   * (least recently used first). Without one: a BlockTable updated in place, whose expired
   * blocks are dropped each time it has doubled since the last sweep (memory ≤ 2 × the live set).
   */
  private readonly lruUse: Map<number, number> | null;
  private readonly table: BlockTable | null;
  private sweepAt = 4096;
  evictions = 0;

  constructor(readonly cfg: PromptCacheConfig) {
    this.lruUse = cfg.capacityBlocks !== null ? new Map() : null;
    this.table = cfg.capacityBlocks === null ? new BlockTable() : null;
  }

  /** Blocks held now (including expired ones not swept yet). */
  get size(): number {
    return this.lruUse?.size ?? this.table!.size;
  }

  /**
   * Serve one prompt at `now` (ms): `ids[0..n)` are its block ids, each block `blockTokens`
   * long (the last one may be partial), `inputTokens` the whole prompt, `minTokens` the shortest
   * cached prefix (default: the config's). Fills `out`.
   */
  serve(now: number, ids: ArrayLike<number>, n: number, blockTokens: number, inputTokens: number, out: PromptCacheOutcome, minTokens = this.cfg.minTokens): void {
    const cacheable = Math.min(n * blockTokens, inputTokens);
    out.blocks = n;
    out.hitBlocks = 0;
    out.hitTokens = 0;
    out.writtenTokens = 0;
    if (n === 0 || cacheable < minTokens) return;
    const ttl = this.cfg.ttlMs;
    const lru = this.lruUse;
    const table = this.table;
    let hit = 0;
    for (; hit < n; hit++) {
      const t = lru !== null ? (lru.get(ids[hit]!) ?? -1) : table!.get(ids[hit]!);
      if (t < 0 || now - t > ttl) break;
    }
    let hitTokens = Math.min(hit * blockTokens, inputTokens);
    if (hitTokens < minTokens) {
      hit = 0;
      hitTokens = 0;
    }
    out.hitBlocks = hit;
    out.hitTokens = hitTokens;
    out.writtenTokens = cacheable - hitTokens;
    if (lru !== null) {
      // Last block first, so a prompt's leading blocks are the most recently used and evicted last.
      for (let i = n - 1; i >= 0; i--) {
        lru.delete(ids[i]!);
        lru.set(ids[i]!, now);
      }
      this.evict(lru, now);
    } else {
      for (let i = 0; i < n; i++) table!.set(ids[i]!, now);
      if (table!.size >= this.sweepAt) {
        if (ttl !== Number.POSITIVE_INFINITY) table!.rebuild(now - ttl);
        this.sweepAt = Math.max(4096, 2 * table!.size);
      }
    }
  }

  /** Over capacity: drop expired blocks from the front (use order is time order), then the LRU ones. */
  private evict(lru: Map<number, number>, now: number): void {
    const cap = this.cfg.capacityBlocks!;
    const ttl = this.cfg.ttlMs;
    for (const [id, t] of lru) {
      if (lru.size <= cap && now - t <= ttl) break;
      lru.delete(id);
      if (now - t <= ttl) this.evictions++;
    }
  }
}
