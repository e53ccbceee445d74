/**
 * Bad input is refused in one sentence that names the command and the fix (exit 2): a trace of the
 * wrong kind for the command (detected from the content, not the name), an empty trace, a binary
 * file, a missing scenario, a result file of the wrong kind, a backend URL that is not one, an
 * unknown flag.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../cli-helper.js';
import { tempDir } from '../tmp-helper.js';
import { encodeOracleRecord } from '../../src/replay/oracle.js';
import { sniffTrace } from '../../src/io/sniff.js';

const tmp = tempDir('llmcache-input-');
const JSONL =
  '{"type":"header","schema":"llmcache/trace@1"}\n' +
  '{"type":"message","t":0,"contact":"c1","text":"hi"}\n' +
  '{"type":"request","t":0,"op":"score","contact":"c1","key":"score:c1:1","tokensIn":2000,"tokensOut":0}\n';
function oracle(n: number): Buffer {
  const b = Buffer.alloc(24 * n);
  for (let i = 0; i < n; i++) encodeOracleRecord(b, i * 24, i, i % 3, 100, -1);
  return b;
}
// Bytes that are neither text nor 24-byte records (one odd byte at the end), including a NUL and bytes
// that are invalid UTF-8 — a message must never quote them.
const BINARY = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0xff, 0xfe, 0x01]), Buffer.alloc(13, 0xc3)]);

/** Write bytes as they are (tmp.file would JSON-encode a Buffer). */
function put(name: string, data: Buffer): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, data);
  return p;
}

const files = {
  jsonl: tmp.file('trace.jsonl', JSONL),
  jsonlGzNamedTxt: put('keys.txt', gzipSync(JSONL)),
  keys: tmp.file('keys.jsonl', 'a\nb\na\n'),
  csv: tmp.file('reqs.txt', 'time,key,size\n1,a,10\n2,b,20\n3,a,10\n'),
  oracle: put('records.dat', oracle(6)),
  binary: put('image.png', BINARY),
  empty: tmp.file('empty.jsonl', ''),
  headerOnly: tmp.file('header.jsonl', '{"type":"header","schema":"llmcache/trace@1"}\n'),
  result: tmp.file('mrc.json', { schema: 'llmcache/mrc@1', points: [] }),
};

/** One line on stderr, exit 2, nothing on stdout, no raw control or replacement characters. */
function refused(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, pattern);
  assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
  assert.doesNotMatch(r.err, /[\u0000-\u0008\u000b-\u001f\ufffd]/, 'raw bytes in the message');
}

test('the trace kind comes from the content: gzip, JSONL, CSV header, oracleGeneral records, one key a line', () => {
  assert.equal(sniffTrace(files.jsonl).kind, 'llmcache-jsonl');
  assert.deepEqual(sniffTrace(files.jsonlGzNamedTxt), { kind: 'llmcache-jsonl', gzip: true, oracleRecords: false });
  assert.equal(sniffTrace(files.keys).kind, 'text');
  assert.equal(sniffTrace(files.csv).kind, 'csv');
  assert.deepEqual(sniffTrace(files.oracle), { kind: 'binary', gzip: false, oracleRecords: true });
  assert.deepEqual(sniffTrace(files.binary), { kind: 'binary', gzip: false, oracleRecords: false });
  assert.equal(sniffTrace(files.empty).kind, 'empty');
  assert.equal(sniffTrace(files.headerOnly).kind, 'empty');
  assert.equal(sniffTrace(files.result).kind, 'json');
});

test('mrc and replay refuse llmcache\'s own JSONL trace (even gzipped under another name) and name the commands that read it', async () => {
  for (const cmd of ['mrc', 'replay'])
    for (const f of [files.jsonl, files.jsonlGzNamedTxt])
      refused(await runCli([cmd, f]), new RegExp(`^llmcache ${cmd}: .* is an llmcache JSONL trace .*\`llmcache simulate --trace .*\` or .*\`llmcache trace stats `));
});

test('replay reads CSV and oracleGeneral by their content, whatever the file is called', async () => {
  const csv = await runCli(['replay', files.csv, '--cache', 'lru:1', '--json']);
  assert.equal(csv.code, 0, csv.err);
  assert.equal(JSON.parse(csv.out).format, 'csv');
  assert.equal(JSON.parse(csv.out).requests, 3);
  const bin = await runCli(['mrc', files.oracle, '--json']);
  assert.equal(bin.code, 0, bin.err);
  assert.equal(JSON.parse(bin.out).format, 'oracle');
});

test('a --format that contradicts the content is refused with the format to use', async () => {
  refused(await runCli(['replay', files.keys, '--format', 'oracle']), /^llmcache replay: .*keys\.jsonl is text, not the 24-byte binary records of --format oracle; use --format txt/);
  refused(await runCli(['mrc', files.oracle, '--format', 'txt']), /^llmcache mrc: .*records\.dat is binary \(24-byte oracleGeneral records\), not text \(--format txt\); use --format oracle/);
  refused(await runCli(['replay', files.result]), /^llmcache replay: .*mrc\.json is JSON, not a key-request trace/);
});

