import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { runBench } from '../../src/bench/bench.ts';
import { simulate } from '../../src/sim/engine.ts';
import { spawnPGliteServer, type EmbeddedPg } from '../../src/tiers/pglite-server.ts';
import { benchOptions, smallScenario } from './helpers.ts';

let pg: EmbeddedPg;
before(async () => {
  pg = await spawnPGliteServer();
});
after(async () => {
  await pg.stop();
});

/** Stale hits per tier: a back-fill must carry the ORIGINAL version (a mutant stamping the current one hides them). */
const stalePerTier = (tiers: { name: string; staleHits?: number }[]) => Object.fromEntries(tiers.map((t) => [t.name, t.staleHits]));

const perTier = (tiers: { name: string; byOp?: Record<string, { lookups: number; hits: number }> }[]) =>
  Object.fromEntries(tiers.map((t) => [t.name, Object.fromEntries(Object.entries(t.byOp ?? {}).map(([op, c]) => [op, [c.lookups, c.hits]]))]));

for (const variant of [
  { invalidation: 'local' as const, routing: 'round-robin' as const },
  { invalidation: 'broadcast' as const, routing: 'sticky' as const },
  // No invalidation: stale L2 entries are back-filled into L1, which must keep their original version.
  { invalidation: 'none' as const, routing: 'random' as const },
]) {
  test(`agreement: bench (concurrency 1, real Redis + PGlite) and simulate count the same lookups, hits and stale hits per tier and op (${variant.invalidation}, ${variant.routing})`, async () => {
    const scenario = smallScenario(variant);
    const sim = simulate(scenario);
    const runId = `agree${process.pid}${variant.invalidation}${variant.routing.length}`;
    const bench = await runBench(benchOptions(scenario, { pgUrl: pg.url, runId }));
    assert.equal(bench.requests, sim.requests);
    assert.equal(bench.errors, 0);
    assert.ok(sim.tiers.every((t) => t.hits > 0), 'every tier earns hits in this workload, so the comparison means something');
    assert.deepEqual(perTier(bench.tiers), perTier(sim.tiers));
    if (variant.invalidation !== 'broadcast') assert.ok(sim.tiers[0]!.staleHits > 0, 'stale entries reach L1, so stale hits are compared for real');
    assert.deepEqual(stalePerTier(bench.tiers), stalePerTier(sim.tiers));
    assert.deepEqual(
      bench.tiers.map((t) => [t.name, t.systemOfRecordReads ?? 0]),
      sim.tiers.map((t) => [t.name, t.systemOfRecordReads]),
      'system-of-record reads are counted apart from hits, the same in both',
    );
    // The latency table and the tier table count the same calls: a lookup is timed once, a tier
    // passed over (too shallow for a memory read) is neither; system-of-record reads are timed.
    for (const t of bench.tiers) assert.equal(t.latencyUs.count, t.lookups + (t.systemOfRecordReads ?? 0), `${t.name}: timed calls = lookups + system-of-record reads`);
    assert.equal(bench.llmCalls, sim.llmCalls);
    assert.equal(bench.bypassed, sim.bypassed);
    // The walk's innermost stage, the provider prompt cache, sees the same calls in the same order.
    assert.ok(sim.promptCache!.cachedTokens > 0 && sim.promptCache!.writtenTokens > 0, 'the prompt cache reads and writes in this workload');
    assert.deepEqual(bench.promptCache, sim.promptCache);
    // The bills agree once each is taken back to its own window (simulate: the trace span; bench: the span of its requests).
    for (const bill of ['noCache', 'promptCacheOnly', 'stack'] as const) {
      const windowUsd = (c: { windowDays: number; bills?: typeof sim.cost.bills }) => (c.bills![bill].monthlyUsd * c.windowDays) / 30;
      const [b, s] = [windowUsd(bench.cost!), windowUsd(sim.cost)];
      assert.ok(s > 0 && Math.abs(b - s) <= 1e-3 * s, `${bill}: bench ${b} vs simulate ${s} USD in the window`);
    }
    // Nothing of the run is left behind.
    const raw = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const [, keys] = await raw.scan('0', 'MATCH', `llmcache:bench:${runId}*`, 'COUNT', 10000);
    raw.disconnect();
    assert.equal(keys.length, 0);
  });
}
