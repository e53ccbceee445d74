/**
 * Miss-ratio curves of policies other than LRU (whose curve comes from stack distances, mrc.ts):
 * each capacity of the grid is its own simulation over a recorded trace (the whole trace, or the
 * SHARDS sample with capacities scaled by the rate: a miniature simulation, Waldspurger et al.,
 * ATC '17). OPT shares one next-use pre-pass across capacities.
 */
import { KeyedStore } from '../tiers/store.js';
import type { PolicyCurve, ReplayPolicy } from '../model/results.js';
import { OptCache, RecordedTrace, nextUseTimes } from './opt.js';

/** Misses of `policy` at `capacity` entries over a recorded trace of key ids (unit weights, no TTL). */
export function recordedMisses(policy: Exclude<ReplayPolicy, 'opt'>, capacity: number, trace: RecordedTrace): number {
  const store = new KeyedStore(capacity, policy, Math.min(capacity, 1 << 22), true);
  store.countKeysOf(trace.originalKeys()); // W-TinyLFU's sketch hashes the keys, as in replay
  const keys = trace.keys;
  let misses = 0;
  for (let i = 0; i < trace.n; i++) {
    if (store.get(keys[i]!) < 0) {
      misses++;
      store.insert(keys[i]!);
    }
  }
  return misses;
}

/**
 * Curves of `policies` at `capacities` over `trace`; `scale` maps a capacity to the simulated
 * one (the sampling rate, or 1).
 */
export function policyCurves(policies: readonly ReplayPolicy[], capacities: number[], trace: RecordedTrace, scale: number): PolicyCurve[] {
  const next = policies.includes('opt') ? nextUseTimes(trace.keys, trace.n) : null;
  const n = trace.n;
  return policies.map((policy) => ({
    policy,
    sampled: scale < 1,
    points: capacities.map((capacity) => {
      const c = Math.max(1, Math.round(capacity * scale));
      const misses = policy === 'opt' ? new OptCache(c, trace, next!).run() : recordedMisses(policy, c, trace);
      return { capacity, missRatio: n === 0 ? 0 : misses / n };
    }),
  }));
}
