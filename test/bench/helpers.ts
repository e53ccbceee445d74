import { applyOverrides, defaultScenario, type Scenario } from '../../src/config.ts';
import type { BenchRunOptions } from '../../src/bench/bench.ts';

/** The article's stack on a small workload; L3 made exact-match (the agreement invariant's scope). */
export function smallScenario(over: { leads?: number; days?: number; invalidation?: 'none' | 'local' | 'broadcast'; routing?: 'round-robin' | 'random' | 'sticky' } = {}): Scenario {
  const s = applyOverrides(defaultScenario(), { leads: over.leads ?? 12, days: over.days ?? 1, invalidation: over.invalidation, routing: over.routing });
  s.tiers = s.tiers.map((t) => (t.match === 'semantic' ? { ...t, match: 'exact' as const } : t));
  return s;
}

/** Bench options for tests: local Redis, no LLM sleep, no warm-up, one trial, sequential. */
export function benchOptions(scenario: Scenario, over: Partial<BenchRunOptions> = {}): BenchRunOptions {
  return {
    scenario,
    loop: 'closed',
    concurrency: 1,
    warmupRequests: 0,
    trials: 1,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    allowRemote: false,
    keep: false,
    // Generous: tests that assert zero backend errors must not count a command that waited over a
    // second for a CPU (seen at load average 20 on 2 cores) as a failure. Timeout behaviour itself
    // is tested with explicit short timeouts (redis-fault, cluster-failover).
    timeoutMs: 5000,
    hnsw: false,
    dimensions: 8,
    valueBytes: 64,
    llmTimeScale: 0,
    ...over,
  };
}