test('a binary file as a trace: one sentence, never its bytes', async () => {
  refused(await runCli(['simulate', '--trace', files.binary]), /^llmcache simulate: .*image\.png is a binary file, not a JSONL trace/);
  refused(await runCli(['trace', 'stats', files.binary]), /^llmcache trace stats: .*image\.png is a binary file, not a JSONL trace/);
  refused(await runCli(['replay', files.binary]), /^llmcache replay: .*image\.png is a binary file but not oracleGeneral/);
  refused(await runCli(['simulate', '--trace', files.oracle]), /is a binary oracleGeneral trace, not a JSONL trace .*`llmcache replay /);
  // A JSONL trace with a damaged line names file and line, with the bytes escaped.
  const damaged = tmp.file('damaged.jsonl', JSONL + '\u0001\u0002{"type":"message"}\n');
  refused(await runCli(['simulate', '--trace', damaged, '--scenario', 'scenarios/small.yaml']), /damaged\.jsonl:4: invalid JSON: .*\\u0001/);
});

test('empty or degenerate runs are refused: an empty trace, a header without events, bench of 0 s or 0 requests', async () => {
  for (const f of [files.empty, files.headerOnly]) {
    refused(await runCli(['simulate', '--trace', f]), /^llmcache simulate: .* has no events: a trace needs at least one message or request line/);
    refused(await runCli(['trace', 'stats', f]), /^llmcache trace stats: .* has no events/);
    refused(await runCli(['bench', '--trace', f, '--l2', 'memory', '-n', '10']), /^llmcache bench: .* has no events/);
  }
  refused(await runCli(['replay', files.empty]), /^llmcache replay: .*empty\.jsonl is empty: it has no requests/);
  refused(await runCli(['mrc', files.empty]), /^llmcache mrc: .*empty\.jsonl is empty/);
  refused(await runCli(['bench', '-d', '0s', '--l2', 'memory']), /^llmcache bench: --duration: a trial must last longer than 0, got "0s"/);
  refused(await runCli(['bench', '-d', '0ms', '--l2', 'memory']), /--duration: a trial must last longer than 0/);
  refused(await runCli(['bench', '-n', '0', '--l2', 'memory']), /^llmcache bench: --requests: expected an integer >= 1, got "0"/);
});

test('a missing scenario, a wrong-kind result for gate, a backend URL that is not one: one sentence with the fix', async () => {
  refused(await runCli(['simulate', '--scenario', 'nope.yaml']), /^llmcache simulate: nope\.yaml: no such scenario file; give a \.yaml or \.json scenario such as scenarios\/small\.yaml/);
  refused(await runCli(['sweep', '--scenario', 'nope.yaml', '--param', 'L1.capacity=1,2']), /^llmcache sweep: nope\.yaml: no such scenario file/);
  // The YAML parser recurses per level: 10,000 levels exhausted memory in a sweep; refused up front.
  refused(await runCli(['sweep', '--scenario', tmp.file('deep.yaml', 'tiers: ' + '['.repeat(10_000)), '--param', 'L1.capacity=1,2']), /deep\.yaml: nested deeper than 64 levels/);
  refused(await runCli(['simulate', '--scenario', put('binary.yaml', BINARY)]), /binary\.yaml is a binary file, not a YAML or JSON scenario/);
  refused(await runCli(['gate', '-b', files.result, '-c', files.result]), /^llmcache gate: (baseline|current) .*mrc\.json is a "llmcache\/mrc@1" document, not a simulate or bench result .*`llmcache simulate -o FILE` or `llmcache bench -o FILE`/);
  refused(await runCli(['gate', '-b', files.jsonl, '-c', files.jsonl]), /^llmcache gate: (baseline|current) .*trace\.jsonl is a JSONL trace \(one event a line\), not a simulate or bench result/);
  refused(await runCli(['gate', '-b', files.binary, '-c', files.binary]), /^llmcache gate: (baseline|current) .*image\.png is a binary file, not a simulate or bench result/);
  refused(await runCli(['bench', '--redis-url', 'notaurl', '-n', '10']), /^llmcache bench: --redis-url \(or REDIS_URL\) "notaurl" is not a redis URL; give one such as redis:\/\/127\.0\.0\.1:6379/);
  const pg = await runCli(['bench', '--pg-url', 'postgres//u:secret@x', '-n', '10', '--l2', 'memory']);
  refused(pg, /^llmcache bench: --pg-url \(or DATABASE_URL\) .* is not a postgres URL/);
});

test('an unknown flag is one line with a hint to --help, not the whole help', async () => {
  refused(await runCli(['simulate', '--sede', '3']), /^llmcache simulate: unknown option '--sede' \(Did you mean --seed\?\); see `llmcache simulate --help`$/m);
  refused(await runCli(['trace', 'stats', 'x', '--bogus']), /^llmcache trace stats: unknown option '--bogus'; see `llmcache trace stats --help`$/m);
  refused(await runCli(['frobnicate']), /^llmcache: unknown command 'frobnicate'; see `llmcache --help`$/m);
  refused(await runCli(['replay']), /^llmcache replay: missing required argument 'trace'; see `llmcache replay --help`$/m);
});
