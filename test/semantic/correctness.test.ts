import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, HIT_CORRECT, HIT_FALSE, HIT_LEAK, SemanticCounters } from '../../src/semantic/correctness.js';

const req = { contact: 1, tenant: 0, intent: 5, version: 2 };

test('classify: correct, false (another intent), stale (older version), leak (another contact or tenant)', () => {
  assert.equal(classify(req, { ...req }), 'correct');
  assert.equal(classify(req, { ...req, intent: 6 }), 'false');
  assert.equal(classify(req, { ...req, version: 1 }), 'stale');
  assert.equal(classify(req, { ...req, contact: 2 }), 'leak');
  assert.equal(classify(req, { ...req, tenant: 1 }), 'leak');
});

test('a leak takes precedence over a wrong intent and an old version; a wrong intent over staleness', () => {
  assert.equal(classify(req, { contact: 9, tenant: 0, intent: 6, version: 0 }), 'leak');
  assert.equal(classify(req, { ...req, intent: 6, version: 0 }), 'false');
});

test('counters: precision = correct / hits, recall = correct / answerable', () => {
  const c = new SemanticCounters();
  c.record(HIT_CORRECT);
  c.record(HIT_CORRECT);
  c.record(HIT_FALSE);
  c.record(HIT_LEAK);
  c.answerable = 4;
  const s = c.toStats();
  assert.equal(s.hits, 4);
  assert.equal(s.precision, 0.5);
  assert.equal(s.recall, 0.5);
  assert.equal(s.leaks, 1);
});
