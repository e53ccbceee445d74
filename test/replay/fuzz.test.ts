/**
 * Property-based fuzzing of the trace readers (txt, csv, oracle): random, truncated and oversized
 * lines and records, plain or gzip (intact, cut short or corrupted). Every run must end in a result
 * or an InputError (exit 2) within a time limit — never another exception or a hang — and a line
 * longer than the limit must never be buffered whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { replay } from '../../src/replay/engine.js';
import { openReader } from '../../src/replay/open.js';
import type { ReaderOptions, TraceFormat } from '../../src/replay/types.js';
import { tempFile } from './helpers.js';
import { measured, writeFilled } from '../timing-helper.ts';

const MAX_LINE = 64;
const TIME_LIMIT_MS = 5_000;

type Outcome = { ok: true; requests: number; skipped: number } | { ok: false; error: InputError };

/** Replay the file through one LRU; InputError is an outcome, anything else (or a hang) a failure. */
async function outcome(file: string, format: TraceFormat, opts: ReaderOptions): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no outcome within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
  });
  try {
    const reader = openReader(file, format, { maxLineBytes: MAX_LINE, chunkBytes: 16, ...opts });
    const run = await Promise.race([replay(reader, [{ policy: 'lru', capacity: 4 }], { batchSize: 3 }), hang]);
    return { ok: true, requests: run.requests, skipped: run.skipped };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e };
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Bytes as written: plain, gzip, gzip cut short, or gzip with a flipped byte. */
const packaging = fc.constantFrom('plain', 'gzip', 'gzip-cut', 'gzip-flip');
function pack(buf: Buffer, how: string, at: number): Buffer {
  if (how === 'plain') return buf;
  const gz = gzipSync(buf);
  if (how === 'gzip') return gz;
  if (how === 'gzip-cut') return gz.subarray(0, at % gz.length);
  const flipped = Buffer.from(gz);
  flipped[10 + (at % Math.max(1, gz.length - 10))]! ^= 0xff;
  return flipped;
}

const byteLine = fc.oneof(
  fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a).toString('latin1')),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: MAX_LINE + 1, max: 5 * MAX_LINE }).map((n) => 'x'.repeat(n)), // oversized
);
const cell = fc.oneof(
  fc.integer({ min: -5, max: 1e6 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('', '"', '""', '"a,b"', '"open', 'k"x', ',', 'key', 'time', '\r', '1e309', ' 7 '),
  fc.string({ maxLength: 8 }),
);
const csvLine = fc.oneof(fc.array(cell, { maxLength: 6 }).map((cs) => cs.join(',')), byteLine);
const columns = fc.constantFrom(undefined, 'key', 'time,key,size', 'time,key,size,ttl', '-,key', 'key=2,size=1', 'size,key');

const textFile = (line: fc.Arbitrary<string>) =>
  fc.record({
    lines: fc.array(line, { maxLength: 40 }),
    finalNewline: fc.boolean(),
    cut: fc.nat(),
    how: packaging,
    skipInvalid: fc.boolean(),
  });

function check(o: Outcome, skipInvalid: boolean): void {
  if (o.ok) {
    assert.ok(o.requests >= 0 && o.skipped >= 0);
    if (!skipInvalid) assert.equal(o.skipped, 0);
  } else {
    assert.match(o.error.message, /: (line \d+|record \d+|gzip|cannot read)/);
  }
}

test('fuzz txt reader: result or InputError, never a crash or hang; over-long lines never pass silently', async () => {
  await fc.assert(
    fc.asyncProperty(textFile(byteLine), async ({ lines, finalNewline, cut, how, skipInvalid }) => {
      const text = Buffer.from(lines.join('\n') + (finalNewline ? '\n' : ''), 'latin1');
      const file = tempFile('f.txt', pack(text.subarray(0, how === 'plain' && cut % 3 === 0 ? cut % (text.length + 1) : text.length), how, cut));
      const o = await outcome(file, 'txt', { skipInvalid });
      check(o, skipInvalid);
      const tooLong = lines.some((l) => l.replace(/\r$/, '').length > MAX_LINE);
      if (how === 'plain' && cut % 3 !== 0 && tooLong && !skipInvalid) assert.ok(!o.ok, 'an over-long line must be an error');
    }),
    { numRuns: 250, seed: 1126 },
  );
});

test('fuzz csv reader: result or InputError, never a crash or hang', async () => {
  await fc.assert(
    fc.asyncProperty(textFile(csvLine), columns, fc.boolean(), async ({ lines, finalNewline, cut, how, skipInvalid }, cols, header) => {
      const text = Buffer.from(lines.join('\n') + (finalNewline ? '\n' : ''), 'latin1');
      const file = tempFile('f.csv', pack(text, how, cut));
      check(await outcome(file, 'csv', { skipInvalid, columns: cols, header }), skipInvalid);
    }),
    { numRuns: 250, seed: 2611 },
  );
});

test('fuzz oracle reader: random, truncated and oversized records give a result or InputError', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 24 * 12 + 23 }),
      fc.boolean(),
      packaging,
      fc.nat(),
      async (bytes, skipInvalid, how, at) => {
        const buf = Buffer.from(bytes);
        const o = await outcome(tempFile('f.bin', pack(buf, how, at)), 'oracle', { skipInvalid });
        check(o, skipInvalid);
        if (how === 'plain') {
          if (buf.length % 24 !== 0 && !skipInvalid) assert.ok(!o.ok, 'a truncated final record must be an error');
          if (o.ok) assert.equal(o.requests + o.skipped, Math.ceil(buf.length / 24));
        }
      },
    ),
    { numRuns: 250, seed: 611 },
  );
});

test('a huge file without a newline is rejected at the line limit without buffering it (txt and csv)', async (t) => {
  const big = writeFilled(tempFile('nonl.txt', ''), 24 << 20, 0x61); // 24 MiB of "a", no newline
  for (const format of ['txt', 'csv'] as const) {
    const before = process.memoryUsage().rss;
    const reader = openReader(big, format, { columns: format === 'csv' ? 'key' : undefined });
    await assert.rejects(replay(reader, [{ policy: 'lru', capacity: 4 }]), /line 1: longer than 1048576 bytes/);
    assert.ok(reader.bytesRead < 12 << 20, `read ${reader.bytesRead} bytes before giving up`);
    const grew = process.memoryUsage().rss - before;
    measured(t, `huge-line-${format}.rss_growth_bytes`, grew, '<', 20 << 20);
    assert.ok(grew < 20 << 20, `memory grew with the line: ${grew} bytes`);
  }
});
