/**
 * Property test: over random valid scenarios (sizes, workers, routing, invalidation, capacities,
 * TTLs, tiers switched off, exact or semantic L3, priced output tokens), the figures of a simulate
 * result reconcile with each other. Every identity here is one a reader of the tables relies on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyOverrides, defaultScenario, type Scenario } from '../../src/config.js';
import { simulate } from '../../src/sim/engine.js';
import type { Percentiles, SimulateResult } from '../../src/model/results.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const scenarioArb = fc
  .record({
    leads: fc.integer({ min: 4, max: 40 }),
    days: fc.integer({ min: 1, max: 4 }),
    workers: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    routing: fc.constantFrom('round-robin' as const, 'random' as const, 'sticky' as const),
    invalidation: fc.constantFrom('none' as const, 'local' as const, 'broadcast' as const),
    l1Capacity: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    ttlScale: fc.constantFrom(0.01, 0.2, 1, 5),
    enabled: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
    semantic: fc.boolean(),
    outputPrice: fc.constantFrom(0, 75),
    tokensOut: fc.integer({ min: 0, max: 400 }),
  })
  .map((o): Scenario => {
    const s = applyOverrides(defaultScenario(), { leads: o.leads, days: o.days, workers: o.workers, seed: o.seed, routing: o.routing, invalidation: o.invalidation });
    s.tiers = s.tiers.map((t, i) => ({
      ...t,
      enabled: o.enabled[i] ?? true,
      capacity: i === 0 ? o.l1Capacity : t.capacity,
      match: t.match === 'semantic' && !o.semantic ? ('exact' as const) : t.match,
      ttl: Object.fromEntries(Object.entries(t.ttl).map(([op, sec]) => [op, Math.max(1, Math.round(sec * o.ttlScale))])),
    }));
    for (const m of Object.values(s.models)) m.outputPerMTok = o.outputPrice;
    for (const op of Object.values(s.ops)) if (op.kind === 'llm') op.tokensOut = o.tokensOut;
    return s;
  });

function ordered(p: Pick<Percentiles, 'p50' | 'max'> & Partial<Percentiles>, what: string): void {
  const seq = [p.p50, p.p95, p.p99, p.p999, p.max].filter((v): v is number => v !== undefined);
  for (let i = 1; i < seq.length; i++) assert.ok(seq[i - 1]! <= seq[i]!, `${what}: percentiles out of order ${seq.join(' ≤ ')}`);
}

function checkIdentities(s: Scenario, r: SimulateResult): void {
  // Requests and hits.
  assert.equal(r.requests, r.llmRequests + r.memoryReads, 'requests = LLM ops + memory reads');
  assert.equal(sum(r.tiers.map((t) => t.hits)), r.hits, 'tier hits sum to the cache hits');
  close(sum(r.tiers.map((t) => t.share)), r.hitRate, 1e-12, 'tier shares sum to the hit rate');
  assert.equal(sum(r.tiers.map((t) => t.systemOfRecordReads)), r.systemOfRecordReads, 'system-of-record reads per tier sum to the total');
  for (const t of r.tiers) {
    const ops = Object.values(t.byOp);
    assert.equal(sum(ops.map((o) => o.lookups)), t.lookups, `${t.name}: per-op lookups sum to the tier's`);
    assert.equal(sum(ops.map((o) => o.hits)), t.hits, `${t.name}: per-op hits sum to the tier's`);
    assert.equal(sum(ops.map((o) => o.staleHits)), t.staleHits, `${t.name}: per-op stale hits sum to the tier's`);
    assert.ok(t.hits <= t.lookups, `${t.name}: hits ≤ lookups`);
  }
  // LLM calls: misses + bypassed.
  const llmOps = Object.keys(s.ops).filter((n) => s.ops[n]!.kind === 'llm');
  const llmHits = sum(r.tiers.flatMap((t) => llmOps.map((op) => t.byOp[op]?.hits ?? 0)));
  const misses = r.llmRequests - r.bypassed - llmHits;
  assert.ok(misses >= 0, 'misses are not negative');
  assert.equal(r.llmCalls, misses + r.bypassed, 'calls = misses + bypassed');
  assert.equal(r.bypassed, r.bypassedStream + r.bypassedToolUse, 'bypassed = streaming + tool use');
  close(r.llmHitRate, r.llmRequests ? llmHits / r.llmRequests : 0, 1e-12, 'LLM hit rate = LLM hits / LLM ops');
  // Memory reads: every read is served by exactly one place.
  assert.equal(sum(Object.values(r.memory).map((d) => d.reads)), r.memoryReads, 'memory reads by depth sum to the total');
  for (const [depth, d] of Object.entries(r.memory)) assert.equal(sum(Object.values(d.servedBy)), d.reads, `${depth}: servers sum to the reads`);
  const memoryHits = sum(r.tiers.map((t) => t.byOp.memory?.hits ?? 0));
  const origin = sum(Object.values(r.memory).map((d) => d.servedBy.origin ?? 0));
  assert.equal(memoryHits + r.systemOfRecordReads + origin, r.memoryReads, 'memory reads = cache hits + system-of-record reads + origin');
  // Staleness.
  const classes = Object.values(r.staleness.byOp);
  assert.equal(sum(classes.map((c) => c.hits)), r.hits, 'hits per key class sum to the hits');
  assert.equal(sum(classes.map((c) => c.staleHits)), r.staleness.staleHits, 'stale hits per key class sum to the total');
  assert.equal(sum(r.tiers.map((t) => t.staleHits)), r.staleness.staleHits, 'stale hits per tier sum to the total');
  // LLM answers and conversation windows are reported apart; together they are every hit.
  const { answers, contextWindows } = r.staleness;
  assert.equal(contextWindows.hits, memoryHits, 'conversation-window hits are the memory hits');
  assert.equal(answers.hits, llmHits, 'answer hits are the LLM-op hits');
  assert.equal(answers.hits + contextWindows.hits, r.hits, 'answer + window hits = hits');
  assert.equal(answers.staleHits + contextWindows.staleHits, r.staleness.staleHits, 'answer + window stale hits = stale hits');
  close(contextWindows.staleRate, contextWindows.hits ? contextWindows.staleHits / contextWindows.hits : 0, 1e-12, 'window stale rate');
  for (const [op, c] of Object.entries(r.staleness.byOp)) ordered(c.ageMs, `age of ${op}`);
  // Spend and per-op counts.
  const c = r.cost;
  const byOp = Object.values(c.byOp);
  assert.equal(sum(byOp.map((o) => o.calls)), r.llmCalls, 'calls per op sum to the LLM calls');
  assert.equal(sum(byOp.map((o) => o.baselineCalls)), r.llmRequests, 'baseline calls per op sum to the LLM ops');
  const scale = 30 / c.windowDays;
  // Per-op figures are rounded to cents: allow a cent per op.
  close(sum(byOp.map((o) => o.monthlyUsd)) + c.embeddingWindowUsd * scale + c.infraMonthlyUsd, c.monthlyUsd, 0.01 * (byOp.length + 2), 'spend = Σ per-op spend + embeddings + infrastructure');
  close(sum(byOp.map((o) => o.baselineMonthlyUsd)), c.baselineMonthlyUsd, 0.01 * (byOp.length + 1), 'baseline = Σ per-op baseline');
  if (r.semantic) {
    close(c.embeddingWindowUsd, (r.semantic.embeddingCalls * s.embedding.tokensPerCall * s.embedding.usdPerMTok) / 1e6, 1e-4, 'embeddings billed = embedding calls reported');
    assert.equal(r.semantic.correctHits + r.semantic.falseHits + r.semantic.staleHits + r.semantic.leaks <= r.semantic.hits, true, 'semantic classes within its hits');
  }
  // Latency.
  ordered(r.latencyMs, 'end-to-end latency');
  assert.equal(r.latencyMs.count, r.requests, 'every request is timed once');
}

test('identities hold over random valid scenarios: shares sum to the hit rate, calls = misses + bypassed, spend = Σ per-op spend, per-op counts sum to totals, percentiles ordered and ≤ max', () => {
  fc.assert(
    fc.property(scenarioArb, (s) => {
      checkIdentities(s, simulate(s));
    }),
    { numRuns: 30, seed: 20261201 },
  );
});
