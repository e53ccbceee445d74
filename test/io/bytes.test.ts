import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, readdirSync, readlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../src/errors.js';
import { ByteWindow, cannotRead, openBytes, openToRead, type ByteSource } from '../../src/io/bytes.js';
import { sniffTrace } from '../../src/io/sniff.js';
import { tempFile, tempPath } from './helpers.js';

/** Everything a source yields, read `len` bytes at a time. */
function readAll(src: ByteSource, len = 4096): Buffer {
  const parts: Buffer[] = [];
  const buf = Buffer.alloc(len);
  for (let n = src.read(buf, 0, len); n > 0; n = src.read(buf, 0, len)) parts.push(Buffer.from(buf.subarray(0, n)));
  return Buffer.concat(parts);
}

const data = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251));

test('plain and gzip give the same bytes; gzip is detected from the content, not the name', () => {
  const plain = openBytes(tempFile('a.gz', data)); // a .gz name over plain bytes is read as it is
  assert.equal(plain.gzip, false);
  assert.ok(readAll(plain, 333).equals(data));
  assert.equal(plain.bytesRead, data.length);
  assert.equal(plain.totalBytes, data.length);
  const file = tempFile('b.bin', data, true);
  const gz = openBytes(file);
  assert.equal(gz.gzip, true);
  assert.ok(readAll(gz, 100_003).equals(data));
  assert.equal(gz.bytesRead, gz.totalBytes); // compressed bytes, all consumed at the end
  assert.ok(gz.totalBytes < data.length);
  assert.equal(gz.read(Buffer.alloc(8), 0, 8), 0); // the end stays the end
});

test('one refusal of an unreadable file, for the reader and the sniffer alike: no such file, is a directory, else the error code', () => {
  const missing = tempPath('gone.txt');
  const dir = tempPath('');
  for (const open of [openBytes, openToRead, sniffTrace] as ((f: string) => unknown)[]) {
    assert.throws(() => open(missing), (e: unknown) => e instanceof InputError && e.message === `${missing}: cannot read: no such file`, open.name);
    assert.throws(() => open(dir), (e: unknown) => e instanceof InputError && /cannot read: (is a directory|no such file)$/.test(e.message), open.name);
  }
  const denied = Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: 'EACCES' });
  assert.equal(cannotRead('x', denied).message, 'x: cannot read: EACCES');
  assert.equal(cannotRead('x', new Error('odd')).message, 'x: cannot read: odd');
  const already = new InputError('x: gzip: bad');
  assert.equal(cannotRead('x', already), already, 'an InputError passes as it is');
  const { fd, size } = openToRead(tempFile('five.bin', Buffer.from('12345')));
  assert.equal(size, 5);
  closeSync(fd);
});

test('unreadable, corrupt and truncated inputs are InputErrors naming the file', () => {
  const missing = tempPath('missing.txt');
  assert.throws(() => openBytes(missing), (e: unknown) => e instanceof InputError && e.message === `${missing}: cannot read: no such file`);
  assert.throws(() => openBytes(tempPath('')), /cannot read: (is a directory|no such file)/);
  const gz = gzipSync(data);
  const cut = tempFile('cut.gz', gz.subarray(0, gz.length >> 1));
  assert.throws(() => readAll(openBytes(cut)), (e: unknown) => e instanceof InputError && /cut\.gz: gzip: unexpected end of file/.test(e.message));
  const bad = tempFile('bad.gz', Buffer.concat([gz.subarray(0, 10), Buffer.alloc(200, 0x55)]));
  assert.throws(() => readAll(openBytes(bad)), /bad\.gz: gzip: /);
});

test('closing a gzip source early stops its worker and releases the file', async () => {
  // Incompressible and larger than the ring, so the worker is still reading when the source closes.
  const file = tempFile('early.gz', randomBytes(8 << 20), true);
  /** Descriptors of this process open on `file`. */
  const openOnFile = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false; // closed meanwhile
      }
    }).length;
  for (let i = 0; i < 10; i++) {
    const src = openBytes(file);
    assert.equal(src.read(Buffer.alloc(10), 0, 10), 10);
    src.close();
    src.close(); // idempotent
  }
  let open = openOnFile();
  for (let t = 0; t < 100 && open > 0; t++) {
    await new Promise((r) => setTimeout(r, 100));
    open = openOnFile();
  }
  assert.equal(open, 0, 'file descriptors left open on the trace');
});

test('ByteWindow: refill keeps the unread tail at the front and sets eof at the end', () => {
  const win = new ByteWindow(openBytes(tempFile('w.bin', Buffer.from('abcdefghij'))), 4);
  assert.equal(win.refill(), 4);
  assert.equal(win.buf.toString('latin1', win.start, win.end), 'abcd');
  win.start = 3; // consumed "abc"
  assert.equal(win.refill(), 3);
  assert.equal(win.buf.toString('latin1', win.start, win.end), 'defg');
  assert.equal(win.buf.byteOffset, 0); // own ArrayBuffer: word views are aligned
  win.start = win.end;
  assert.equal(win.refill(), 3);
  win.start = win.end;
  assert.equal(win.refill(), 0);
  assert.ok(win.eof);
  win.close();
});
