/**
 * Property-based fuzzing of the JSONL reader: random, mutated, truncated and oversized lines and
 * corrupted gzip must end in a result or a clean InputError — never another exception, a hang
 * (each test has a timeout) or memory that grows with the input (fixed line buffer; checked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { slowValidate, TraceLineError, validateRecord } from '../../src/trace/jsonl.js';
import { openTraceSource } from '../../src/trace/reader.js';
import { drain, HEADER, req, tmpPath } from './helpers.js';
import { measured, writeFilled } from '../timing-helper.ts';

const MAX_LINE = 512;

/** Field values of every JSON kind, plus the awkward ones. */
const anyValue = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 1e308, 2 ** 53, '', 'recent10', 'full', true, false, null, 'score', 'memory', [], {}, [1, 2], { a: 1 }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const fieldName = fc.constantFrom(
  'type', 't', 'op', 'contact', 'tenant', 'key', 'tokensIn', 'tokensOut', 'model', 'stream', 'toolUse', 'depth', 'intent',
  'paraphrase', 'entity', 'version', 'text', 'embedding', 'meta', 'seq', 'from', 'to', 'schema', 'ops', '__proto__', 'constructor', 'x',
);
const typeValue = fc.constantFrom('request', 'message', 'state', 'header', 'other');

