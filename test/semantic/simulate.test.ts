import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario, type Scenario } from '../../src/config.js';
import { CheckFailed } from '../../src/errors.js';
import { assertNotBypassed } from '../../src/semantic/safety.js';
import { simulate } from '../../src/sim/engine.js';
import { newSimEvent } from '../../src/trace/types.js';

/** The shipped scenario, shrunk to 60 leads × 10 days so a run takes ~0.1 s. */
function small(file: string, threshold?: number): Scenario {
  const s = loadScenario(file);
  s.workload.leads = 60;
  s.workload.days = 10;
  if (threshold !== undefined) s.tiers.find((t) => t.name === 'L3')!.threshold = threshold;
  return s;
}

test('scenarios/semantic.yaml (contact-scoped) serves semantic hits with 0 leaks', () => {
  const r = simulate(small('scenarios/semantic.yaml'));
  assert.ok(r.semantic, 'semantic stats present');
  assert.ok(r.semantic.hits > 500, `semantic hits ${r.semantic.hits}`);
  assert.equal(r.semantic.leaks, 0);
  assert.equal(r.semantic.hits, r.semantic.correctHits + r.semantic.falseHits + r.semantic.staleHits + r.semantic.leaks);
  assert.ok(r.semantic.precision > 0.99 && r.semantic.recall > 0.3 && r.semantic.recall <= 1);
  const l3 = r.tiers.find((t) => t.name === 'L3')!;
  assert.ok(l3.byOp.response!.hits >= r.semantic.hits, 'every classified hit is an L3 response hit');
});

test('scenarios/semantic-unscoped.yaml (no scope filter) reports leaks', () => {
  const r = simulate(small('scenarios/semantic-unscoped.yaml'));
  assert.ok(r.semantic!.leaks > 100, `leaks ${r.semantic!.leaks}`);
  assert.ok(r.semantic!.precision < 0.9);
});

test('false hits fall as the threshold rises, and are > 0 at 0.80', () => {
  const falseHits = [0.8, 0.85, 0.9, 0.95, 0.99].map((th) => simulate(small('scenarios/semantic.yaml', th)).semantic!.falseHits);
  assert.ok(falseHits[0]! > 50, `false hits at 0.80: ${falseHits[0]}`);
  for (let i = 1; i < falseHits.length; i++) assert.ok(falseHits[i]! <= falseHits[i - 1]!, `non-increasing: ${falseHits.join(', ')}`);
  assert.ok(falseHits[1]! < falseHits[0]! && falseHits[4] === 0, falseHits.join(', '));
});

test('embedding calls are counted and priced', () => {
  const s = small('scenarios/semantic.yaml');
  const r = simulate(s);
  assert.ok(r.semantic!.embeddingCalls > 1000);
  assert.ok(r.cost.embeddingWindowUsd > 0);
  s.embedding.usdPerMTok *= 1000;
  const pricier = simulate(s);
  assert.ok(pricier.cost.monthlyUsd > r.cost.monthlyUsd + 1, `${pricier.cost.monthlyUsd} vs ${r.cost.monthlyUsd}`);
});

test('same seed, same semantic result (deterministic)', () => {
  assert.deepEqual(simulate(small('scenarios/semantic.yaml')).semantic, simulate(small('scenarios/semantic.yaml')).semantic);
});

test('bypass safety: a hit served to a streaming or tool-use request fails with CheckFailed naming it', () => {
  const ev = newSimEvent();
  const OP_NAMES = ['memory', 'score', 'intent', 'market', 'response'];
  ev.op = 4;
  ev.contact = 12;
  ev.key = 99;
  ev.t = 5000;
  assert.doesNotThrow(() => assertNotBypassed(ev, 'L3', OP_NAMES));
  ev.stream = true;
  assert.throws(() => assertNotBypassed(ev, 'L3', OP_NAMES), (e: Error) => e instanceof CheckFailed && /streaming request \(op response, contact #12, key #99, t=5000 ms\)/.test(e.message));
  ev.stream = false;
  ev.toolUse = true;
  assert.throws(() => assertNotBypassed(ev, 'L2', OP_NAMES), /tier L2 served a hit to a tool-use request/);
});
