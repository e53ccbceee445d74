/**
 * `replay`: run caches (KeyedStore with any eviction policy, and Belady's OPT) over a key-request
 * trace in one streaming pass. Each batch is decoded once and then fed to every cache; a cache's
 * requests per second is its own share of the work: requests / (decode time + that cache's time).
 *
 * Semantics per request (as in libCacheSim): a held key is a hit (the policy records it; its size
 * is not updated); otherwise it is a miss and the key is inserted, evicting per policy until it
 * fits; an object the policy does not admit (heavier than the capacity, or than the queue new
 * entries enter) is a miss that is not inserted. With a TTL column an entry expires at time + ttl
 * and a read at or after that is a miss. OPT records the trace and runs after the pass (opt.ts);
 * it ignores TTLs.
 */
import { EVICTION_POLICIES, KeyedStore, type EvictionPolicy } from '../tiers/store.js';
import type { ReplayPolicy, ReplayPolicyResult } from '../model/results.js';
import { LogQueueCache } from './log-queue.js';
import { OptCache, RecordedTrace, nextUseTimes } from './opt.js';
import { newRequestBatch, type RequestBatch, type RequestReader } from './types.js';

/** Every policy `--cache` accepts (the store's list plus OPT). */
export const REPLAY_POLICIES: readonly ReplayPolicy[] = [...EVICTION_POLICIES, 'opt'];

/** One cache to replay: a policy and a capacity (entries, or bytes with bySize). */
export interface CacheSpec {
  policy: ReplayPolicy;
  capacity: number;
}

/** What the engine returns; the command adds the trace's name and format. */
export interface ReplayRun {
  requests: number;
  /** Invalid lines/records skipped (--skip-invalid). */
  skipped: number;
  results: ReplayPolicyResult[];
  /** Wall time of the whole pass (ms). */
  elapsedMs: number;
  /** Time spent reading and decoding (ms). */
  decodeMs: number;
}

