import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyModelsFromBench } from '../../src/bench/calibrate.ts';
import { renderResult } from '../../src/report/render.ts';
import { runBench } from '../../src/bench/bench.ts';
import { LatencySampler, Rng } from '../../src/stats/random.ts';
import { encodeHistogram, newHistogram, recordUs } from '../../src/histogram.ts';
import { benchOptions, smallScenario } from './helpers.ts';

test('calibrate: measured tier histograms become empirical quantile models (ms) the simulator samples', () => {
  const h = newHistogram();
  for (let i = 1; i <= 1000; i++) recordUs(h, i * 10); // 10 µs .. 10 ms, uniform
  const models = latencyModelsFromBench({ tiers: [{ name: 'L2', histogram: encodeHistogram(h) } as never] });
  const q = (models.L2 as { quantiles: number[] }).quantiles;
  assert.equal(q.length, 101);
  assert.ok(Math.abs(q[50]! - 5) < 0.05, `median ${q[50]} ms`);
  assert.ok(q[100]! >= 9.99 && q[0]! <= 0.011);
  const s = new LatencySampler(models.L2!);
  assert.ok(Math.abs(s.median() - 5) < 0.1);
  const rng = new Rng(1);
  let sum = 0;
  for (let i = 0; i < 10000; i++) sum += s.sample(rng);
  assert.ok(Math.abs(sum / 10000 - 5) < 0.3);
});

test('bench with 2 real worker processes (own L1 each, shared Redis) runs and renders a table', async () => {
  const s = smallScenario({ leads: 20, days: 1 });
  s.tiers = s.tiers.filter((t) => t.kind !== 'pgvector');
  const r = await runBench(benchOptions(s, { processes: 2, requests: 300, concurrency: 4, trials: 2 }));
  assert.equal(r.mode.workers, 2);
  assert.equal(r.trials.length, 2);
  assert.equal(r.requests, 600);
  assert.equal(r.errors, 0);
  assert.ok(r.tiers[0]!.hits > 0 && r.tiers[1]!.hits > 0);
  // Per-trial op figures (the gate's per-op metrics): each trial's ops add up to its requests, and
  // the trials' ops add up to the run's.
  for (const t of r.trials) assert.equal(Object.values(t.ops ?? {}).reduce((n, o) => n + o.requests, 0), t.requests);
  assert.ok(Object.keys(r.ops).length >= 2);
  for (const [name, op] of Object.entries(r.ops)) assert.equal(r.trials.reduce((n, t) => n + (t.ops?.[name]?.requests ?? 0), 0), op.requests, name);
  const text = renderResult(r, 'table');
  assert.match(text, /closed loop, concurrency 4 · 2 worker\(s\) · 2 trial\(s\)/);
  assert.match(text, /L2 lookup/);
  assert.match(text, /Trials/);
});
