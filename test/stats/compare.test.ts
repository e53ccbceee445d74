import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTrials, logRatio, type CompareOptions } from '../../src/stats/compare.js';
import { normalQuantile, Rng } from '../../src/stats/random.js';

const guard: CompareOptions = { paired: false, pairedTest: 'signed-rank', disturbedFactor: 1.5 };

test('disturbed trials (about 2x, on whichever side) no longer hide a 10 % slowdown', () => {
  // Measured L2 P1 values (µs) of one pair on the shared dev machine: three bursts hit A, one hit B.
  const a = [21.8, 21.6, 21.7, 21.6, 21.6, 21.5, 42.0, 27.8, 40.3, 23.7];
  const b = [23.8, 23.6, 23.6, 23.9, 23.7, 23.7, 24.4, 45.5, 25.6, 23.7];
  const raw = compareTrials(a, b, { paired: false, pairedTest: 'signed-rank', disturbedFactor: 0 });
  assert.ok(raw.pGreater > 0.05, `raw p ${raw.pGreater}`);
  const guarded = compareTrials(a, b, guard);
  assert.equal(guarded.disturbed, 3);
  assert.ok(guarded.pGreater < 0.025, `guarded p ${guarded.pGreater} (doubled)`);
  assert.ok(Math.abs(guarded.change - 0.095) < 0.02, `change ${guarded.change}`);
});

test('a huge regression is still judged on all trials', () => {
  const a = [20, 21, 20, 22, 21, 20, 21, 22];
  const b = a.map((v) => v * 3);
  const r = compareTrials(a, b, guard);
  assert.equal(r.disturbed, 0, 'the all-trials test wins');
  assert.ok(r.pGreater < 0.001);
  assert.ok(Math.abs(r.change - 2) < 1e-9);
});

test('with the guard, the false-alarm rate under bursty noise stays at or below alpha', () => {
  const rng = new Rng(11);
  const trial = () => (rng.next() < 0.3 ? 2 : 1) * (22 + rng.next());
  let alarms = 0;
  const runs = 3000;
  for (let i = 0; i < runs; i++) {
    const a = Array.from({ length: 10 }, trial);
    const b = Array.from({ length: 10 }, trial);
    if (compareTrials(a, b, guard).pGreater < 0.05) alarms++;
  }
  assert.ok(alarms / runs <= 0.06, `false alarms ${alarms}/${runs}`);
});

test('paired mode drops a pair when either member is disturbed', () => {
  const a = [22, 22, 44, 22, 22, 22, 22, 22];
  const b = [24.2, 24.1, 24.3, 48, 24.2, 24, 24.3, 24.1];
  const r = compareTrials(a, b, { paired: true, pairedTest: 'signed-rank', disturbedFactor: 1.5 });
  assert.equal(r.disturbed, 4, 'two pairs, both members');
  assert.ok(Math.abs(r.change - 0.1) < 0.01);
});

test('clean lognormal trials (σ 0.3) are almost never set aside as disturbed', () => {
  // Before the guard took the trials' own spread into account it flagged ~35 % of such runs.
  const rng = new Rng(5);
  const lognormal = () => 100 * Math.exp(0.3 * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rng.next()))));
  let flagged = 0;
  const runs = 1000;
  for (let i = 0; i < runs; i++) {
    const a = Array.from({ length: 7 }, lognormal);
    const b = Array.from({ length: 7 }, lognormal);
    if (compareTrials(a, b, guard).disturbed > 0) flagged++;
  }
  assert.ok(flagged / runs <= 0.05, `flagged ${flagged}/${runs}`); // 24/1000 here; 1.5 × median alone: ~35 %
});

test('paired: symmetric ratios (110/100 and 100/110) are tied in the signed-rank test', () => {
  // Ratios +10 %, −10 % (1/1.1), +20 %, +30 %, +40 %, −33 % (1/1.5), +60 %: the first two tie at rank
  // 1.5, so W+ = 1.5 + 3 + 4 + 5 + 7 = 20.5 and 20 of the 128 sign patterns reach it: p = 0.15625.
  // Untied (|log 1.1| a bit above |log(1/1.1)| in floating point) it would be W+ 21, p 0.148.
  const b = [100, 110, 100, 100, 100, 150, 100];
  const c = [110, 100, 120, 130, 140, 100, 160];
  assert.equal(logRatio(110, 100), -logRatio(100, 110));
  const r = compareTrials(b, c, { paired: true, pairedTest: 'signed-rank', disturbedFactor: 0 });
  assert.equal(r.pGreater, 20 / 128);
});

test('paired sign test: no trial is set aside (each pair is one vote), so p is not doubled', () => {
  const a = [22, 22, 44, 22, 22, 22, 22, 22];
  const b = [24.2, 24.1, 24.3, 48, 24.2, 24, 24.3, 24.1];
  const r = compareTrials(a, b, { paired: true, pairedTest: 'sign', disturbedFactor: 1.5 });
  assert.equal(r.disturbed, 0);
  assert.equal(r.pGreater, 9 / 256); // 7 of 8 slower (pair 3 faster): (8 + 1) / 256
  assert.equal(r.minP, 1 / 256);
  assert.ok(Math.abs(r.change - 0.1) < 0.01);
});
