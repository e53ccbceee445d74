import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../net-helper.js';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

test('bench with Redis down: exit 2, one sentence with the redacted URL and how to start Redis', async () => {
  const port = await freePort();
  const r = await runCli(['bench', '--redis-url', `redis://alice:s3cret@127.0.0.1:${port}`, '-n', '50', '--timeout', '300']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.doesNotMatch(r.err, /s3cret/);
  assert.match(r.err, new RegExp(`redis://alice:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
  assert.match(r.err, /redis-server --daemonize yes/);
  assert.match(r.err, /--l2 memory/);
  assert.doesNotMatch(r.err, /PGlite/, 'fails before starting the embedded Postgres');
});

test('bench refuses a non-loopback backend without --allow-remote', async () => {
  const r = await runCli(['bench', '--redis-url', 'redis://user:pw@10.1.2.3:6379', '-n', '10']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--allow-remote/);
  assert.doesNotMatch(r.err, /:pw@/);
});

test('bench takes the prompt-cache flags simulate takes: a minimum prefix above every prompt caches nothing', async () => {
  // --out into a temporary folder: a bench run otherwise keeps its result under results/ in the checkout.
  const tmp = tempDir('llmcache-bench-pc-');
  const args = ['bench', '--l2', 'memory', '--leads', '5', '--days', '1', '-n', '300', '--warmup', '0', '--json', '--out', `${tmp.dir}/bench.json`, '--force'];
  const base = await runCli(args);
  assert.equal(base.code, 0, base.err);
  const cached = JSON.parse(base.out).promptCache;
  assert.ok(cached.cachedTokens > 0, 'the default prompt cache reads some prefixes');
  const none = await runCli([...args, '--prompt-cache-min-tokens', '1000000']);
  assert.equal(none.code, 0, none.err);
  const p = JSON.parse(none.out).promptCache;
  assert.equal(p.cachedTokens, 0, 'no prompt is that long');
  assert.equal(p.inputTokens, cached.inputTokens, 'the same requests reached the model');
  const capped = await runCli([...args, '--prompt-cache-capacity', '1']);
  assert.ok(JSON.parse(capped.out).promptCache.cachedBlocks < cached.cachedBlocks, 'one block of capacity keeps fewer blocks');
});

test('bench --micro writes its result to --out when given (refusing an existing file without --force), and no other file', async () => {
  const tmp = tempDir('llmcache-micro-');
  const existing = tmp.file('existing.json', '{"keep":true}');
  const refused = await runCli(['bench', '--micro', '--l2', 'memory', '--out', existing]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^llmcache bench: .*existing\.json already exists; choose another --out or pass --force to replace it\n$/, 'refused before any work');
  assert.equal(readFileSync(existing, 'utf8'), '{"keep":true}');
  const results = () => (existsSync('results') ? readdirSync('results').filter((f) => f.startsWith('bench-')) : []);
  const before = results();
  const out = `${tmp.dir}/micro.json`;
  const r = await runCli(['bench', '--micro', '--l2', 'memory', '--out', out, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(out, 'utf8'), r.out, '--out holds what --json prints');
  assert.equal(JSON.parse(r.out).schema, 'llmcache/bench-micro@1');
  assert.deepEqual(results(), before, 'no results/bench-<timestamp>.json: only bench without --micro writes one by default');
  const rendered = await runCli(['report', out]);
  assert.equal(rendered.code, 0, rendered.err);
  assert.match(rendered.out, /^llmcache bench --micro · /);
});
