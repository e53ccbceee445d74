/** Shared scenario builders for simulator tests. */
import { applyOverrides, defaultScenario, tier, type Scenario } from '../../src/config.js';
import { createSyntheticSource } from '../../src/trace/generator.js';
import { EVENT_REQUEST, newSimEvent, type SimEvent } from '../../src/trace/types.js';

/** The article's scenario shrunk to a size a unit test runs in well under a second. */
export function smallArticle(over: { leads?: number; days?: number; workers?: number; seed?: number } = {}): Scenario {
  return applyOverrides(defaultScenario(), { leads: 60, days: 3, ...over });
}

/** TTL map of one week (longer than any test trace) for every op. */
export function longTtl(s: Scenario): Record<string, number> {
  return Object.fromEntries(Object.keys(s.ops).map((op) => [op, 7 * 86_400]));
}

/** Three unbounded tiers with TTLs longer than the trace. */
export function unboundedStack(s: Scenario): Scenario['tiers'] {
  const ttl = longTtl(s);
  return [
    tier('L1', 'memory', 'worker', { capacity: null, ttl, memoryDepth: 'recent10' }),
    tier('L2', 'redis', 'shared', { capacity: null, ttl, memoryDepth: 'recent100' }),
    tier('L3', 'pgvector', 'shared', { capacity: null, ttl, memoryDepth: 'full', systemOfRecord: true }),
  ];
}

/** Every request event of the scenario's synthetic trace, copied (tests only: allocates). */
export function requestsOf(s: Scenario): SimEvent[] {
  const src = createSyntheticSource(s);
  const out: SimEvent[] = [];
  const ev = newSimEvent();
  while (src.next(ev)) if (ev.kind === EVENT_REQUEST) out.push({ ...ev });
  return out;
}
