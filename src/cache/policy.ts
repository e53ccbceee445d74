/**
 * Cache policy shared by `simulate` and `bench` (docs/architecture.md, "The request walk"): which tiers cache which op,
 * with what TTL; bypass; memory-window depth; routing to workers; whom an invalidation reaches.
 * Pure functions over the scenario; both engines call these and nothing else decides.
 */
import type { Invalidation, Routing, Scenario, TierConfig } from '../config.js';
import { MEMORY_DEPTHS } from '../trace/types.js';
import { Rng } from '../stats/random.js';

/** Tiers that take part in lookups, in stack order. */
export function activeTiers(s: Scenario): TierConfig[] {
  return s.tiers.filter((t) => t.enabled);
}

/** TTL (ms) of `op` in `tier`, or -1 when the tier does not cache that op. */
export function ttlMs(tier: TierConfig, op: string): number {
  const sec = tier.ttl[op];
  return sec === undefined ? -1 : sec * 1000;
}

/** A request skips every tier when it streams or uses tools. */
export function bypasses(stream: boolean, toolUse: boolean): boolean {
  return stream || toolUse;
}

/** Index in MEMORY_DEPTHS of the deepest window a tier holds. */
export function depthIndex(tier: TierConfig): number {
  return MEMORY_DEPTHS.indexOf(tier.memoryDepth);
}

/** Key of a contact's conversation window in every tier (outside the trace's key space). */
export function windowKey(contact: number): number {
  return 2 ** 52 + contact;
}

/**
 * TTL (ms) of the conversation window a tier receives by write-through on each message: the TTL of
 * the first context op it caches; -1 for the system of record (it holds the history itself) or when
 * it caches no context op.
 */
export function windowTtlMs(tier: TierConfig, s: Scenario): number {
  if (tier.systemOfRecord) return -1;
  for (const [name, op] of Object.entries(s.ops)) {
    const ttl = op.kind === 'context' ? ttlMs(tier, name) : -1;
    if (ttl >= 0) return ttl;
  }
  return -1;
}

/** Random streams of a run: simulate and bench draw from the same ones, so they agree. */
export const RNG_STREAM = { latency: 7, routing: 8 } as const;

/** The router of a run (its own random stream, shared by simulate and bench). */
export function routerFor(s: Scenario, workers: number): Router {
  return new Router(s.workers.routing, workers, new Rng(s.seed, RNG_STREAM.routing));
}

/** Picks the worker for each event. */
export class Router {
  private rr = 0;
  /**
   * The routing as a small int, read on every event: a scenario's strings come from the parser,
   * not interned, so a `switch` over them compared whole strings per event (about 130 instructions each, under cachegrind).
   */
  private readonly mode: number;
  constructor(
    routing: Routing,
    private readonly workers: number,
    private readonly rng: Rng,
  ) {
    this.mode = ROUTING_MODES[routing];
  }

  route(contact: number): number {
    if (this.workers === 1) return 0;
    const mode = this.mode;
    if (mode === ROUND_ROBIN) return this.rr++ % this.workers;
    if (mode === RANDOM) return Math.floor(this.rng.next() * this.workers);
    return (contact < 0 ? 0 : contact) % this.workers;
  }
}

const ROUND_ROBIN = 0;
const RANDOM = 1;
const STICKY = 2;
const ROUTING_MODES: Record<Routing, number> = { 'round-robin': ROUND_ROBIN, random: RANDOM, sticky: STICKY };

/**
 * Instances an entity change clears: worker-scoped tiers on the handling worker (`local`) or
 * every worker (`broadcast`); shared tiers under both; nothing under `none`.
 */
export function invalidationTargets(mode: Invalidation, scope: TierConfig['scope'], worker: number, workers: number): number[] {
  if (mode === 'none') return [];
  if (scope === 'shared') return [0];
  if (mode === 'local') return [worker];
  return Array.from({ length: workers }, (_, i) => i);
}
