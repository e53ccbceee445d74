/**
 * Hand-built result fixtures for the renderer tests: every field of SimulateResult and BenchResult,
 * with numbers that are consistent with each other (hits = sum of tier hits, and so on).
 */
import { encodeHistogram, newHistogram, percentilesOf } from '../../src/histogram.js';
import { BENCH_SCHEMA, SIMULATE_SCHEMA, type BenchResult, type BenchTierStats, type Percentiles, type SimulateResult } from '../../src/model/results.js';

/** Deterministic lognormal-ish samples (µs) encoded as an HDR histogram, plus their percentiles. */
export function histogramOf(count: number, medianUs: number, spread: number, seed = 1): { histogram: string; p: Percentiles } {
  const h = newHistogram();
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  for (let i = 0; i < count; i++) {
    const z = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    h.recordValue(Math.max(1, Math.round(medianUs * Math.exp(spread * z))));
  }
  return { histogram: encodeHistogram(h), p: percentilesOf(h) };
}

const toMs = (p: Percentiles): Percentiles => ({ ...p, p50: p.p50 / 1000, p95: p.p95 / 1000, p99: p.p99 / 1000, p999: p.p999 / 1000, max: p.max / 1000, mean: p.mean / 1000 });

/** A simulate result of the article's three-tier stack; `name` and `op` let tests inject hostile text. */
export function simulateFixture(opts: { name?: string; hostileOp?: string; semantic?: boolean } = {}): SimulateResult {
  const hostile = opts.hostileOp;
  const lat = histogramOf(5000, 900, 1.6, 7);
  const byOpStale: SimulateResult['staleness']['byOp'] = {
    score: { hits: 20_100, staleHits: 412, staleRate: 412 / 20_100, ageMs: { p50: 95_000, p99: 840_000, max: 899_000 } },
    intent: { hits: 9_800, staleHits: 0, staleRate: 0, ageMs: { p50: 0, p99: 0, max: 0 } },
    market: { hits: 30_200, staleHits: 120, staleRate: 120 / 30_200, ageMs: { p50: 1_500_000, p99: 3_400_000, max: 3_590_000 } },
    memory: { hits: 143_000, staleHits: 0, staleRate: 0, ageMs: { p50: 0, p99: 0, max: 0 } },
  };
  if (hostile) byOpStale[hostile] = { hits: 10, staleHits: 2, staleRate: 0.2, ageMs: { p50: 1000, p99: 2000, max: 2000 } };
  const costByOp: SimulateResult['cost']['byOp'] = {
    score: { baselineCalls: 45_000, calls: 24_900, baselineMonthlyUsd: 1350, monthlyUsd: 747 },
    intent: { baselineCalls: 45_000, calls: 35_200, baselineMonthlyUsd: 1012.5, monthlyUsd: 792 },
    market: { baselineCalls: 31_000, calls: 800, baselineMonthlyUsd: 465, monthlyUsd: 12 },
    response: { baselineCalls: 45_000, calls: 43_100, baselineMonthlyUsd: 2025, monthlyUsd: 1939.5 },
  };
  if (hostile) costByOp[hostile] = { baselineCalls: 10, calls: 5, baselineMonthlyUsd: 1, monthlyUsd: 0.5 };
  const tierBase = { staleHits: 0, evictions: 0, systemOfRecordReads: 0, byOp: {} };
  return {
    schema: SIMULATE_SCHEMA,
    kind: 'simulate',
    scenario: { name: opts.name ?? 'seed-article', fingerprint: '3f2a9c01d4e5b6a7' },
    seed: 42,
    workload: { leads: 500, days: 30, workers: 4, routing: 'round-robin', invalidation: 'local', messages: 150_000, stateChanges: 6_000 },
    requests: 316_000,
    llmRequests: 166_000,
    memoryReads: 150_000,
    llmCalls: 104_000,
    bypassed: 6_750,
    bypassedStream: 4_500,
    bypassedToolUse: 2_250,
    hits: 212_000,
    hitRate: 212_000 / 316_000,
    systemOfRecordReads: 7_000,
    llmHitRate: 62_000 / 166_000,
    tiers: [
      { ...tierBase, name: 'L1', kind: 'memory', scope: 'worker', match: 'exact', lookups: 309_250, hits: 61_000, hitRate: 61_000 / 309_250, share: 61_000 / 316_000, staleHits: 380, evictions: 12_400 },
      { ...tierBase, name: 'L2', kind: 'redis', scope: 'shared', match: 'exact', lookups: 248_250, hits: 112_000, hitRate: 112_000 / 248_250, share: 112_000 / 316_000, staleHits: 152 },
      { ...tierBase, name: 'L3', kind: 'pgvector', scope: 'shared', match: 'semantic', lookups: 136_250, hits: 39_000, hitRate: 39_000 / 136_250, share: 39_000 / 316_000, systemOfRecordReads: 17_550 },
    ],
    memory: {
      recent10: { reads: 111_300, servedBy: { L1: 40_000, L2: 71_300 } },
      recent100: { reads: 21_150, servedBy: { L1: 2_000, L2: 19_150 } },
      full: { reads: 17_550, servedBy: { L3: 17_550 } },
    },
    latencyMs: toMs(lat.p),
    latencyHistogram: lat.histogram,
    staleness: {
      hits: 212_000,
      staleHits: 532,
      staleRate: 532 / 212_000,
      answers: { hits: 69_000, staleHits: 532, staleRate: 532 / 69_000 },
      contextWindows: { hits: 143_000, staleHits: 0, staleRate: 0 },
      byOp: byOpStale,
    },
    semantic:
      opts.semantic === false
        ? undefined
        : { hits: 21_450, correctHits: 20_900, falseHits: 350, staleHits: 200, leaks: 0, precision: 20_900 / 21_450, recall: 0.81, embeddingCalls: 38_250 },
    invalidations: 6_000,
    cost: {
      baselineMonthlyUsd: 4852.5,
      monthlyUsd: 3503.2,
      savingsPct: (1 - 3503.2 / 4852.5) * 100,
      windowDays: 30,
      baselineWindowUsd: 4852.5,
      llmWindowUsd: 3490.5,
      embeddingWindowUsd: 0.77,
      infraMonthlyUsd: 12,
      tokens: { baselineIn: 323_500_000, baselineOut: 0, paidIn: 232_700_000, paidOut: 0 },
      byOp: costByOp,
      assumptions: [
        'Prices: claude-article $15 per 1M input tokens, $75 per 1M output tokens.',
        'Tokens per call: score 2,000, intent 1,500, market 1,000, response 3,000.',
        'Projection to a month: window cost x 30 / 30 days.',
      ],
    },
  };
}

