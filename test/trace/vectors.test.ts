import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultScenario } from '../../src/config.js';
import { dot } from '../../src/vectors/embeddings.js';
import { TraceVectors, type VectorSource } from '../../src/trace/vectors.js';
import { simulate } from '../../src/sim/engine.js';
import { EVENT_REQUEST, newSimEvent, type EventSource, type SimEvent } from '../../src/trace/types.js';

test('trace vectors: the record embedding wins, then its text, else none', () => {
  const tv = new TraceVectors(4);
  const out = new Float32Array(4);
  assert.equal(tv.fill({ embedding: [0, 0, 3, 4] }, out), true);
  assert.deepEqual([...out].map((x) => +x.toFixed(2)), [0, 0, 0.6, 0.8]);
  assert.equal(tv.fill({ text: 'hello there' }, out), true);
  assert.ok(Math.abs(dot(out, 0, out, 0, 4) - 1) < 1e-5);
  assert.equal(tv.fill({}, out), false);
});

/**
 * A hand-made recorded trace: contact 0 asks twice in other words (texts), contact 1 asks once.
 * With a contact-scoped semantic L3 fed by the text embedder, the re-ask is a semantic hit.
 */
function textTrace(texts: { contact: number; key: number; text: string }[]): EventSource & VectorSource & { opNames: string[] } {
  const tv = new TraceVectors(defaultScenario().embedding.dim);
  let i = -1;
  return {
    opNames: ['memory', 'score', 'intent', 'market', 'response'],
    contacts: 2,
    entities: 2,
    spanMs: () => 86_400_000,
    next(ev: SimEvent): boolean {
      if (++i >= texts.length) return false;
      Object.assign(ev, newSimEvent(), { kind: EVENT_REQUEST, t: 1000 * (i + 1), op: 4, contact: texts[i]!.contact, key: texts[i]!.key, entity: texts[i]!.contact, tokensIn: 3000 });
      return true;
    },
    vectorOf: (_ev, out, off) => tv.fill({ text: texts[i]!.text }, out, off),
  };
}

test('simulate uses the vectors a source carries (text embedder), counting embedding calls', () => {
  const s = defaultScenario();
  s.tiers[2]!.threshold = 0.6;
  const r = simulate(s, {
    source: textTrace([
      { contact: 0, key: 10, text: 'what is my home worth' },
      { contact: 1, key: 11, text: 'what is my home worth' },
      { contact: 0, key: 12, text: "what's my home worth?" },
    ]),
  });
  assert.equal(r.semantic!.embeddingCalls, 3);
  assert.equal(r.semantic!.hits, 1, 'the re-ask of contact 0 only; contact 1 is out of scope');
  assert.equal(r.semantic!.leaks, 0);
});
