import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVICTION_PARAMETERS } from '../../src/tiers/store.js';
import { runCli, tempFile } from './helpers.js';

const FIXTURES = new URL('../fixtures/replay/', import.meta.url).pathname;

test('replay --json: schema, one result per cache, textbook miss counts', async () => {
  const r = await runCli(['replay', FIXTURES + 'belady.oracleGeneral.bin', '--format', 'oracle', '--cache', 'lru:3,fifo:3,fifo:4,sieve:4', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.schema, 'llmcache/replay@1');
  assert.equal(j.trace, FIXTURES + 'belady.oracleGeneral.bin');
  assert.equal(j.skipped, 0);
  assert.deepEqual(
    j.results.map((x: { policy: string; capacity: number; requests: number; misses: number }) => [x.policy, x.capacity, x.requests, x.misses]),
    [['lru', 3, 12, 10], ['fifo', 3, 12, 9], ['fifo', 4, 12, 10], ['sieve', 4, 12, 8]],
  );
  assert.equal(j.results[0].missRatio, 10 / 12);
  assert.ok(j.results[0].reqPerSec > 0);
});

test('replay: human table on stdout; format guessed from the name', async () => {
  const r = await runCli(['replay', FIXTURES + 'belady.txt', '--cache', 'lru:4']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^llmcache replay · .*belady\.txt\ntxt trace · 12 requests/);
  assert.match(r.out, /lru .* 4 .* 12 .* 8 .* 66\.67%/);
});

test('replay: a malformed line exits 2 naming file, line and field; --skip-invalid reports the count', async () => {
  const f = tempFile('bad.csv', 'time,key,size\n1,a,10\n2,b,-3\n3,a,10\n');
  const bad = await runCli(['replay', f, '--format', 'csv', '--cache', 'lru:10']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.csv: line 3: field size \(column 3\)/);
  assert.equal(bad.out, '');
  const ok = await runCli(['replay', f, '--format', 'csv', '--cache', 'lru:10', '--skip-invalid', '--json']);
  assert.equal(ok.code, 0, ok.err);
  const j = JSON.parse(ok.out);
  assert.equal(j.skipped, 1);
  assert.equal(j.requests, 2);
  assert.equal(j.results[0].misses, 1);
  assert.match(ok.err, /skipped 1 invalid/);
});

test('replay: truncated oracle file and bad flags exit 2', async () => {
  const f = tempFile('cut.bin', Buffer.alloc(30));
  const r = await runCli(['replay', f, '--format', 'oracle', '--cache', 'lru:10']);
  assert.equal(r.code, 2);
  assert.match(r.err, /record 1 \(byte offset 24\): truncated record: 6 of 24 bytes/);
  assert.equal((await runCli(['replay', f, '--format', 'oracle', '--cache', 'lru'])).code, 2);
  const unknown = await runCli(['replay', f, '--format', 'oracle', '--cache', 'lfu:10']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown policy "lfu"; use lru, fifo, sieve, clock, 2q, arc, s3fifo, tinylfu, opt/);
  assert.equal((await runCli(['replay', f, '--format', 'parquet'])).code, 2);
});

test('mrc --json: exact and sampled curves, with the sampling error', async () => {
  const r = await runCli(['mrc', FIXTURES + 'belady.txt', '--sample', '1', '--exact', '--points', '5', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.schema, 'llmcache/mrc@1');
  assert.deepEqual(j.exact.map((p: { capacity: number }) => p.capacity), [1, 2, 3, 4, 5]);
  // LRU on 1 2 3 4 1 2 5 1 2 3 4 5: 10 misses at 3 entries, 8 at 4, 5 (cold only) at 5
  assert.deepEqual(j.exact.slice(2).map((p: { missRatio: number }) => p.missRatio), [10 / 12, 8 / 12, 5 / 12]);
  assert.equal(j.sampled.rate, 1);
  assert.equal(j.sampled.maxAbsErrorVsExact, 0); // sampling everything is exact
  const t = await runCli(['mrc', FIXTURES + 'belady.txt', '--points', '3']);
  assert.match(t.out, /│ Capacity \(entries\) │ lru \(exact\) │\n/);
  assert.equal((await runCli(['mrc', FIXTURES + 'belady.txt', '--sample', '0'])).code, 2);
});

test('replay --cache opt: Belady\'s textbook miss counts on 1 2 3 4 1 2 5 1 2 3 4 5', async () => {
  // OPT, 3 frames: 1 2 3 miss; 4 evicts 3 (used furthest); 1 2 hit; 5 evicts 4 (1 2 come first);
  // 1 2 hit; 3 evicts 1; 4 evicts 2 (or 3); 5 hits = 7 misses. 4 frames: 1-4 miss, 5 evicts 4,
  // 4 evicts 1 (1 never again) = 6 misses.
  const r = await runCli(['replay', FIXTURES + 'belady.txt', '--cache', 'opt:3,opt:4,lru:3', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).results.map((x: { misses: number }) => x.misses), [7, 6, 10]);
});

test('mrc --policies opt: an OPT curve under the LRU curve, in the table and the JSON', async () => {
  const r = await runCli(['mrc', FIXTURES + 'belady.txt', '--points', '5', '--policies', 'opt,s3fifo', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.curves.map((c: { policy: string }) => c.policy), ['lru', 'opt', 's3fifo']);
  assert.deepEqual(j.curves[1].points.slice(2).map((p: { missRatio: number }) => p.missRatio * 12), [7, 6, 5]);
  const t = await runCli(['mrc', FIXTURES + 'belady.txt', '--points', '5', '--policies', 'opt']);
  assert.match(t.out, /│\s+opt \(Belady, lower bound\) │/);
  assert.match(t.out, /│ 3 +│ +83\.33% │ +58\.33% │/);
  assert.equal((await runCli(['mrc', FIXTURES + 'belady.txt', '--policies', 'best'])).code, 2);
});

test('mrc without --sample or --exact picks the exact curve for a small trace and says why', async () => {
  const r = await runCli(['mrc', FIXTURES + 'belady.txt', '--points', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.match(j.choice, /^exact \(the trace is [\d.]+ KiB on disk, at most 512 MiB\)/);
  assert.equal(j.sampled, undefined);
  const s = await runCli(['mrc', FIXTURES + 'belady.txt', '--points', '3', '--sample', 'auto', '--json']);
  const k = JSON.parse(s.out);
  assert.equal(k.choice, undefined);
  assert.equal(k.sampled.maxKeys, 16_384);
  assert.equal(k.sampled.rate, 1); // 5 keys: nothing to drop
});

test('replay --help: each policy\'s parameters, word-wrapped at 90 columns under the policy name, every word kept', async () => {
  const r = await runCli(['replay', '--help']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  for (const [policy, text] of Object.entries(EVICTION_PARAMETERS)) {
    const first = lines.findIndex((l) => l.startsWith(`  ${policy.padEnd(8)} `));
    assert.ok(first >= 0, `${policy} listed`);
    const own = [lines[first]!.slice(11)];
    for (let i = first + 1; lines[i]!.startsWith(' '.repeat(11)); i++) own.push(lines[i]!.slice(11));
    assert.equal(own.join(' '), text, `${policy}: the whole description`);
    for (const l of own) assert.ok(l.length <= 90 && !l.startsWith(' '), `${policy}: ${JSON.stringify(l)} within 90 columns`);
    own.slice(1).forEach((l, i) => assert.ok(own[i]!.length + 1 + l.split(' ')[0]!.length > 90, `${policy}: line ${i + 1} had room for "${l.split(' ')[0]}"`));
    if (text.length > 90) assert.ok(own.length > 1, `${policy}: a long description wraps`);
  }
});
