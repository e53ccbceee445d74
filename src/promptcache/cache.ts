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
 * and no boxing of the 53-bit ids. No deletion: an insert takes the first expired slot on its
 * probe path (the path is walked to its end first, so no id is held twice, and a later lookup of
 * the expired id finds nothing, which is what expired means). Only when the table is half full is
 * it rebuilt with the unexpired entries, at most an eighth full; it never shrinks, so a rebuild
 * swaps two sets of arrays instead of allocating.
 */
class BlockTable {
  private keys: Float64Array;
  private times: Float64Array;
  private used: Uint8Array;
  private mask: number;
  /** The previous arrays, reused by a rebuild that keeps the size. */
  private spare: { keys: Float64Array; times: Float64Array; used: Uint8Array } | null = null;
  /** Slots in use (unexpired or not). */
  size = 0;

  constructor() {
    this.keys = new Float64Array(MIN_SLOTS);
    this.times = new Float64Array(MIN_SLOTS);
    this.used = new Uint8Array(MIN_SLOTS);
    this.mask = MIN_SLOTS - 1;
  }

  /**
   * Mark `id` used at `t`: returns its previous time of last use, or -1 when it was not held (it
   * is inserted). Entries last used before `since` (ms) are expired: their slots may be reused.
   * One probe serves both the read and the refresh.
   */
  touch(id: number, t: number, since: number): number {
    const mask = this.mask;
    const keys = this.keys;
    const used = this.used;
    const times = this.times;
    let i = slotOf(id, mask);
    let expired = -1;
    while (used[i] === 1) {
      if (keys[i] === id) {
        const prev = times[i]!;
        times[i] = t;
        return prev;
      }
      if (expired < 0 && times[i]! < since) expired = i;
      i = (i + 1) & mask;
    }
    if (expired >= 0) i = expired;
    else {
      used[i] = 1;
      this.size++;
    }
    keys[i] = id;
    times[i] = t;
    if (this.size * 2 > mask) this.rebuild(since);
    return -1;
  }

  /** Re-hash the entries used at or after `since` (ms) into a table at most an eighth full. */
  private rebuild(since: number): void {
    const { keys, times, used } = this;
    let live = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1 && times[i]! >= since) live++;
    let n = used.length;
    while (n < live * 8) n *= 2;
    const sp = this.spare;
    let k2: Float64Array;
    let t2: Float64Array;
    let u2: Uint8Array;
    if (sp !== null && sp.used.length === n) {
      k2 = sp.keys;
      t2 = sp.times;
      u2 = sp.used;
      u2.fill(0);
    } else {
      k2 = new Float64Array(n);
      t2 = new Float64Array(n);
      u2 = new Uint8Array(n);
    }
    const mask = n - 1;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 0 || times[i]! < since) continue;
      const id = keys[i]!;
      let j = slotOf(id, mask);
      while (u2[j] === 1) j = (j + 1) & mask;
      u2[j] = 1;
      k2[j] = id;
      t2[j] = times[i]!;
    }
    this.spare = { keys, times, used };
    this.keys = k2;
    this.times = t2;
    this.used = u2;
    this.mask = mask;
    this.size = live;
  }
}

const MIN_SLOTS = 1024;

/** Home slot of a 53-bit id in a table of `mask + 1` slots. */
function slotOf(id: number, mask: number): number {
  const hi = Math.floor(id / 4294967296) | 0;
  let h = Math.imul((id >>> 0) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 16;
  return h & mask;
}

export class PromptCache {
  /**
   * With a capacity: block id → time of last use in a Map whose iteration order is use order
   * (least recently used first). Without one: a BlockTable updated in place, whose expired
   * blocks are dropped each time it has doubled since the last sweep (memory ≤ 2 × the live set).
   */
  private readonly lruUse: Map<number, number> | null;
  private readonly table: BlockTable | null;
  /** Trace time (ms) of the latest request served: blocks unused since `latest - ttl` are expired. */
  private latest = 0;
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
    if (now > this.latest) this.latest = now;
    const ttl = this.cfg.ttlMs;
    const lru = this.lruUse;
    let hit = 0;
    if (lru !== null) {
      for (; hit < n; hit++) {
        const t = lru.get(ids[hit]!) ?? -1;
        if (t < 0 || now - t > ttl) break;
      }
      // Last block first, so a prompt's leading blocks are the most recently used and evicted last.
      for (let i = n - 1; i >= 0; i--) {
        lru.delete(ids[i]!);
        lru.set(ids[i]!, now);
      }
      this.evict(lru, now);
    } else {
      // One pass: each block's previous use decides the hit run, and the block is refreshed.
      const table = this.table!;
      const since = this.latest - ttl; // -Infinity without a TTL: nothing expires
      let run = true;
      for (let i = 0; i < n; i++) {
        const t = table.touch(ids[i]!, now, since);
        if (run && t >= 0 && now - t <= ttl) hit++;
        else run = false;
      }
    }
    let hitTokens = Math.min(hit * blockTokens, inputTokens);
    if (hitTokens < minTokens) {
      hit = 0;
      hitTokens = 0;
    }
    out.hitBlocks = hit;
    out.hitTokens = hitTokens;
    out.writtenTokens = cacheable - hitTokens;
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
