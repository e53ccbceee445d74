import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openBytes } from '../../src/io/bytes.js';
import { isBlank, LineReader } from '../../src/io/lines.js';
import { tempFile } from './helpers.js';

type Line = string | 'TOO LONG';

/** Every line as latin1 text, or 'TOO LONG', with the line numbers the reader reports. */
function split(file: string, max: number, chunk: number): { lines: Line[]; numbers: number[] } {
  const r = new LineReader(openBytes(file), max, chunk);
  const lines: Line[] = [];
  const numbers: number[] = [];
  while (r.advance()) {
    lines.push(r.tooLong ? 'TOO LONG' : r.buf.toString('latin1', r.start, r.end));
    numbers.push(r.line);
  }
  r.close();
  return { lines, numbers };
}

/** The reference: split on LF, one trailing CR dropped, no line after a final LF, over-long flagged. */
function reference(text: string, max: number): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => l.replace(/\r$/, '')).map((l) => (l.length > max ? 'TOO LONG' : l));
}

test('LF, CRLF, blank lines and a last line without newline; next() decodes utf8', () => {
  const f = tempFile('a.txt', Buffer.from('héllo\r\n\nworld\r\nlast\r'));
  assert.deepEqual(split(f, 100, 3).lines, ['h\u00c3\u00a9llo', '', 'world', 'last']);
  const r = new LineReader(openBytes(f));
  assert.deepEqual([r.next(), r.next(), r.next(), r.next(), r.next()], ['héllo', '', 'world', 'last', null]);
  assert.equal(r.line, 4);
});

test('a line of exactly the limit is accepted whatever the chunk boundary, even between CR and LF', () => {
  const line = 'x'.repeat(8);
  const text = `${line}\r\n${line}\r\n${line}x\r\n${line}`;
  for (let chunk = 1; chunk <= 24; chunk++) {
    assert.deepEqual(split(tempFile('edge.txt', text), 8, chunk).lines, [line, line, 'TOO LONG', line], `chunk ${chunk}`);
  }
});

test('a too-long line is reported with its number and dropped without reading on (gzip too)', () => {
  const huge = Buffer.concat([Buffer.from('ok\n'), Buffer.alloc(8 << 20, 0x61), Buffer.from('\nafter\n')]);
  for (const gzip of [false, true]) {
    const r = new LineReader(openBytes(tempFile('huge.txt', huge, gzip)), 1024, 4096);
    assert.equal(r.next(), 'ok');
    assert.equal(r.next(), '');
    assert.deepEqual([r.tooLong, r.line], [true, 2]);
    // Reported at the limit: the rest of the line is only read (and dropped) on the next call.
    if (!gzip) assert.ok(r.src.bytesRead < 64 << 10, `read ${r.src.bytesRead} bytes before reporting`);
    assert.equal(r.next(), 'after');
    assert.deepEqual([r.tooLong, r.line], [false, 3]);
    assert.equal(r.next(), null);
    r.close();
  }
  // The buffer is the limit plus one read: memory does not grow with the line.
  assert.equal(new LineReader(openBytes(tempFile('s.txt', 'x')), 1024, 4096).buf.length, 1024 + 2 + 4096);
});

test('property: lines equal a reference split for any bytes, limit and chunk size, plain or gzip', () => {
  const piece = fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'a', 'bc', '\u00ff\u0000'), fc.string({ maxLength: 12 }), fc.nat({ max: 40 }).map((n) => 'y'.repeat(n)));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 32 }), fc.boolean(), (pieces, max, chunk, gzip) => {
      const text = Buffer.from(pieces.join(''), 'latin1').toString('latin1');
      const want = reference(text, max);
      const got = split(tempFile('p.txt', text, gzip), max, chunk);
      assert.deepEqual(got.lines, want);
      assert.deepEqual(got.numbers, want.map((_, i) => i + 1));
    }),
    { numRuns: 300, seed: 4242 },
  );
});

test('nextLine: what both text trace readers skip — blank lines (whitespace, a BOM alone, Unicode spaces) and too-long lines (reported)', () => {
  const lines = ['a', '', '   ', '\t', '\ufeff', '\u00a0\u2003', 'x'.repeat(50), ' b ', '\ufeff{}', 'c'];
  const file = tempFile('blank.txt', Buffer.from(lines.join('\r\n') + '\n', 'utf8'));
  const r = new LineReader(openBytes(file), 20);
  const got: string[] = [];
  const tooLong: number[] = [];
  for (let line = r.nextLine(() => tooLong.push(r.line)); line !== null; line = r.nextLine(() => tooLong.push(r.line))) got.push(line);
  r.close();
  assert.deepEqual(got, ['a', ' b ', '\ufeff{}', 'c']);
  assert.deepEqual(tooLong, [7]);
  for (const blank of ['', ' ', '\r', '\ufeff', '\ufeff  ', '\u00a0', '\u3000']) assert.ok(isBlank(blank), JSON.stringify(blank));
  for (const text of ['a', ' a', '\ufeffa', '\u00a0a', '{']) assert.ok(!isBlank(text), JSON.stringify(text));
});
