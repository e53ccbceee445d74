import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';

const tmp = tempDir('llmcache-simulate-');

test('simulate --json prints one object with the contract fields; --out writes the same result', async () => {
  const out = tmp.file('result.json', '');
  const r = await runCli(['simulate', '--scenario', 'scenarios/small.yaml', '--json', '--out', out, '--force']);
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  for (const field of ['schema', 'requests', 'llmCalls', 'bypassed', 'hitRate', 'tiers', 'latencyMs', 'staleness', 'semantic', 'cost'])
    assert.ok(field in result, field);
  for (const p of ['p50', 'p95', 'p99', 'p999', 'max']) assert.equal(typeof result.latencyMs[p], 'number', p);
  for (const t of result.tiers) for (const f of ['name', 'lookups', 'hits', 'hitRate', 'share']) assert.ok(f in t, `tiers[].${f}`);
  for (const f of ['baselineMonthlyUsd', 'monthlyUsd', 'savingsPct', 'assumptions']) assert.ok(f in result.cost, `cost.${f}`);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), result);
});

test('simulate prints tables for people without --json', async () => {
  const r = await runCli(['simulate', '--scenario', 'scenarios/small.yaml']);
  assert.equal(r.code, 0, r.err);
  for (const section of ['Tiers', 'Latency', 'LLM calls', 'Staleness', 'Cost', 'Assumptions']) assert.match(r.out, new RegExp(section));
});

test('a scenario with wrong fields exits 2 and lists every path', async () => {
  const bad = tmp.file('bad.yaml', 'workload:\n  leads: -3\ntiers:\n  - { name: L1, kind: memcached, ttl: { scroe: 60 } }\n');
  const r = await runCli(['simulate', '--scenario', bad]);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  for (const path of ['workload.leads', 'tiers[0].kind', 'tiers[0].ttl.scroe']) assert.match(r.err, new RegExp(path.replace(/[[\].]/g, '\\$&')));
});

test('bad flags exit 2; an existing --out is not overwritten without --force', async () => {
  assert.equal((await runCli(['simulate', '--leads', '0'])).code, 2);
  assert.equal((await runCli(['simulate', '--routing', 'sideways', '--leads', '5', '--days', '1'])).code, 2);
  const existing = tmp.file('keep.json', '{"keep":true}');
  const r = await runCli(['simulate', '--scenario', 'scenarios/small.yaml', '--out', existing]);
  assert.equal(r.code, 2);
  assert.match(r.err, /already exists/);
  assert.equal(readFileSync(existing, 'utf8'), '{"keep":true}');
});
