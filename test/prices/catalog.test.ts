import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../cli-helper.js';
import { loadCatalog, nearNames } from '../../src/prices/catalog.js';
import { normalizeScenario, applyOverrides, defaultScenario, ScenarioError } from '../../src/config.js';

const CONTRACT_KEYS = ['provider', 'model', 'inputPerMTok', 'outputPerMTok', 'cacheReadPerMTok', 'cacheWrite5mPerMTok', 'cacheWrite1hPerMTok', 'minCacheTokens', 'asOf', 'source'];

test('every catalog entry has the contract fields, a dated https source and coherent prices', () => {
  const cat = loadCatalog();
  assert.match(cat.checkedOn, /^\d{4}-\d{2}-\d{2}$/);
  const providers = new Set(cat.models.map((m) => m.provider));
  for (const p of ['anthropic', 'openai', 'google', 'deepseek']) assert.ok(providers.has(p), `catalog lacks ${p}`);
  const names = new Set<string>();
  for (const m of cat.models) {
    assert.deepEqual(Object.keys(m), CONTRACT_KEYS, m.model);
    assert.ok(!names.has(m.model), `duplicate ${m.model}`);
    names.add(m.model);
    assert.match(m.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(m.source, /^https:\/\//);
    assert.ok(m.inputPerMTok > 0 && m.outputPerMTok >= m.inputPerMTok, m.model);
    if (m.cacheReadPerMTok !== null) assert.ok(m.cacheReadPerMTok < m.inputPerMTok, `${m.model}: a cache read is a discount`);
    if (m.cacheWrite5mPerMTok !== null) assert.ok(m.cacheWrite5mPerMTok >= m.inputPerMTok, `${m.model}: a cache write costs at least the input price`);
  }
});

test("Anthropic's published multipliers hold for every Anthropic entry: read 0.1x, 5m write 1.25x, 1h write 2x", () => {
  for (const m of loadCatalog().models.filter((x) => x.provider === 'anthropic')) {
    assert.equal(m.cacheReadPerMTok, +(m.inputPerMTok * 0.1).toFixed(4), m.model);
    assert.equal(m.cacheWrite5mPerMTok, m.inputPerMTok * 1.25, m.model);
    assert.equal(m.cacheWrite1hPerMTok, m.inputPerMTok * 2, m.model);
  }
});

test('llmcache prices --json prints the catalog array; the table lists every model', async () => {
  const json = await runCli(['prices', '--json']);
  assert.equal(json.code, 0);
  const arr = JSON.parse(json.out) as Record<string, unknown>[];
  assert.equal(arr.length, loadCatalog().models.length);
  assert.deepEqual(Object.keys(arr[0]!), CONTRACT_KEYS);
  const table = await runCli(['prices']);
  for (const m of loadCatalog().models) assert.ok(table.out.includes(m.model), m.model);
  const one = JSON.parse((await runCli(['prices', '--json', '--provider', 'deepseek'])).out) as { provider: string }[];
  assert.ok(one.length > 0 && one.every((m) => m.provider === 'deepseek'));
});

test('a scenario op names a catalog model and overrides one field; the rest comes from the catalog', () => {
  const s = normalizeScenario({ ops: { score: { model: 'claude-sonnet-4-5' } }, models: { 'claude-sonnet-4-5': { outputPerMTok: 12 } } });
  assert.deepEqual(s.models['claude-sonnet-4-5'], { inputPerMTok: 3, outputPerMTok: 12, cachedInputPerMTok: 0.3, cacheWrite5mPerMTok: 3.75, cacheWrite1hPerMTok: 6, minCacheTokens: 1024 });
  const plain = normalizeScenario({ ops: { score: { model: 'gpt-5.4' } } });
  assert.deepEqual(plain.models['gpt-5.4'], { inputPerMTok: 2.5, outputPerMTok: 15, cachedInputPerMTok: 0.25, minCacheTokens: 1024 });
});

test('an unknown model is a scenario error (exit 2) that suggests near names', async () => {
  assert.throws(
    () => normalizeScenario({ ops: { score: { model: 'claude-sonet-4-5' } } }),
    (e: unknown) => e instanceof ScenarioError && /ops\.score\.model: unknown model "claude-sonet-4-5".*did you mean claude-sonnet-4-5/.test(e.message),
  );
  assert.throws(() => applyOverrides(defaultScenario(), { model: 'gpt5.4' }), /--model: unknown model "gpt5.4".*did you mean gpt-5\.4/);
  const r = await runCli(['simulate', '--model', 'deepseek-chatt', '--leads', '5', '--days', '1']);
  assert.equal(r.code, 2);
  assert.match(r.err, /did you mean deepseek-chat/);
  assert.deepEqual(nearNames('haiku', ['claude-haiku-4-5', 'gpt-4.1', 'claude-opus-4-5'], 1), ['claude-haiku-4-5']);
});

test('--model prices every LLM op with the catalog model', () => {
  const s = applyOverrides(defaultScenario(), { model: 'gemini-2.5-flash' });
  for (const op of Object.values(s.ops)) if (op.kind === 'llm') assert.equal(op.model, 'gemini-2.5-flash');
  assert.equal(s.models['gemini-2.5-flash']!.inputPerMTok, 0.3);
});
