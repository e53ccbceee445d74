import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScenario } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { applyPoint, expandGrid, parseParam } from '../../src/sweep/grid.js';

test('parseParam: numbers, percents, booleans, null and strings', () => {
  assert.deepEqual(parseParam('L3.threshold=0.8,0.85,0.9'), { name: 'L3.threshold', values: [0.8, 0.85, 0.9] });
  assert.deepEqual(parseParam('L1.capacity=null,100').values, [null, 100]);
  assert.deepEqual(parseParam('L2.refreshOnHit=true,false').values, [true, false]);
  assert.deepEqual(parseParam('invalidation=local,broadcast').values, ['local', 'broadcast']);
  assert.deepEqual(parseParam('workload.retryRate=5%').values, [0.05]);
  assert.throws(() => parseParam('L3.threshold'), InputError);
  assert.throws(() => parseParam('L3.threshold='), InputError);
});

test('expandGrid: cartesian product, first axis slowest; a name given twice is refused', () => {
  const g = expandGrid([parseParam('a=1,2'), parseParam('b=x,y,z')]);
  assert.equal(g.length, 6);
  assert.deepEqual(g[0], { a: 1, b: 'x' });
  assert.deepEqual(g[5], { a: 2, b: 'z' });
  assert.throws(() => expandGrid([parseParam('a=1'), parseParam('a=2')]), /given twice/);
});

test('applyPoint sets tier fields by tier name and top-level paths, on a copy', () => {
  const base = defaultScenario();
  const s = applyPoint(base, { 'L3.threshold': 0.8, 'L1.capacity': 50, 'L2.ttl.score': 60, 'workers.count': 2, invalidation: 'broadcast' });
  assert.equal(s.tiers[2]!.threshold, 0.8);
  assert.equal(s.tiers[0]!.capacity, 50);
  assert.equal(s.tiers[1]!.ttl.score, 60);
  assert.equal(s.workers.count, 2);
  assert.equal(s.invalidation, 'broadcast');
  assert.equal(base.tiers[2]!.threshold, 0.92, 'the base scenario is untouched');
  // A TTL for an op the tier did not cache yet is allowed (ttl is a record of ops).
  assert.equal(applyPoint(base, { 'L1.ttl.response': 30 }).tiers[0]!.ttl.response, 30);
});

test('unknown tiers, fields and bad values fail as input errors naming the path', () => {
  const base = defaultScenario();
  assert.throws(() => applyPoint(base, { 'L9.threshold': 0.8 }), (e: Error) => e instanceof InputError && /unknown field L9/.test(e.message) && /tiers: L1, L2, L3/.test(e.message));
  assert.throws(() => applyPoint(base, { 'L3.treshold': 0.8 }), (e: Error) => e instanceof InputError && /tiers\[2\]\.treshold/.test(e.message));
  assert.throws(() => applyPoint(base, { 'L3.threshold': 'high' }), (e: Error) => e instanceof InputError && /tiers\[2\]\.threshold/.test(e.message));
  assert.throws(() => applyPoint(base, { 'L1.ttl.nosuchop': 5 }), /unknown op/);
  assert.throws(() => applyPoint(base, { 'workers.count': 0 }), /workers\.count/);
});
