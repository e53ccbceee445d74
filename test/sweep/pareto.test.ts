import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paretoFront, recommend } from '../../src/sweep/pareto.js';
import type { Objectives } from '../../src/model/results.js';

const run = (name: string, monthlyUsd: number, falseHitRate: number, staleRate: number, leaks = 0) => ({
  name,
  objectives: { monthlyUsd, falseHitRate, staleRate, leaks } satisfies Objectives,
});

const runs = [
  run('cheap-wrong', 100, 0.05, 0),
  run('mid', 120, 0.008, 0),
  run('dominated', 130, 0.01, 0.001),
  run('safe', 150, 0, 0),
  run('leaky-cheapest', 90, 0, 0, 3),
];

test('Pareto front keeps non-dominated runs, cheapest first', () => {
  assert.deepEqual(
    paretoFront(runs).map((r) => r.name),
    ['leaky-cheapest', 'cheap-wrong', 'mid', 'safe'],
  );
});

test('recommendation: cheapest within budgets, never a run that leaks; null when none fits', () => {
  assert.equal(recommend(runs, { maxFalseHit: 0.01, maxStale: 0.01 })!.name, 'mid');
  assert.equal(recommend(runs, { maxFalseHit: 0.001, maxStale: 0.01 })!.name, 'safe');
  assert.equal(recommend(runs, { maxFalseHit: 1, maxStale: 1 })!.name, 'cheap-wrong');
  assert.equal(recommend([run('x', 1, 0.5, 0)], { maxFalseHit: 0.01, maxStale: 1 }), null);
});