/** A valid record with some fields replaced, removed or added. */
const mutatedRecord = fc
  .tuple(
    fc.constantFrom<Record<string, unknown>>(
      req(1),
      req(1, { op: 'memory', depth: 'recent100' }),
      req(1, { entity: 'contact:c1', version: 2, stream: true, intent: 3 }),
      { type: 'message', t: 1, contact: 'c1', seq: 2, text: 'hi' },
      { type: 'state', t: 1, entity: 'market:1', version: 4, contact: 'c1' },
    ),
    fc.array(fc.tuple(fieldName, fc.option(anyValue, { nil: undefined })), { maxLength: 3 }),
    typeValue,
    fc.boolean(),
  )
  .map(([base, edits, type, retype]) => {
    const o: Record<string, unknown> = { ...base };
    if (retype) o.type = type;
    for (const [k, v] of edits) {
      if (v === undefined) delete o[k];
      else Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return o;
  });

/** One line of a fuzzed trace. */
const validLine = fc
  .tuple(fc.constantFrom(0, 1, 2), fc.string({ minLength: 1, maxLength: 12 }), fc.nat({ max: 50 }))
  .map(([kind, name, k]) =>
    JSON.stringify(
      kind === 0 ? req(1, { contact: name, key: `score:${name}:${k}` })
      : kind === 1 ? { type: 'message', t: 1, contact: name, text: name }
      : { type: 'state', t: 1, entity: `contact:${name}`, version: k },
    ),
  );
const line = fc.oneof(
  { arbitrary: validLine, weight: 6 },
  { arbitrary: mutatedRecord.map((o) => JSON.stringify(o)), weight: 5 },
  { arbitrary: mutatedRecord.chain((o) => fc.nat().map((n) => JSON.stringify(o).slice(0, n % (JSON.stringify(o).length + 1)))), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'), weight: 1 },
  { arbitrary: fc.integer({ min: MAX_LINE - 4, max: MAX_LINE * 3 }).map((n) => `{"type":"message","t":1,"contact":"${'y'.repeat(n)}"}`), weight: 1 },
  { arbitrary: fc.constant('['.repeat(400)), weight: 1 },
);

/** Lines, as bytes, with random line endings and sometimes no final newline. */
const traceBytes = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 16 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([header, lines, eol, lastEol]) => {
    const all = header ? [JSON.stringify(HEADER), ...lines] : lines;
    return Buffer.from(all.join(eol) + (lastEol ? eol : ''));
  });

let n = 0;
/** Read a trace; returns events and skipped, or the InputError. Any other throw fails the test. */
async function readAll(bytes: Buffer, opts: { skipInvalid?: boolean; gzip?: boolean } = {}): Promise<{ events: number; skipped: number } | InputError> {
  const file = tmpPath(`fuzz-${n++}.jsonl${opts.gzip ? '.gz' : ''}`);
  writeFileSync(file, bytes);
  try {
    const src = await openTraceSource(file, { skipInvalid: opts.skipInvalid, maxLineBytes: MAX_LINE });
    const events = drain(src).length;
    return { events, skipped: src.skipped };
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

test('random, mutated, truncated and oversized lines: a result or a clean InputError', { timeout: 120_000 }, async () => {
  const seen = { events: 0, errors: 0, tooLong: 0, cleanWithEvents: 0 };
  await fc.assert(
    fc.asyncProperty(traceBytes, async (bytes) => {
      const strict = await readAll(bytes);
      if (strict instanceof InputError) {
        assert.match(strict.message, /fuzz-\d+\.jsonl:\d+: /);
        seen.errors++;
        if (/line longer than/.test(strict.message)) seen.tooLong++;
      } else if (strict.events > 0) seen.cleanWithEvents++;
      // With --skip-invalid it always finishes, and every non-blank line is an event, the header or skipped.
      const lenient = await readAll(bytes, { skipInvalid: true });
      assert.ok(!(lenient instanceof InputError), String(lenient));
      seen.events += lenient.events;
      const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      const header = lines.length > 0 && lines[0]!.startsWith(JSON.stringify(HEADER).slice(0, -1)) ? 1 : 0;
      assert.ok(lenient.events + lenient.skipped + header <= lines.length + 1);
      if (!(strict instanceof InputError)) assert.deepEqual(lenient, { events: strict.events, skipped: 0 });
    }),
    { numRuns: 300, seed: 20261126 },
  );
  // The generators reach every outcome (the property is not vacuous).
  assert.ok(seen.events > 500 && seen.errors > 50 && seen.tooLong > 5 && seen.cleanWithEvents > 5, JSON.stringify(seen));
});

test('gzip: truncated, corrupted or appended-to streams end in a result or an InputError', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(traceBytes, fc.nat(), fc.uint8Array({ maxLength: 40 }), fc.constantFrom('truncate', 'corrupt', 'append', 'none'), async (bytes, at, noise, how) => {
      const gz = gzipSync(bytes);
      const cut = at % (gz.length + 1);
      const data =
        how === 'truncate' ? gz.subarray(0, cut)
        : how === 'corrupt' ? Buffer.concat([gz.subarray(0, cut), Buffer.from(noise), gz.subarray(cut + noise.length)])
        : how === 'append' ? Buffer.concat([gz, Buffer.from(noise)])
        : gz;
      const r = await readAll(data, { gzip: true, skipInvalid: true });
      if (how === 'none') assert.ok(!(r instanceof InputError), String(r));
    }),
    { numRuns: 60, seed: 7 },
  );
});

test('the fast validation path accepts exactly what the authoritative table accepts', () => {
  fc.assert(
    fc.property(mutatedRecord, (o) => {
      let fast: unknown;
      let slow: unknown;
      try {
        fast = validateRecord(o);
      } catch (e) {
        assert.ok(e instanceof TraceLineError);
        fast = 'rejected';
      }
      try {
        slow = slowValidate(o);
      } catch (e) {
        assert.ok(e instanceof TraceLineError);
        slow = 'rejected';
      }
      assert.equal(fast === 'rejected', slow === 'rejected', JSON.stringify(o));
    }),
    { numRuns: 3000, seed: 11 },
  );
});

test('a 48 MB line without a newline is rejected with bounded memory', { timeout: 60_000 }, async (t) => {
  const file = tmpPath('one-huge-line.jsonl');
  writeFilled(file, 48 << 20, 0x78);
  const before = process.memoryUsage().arrayBuffers;
  let peak = 0;
  const src = await openTraceSource(file, { skipInvalid: true, onSkip: () => (peak = process.memoryUsage().arrayBuffers - before) });
  assert.equal(drain(src).length, 0);
  assert.equal(src.skipped, 1);
  // The line buffer is the 1 MiB cap plus one 1 MiB read, whatever the line length.
  measured(t, 'huge-line.external_bytes', peak, '<', 8 << 20);
  assert.ok(peak < 8 << 20, `external memory grew by ${peak} bytes`);
});
