import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { applyOverrides, defaultScenario, opNames, type Scenario } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { simulate } from '../../src/sim/engine.js';
import { createSyntheticSource } from '../../src/trace/generator.js';
import { parseLine } from '../../src/trace/jsonl.js';
import { openTraceSource } from '../../src/trace/reader.js';
import { computeTraceStats } from '../../src/trace/stats.js';
import { writeSyntheticTrace } from '../../src/trace/writer.js';
import type { SimEvent } from '../../src/trace/types.js';
import { drain, tmpPath } from './helpers.js';

const small = (over: { seed?: number; leads?: number; days?: number } = {}): Scenario =>
  applyOverrides(defaultScenario(), { leads: 40, days: 2, ...over });

test('same seed → byte-identical file (plain and gzip); another seed → another file', async () => {
  const a = await writeSyntheticTrace(small(), tmpPath('a.jsonl'));
  const b = await writeSyntheticTrace(small(), tmpPath('b.jsonl'));
  const c = await writeSyntheticTrace(small({ seed: 7 }), tmpPath('c.jsonl'));
  const gz = await writeSyntheticTrace(small(), tmpPath('a.jsonl.gz'));
  const gz2 = await writeSyntheticTrace(small(), tmpPath('b.jsonl.gz'));
  const bytesA = readFileSync(a.file);
  assert.ok(a.events > 1000, String(a.events));
  assert.equal(a.bytes, bytesA.length);
  assert.ok(bytesA.equals(readFileSync(b.file)));
  assert.ok(!bytesA.equals(readFileSync(c.file)));
  assert.ok(gz.gzip && gz.fileBytes < gz.bytes / 4, `${gz.fileBytes} vs ${gz.bytes}`);
  assert.ok(readFileSync(gz.file).equals(readFileSync(gz2.file)));
  assert.ok(gunzipSync(readFileSync(gz.file)).equals(bytesA));
});

test('every line of a generated trace is valid; header, readable text and keys', async () => {
  const r = await writeSyntheticTrace(small(), tmpPath('lines.jsonl'));
  const lines = readFileSync(r.file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, r.events + 1);
  const recs = lines.map(parseLine);
  assert.deepEqual(recs[0], {
    type: 'header',
    schema: 'llmcache/trace@1.1',
    scenario: 'seed-article',
    seed: 42,
    ops: ['memory', 'score', 'intent', 'market', 'response'],
    spanMs: 2 * 86_400_000,
    contacts: 40,
    entities: 80,
    generator: 'llmcache trace generate',
  });
  const messages = recs.filter((x) => x.type === 'message');
  assert.ok(messages.length > 100);
  assert.ok(messages.every((m) => typeof m.text === 'string' && m.text.length > 10));
  assert.ok(messages.some((m) => /\b\d{5}\b/.test(m.text!)), 'some messages name a zip code');
  const keys = recs.flatMap((x) => (x.type === 'request' ? [x.key!] : []));
  assert.ok(keys.every((k) => typeof k === 'string'), 'every synthetic request has a key');
  assert.ok(keys.some((k) => /^market:z\d{3}:d\d+$/.test(k)));
  assert.ok(keys.some((k) => /^score:c\d{5}:[0-9a-f]{8}$/.test(k)));
  // Every LLM request describes its prompt: system, history, message, adding up to tokensIn.
  for (const r of recs) {
    if (r.type !== 'request' || r.depth !== undefined) continue;
    const segs = r.prefix!.segments!;
    assert.deepEqual(segs.map((x) => x.name), ['system', 'history', 'message']);
    assert.equal(segs.reduce((a, x) => a + x.tokens, 0), r.tokensIn);
  }
});

test('an existing file is not overwritten without overwrite', async () => {
  const p = tmpPath('exists.jsonl');
  await writeSyntheticTrace(small(), p);
  await assert.rejects(writeSyntheticTrace(small(), p), (e: unknown) => e instanceof InputError && /already exists/.test(e.message));
  await writeSyntheticTrace(small({ seed: 3 }), p, { overwrite: true });
});

/** Events equal field by field, ids equal up to a consistent renaming (a bijection per id kind). */
function assertSameEvents(a: SimEvent[], b: SimEvent[]): void {
  assert.equal(b.length, a.length);
  const maps = { contact: new Map<number, number>(), key: new Map<number, number>(), entity: new Map<number, number>() };
  const back = { contact: new Map<number, number>(), key: new Map<number, number>(), entity: new Map<number, number>() };
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    for (const f of ['kind', 't', 'tenant', 'op', 'version', 'depth', 'stream', 'toolUse', 'intent', 'paraphrase', 'tokensIn', 'tokensOut', 'seq'] as const)
      assert.equal(y[f], x[f], `event ${i} field ${f}`);
    for (const f of ['contact', 'key', 'entity'] as const) {
      if (f === 'key' && x.kind !== 1) continue;
      if (x[f] < 0 || y[f] < 0) {
        assert.equal(y[f] < 0, x[f] < 0, `event ${i} field ${f}`);
        continue;
      }
      const m = maps[f].get(x[f]);
      if (m === undefined) maps[f].set(x[f], y[f]);
      else assert.equal(y[f], m, `event ${i} field ${f}`);
      const n = back[f].get(y[f]);
      if (n === undefined) back[f].set(y[f], x[f]);
      else assert.equal(x[f], n, `event ${i} field ${f} (two ids read as one)`);
    }
  }
}

test('write then read gives back the generator events exactly (gzip)', async () => {
  const s = small({ leads: 60 });
  const r = await writeSyntheticTrace(s, tmpPath('rt.jsonl.gz'));
  const read = await openTraceSource(r.file, { ops: opNames(s) });
  assertSameEvents(drain(createSyntheticSource(s)), drain(read));
  assert.equal(read.spanMs(), createSyntheticSource(s).spanMs());
});

test('simulate over the written trace gives the same result as over the generator', async () => {
  const s = small({ leads: 80 });
  const r = await writeSyntheticTrace(s, tmpPath('sim.jsonl'));
  const direct = simulate(s);
  const replayed = simulate(s, { source: await openTraceSource(r.file, { ops: opNames(s) }) });
  assert.ok(direct.requests > 1000 && direct.hits > 0);
  // Everything agrees — tiers, bills and the prompt cache (segment ids survive the round trip) —
  // except where the figures come from.
  assert.ok(direct.promptCache!.cachedTokens > 0);
  assert.equal(direct.provenance!.source, 'synthetic');
  assert.equal(replayed.provenance!.source, 'trace');
  assert.deepEqual({ ...replayed, provenance: null }, { ...direct, provenance: null });
});

test('stats over the file equal stats over the generator (the reader loses nothing)', async () => {
  const s = small();
  const r = await writeSyntheticTrace(s, tmpPath('stats.jsonl'));
  const fromFile = computeTraceStats(await openTraceSource(r.file));
  const direct = computeTraceStats(createSyntheticSource(s));
  assert.deepEqual({ ...fromFile, popularity: null }, { ...direct, popularity: null });
  assert.deepEqual(fromFile.popularity.zipf, direct.popularity.zipf);
  assert.ok(fromFile.popularity.top.length === 10 && direct.popularity.top.length === 0); // names only from a file
});
