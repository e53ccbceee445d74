/**
 * In-memory model of one tier instance for the simulator: a KeyedStore plus the logical-TTL and
 * invalidation rules shared with the bench (DESIGN.md §4).
 *
 * - TTL is logical: an entry stores its expiry in trace time and is a miss once `now >= expiresAt`.
 * - Invalidation is a generation per entity: bumping it makes every entry written under the old
 *   generation a miss (and it is removed when next seen), exactly as if it had been deleted.
 */
import { KeyedStore, type EvictionPolicy } from '../tiers/store.js';

const NO_ENTITY = -1;

export class TierInstance {
  readonly store: KeyedStore;
  private gens: Uint32Array;
  /** Entries dropped because they had expired or been invalidated when read. */
  expiredOnRead = 0;

  private readonly unbounded: boolean;

  constructor(capacity: number | null, eviction: EvictionPolicy, entities: number) {
    this.unbounded = capacity === null;
    this.store = new KeyedStore(capacity ?? Number.POSITIVE_INFINITY, eviction);
    this.gens = new Uint32Array(Math.max(16, entities));
  }

  /** Slot of a live entry for `key` at time `now` (ms), or -1. Touches recency on a hit. */
  lookup(key: number, now: number): number {
    const store = this.store;
    const slot = store.peek(key);
    if (slot < 0) return -1;
    const entity = store.auxA[slot]!;
    if (now >= store.expiresAt[slot]! || (entity !== NO_ENTITY && store.gen[slot] !== this.genOf(entity))) {
      store.removeSlot(slot);
      this.expiredOnRead++;
      this.dropped(slot);
      return -1;
    }
    store.touch(slot);
    return slot;
  }

  /** Called after `lookup` removed an expired or invalidated entry; subclasses forget what they index at `slot`. */
  protected dropped(_slot: number): void {}

  /**
   * Write an entry at time `now` (ms). `createdAt` is when the value was computed (a back-fill keeps the original
   * time), `version` the entity version it was computed from, `entity` the entity it depends on.
   */
  write(key: number, now: number, expiresAt: number, createdAt: number, version: number, entity: number, aux: number): number {
    const store = this.store;
    // Unbounded tiers expire actively so memory follows the live set, not the trace length;
    // bounded tiers are left alone so eviction order is exactly the policy's.
    if (this.unbounded) store.reapExpired(now, 2);
    const slot = store.insert(key);
    if (slot < 0) return slot;
    store.expiresAt[slot] = expiresAt;
    store.createdAt[slot] = createdAt;
    store.version[slot] = version;
    store.auxA[slot] = entity;
    store.auxB[slot] = aux;
    store.gen[slot] = entity === NO_ENTITY ? 0 : this.genOf(entity);
    return slot;
  }

  /** Make every entry that depends on `entity` a miss from now on. */
  invalidate(entity: number): void {
    if (entity >= this.gens.length) this.growGens(entity);
    this.gens[entity]!++;
  }

  private genOf(entity: number): number {
    return entity < this.gens.length ? this.gens[entity]! : 0;
  }

  private growGens(entity: number): void {
    let n = this.gens.length;
    while (n <= entity) n *= 2;
    const g = new Uint32Array(n);
    g.set(this.gens);
    this.gens = g;
  }
}
