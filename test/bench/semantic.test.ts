import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runBench } from '../../src/bench/bench.ts';
import { applyOverrides, loadScenario, type Scenario } from '../../src/config.ts';
import { simulate } from '../../src/sim/engine.ts';
import { spawnPGliteServer, type EmbeddedPg } from '../../src/tiers/pglite-server.ts';
import { benchOptions } from './helpers.ts';

let pg: EmbeddedPg;
before(async () => {
  pg = await spawnPGliteServer();
});
after(async () => {
  await pg.stop();
});

/** A small seeded semantic workload: few leads, one day, every lead re-asks often. */
function small(file: string): Scenario {
  const s = applyOverrides(loadScenario(file), { leads: 10, days: 1 });
  s.workload.repeatIntentRate = 0.6;
  return s;
}

test('bench semantic L3 (real PGlite + pgvector): similarity hits classified, 0 leaks scoped vs leaks unscoped', async () => {
  const scoped = small('scenarios/semantic.yaml');
  const unscoped = small('scenarios/semantic-unscoped.yaml');
  const a = await runBench(benchOptions(scoped, { pgUrl: pg.url, runId: `sem${process.pid}a` }));
  const b = await runBench(benchOptions(unscoped, { pgUrl: pg.url, runId: `sem${process.pid}b` }));
  for (const r of [a, b]) {
    assert.equal(r.errors, 0, r.warnings.join('\n'));
    assert.ok(r.semantic, 'semantic block present');
    assert.ok(!r.warnings.some((w) => /exact key only/.test(w)), r.warnings.join('\n'));
    assert.equal(r.semantic.hits, r.semantic.correctHits + r.semantic.falseHits + r.semantic.staleHits + r.semantic.leaks);
    assert.ok(r.semantic.embeddingCalls > 0 && r.semantic.embeddingUsd > 0);
  }
  assert.ok(a.semantic!.similarityHits > 0, `scoped similarity hits ${a.semantic!.similarityHits}`);
  assert.ok(a.semantic!.correctHits > 0);
  assert.equal(a.semantic!.leaks, 0);
  assert.ok(b.semantic!.leaks > 0, `unscoped leaks ${b.semantic!.leaks}`);
  // More similarity hits without the scope filter: other leads' answers clear the threshold.
  assert.ok(b.semantic!.similarityHits > a.semantic!.similarityHits);
  // Similarity hits are L3 hits: the stack counted them as such.
  const l3 = a.tiers.find((t) => t.name === 'L3')!;
  assert.ok(l3.hits >= a.semantic!.similarityHits);

  // Bench vs simulate on the same seeded trace at concurrency 1 (float4 in pgvector vs float32
  // vectors / float64 dot products in the simulator may differ at the threshold boundary).
  const sim = simulate(scoped).semantic!;
  const bs = a.semantic!;
  const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(2, 0.02 * Math.max(x, y));
  assert.ok(close(bs.hits, sim.hits), `hits bench ${bs.hits} vs simulate ${sim.hits}`);
  assert.ok(close(bs.embeddingCalls, sim.embeddingCalls), `embedding calls bench ${bs.embeddingCalls} vs simulate ${sim.embeddingCalls}`);
  assert.equal(bs.leaks, sim.leaks);
});
