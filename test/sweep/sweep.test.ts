import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, loadScenario } from '../../src/config.js';
import { applyPoint, expandGrid, parseParam } from '../../src/sweep/grid.js';
import { analyse } from '../../src/sweep/pareto.js';
import { runPool } from '../../src/sweep/pool.js';
import { runCli } from '../cli-helper.js';

const base = () => applyOverrides(loadScenario('scenarios/semantic.yaml'), { leads: 60, days: 10 });

test('threshold sweep on semantic.yaml: false hits fall, > 0 at 0.80, recommendation within budget (worker threads)', async () => {
  const points = expandGrid([parseParam('L3.threshold=0.80,0.85,0.90,0.95,0.99')]);
  const results = await runPool(
    points.map((p) => applyPoint(base(), p)),
    { threads: 2 },
  );
  const out = analyse(
    points.map((params, i) => ({ params, result: results[i]! })),
    { maxFalseHit: 0.01, maxStale: 0.01 },
    0,
    2,
  );
  const fh = out.runs.map((r) => r.result.semantic!.falseHits);
  assert.ok(fh[0]! > 0, `false hits at 0.80: ${fh[0]}`);
  for (let i = 1; i < fh.length; i++) assert.ok(fh[i]! <= fh[i - 1]!, fh.join(', '));
  assert.ok(out.recommended, 'a configuration meets the budget');
  assert.ok(out.recommended.objectives.falseHitRate <= 0.01);
  assert.ok(out.runs[0]!.objectives.falseHitRate > 0.01, 'the loosest threshold is over budget, so the budget decides');
  assert.ok((out.recommended.params['L3.threshold'] as number) > 0.8);
  // Cheapest within budget: every cheaper run breaks the budget.
  for (const r of out.runs)
    if (r.objectives.monthlyUsd < out.recommended.objectives.monthlyUsd) assert.ok(r.objectives.falseHitRate > 0.01);
  assert.ok(out.pareto.includes(out.recommended));
});

test('worker threads give the same results as the in-process path', async () => {
  const scenarios = [0.85, 0.95].map((t) => applyPoint(base(), { 'L3.threshold': t }));
  const threaded = await runPool(scenarios, { threads: 2 });
  const inline = await runPool(scenarios, { threads: 1 });
  assert.deepEqual(
    threaded.map((r) => [r.semantic, r.cost.monthlyUsd]),
    inline.map((r) => [r.semantic, r.cost.monthlyUsd]),
  );
});

test('CLI: an unknown parameter is an input error (exit 2); --json prints one sweep object', async () => {
  const bad = await runCli(['sweep', '--scenario', 'scenarios/semantic.yaml', '--param', 'L3.nope=1']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /tiers\[2\]\.nope/);
  const ok = await runCli(['sweep', '--scenario', 'scenarios/semantic.yaml', '--leads', '20', '--days', '3', '--threads', '1', '--param', 'L3.threshold=0.8,0.99', '--json']);
  assert.equal(ok.code, 0, ok.err);
  const j = JSON.parse(ok.out);
  assert.equal(j.schema, 'llmcache/sweep@1');
  assert.equal(j.runs.length, 2);
  assert.deepEqual(j.runs[1].params, { 'L3.threshold': 0.99 });
  assert.equal(j.runs[1].result.schema, 'llmcache/simulate@1');
  assert.ok(Array.isArray(j.pareto));
  assert.ok('recommended' in j);
});
