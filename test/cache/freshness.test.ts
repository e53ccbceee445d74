import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, loadScenario } from '../../src/config.js';
import { adaptiveTtlMs, VelocityTracker } from '../../src/cache/freshness.js';
import { simulate } from '../../src/sim/engine.js';
import { applyPoint } from '../../src/sweep/grid.js';

const MIN = 60_000;

test('velocity: a burst of messages raises it, silence lowers it', () => {
  const v = new VelocityTracker(4);
  const initial = v.perHour(1, 0);
  for (let i = 0; i < 8; i++) v.onMessage(1, i * MIN);
  const burst = v.perHour(1, 7 * MIN);
  assert.ok(burst > 20 && burst > initial * 10, `burst ${burst}/h`);
  assert.ok(v.perHour(1, 7 * MIN + 6 * 60 * MIN) < 0.2, 'six silent hours later');
  v.onMessage(100, 0); // grows on demand
  assert.equal(v.perHour(100, 0), 1);
});

test('adaptive TTL: exponent 0 is the fixed TTL; faster means shorter, within the clamp', () => {
  const a = { refPerHour: 2, exponent: 1, minFactor: 0.25, maxFactor: 4 };
  assert.equal(adaptiveTtlMs(7200e3, 50, { ...a, exponent: 0 }), 7200e3);
  assert.equal(adaptiveTtlMs(7200e3, 2, a), 7200e3);
  assert.equal(adaptiveTtlMs(7200e3, 4, a), 3600e3);
  assert.equal(adaptiveTtlMs(7200e3, 100, a), 1800e3, 'clamped at minFactor');
  assert.equal(adaptiveTtlMs(7200e3, 0.01, a), 28800e3, 'clamped at maxFactor');
});

const base = () => applyOverrides(loadScenario('scenarios/freshness-velocity.yaml'), { leads: 80, days: 6 });

test('refresh-on-hit keeps popular shared answers alive: market stale rate and age rise', () => {
  const fixed = simulate(base());
  const sliding = simulate(applyPoint(base(), { 'L2.refreshOnHit': true }));
  const f = fixed.staleness.byOp.market!;
  const s = sliding.staleness.byOp.market!;
  assert.ok(s.staleRate > f.staleRate * 1.5, `market stale ${f.staleRate} -> ${s.staleRate}`);
  // Fixed expiry bounds the age by L2's 60 min TTL plus an L1 back-fill's 5 min (a back-fill keeps the creation time).
  assert.ok(f.ageMs.max <= 65 * MIN + 1000 && s.ageMs.max > 2 * f.ageMs.max, `max age ${f.ageMs.max} -> ${s.ageMs.max}`);
});

test('velocity-adaptive TTL that may lengthen (maxFactor 4) serves older responses than the fixed TTL', () => {
  const fixed = simulate(base());
  const adaptive = simulate(applyPoint(base(), { 'L3.adaptiveTtl.exponent': 1 }));
  const f = fixed.staleness.byOp.response!;
  const a = adaptive.staleness.byOp.response!;
  assert.ok(f.ageMs.max <= 2 * 60 * MIN + 1, `fixed 2 h TTL bounds the age: ${f.ageMs.max}`);
  assert.ok(a.ageMs.max > 2 * 60 * MIN, `adaptive max age ${a.ageMs.max}`);
  assert.ok(a.hits > f.hits);
});
