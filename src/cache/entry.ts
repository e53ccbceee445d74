/**
 * The one cache-entry contract (docs/architecture.md, "The request walk"): what every tier keeps
 * with a value, in the simulator's typed-array store and in every bench backend alike, and the
 * one rule that says whether a kept entry still counts.
 *
 * TTL is logical: an entry carries its expiry and creation time in TRACE time (ms), the entity
 * version it was computed from and the invalidation generation of that entity at write time.
 * A backend's own expiry (Redis PX) is only clean-up.
 */

/** Metadata stored with every cached value. */
export interface CachedEntry {
  /** Logical expiry, trace time (ms); Infinity = never. */
  expiresAt: number;
  /** Trace time the value was computed (ms); a back-fill keeps the original time. */
  createdAt: number;
  /** Entity version the value was computed from (staleness oracle); a back-fill keeps the original. */
  version: number;
  /** Entity the value depends on (dense id), or NO_ENTITY. */
  entity: number;
  /** Invalidation generation of `entity`, in this tier instance, at write time. */
  gen: number;
  /**
   * Free int payload; memory windows: index of the depth held (MEMORY_DEPTHS); LLM-op entries:
   * the ground-truth intent of the request that computed the value (-1 unknown), which semantic
   * correctness is judged by.
   */
  aux: number;
  /** Contact id the entry belongs to (scope of semantic lookups; not kept by memory tiers). */
  contact: number;
  /** Tenant id (not kept by memory tiers). */
  tenant: number;
}

/** `CachedEntry.entity` of a value that depends on no entity (never invalidated). */
export const NO_ENTITY = -1;
/** NO_ENTITY for `isLive`, private so it folds to a literal (docs/architecture.md, "Measurement"). */
const NONE = NO_ENTITY;

/**
 * Invalidation generations of one tier instance, per entity: bumping an entity's generation makes
 * every entry written under the old one a miss, exactly as if it had been deleted.
 */
export class Generations {
  private gens: Uint32Array;

  /** `entities`: expected number of entities (the table grows past it). */
  constructor(entities: number) {
    this.gens = new Uint32Array(Math.max(16, entities));
  }

  /** Current generation of `entity` (0 for NO_ENTITY and for entities never invalidated). */
  of(entity: number): number {
    return entity >= 0 && entity < this.gens.length ? this.gens[entity]! : 0;
  }

  /** An entity changed: entries written before now no longer count. */
  bump(entity: number): void {
    if (entity >= this.gens.length) this.grow(entity);
    this.gens[entity]!++;
  }

  private grow(entity: number): void {
    let n = this.gens.length;
    while (n <= entity) n *= 2;
    const g = new Uint32Array(n);
    g.set(this.gens);
    this.gens = g;
  }
}

/** Whether an entry still counts at trace time `now` (ms): unexpired and not invalidated since written. */
export function isLive(now: number, expiresAt: number, entity: number, gen: number, gens: Generations): boolean {
  return now < expiresAt && (entity === NONE || gen === gens.of(entity));
}
