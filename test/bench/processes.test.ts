/**
 * Real worker processes (`bench --workers N`): each process has its own L1 and they share L2, so at
 * concurrency 1 (one request in flight, a deterministic order) the counts must equal the
 * simulator's for the same scenario with N workers — the agreement invariant across processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { runBench } from '../../src/bench/bench.ts';
import { simulate } from '../../src/sim/engine.ts';
import { benchOptions, smallScenario } from './helpers.ts';

/** Per tier: its stale hits, and lookups and hits per op. */
const perTier = (tiers: { name: string; staleHits?: number; byOp?: Record<string, { lookups: number; hits: number }> }[]) =>
  Object.fromEntries(tiers.map((t) => [t.name, { staleHits: t.staleHits ?? 0, ...Object.fromEntries(Object.entries(t.byOp ?? {}).map(([op, c]) => [op, [c.lookups, c.hits]])) }]));

for (const routing of ['round-robin', 'sticky'] as const) {
  test(`2 worker processes (${routing}): the same lookups, hits and stale hits per tier and op as simulate with 2 workers`, { timeout: 180_000 }, async () => {
    const scenario = smallScenario({ routing, invalidation: 'local' });
    scenario.tiers = scenario.tiers.filter((t) => t.kind !== 'pgvector'); // L1 per process + shared Redis L2
    scenario.workers = { ...scenario.workers, count: 2 };
    const sim = simulate(scenario);
    const runId = `procs${process.pid}${routing.length}`;
    const bench = await runBench(benchOptions(scenario, { processes: 2, runId }));
    assert.equal(bench.mode.workers, 2);
    assert.equal(bench.errors, 0, bench.warnings.join('\n'));
    assert.equal(bench.requests, sim.requests);
    const l1 = sim.tiers.find((t) => t.name === 'L1')!;
    assert.ok(l1.hits > 0 && sim.tiers.find((t) => t.name === 'L2')!.hits > 0, 'both tiers earn hits, so the comparison means something');
    if (routing === 'round-robin') assert.ok(l1.staleHits > 0, 'round-robin L1s serve stale windows, so stale hits are compared too');
    assert.deepEqual(perTier(bench.tiers), perTier(sim.tiers));
    assert.equal(bench.llmCalls, sim.llmCalls);
    // Nothing of the run is left behind in the shared Redis.
    const raw = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const [, keys] = await raw.scan('0', 'MATCH', `llmcache:bench:${runId}*`, 'COUNT', 10000);
    raw.disconnect();
    assert.equal(keys.length, 0);
  });
}
