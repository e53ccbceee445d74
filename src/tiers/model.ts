/**
 * In-memory model of one tier instance for the simulator: a KeyedStore holding the cache-entry
 * contract (src/cache/entry.ts) in typed arrays, with the shared liveness rule: an entry is a
 * miss once `now >= expiresAt` or once its entity's generation moved (it is removed when next
 * seen), exactly as if it had expired or been deleted (docs/architecture.md, "The request walk").
 */
import * as entry from '../cache/entry.js';
import type { Generations } from '../cache/entry.js';
import { KeyedStore, type EvictionPolicy } from './store.js';

/** Private copies of what every lookup and write reads: they fold to constants (docs/architecture.md, "Measurement"). */
const { isLive, NO_ENTITY } = entry;

export class TierInstance {
  readonly store: KeyedStore;
  /** Entries dropped because they had expired or been invalidated when read. */
  expiredOnRead = 0;

  private readonly unbounded: boolean;

  /** `gens`: the instance's invalidation generations (owned by the walk's plan). */
  constructor(
    capacity: number | null,
    eviction: EvictionPolicy,
    readonly gens: Generations,
  ) {
    this.unbounded = capacity === null;
    this.store = new KeyedStore(capacity ?? Number.POSITIVE_INFINITY, eviction);
  }

  /** Slot of a live entry for `key` at time `now` (ms), or -1. Touches recency on a hit. */
  lookup(key: number, now: number): number {
    const store = this.store;
    const slot = store.peek(key);
    if (slot < 0) return -1;
    if (!isLive(now, store.expiresAt[slot]!, store.entity[slot]!, store.gen[slot]!, this.gens)) {
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
    store.entity[slot] = entity;
    store.aux[slot] = aux;
    store.gen[slot] = entity === NO_ENTITY ? 0 : this.gens.of(entity);
    return slot;
  }
}
