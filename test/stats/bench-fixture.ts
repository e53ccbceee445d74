/** Synthetic bench results for gate tests: seeded lognormal latencies, optional slowdown of one tier. */
import { BENCH_SCHEMA, SIMULATE_SCHEMA } from '../../src/model/results.js';
import type { BenchResult, BenchTrial, Percentiles, SimulateResult } from '../../src/model/results.js';
import { Rng, normalQuantile } from '../../src/stats/random.js';
import { encodeHistogram, newHistogram, recordUs } from '../../src/histogram.js';

/** Values (µs) recorded into a project HDR histogram, base64-encoded. */
export function encode(values: number[]): string {
  const h = newHistogram();
  for (const v of values) recordUs(h, v);
  return encodeHistogram(h);
}

export interface FixtureOptions {
  seed: number;
  trials?: number;
  /** Requests per trial. */
  requests?: number;
  /** Multiply one tier's lookup latencies, e.g. { L2: 1.1 }. */
  slow?: Record<string, number>;
  /** Per-trial drift: each trial's latencies scaled by 1 ± this fraction (uniform), like a noisy runner. */
  drift?: number;
  /** Per-trial speed of the machine: trial t's latencies × speeds[t] (a run that caught the machine faster or slower). */
  speeds?: number[];
  /** Draw the per-trial drift from this seed, so two results can share it (trials run side by side). */
  driftSeed?: number;
  cpu?: string;
  node?: string;
  fingerprint?: string;
  /** Record per-trial op figures: requests alternate between ops `memory` and `score`. */
  ops?: boolean;
  /** Multiply one op's end-to-end latencies, e.g. { score: 1.2 } (needs `ops`). */
  slowOp?: Record<string, number>;
  /** Encode per-trial HDR histograms (default; needed for percentiles other than p50/p95/p99). */
  histograms?: boolean;
}

const TIERS: { name: string; kind: string; medianUs: number; share: number }[] = [
  { name: 'L1', kind: 'memory', medianUs: 3, share: 1 },
  { name: 'L2', kind: 'redis', medianUs: 180, share: 0.8 },
  { name: 'L3', kind: 'pgvector', medianUs: 900, share: 0.3 },
];

function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), p999: at(0.999), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length, count: s.length };
}

function lognormal(rng: Rng, medianUs: number, sigma = 0.35): number {
  const z = normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rng.next())));
  return Math.round(medianUs * Math.exp(sigma * z));
}

export function benchResult(o: FixtureOptions): BenchResult {
  const rng = new Rng(o.seed);
  const driftRng = o.driftSeed === undefined ? rng : new Rng(o.driftSeed, 1);
  const requests = o.requests ?? 2000;
  const trials: BenchTrial[] = [];
  for (let t = 0; t < (o.trials ?? 7); t++) {
    const drift = (1 + (o.drift ?? 0) * (2 * driftRng.next() - 1)) * (o.speeds?.[t] ?? 1);
    const e2e = new Array<number>(requests).fill(0);
    const tiers = TIERS.map((tier) => {
      const lat: number[] = [];
      for (let i = 0; i < requests; i++) {
        if (i / requests >= tier.share) break;
        const v = Math.round(lognormal(rng, tier.medianUs) * drift * (o.slow?.[tier.name] ?? 1));
        lat.push(v);
        e2e[i]! += v;
      }
      return { name: tier.name, kind: tier.kind, lookups: lat.length, hits: 0, misses: lat.length, errors: 0, latencyUs: percentiles(lat), histogram: o.histograms !== false ? encode(lat) : '' };
    });
    const opNames = ['memory', 'score'];
    const byOp = opNames.map((name, k) => e2e.filter((_, i) => i % 2 === k).map((v) => Math.round(v * (o.slowOp?.[name] ?? 1))));
    if (o.ops) byOp.forEach((vs, k) => vs.forEach((v, j) => (e2e[2 * j + k] = v)));
    const ops = o.ops ? Object.fromEntries(opNames.map((name, k) => [name, { requests: byOp[k]!.length, latencyUs: percentiles(byOp[k]!), histogram: encode(byOp[k]!) }])) : undefined;
    trials.push({ requests, errors: 0, durationMs: 1000, throughput: requests, latencyUs: percentiles(e2e), histogram: o.histograms !== false ? encode(e2e) : '', tiers, ...(ops ? { ops } : {}) });
  }
  return {
    schema: BENCH_SCHEMA,
    kind: 'bench',
    scenario: { name: 'article', fingerprint: o.fingerprint ?? 'abcdef0123456789' },
    seed: 1,
    startedAt: '2026-01-01T00:00:00Z',
    env: { node: o.node ?? 'v20.19.0', cpu: o.cpu ?? 'Test CPU @ 3.0GHz', cpus: 2, os: 'linux' },
    mode: { loop: 'closed', concurrency: 4, workers: 1, warmupRequests: 100 },
    requests: requests * trials.length,
    errors: 0,
    throughput: requests,
    latencyUs: trials[0]!.latencyUs,
    histogram: '',
    tiers: trials[0]!.tiers,
    ops: {},
    llmCalls: 0,
    bypassed: 0,
    eventLoopDelayUs: { p50: 0, p99: 0, max: 0 },
    clientBottleneck: false,
    trials,
    warnings: [],
    ...(o.slow ? { injectedDelay: Object.fromEntries(Object.entries(o.slow).map(([k, v]) => [k, v - 1])) } : {}),
  };
}

/** A small but complete-enough simulate result; `tweak` edits a copy. */
export function simulateResult(tweak: (r: SimulateResult) => void = () => {}): SimulateResult {
  const r = {
    schema: SIMULATE_SCHEMA,
    kind: 'simulate',
    scenario: { name: 'article', fingerprint: 'abcdef0123456789' },
    seed: 42,
    workload: { leads: 500, days: 30, workers: 4, routing: 'round-robin', invalidation: 'broadcast', messages: 9000, stateChanges: 800 },
    requests: 50000,
    llmRequests: 30000,
    memoryReads: 20000,
    llmCalls: 4100,
    bypassed: 900,
    bypassedStream: 600,
    bypassedToolUse: 300,
    hits: 44000,
    hitRate: 0.88,
    llmHitRate: 0.863,
    tiers: [
      { name: 'L1', kind: 'memory', scope: 'worker', match: 'exact', lookups: 50000, hits: 30000, hitRate: 0.6, share: 0.6, staleHits: 3, evictions: 10, systemOfRecordReads: 0, byOp: {} },
      { name: 'L2', kind: 'redis', scope: 'shared', match: 'exact', lookups: 20000, hits: 8000, hitRate: 0.4, share: 0.16, staleHits: 1, evictions: 0, systemOfRecordReads: 0, byOp: {} },
    ],
    memory: {},
    latencyMs: { p50: 1, p95: 30, p99: 900, p999: 2000, max: 3000, mean: 40, count: 50000 },
    latencyHistogram: '',
    staleness: { staleHits: 4, staleRate: 0.0001, byOp: {} },
    invalidations: 800,
    cost: { baselineMonthlyUsd: 11000, monthlyUsd: 1300, savingsPct: 88.2, windowDays: 30, baselineWindowUsd: 11000, llmWindowUsd: 1250, embeddingWindowUsd: 10, infraMonthlyUsd: 40, tokens: { baselineIn: 1, baselineOut: 1, paidIn: 1, paidOut: 1 }, byOp: {}, assumptions: ['x'] },
  } as SimulateResult;
  tweak(r);
  return r;
}
