import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, loadScenario } from '../../src/config.js';
import { withComponents } from '../../src/semantic/granularity.js';
import { simulate } from '../../src/sim/engine.js';
import { classOps, classStats } from '../../src/sweep/classes.js';
import { createSyntheticSource } from '../../src/trace/generator.js';
import { EVENT_REQUEST, newSimEvent } from '../../src/trace/types.js';

const load = (f: string) => applyOverrides(loadScenario(f), { leads: 40, days: 4 });

test('the component source replaces each score request by its components, on the same trace', () => {
  const whole = load('scenarios/granularity-whole.yaml');
  const comp = load('scenarios/granularity-components.yaml');
  const names = Object.keys(comp.ops);
  const count = (src: ReturnType<typeof withComponents>, opNames: string[]) => {
    const ev = newSimEvent();
    const n: Record<string, number> = {};
    const frsKeys = new Set<number>();
    const sigKeys = new Set<number>();
    while (src.next(ev)) {
      if (ev.kind !== EVENT_REQUEST) continue;
      const name = opNames[ev.op]!;
      n[name] = (n[name] ?? 0) + 1;
      if (name === 'score_frs') frsKeys.add(ev.key);
      if (name === 'score_signals') sigKeys.add(ev.key);
    }
    return { n, frsKeys: frsKeys.size, sigKeys: sigKeys.size };
  };
  const a = count(withComponents(whole, createSyntheticSource(whole)), Object.keys(whole.ops));
  const b = count(withComponents(comp, createSyntheticSource(comp)), names);
  assert.ok(a.n.score! > 1000);
  assert.equal(b.n.score, undefined, 'no whole score requests left');
  for (const c of ['score_frs', 'score_pcs', 'score_signals']) assert.equal(b.n[c], a.n.score, c);
  assert.equal(b.n.response, a.n.response, 'other ops untouched');
  // FRS depends on (contact, temperature): far fewer distinct keys than per-message signals.
  assert.ok(b.frsKeys <= 40 * 3 && b.sigKeys > 10 * b.frsKeys, `${b.frsKeys} FRS keys, ${b.sigKeys} signal keys`);
});

test('component caching saves more score work than whole-response caching at the same baseline', () => {
  // The application tiers' granularity alone: with the provider prompt cache on, both bills also
  // carry its discount on the calls that remain, which is not what this compares.
  const whole = applyOverrides(load('scenarios/granularity-whole.yaml'), { promptCache: 'off' });
  const comp = applyOverrides(load('scenarios/granularity-components.yaml'), { promptCache: 'off' });
  const rw = simulate(whole);
  const rc = simulate(comp);
  assert.equal(rc.cost.baselineMonthlyUsd, rw.cost.baselineMonthlyUsd, 'same trace, same baseline');
  const sw = classStats(rw, classOps(whole, 'score'));
  const sc = classStats(rc, classOps(comp, 'score'));
  assert.deepEqual(classOps(comp, 'score'), ['score', 'score_frs', 'score_pcs', 'score_signals']);
  assert.ok(sc.workSaved > sw.workSaved + 0.2, `score work saved ${sw.workSaved} -> ${sc.workSaved}`);
  assert.ok(rc.cost.monthlyUsd < rw.cost.monthlyUsd);
});

test('a component of an unknown or non-llm op is a scenario error with its path', () => {
  const s = loadScenario('scenarios/granularity-components.yaml');
  assert.throws(
    () => applyOverrides({ ...s, ops: { ...s.ops, score_frs: { ...s.ops.score_frs!, componentOf: 'memory' } } }, {}),
    /ops\.score_frs\.componentOf/,
  );
});
