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

/** TTL options: the provider's 5-minute and 1-hour caches, or no expiry at all. */
export type PromptCacheTtl = '5m' | '1h' | 'unlimited';
export const PROMPT_CACHE_TTLS: readonly PromptCacheTtl[] = ['5m', '1h', 'unlimited'];

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

export class PromptCache {
  /** Block id → time of its last use (ms); iteration order = least recently used first. */
  private readonly lastUse = new Map<number, number>();
  evictions = 0;
  expirations = 0;

  constructor(readonly cfg: PromptCacheConfig) {}

  /** Blocks held now. */
  get size(): number {
    return this.lastUse.size;
  }

  /**
   * Serve one prompt at `now` (ms): `ids[0..n)` are its block ids, each block `blockTokens`
   * long (the last one may be partial), `inputTokens` the whole prompt. Fills `out`.
   */
  serve(now: number, ids: ArrayLike<number>, n: number, blockTokens: number, inputTokens: number, out: PromptCacheOutcome): void {
    this.expire(now);
    const cacheable = Math.min(n * blockTokens, inputTokens);
    out.blocks = n;
    out.hitBlocks = 0;
    out.hitTokens = 0;
    out.writtenTokens = 0;
    if (n === 0 || cacheable < this.cfg.minTokens) return;
    let hit = 0;
    while (hit < n && this.alive(ids[hit]!, now)) hit++;
    let hitTokens = Math.min(hit * blockTokens, inputTokens);
    if (hitTokens < this.cfg.minTokens) {
      hit = 0;
      hitTokens = 0;
    }
    out.hitBlocks = hit;
    out.hitTokens = hitTokens;
    out.writtenTokens = cacheable - hitTokens;
    // Last block first, so a prompt's leading blocks are the most recently used and evicted last.
    for (let i = n - 1; i >= 0; i--) this.touch(ids[i]!, now);
    this.evict();
  }

  private alive(id: number, now: number): boolean {
    const t = this.lastUse.get(id);
    return t !== undefined && now - t <= this.cfg.ttlMs;
  }

  /** Mark a block used at `now` (moves it to the most recently used end). */
  private touch(id: number, now: number): void {
    this.lastUse.delete(id);
    this.lastUse.set(id, now);
  }

  /** Drop blocks unused for longer than the TTL (they sit at the front: use order = time order). */
  private expire(now: number): void {
    if (this.cfg.ttlMs === Number.POSITIVE_INFINITY) return;
    for (const [id, t] of this.lastUse) {
      if (now - t <= this.cfg.ttlMs) break;
      this.lastUse.delete(id);
      this.expirations++;
    }
  }

  private evict(): void {
    const cap = this.cfg.capacityBlocks;
    if (cap === null) return;
    while (this.lastUse.size > cap) {
      this.lastUse.delete(this.lastUse.keys().next().value as number);
      this.evictions++;
    }
  }
}