/** Progress after each batch. */
export interface ReplayProgress {
  requests: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ReplayOptions {
  /** Capacity in bytes and weight = object size (otherwise entries, weight 1). */
  bySize?: boolean;
  /** Clock in ms (injected for tests). */
  now?: () => number;
  onProgress?: (p: ReplayProgress) => void;
  /** Requests per batch (tests use small batches to cross batch boundaries). */
  batchSize?: number;
}

/**
 * A new store for a cache spec (slots start small in bytes mode and grow). `meanSize`: the mean
 * object size with `bySize` (W-TinyLFU sizes its sketch for capacity / meanSize entries).
 */
export function storeFor(spec: { policy: EvictionPolicy; capacity: number }, bySize: boolean, denseKeys = false, meanSize = 1): KeyedStore {
  const hint = Math.min(spec.capacity, bySize ? 1 << 16 : 1 << 22);
  return new KeyedStore(spec.capacity, spec.policy, hint, denseKeys, bySize ? meanSize : 1);
}

/** Mean object size of a batch's requests (1 for an empty batch). */
function meanSizeOf(b: RequestBatch): number {
  let sum = 0;
  for (let i = 0; i < b.n; i++) sum += b.size[i]!;
  return b.n > 0 && sum > 0 ? sum / b.n : 1;
}

/**
 * One request against a store; returns true on a hit. `ttl` 0 = never expires; `time` and
 * `ttl` share the trace's unit.
 */
export function access(store: KeyedStore, key: number, weight: number, time: number, ttl: number): boolean {
  const slot = store.get(key);
  if (slot >= 0) {
    if (store.expiresAt[slot]! > time) return true;
    store.removeSlot(slot);
  }
  const s = store.insert(key, weight);
  if (s >= 0) store.expiresAt[s] = ttl > 0 ? time + ttl : Number.POSITIVE_INFINITY;
  return false;
}

/**
 * The cache replay runs for a spec: LRU and FIFO with unit weights and no TTL take the log-queue
 * cache (same misses as the store, fewer memory accesses a request) up to its largest capacity,
 * everything else the store.
 */
function cacheFor(spec: { policy: EvictionPolicy; capacity: number }, bySize: boolean, ttl: boolean, meanSize: number): KeyedStore | LogQueueCache {
  const { capacity } = spec;
  if (!bySize && !ttl && (spec.policy === 'lru' || spec.policy === 'fifo') && Number.isSafeInteger(capacity) && capacity >= 1 && capacity <= LogQueueCache.MAX_CAPACITY) {
    return new LogQueueCache(capacity, spec.policy);
  }
  return storeFor(spec, bySize, false, meanSize);
}

/** Run one cache over a batch; returns the number of misses. */
function runBatch(store: KeyedStore | LogQueueCache, b: RequestBatch, bySize: boolean, ttl: boolean): number {
  if (store instanceof LogQueueCache) return store.accessMany(b.key, b.n);
  const n = b.n;
  const keys = b.key;
  const sizes = b.size;
  let misses = 0;
  if (ttl) {
    const times = b.time;
    const ttls = b.ttl;
    for (let i = 0; i < n; i++) {
      if (!access(store, keys[i]!, bySize ? sizes[i]! : 1, times[i]!, ttls[i]!)) misses++;
    }
    return misses;
  }
  // no TTL column: nothing expires, so a held key is a hit
  if (!bySize) return store.accessMany(keys, n);
  for (let i = 0; i < n; i++) if (!store.access(keys[i]!, sizes[i]!)) misses++;
  return misses;
}

/** Replay every cache over the reader's requests in one pass (OPT after it, on the recorded trace). */
export async function replay(reader: RequestReader, caches: CacheSpec[], opts: ReplayOptions = {}): Promise<ReplayRun> {
  const now = opts.now ?? (() => performance.now());
  const bySize = opts.bySize === true;
  const ttl = reader.hasTtl;
  // created at the first batch: by bytes, its mean object size sizes W-TinyLFU's sketch
  let stores: (KeyedStore | LogQueueCache | null)[] = [];
  const recorded = caches.some((c) => c.policy === 'opt') ? new RecordedTrace(bySize) : null;
  const misses = new Float64Array(caches.length);
  const busyMs = new Float64Array(caches.length);
  const batch = newRequestBatch(opts.batchSize);
  let requests = 0;
  let decodeMs = 0;
  let recordMs = 0;
  const t0 = now();
  for (;;) {
    const d0 = now();
    const more = await reader.next(batch);
    decodeMs += now() - d0;
    if (!more) break;
    if (requests === 0) {
      const meanSize = bySize ? meanSizeOf(batch) : 1;
      stores = caches.map((c) => (c.policy === 'opt' ? null : cacheFor({ policy: c.policy, capacity: c.capacity }, bySize, ttl, meanSize)));
    }
    requests += batch.n;
    if (recorded) {
      const r0 = now();
      recorded.push(batch);
      recordMs += now() - r0;
    }
    for (let c = 0; c < stores.length; c++) {
      const store = stores[c];
      if (!store) continue;
      const c0 = now();
      misses[c] += runBatch(store, batch, bySize, ttl);
      busyMs[c] += now() - c0;
    }
    opts.onProgress?.({ requests, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes });
  }
  if (recorded) {
    const n0 = now();
    const next = nextUseTimes(recorded.keys, recorded.n);
    recordMs += now() - n0;
    caches.forEach((c, i) => {
      if (c.policy !== 'opt') return;
      const c0 = now();
      misses[i] = new OptCache(c.capacity, recorded, next).run();
      busyMs[i] = recordMs + now() - c0;
    });
  }
  const elapsedMs = now() - t0;
  const results = caches.map((c, i): ReplayPolicyResult => {
    const ms = decodeMs + busyMs[i]!;
    return {
      policy: c.policy,
      capacity: c.capacity,
      requests,
      misses: misses[i]!,
      missRatio: requests > 0 ? misses[i]! / requests : 0,
      reqPerSec: ms > 0 ? Math.round((requests * 1000) / ms) : 0,
    };
  });
  return { requests, skipped: reader.skipped, results, elapsedMs, decodeMs };
}
