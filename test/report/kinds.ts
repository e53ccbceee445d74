/**
 * One seeded result of every kind of `Result`, made by the engines themselves (small runs, fixed
 * seeds), for the view and report tests. Built once per test file (`allKinds()` caches).
 */
import { applyOverrides, defaultScenario, loadScenario } from '../../src/config.js';
import { gate } from '../../src/gate.js';
import {
  BENCH_MICRO_SCHEMA,
  MRC_SCHEMA,
  REPLAY_SCHEMA,
  type BenchMicroResult,
  type BenchResult,
  type GateVerdict,
  type MrcResult,
  type ReplayResult,
  type SimulateResult,
  type SweepResult,
  type TraceStatsResult,
} from '../../src/model/results.js';
import { replay } from '../../src/replay/engine.js';
import { computeMrc } from '../../src/replay/mrc.js';
import { ArrayReader, ZipfRanks, idForRank } from '../../src/replay/synth.js';
import { simulate } from '../../src/sim/engine.js';
import { applyPoint } from '../../src/sweep/grid.js';
import { analyse } from '../../src/sweep/pareto.js';
import { createSyntheticSource } from '../../src/trace/generator.js';
import { computeTraceStats } from '../../src/trace/stats.js';
import { benchResult } from '../stats/bench-fixture.js';
import { benchFixture } from './fixtures.js';

export interface AllKinds {
  simulate: SimulateResult;
  bench: BenchResult;
  benchMicro: BenchMicroResult;
  sweep: SweepResult;
  replay: ReplayResult;
  mrc: MrcResult;
  gate: GateVerdict;
  traceStats: TraceStatsResult;
}

/** 20,000 Zipf(0.9) requests over 2,000 keys (seed 7). */
export function zipfKeys(): number[] {
  const ranks = new ZipfRanks(2000, 0.9, 7);
  return Array.from({ length: 20_000 }, () => idForRank(ranks.next()));
}

async function build(): Promise<AllKinds> {
  const small = applyOverrides(defaultScenario(), { leads: 30, days: 2, seed: 3 });
  const sim = JSON.parse(JSON.stringify(simulate(small))) as SimulateResult;

  const semantic = applyOverrides(loadScenario('scenarios/semantic.yaml'), { leads: 20, days: 1, seed: 5 });
  const points = [0.8, 0.9, 0.99].map((t) => ({ 'L3.threshold': t }));
  const sweep = analyse(
    points.map((params) => ({ params, result: simulate(applyPoint(semantic, params)) })),
    { maxFalseHit: 0.01, maxStale: 0.01 },
    1234,
    1,
  );

  const keys = zipfKeys();
  const caches = ['lru', 'fifo', 'sieve', 'opt'].flatMap((policy) => [50, 200, 800].map((capacity) => ({ policy: policy as 'lru', capacity })));
  const run = await replay(new ArrayReader(keys), caches, { now: () => 0 });
  const replayResult: ReplayResult = {
    schema: REPLAY_SCHEMA,
    kind: 'replay',
    trace: 'zipf.txt',
    format: 'txt',
    bySize: false,
    requests: run.requests,
    skipped: run.skipped,
    elapsedMs: 12.5,
    peakRssMB: 80,
    results: run.results,
  };
  const mrcRun = await computeMrc(new ArrayReader(keys), { exact: true, points: 8, log: true, policies: ['opt', 'fifo', 'sieve'] });
  const mrc: MrcResult = { schema: MRC_SCHEMA, kind: 'mrc', trace: 'zipf.txt', format: 'txt', ...mrcRun };

  const verdict = gate(benchResult({ seed: 1 }), benchResult({ seed: 2, slow: { L2: 1.3 } }));

  const gen = createSyntheticSource(applyOverrides(defaultScenario(), { leads: 20, days: 2, seed: 9 }));
  const traceStats: TraceStatsResult = { file: 'generated.jsonl', ...computeTraceStats(gen, { topKeys: 3 }) };

  const benchMicro: BenchMicroResult = {
    schema: BENCH_MICRO_SCHEMA,
    kind: 'bench-micro',
    rows: [
      { name: 'L1 get (in-process store)', opsPerIteration: 1, meanMs: 0.00012, p75Ms: 0.0001, p99Ms: 0.0004, rmePct: 0.8, samples: 400_000 },
      { name: 'Redis GET x50 concurrent, auto-pipelining', opsPerIteration: 50, meanMs: 0.41, p75Ms: 0.45, p99Ms: 0.9, rmePct: 1.7, samples: 1200 },
    ],
  };
  return { simulate: sim, bench: benchFixture(), benchMicro, sweep, replay: replayResult, mrc, gate: verdict, traceStats };
}

let cached: Promise<AllKinds> | undefined;

/** One result of every kind (built on first use). */
export function allKinds(): Promise<AllKinds> {
  cached ??= build();
  return cached;
}
