/**
 * The in-process L1 as a bench tier: the project's KeyedStore (typed arrays, LRU/FIFO/SIEVE)
 * with the payloads in a parallel array. One instance per worker process.
 */
import type { TierConfig } from '../config.js';
import { KeyedStore } from './store.js';
import type { FoundEntry, TierAdapter, WriteRequest } from './adapter.js';

export class MemoryTier implements TierAdapter {
  readonly kind = 'memory' as const;
  readonly name: string;
  readonly store: KeyedStore;
  private payloads: (string | undefined)[] = [];

  constructor(cfg: Pick<TierConfig, 'name' | 'capacity' | 'eviction'>) {
    this.name = cfg.name;
    this.store = new KeyedStore(cfg.capacity ?? Number.POSITIVE_INFINITY, cfg.eviction);
  }

  /** Synchronous lookup (the async interface wraps it). */
  getSync(keyId: number): FoundEntry | null {
    const s = this.store.get(keyId);
    if (s < 0) return null;
    const st = this.store;
    return {
      expiresAt: st.expiresAt[s]!,
      createdAt: st.createdAt[s]!,
      version: st.version[s]!,
      entity: st.entity[s]!,
      gen: st.gen[s]!,
      aux: st.aux[s]!,
      contact: -1,
      tenant: -1,
      bytes: this.payloads[s]?.length ?? 0,
    };
  }

  setSync(w: WriteRequest): void {
    const st = this.store;
    const s = st.insert(w.keyId);
    if (s < 0) return;
    st.expiresAt[s] = w.entry.expiresAt;
    st.createdAt[s] = w.entry.createdAt;
    st.version[s] = w.entry.version;
    st.gen[s] = w.entry.gen;
    st.entity[s] = w.entry.entity;
    st.aux[s] = w.entry.aux;
    this.payloads[s] = w.payload;
  }

  async get(keyId: number): Promise<FoundEntry | null> {
    return this.getSync(keyId);
  }

  async set(w: WriteRequest): Promise<void> {
    this.setSync(w);
  }

  async delete(keyId: number): Promise<void> {
    const s = this.store.peek(keyId);
    if (s < 0) return;
    this.payloads[s] = undefined;
    this.store.removeSlot(s);
  }

  async info(): Promise<Record<string, string>> {
    return {};
  }

  async cleanup(): Promise<number> {
    const n = this.store.size;
    this.store.clear();
    this.payloads = [];
    return n;
  }

  async close(): Promise<void> {}
}
