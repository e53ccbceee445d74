import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { parseColumns } from '../../src/replay/csv.js';
import { ORACLE_RECORD_BYTES, encodeOracleRecord, oracleKey } from '../../src/replay/oracle.js';
import { openReader } from '../../src/replay/open.js';
import type { ReaderOptions, TraceFormat } from '../../src/replay/types.js';
import { drain, tempFile } from './helpers.js';

const read = (file: string, format: TraceFormat, opts: ReaderOptions = {}, batch = 5) => drain(openReader(file, format, opts), batch);

async function rejectsWith(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

function oracleFile(records: [number, bigint | number, number, bigint | number][], extra = Buffer.alloc(0), gzip = false): string {
  const buf = Buffer.alloc(records.length * ORACLE_RECORD_BYTES);
  records.forEach(([t, id, size, next], i) => encodeOracleRecord(buf, i * ORACLE_RECORD_BYTES, t, id, size, next));
  return tempFile('t.oracleGeneral.bin', Buffer.concat([buf, extra]), gzip);
}

test('txt: one key a line, interned to dense ids; CRLF, blank lines and a missing final newline handled', async () => {
  const f = tempFile('k.txt', 'alpha\r\nbeta\n\nalpha\ngamma');
  const r = await read(f, 'txt');
  assert.deepEqual(r.key, [0, 1, 0, 2]);
  assert.deepEqual(r.size, [1, 1, 1, 1]);
});

test('txt: tiny read chunks and gzip give the same keys as one big read', async () => {
  const lines = Array.from({ length: 500 }, (_, i) => `key-${(i * 37) % 91}-${'x'.repeat(i % 13)}`);
  const text = lines.join('\n') + '\n';
  const ref = await read(tempFile('a.txt', text), 'txt');
  assert.equal(ref.key.length, 500);
  assert.equal(new Set(ref.key).size, new Set(lines).size);
  assert.deepEqual((await read(tempFile('b.txt', text), 'txt', { chunkBytes: 3 })).key, ref.key);
  assert.deepEqual((await read(tempFile('c.txt.gz', text, true), 'txt', { chunkBytes: 7 })).key, ref.key);
});

test('txt: a line over the limit is an InputError naming file and line; --skip-invalid counts it', async () => {
  const f = tempFile('long.txt', `a\nb\n${'z'.repeat(50)}\nc\n`);
  await rejectsWith(read(f, 'txt', { maxLineBytes: 10 }), /long\.txt: line 3: longer than 10 bytes/);
  const reader = openReader(f, 'txt', { maxLineBytes: 10, skipInvalid: true, chunkBytes: 4 });
  const r = await drain(reader);
  assert.deepEqual(r.key, [0, 1, 2]);
  assert.equal(reader.skipped, 1);
});

test('a missing file is an InputError', () => {
  assert.throws(() => openReader('/nonexistent/trace.txt', 'txt'), (e: unknown) => e instanceof InputError && /no such file/.test(e.message));
});

test('csv: column mapping by position and by name=index, quotes, header', async () => {
  const f = tempFile('t.csv', 'time,key,size,ttl\n10,a,100,0\n11,"b,""x""",200,5\n12,a,100,0\n');
  const r = await read(f, 'csv', { columns: 'time,key,size,ttl', header: true });
  assert.deepEqual(r.key, [0, 1, 0]);
  assert.deepEqual(r.time, [10, 11, 12]);
  assert.deepEqual(r.size, [100, 200, 100]);
  assert.deepEqual(r.ttl, [0, 5, 0]);
  // without --columns the header names the columns; other names are ignored
  const g = tempFile('h.csv', 'ts,obj,key,size\n1,x,k1,7\n2,y,k2,8\n');
  const h = await read(g, 'csv');
  assert.deepEqual(h.key, [0, 1]);
  assert.deepEqual(h.size, [7, 8]);
  const p = await read(tempFile('p.csv', 'z;k9;3\nz;k8;4\n'), 'csv', { columns: 'key=2,size=3', delimiter: ';' });
  assert.deepEqual(p.size, [3, 4]);
  assert.deepEqual(parseColumns('-,key,,size'), { time: -1, key: 1, size: 3, ttl: -1 });
});

test('csv: bad mappings are InputErrors', () => {
  assert.throws(() => parseColumns('time,size'), /key column is required/);
  assert.throws(() => parseColumns('key,colour'), /unknown column "colour"/);
  assert.throws(() => parseColumns('key,key'), /given twice/);
  assert.throws(() => parseColumns('key,ttl'), /ttl column needs a time column/);
});

test('csv: a malformed line names file, line and field (exit-2 error); --skip-invalid counts', async () => {
  const body = 'time,key,size\n1,a,10\n2,b,ten\n3,c\n4,,5\n5,"d,9\nx,e,3\n6,f,7\n';
  const f = tempFile('bad.csv', body);
  await rejectsWith(read(f, 'csv', { columns: 'time,key,size', header: true }), /bad\.csv: line 3: field size \(column 3\): expected a non-negative number, got "ten"/);
  const reader = openReader(f, 'csv', { columns: 'time,key,size', header: true, skipInvalid: true });
  const r = await drain(reader);
  assert.deepEqual(r.time, [1, 6]);
  assert.equal(reader.skipped, 5); // ten, missing size, empty key, open quote, time "x"
  await rejectsWith(read(tempFile('m.csv', '1,a\n'), 'csv', { columns: 'time,key,size' }), /line 1: field size: missing/);
  await rejectsWith(read(tempFile('q.csv', '1,"a\n'), 'csv', { columns: 'time,key' }), /line 1: field column 2: unterminated quote/);
  await rejectsWith(read(tempFile('n.csv', 'a,b\n'), 'csv'), /not a header naming a key column/);
});

test('oracle: fields decoded exactly, ids above 2^32 kept, across chunk boundaries and gzip', async () => {
  const recs: [number, bigint, number, bigint][] = [
    [1, 7n, 100, 2n],
    [2, (1n << 40n) + 3n, 4096, -1n],
    [3, 7n, 100, -1n],
    [4294967295, (1n << 53n) - 1n, 4294967295, 9n],
  ];
  const want = { key: [7, 2 ** 40 + 3, 7, 2 ** 53 - 1], size: [100, 4096, 100, 4294967295], time: [1, 2, 3, 4294967295] };
  for (const [gzip, chunkBytes] of [[false, undefined], [false, 50], [true, 30]] as const) {
    const r = await read(oracleFile(recs, undefined, gzip), 'oracle', { chunkBytes }, 3);
    assert.deepEqual({ key: r.key, size: r.size, time: r.time }, want);
  }
});

test('oracle keysOnly: the same keys, folded ids counted, bad records still refused; time and size not filled', async () => {
  const recs: [number, bigint, number, bigint][] = [
    [1, 7n, 100, 2n],
    [2, (1n << 40n) + 3n, 4096, -1n],
    [3, (1n << 63n) + 5n, 100, -1n],
    [4294967295, (1n << 53n) - 1n, 4294967295, 9n],
    [5, 1n << 53n, 1, 0n], // the first id folded (2^53 - 1 above is the last one not)
  ];
  for (const [gzip, chunkBytes] of [[false, undefined], [false, 50], [true, 30]] as const) {
    const f = oracleFile(recs, undefined, gzip);
    const all = await read(f, 'oracle', { chunkBytes }, 3);
    const reader = openReader(f, 'oracle', { chunkBytes, keysOnly: true }) as import('../../src/replay/oracle.js').OracleReader;
    const keys = await drain(reader, 3);
    assert.deepEqual(keys.key, all.key);
    assert.deepEqual(keys.size.concat(keys.time), new Array(10).fill(0));
    assert.equal(reader.foldedIds, 2);
  }
  const bad = oracleFile([[1, 1n, 1, -1n], [2, 2n, 1, -5n], [3, 3n, 1, 0n]]);
  await rejectsWith(read(bad, 'oracle', { keysOnly: true }), /record 1 \(byte offset 24\): field next_access/);
  const reader = openReader(bad, 'oracle', { skipInvalid: true, keysOnly: true });
  assert.deepEqual((await drain(reader)).key, [1, 3]);
  assert.equal(reader.skipped, 1);
});

test('oracle: ids at or above 2^53 are folded into 53 bits and counted', async () => {
  const f = oracleFile([
    [0, (1n << 63n) + 5n, 1, -1n],
    [1, 5n, 1, -1n],
  ]);
  const reader = openReader(f, 'oracle') as import('../../src/replay/oracle.js').OracleReader;
  const r = await drain(reader);
  assert.equal(r.key[0], oracleKey(0x80000000, 5));
  assert.ok(Number.isSafeInteger(r.key[0]!));
  assert.notEqual(r.key[0], r.key[1]);
  assert.equal(reader.foldedIds, 1);
});

test('oracle: a truncated final record is a clean InputError with record index and byte offset', async () => {
  const f = oracleFile([[1, 1n, 1, -1n], [2, 2n, 1, -1n]], Buffer.alloc(10));
  await rejectsWith(read(f, 'oracle'), /record 2 \(byte offset 48\): truncated record: 10 of 24 bytes/);
  const reader = openReader(f, 'oracle', { skipInvalid: true });
  assert.equal((await drain(reader)).key.length, 2);
  assert.equal(reader.skipped, 1);
});

test('oracle: a next-access field below -1 is invalid (field named)', async () => {
  const f = oracleFile([[1, 1n, 1, -1n], [2, 2n, 1, -5n], [3, 3n, 1, 0n]]);
  await rejectsWith(read(f, 'oracle'), /record 1 \(byte offset 24\): field next_access/);
  const reader = openReader(f, 'oracle', { skipInvalid: true });
  assert.deepEqual((await drain(reader)).key, [1, 3]);
  assert.equal(reader.skipped, 1);
});
