import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dot, fromTrace, HashedTextEmbedder, SyntheticEmbedder } from '../../src/vectors/embeddings.js';

const cfg = { dim: 48, intents: 24, seed: 42, spread: { min: 0.12, max: 0.42 }, nearMissPairs: 4, nearMissCosine: 0.88 };

function vec(e: SyntheticEmbedder, intent: number, para: number): Float32Array {
  const v = new Float32Array(e.dim);
  e.embed(intent, para, v);
  return v;
}

test('synthetic paraphrases are unit vectors, deterministic per (intent, paraphrase)', () => {
  const e = new SyntheticEmbedder(cfg);
  const a = vec(e, 3, 17);
  assert.ok(Math.abs(dot(a, 0, a, 0, e.dim) - 1) < 1e-5);
  assert.deepEqual(vec(new SyntheticEmbedder(cfg), 3, 17), a);
  assert.notDeepEqual(vec(e, 3, 18), a);
  assert.notDeepEqual(vec(new SyntheticEmbedder({ ...cfg, seed: 43 }), 3, 17), a);
});

test('near-miss centroids sit at the configured cosine; other intents are far apart', () => {
  const e = new SyntheticEmbedder(cfg);
  const d = e.dim;
  const c = e.centroids;
  for (let p = 0; p < 4; p++) assert.ok(Math.abs(dot(c, 2 * p * d, c, (2 * p + 1) * d, d) - 0.88) < 1e-4);
  assert.equal(e.nearMissOf(2), 3);
  assert.equal(e.nearMissOf(3), 2);
  assert.equal(e.nearMissOf(8), -1);
  for (let i = 8; i < 24; i++) for (let j = i + 1; j < 24; j++) assert.ok(dot(c, i * d, c, j * d, d) < 0.7, `intents ${i},${j}`);
});

test('paraphrases of one intent are closer than paraphrases of a near-miss pair, which beat unrelated intents', () => {
  const e = new SyntheticEmbedder(cfg);
  let same = 0;
  let near = 0;
  let far = 0;
  const n = 200;
  for (let i = 0; i < n; i++) {
    same += dot(vec(e, 0, i), 0, vec(e, 0, i + 1000), 0, e.dim);
    near += dot(vec(e, 0, i), 0, vec(e, 1, i + 1000), 0, e.dim);
    far += dot(vec(e, 0, i), 0, vec(e, 12, i + 1000), 0, e.dim);
  }
  same /= n;
  near /= n;
  far /= n;
  assert.ok(same > 0.88 && same < 0.99, `same-intent mean cosine ${same}`);
  assert.ok(near > 0.72 && near < same - 0.05, `near-miss mean cosine ${near}`);
  assert.ok(far < 0.4, `unrelated mean cosine ${far}`);
});

test('hashed text embedder: deterministic, unit length, shared words bring texts closer', () => {
  const t = new HashedTextEmbedder(256);
  const a = t.embed("What's my home worth?");
  assert.deepEqual(t.embed("what's my HOME worth"), a);
  assert.ok(Math.abs(dot(a, 0, a, 0, 256) - 1) < 1e-5);
  const para = t.embed('what is my home worth today');
  const other = t.embed('schedule a viewing for Saturday morning');
  assert.ok(dot(a, 0, para, 0, 256) > dot(a, 0, other, 0, 256) + 0.3);
});

test('trace-carried embeddings pass through normalised and must have the right dimension', () => {
  const out = new Float32Array(3);
  fromTrace([3, 0, 4], 3, out);
  assert.deepEqual([...out].map((x) => Math.round(x * 100) / 100), [0.6, 0, 0.8]);
  assert.throws(() => fromTrace([1, 2], 3, out), /2 dimensions, expected 3/);
});