function benchTier(name: string, kind: string, medianUs: number, seed: number): BenchTierStats {
  const h = histogramOf(2000, medianUs, 0.7, seed);
  return { name, kind, lookups: 2000, hits: 900, misses: 1100, errors: 0, latencyUs: h.p, histogram: h.histogram, staleHits: 0, writes: 1100, writeErrors: 0 };
}

/** A bench result with three real-looking tiers; `name` lets tests inject hostile text. */
export function benchFixture(opts: { name?: string; hostileOp?: string } = {}): BenchResult {
  const e2e = histogramOf(5000, 700, 0.9, 3);
  const tiers = [benchTier('L1', 'memory', 2, 11), benchTier('L2', 'redis', 180, 12), benchTier('L3', 'pgvector', 1400, 13)];
  const ops: BenchResult['ops'] = { score: { requests: 2500, latencyUs: e2e.p, histogram: e2e.histogram } };
  if (opts.hostileOp) ops[opts.hostileOp] = { requests: 2500, latencyUs: e2e.p, histogram: e2e.histogram };
  return {
    schema: BENCH_SCHEMA,
    kind: 'bench',
    scenario: { name: opts.name ?? 'seed-article', fingerprint: '3f2a9c01d4e5b6a7' },
    seed: 42,
    startedAt: '2026-01-02T03:04:05.000Z',
    env: { node: 'v20.19.0', cpu: 'Test CPU', cpus: 2, os: 'linux', redis: '7.0.15', postgres: '17.4 (PGlite)', pgvector: '0.8.0', git: 'abc1234' },
    mode: { loop: 'closed', concurrency: 16, workers: 1, warmupRequests: 500 },
    requests: 5000,
    errors: 0,
    throughput: 12_345.6,
    latencyUs: e2e.p,
    histogram: e2e.histogram,
    tiers,
    ops,
    llmCalls: 1100,
    bypassed: 120,
    hits: 2700,
    llmTimeScale: 0,
    clientCpu: 0.42,
    eventLoopDelayUs: { p50: 20, p99: 900, max: 4000 },
    clientBottleneck: false,
    trials: [{ requests: 5000, errors: 0, durationMs: 405, throughput: 12_345.6, latencyUs: e2e.p, histogram: e2e.histogram, tiers }],
    warnings: ['fixture warning: nothing to worry about'],
  };
}
