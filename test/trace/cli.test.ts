import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultScenario } from '../../src/config.js';
import { MEMORY_DEPTHS } from '../../src/trace/types.js';
import { HEADER, req, runCli, runCliProcess, tmpPath, traceFile } from './helpers.js';

test('trace stats on a generated 500-lead trace recovers the configured access-depth mix within ±0.5 pp', async () => {
  // 500 leads × 12 days ≈ 60,000 messages × 1.5 bots ≈ 90,000 memory reads. Each depth count is
  // binomial, so the standard error of a fraction p is sqrt(p(1-p)/n): 0.146 pp for recent10
  // (p = 0.742), 0.116 pp for recent100, 0.107 pp for full. ±0.5 pp is ≥ 3.4 standard errors
  // for every depth (two-sided miss probability < 0.07 % per depth for any seed), and the seed is
  // fixed, so the test is deterministic; 30 days would only take longer for a tighter margin.
  const file = tmpPath('article-500.jsonl');
  const gen = await runCli(['trace', 'generate', '--leads', '500', '--days', '12', '--seed', '42', '-o', file]);
  assert.equal(gen.code, 0, gen.err);
  assert.match(gen.err, /wrote \d+ events/);
  const r = await runCli(['trace', 'stats', file, '--json']);
  assert.equal(r.code, 0, r.err);
  const stats = JSON.parse(r.out);
  assert.equal(stats.schema, 'llmcache/trace-stats@1');
  assert.ok(stats.memoryReads > 80_000, String(stats.memoryReads));
  const configured = defaultScenario().workload.depthMix;
  for (const d of MEMORY_DEPTHS) {
    const pp = Math.abs(stats.accessDepth[d] - configured[d]) * 100;
    assert.ok(pp <= 0.5, `${d}: ${stats.accessDepth[d]} vs ${configured[d]} (${pp.toFixed(3)} pp)`);
  }
  assert.equal(stats.skipped, 0);
  assert.ok(stats.repeatedCallRate > 0 && stats.repeatedCallRate < 1);
});

test('trace stats prints tables; --top lists keys', async () => {
  const f = traceFile('cli-ok.jsonl', [HEADER, req(0, { key: 'k1' }), req(5, { key: 'k1' }), req(9, { key: 'k2', op: 'memory', depth: 'full' })]);
  const r = await runCli(['trace', 'stats', f, '--top', '1']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /3 events/);
  assert.match(r.out, /full .* 1 .* 100\.00%/);
  assert.match(r.out, /Top key .*\n.*\n.* k1 .* 2 /);
});

test('a malformed line: exit 2, the message names file, line and field (gzip too)', async () => {
  // In a child process: the real exit code of the real binary path, gzip input.
  const gz = traceFile('cli-bad.jsonl.gz', [HEADER, req(0), req(1, { op: 42 })], { gzip: true });
  const z = runCliProcess(['trace', 'stats', gz]);
  assert.equal(z.code, 2, z.err);
  assert.match(z.err, /cli-bad\.jsonl\.gz:3: field "op": expected a non-empty string, got 42/);
  const f = traceFile('cli-bad.jsonl', [HEADER, req(0), req(1), req(2, { tokensOut: 'lots' })]);
  const r = await runCli(['trace', 'stats', f, '--json']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /cli-bad\.jsonl:4: field "tokensOut": expected an integer >= 0, got "lots"/);
});

test('--skip-invalid finishes, reports the skipped lines on stderr and `skipped` in the JSON', async () => {
  const f = traceFile('cli-skip.jsonl', [HEADER, req(0), '{oops', req(1), req(2, { depth: 'sideways' }), req(3)]);
  const r = await runCli(['trace', 'stats', f, '--json', '--skip-invalid']);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.skipped, 2);
  assert.equal(s.requests, 3);
  assert.match(r.err, /cli-skip\.jsonl:3: invalid JSON/);
  assert.match(r.err, /cli-skip\.jsonl:5: field "depth"/);
  assert.match(r.err, /skipped 2 invalid line\(s\) of 6/);
  const human = await runCli(['trace', 'stats', f, '--skip-invalid']);
  assert.match(human.out, /skipped 2 invalid line\(s\)/);
});

test('generate refuses to overwrite without --force; a missing -o is exit 2', async () => {
  const f = tmpPath('cli-gen.jsonl.gz');
  assert.equal((await runCli(['trace', 'generate', '--leads', '5', '--days', '0.5', '-o', f])).code, 0);
  const again = await runCli(['trace', 'generate', '--leads', '5', '--days', '0.5', '-o', f]);
  assert.equal(again.code, 2);
  assert.match(again.err, /already exists/);
  assert.equal((await runCli(['trace', 'generate', '--leads', '5', '--days', '0.5', '-o', f, '--force'])).code, 0);
  assert.equal((await runCli(['trace', 'generate', '--leads', '5'])).code, 2); // -o is required
  assert.ok(readFileSync(f).length > 0);
});
