import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyntheticEmbedder } from '../../src/vectors/embeddings.js';
import { SemanticIndex, type ScopeFilter } from '../../src/semantic/vector-index.js';

const DIM = 32;
const space = new SyntheticEmbedder({ dim: DIM, intents: 12, seed: 5, spread: { min: 0.1, max: 0.5 }, nearMissPairs: 3, nearMissCosine: 0.88 });

function v(intent: number, para: number): Float32Array {
  const out = new Float32Array(DIM);
  space.embed(intent, para, out);
  return out;
}

function meta(contact: number, intent: number, expiresAt = Infinity) {
  return { contact, tenant: contact % 3, intent, entity: contact, version: 0, createdAt: 0, expiresAt };
}

test('pruned search returns exactly what brute force returns, for every scope and threshold', () => {
  const ix = new SemanticIndex({ dim: DIM, capacity: null, maxPivots: 16 });
  for (let i = 0; i < 1500; i++) ix.insert(i, v(i % 12, i), 0, meta(i % 40, i % 12));
  const scopes: ScopeFilter[] = ['contact', 'tenant', 'none'];
  let found = 0;
  for (let q = 0; q < 200; q++) {
    const qv = v(q % 12, 10_000 + q);
    for (const scope of scopes)
      for (const th of [0.8, 0.85, 0.9, 0.95, 0.99]) {
        const brute = ix.searchBrute(qv, 0, scope, q % 40, (q % 40) % 3, th, 1);
        const bruteSim = ix.lastSimilarity;
        const fast = ix.search(qv, 0, scope, q % 40, (q % 40) % 3, th, 1);
        assert.equal(ix.lastSimilarity, bruteSim, `q${q} ${scope} ${th}`);
        if (brute !== fast) assert.equal(ix.lastSimilarity, bruteSim); // equal-similarity tie only
        if (fast >= 0) found++;
      }
  }
  assert.ok(found > 500, `searches with a hit: ${found}`);
});

test('unscoped search compares far fewer vectors than a scan', () => {
  const ix = new SemanticIndex({ dim: DIM, capacity: null });
  for (let i = 0; i < 2000; i++) ix.insert(i, v(i % 12, i), 0, meta(i % 50, i % 12));
  ix.comparisons = 0;
  for (let q = 0; q < 100; q++) ix.search(v(q % 12, 50_000 + q), 0, 'none', 0, 0, 0.9, 1);
  assert.ok(ix.comparisons < 100 * 2000 * 0.4, `comparisons ${ix.comparisons}`);
});

test('contact scope never returns another contact; none does', () => {
  const ix = new SemanticIndex({ dim: DIM, capacity: null });
  ix.insert(1, v(4, 1), 0, meta(7, 4));
  assert.equal(ix.search(v(4, 2), 0, 'contact', 8, 8 % 3, 0.5, 1), -1);
  const s = ix.search(v(4, 2), 0, 'none', 8, 8 % 3, 0.5, 1);
  assert.ok(s >= 0);
  assert.equal(ix.contactOf(s), 7);
});

test('expired entries are skipped and removed; capacity evicts through the store policy', () => {
  const ix = new SemanticIndex({ dim: DIM, capacity: 3, eviction: 'lru' });
  ix.insert(1, v(0, 1), 0, meta(1, 0, 100));
  assert.ok(ix.search(v(0, 2), 0, 'contact', 1, 1, 0.5, 50) >= 0);
  assert.equal(ix.search(v(0, 2), 0, 'contact', 1, 1, 0.5, 100), -1);
  assert.equal(ix.size, 0);
  for (let k = 10; k < 15; k++) ix.insert(k, v(1, k), 0, meta(2, 1));
  assert.equal(ix.size, 3);
  assert.equal(ix.store.evictions, 2);
  // The evicted keys are gone from the search structures too: brute force and search agree.
  const s = ix.search(v(1, 99), 0, 'none', 2, 2, 0.5, 1);
  assert.ok(s >= 0 && ix.keyAt(s) >= 12);
  assert.equal(ix.getExact(10, 1), -1);
  assert.ok(ix.getExact(14, 1) >= 0);
});

test('a search given an op only matches entries of that op, in every scope', () => {
  const ix = new SemanticIndex({ dim: DIM, capacity: null, maxPivots: 16 });
  const q = v(5, 1);
  ix.insert(1, q, 0, { ...meta(7, 5), op: 4 }); // the very same vector, cached for op 4
  for (const scope of ['contact', 'tenant', 'none'] as ScopeFilter[]) {
    assert.equal(ix.search(q, 0, scope, 7, 7 % 3, 0.99, 1, -1, 0, 3), -1, `${scope}: op 3 must not see op 4's entry`);
    assert.ok(ix.search(q, 0, scope, 7, 7 % 3, 0.99, 1, -1, 0, 4) >= 0, `${scope}: op 4 finds it`);
    assert.ok(ix.search(q, 0, scope, 7, 7 % 3, 0.99, 1) >= 0, `${scope}: no op given matches any`);
  }
});

test('a search drops the expired entries it meets: a contact scan every entry of the contact whatever its op, a pivot scan only those past its filters', () => {
  for (const scope of ['contact', 'none'] as const) {
    const ix = new SemanticIndex({ dim: DIM, capacity: null });
    ix.insert(1, v(0, 1), 0, { ...meta(5, 0, 100), op: 1 });
    ix.insert(2, v(0, 2), 0, { ...meta(5, 0), op: 2 });
    const hit = ix.search(v(0, 3), 0, scope, 5, meta(5, 0).tenant, -1, 200, -1, 0, 2);
    assert.equal(ix.keyAt(hit), 2, scope);
    // The order decides what stays in the store, and so what an eviction later picks.
    assert.equal(ix.size, scope === 'contact' ? 1 : 2, scope);
  }
});
