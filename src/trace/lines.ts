/**
 * Synchronous, constant-memory line reading for trace files of any size, plain or gzip.
 *
 * The engines pull events synchronously (`EventSource.next`), so bytes are read with
 * `fs.readSync`. Node has no synchronous *streaming* gunzip, so a gzip file is inflated by a
 * worker thread (native zlib) into a small shared ring of slots; the reader blocks on
 * `Atomics.wait` only when the worker has not filled the next slot yet. Memory is bounded by the
 * line buffer (max line length + one read) plus the ring (slots × slot size).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';

/** Longest line accepted (bytes); longer lines are errors (or skipped), never buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
const READ_BYTES = 1 << 20;

/** Synchronous pull of raw bytes: fills `buf[off, off+len)`, returns the count, 0 at the end. */
export interface ByteSource {
  read(buf: Buffer, off: number, len: number): number;
  close(): void;
}

/** gzip by extension or by magic bytes (1f 8b). */
export function isGzip(file: string): boolean {
  if (/\.gz$/i.test(file)) return true;
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Open a file as a ByteSource; throws InputError when it cannot be read. */
export function openBytes(file: string): ByteSource {
  let gz: boolean;
  try {
    gz = isGzip(file);
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return gz ? new GunzipBytes(file) : new FileBytes(file);
}

class FileBytes implements ByteSource {
  private fd: number | null;
  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }
  read(buf: Buffer, off: number, len: number): number {
    return this.fd === null ? 0 : readSync(this.fd, buf, off, len, null);
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

// Ring protocol: ctrl[i] = state of slot i (EMPTY / FULL / END / ERROR), len[i] = bytes in it.
const SLOTS = 8;
const SLOT_BYTES = 1 << 19;
const EMPTY = 0;
const FULL = 1;
const END = 2;
const ERROR = 3;
/** ctrl index of the worker's exit flag. */
const DEAD = SLOTS * 2;

/** The worker: stream-inflate the file into the ring; an error message travels in a slot. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { file, ctrlBuf, dataBuf, slots, slotBytes } = workerData;
const ctrl = new Int32Array(ctrlBuf);
// Whatever happens, the reader learns that this worker is gone (ctrl[2 * slots] = 1).
process.on('exit', () => { Atomics.store(ctrl, 2 * slots, 1); for (let i = 0; i < slots; i++) Atomics.notify(ctrl, i); });
process.on('uncaughtException', (e) => { try { fail('gzip reader: ' + (e && e.message)); } finally { process.exit(1); } });
const data = new Uint8Array(dataBuf);
let slot = 0, fill = 0;
function claim() { while (Atomics.load(ctrl, slot) !== 0) Atomics.wait(ctrl, slot, Atomics.load(ctrl, slot), 1000); }
function publish(state) { ctrl[slots + slot] = fill; Atomics.store(ctrl, slot, state); Atomics.notify(ctrl, slot); slot = (slot + 1) % slots; fill = 0; }
function fail(msg) { claim(); const b = Buffer.from(String(msg)).subarray(0, slotBytes); data.set(b, slot * slotBytes); fill = b.length; publish(3); }
const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
const gunzip = zlib.createGunzip({ chunkSize: 1 << 18 });
input.on('error', (e) => fail(e.message));
gunzip.on('error', (e) => fail('gzip: ' + e.message));
gunzip.on('data', (chunk) => {
  let off = 0;
  while (off < chunk.length) {
    if (fill === 0) claim();
    const n = Math.min(chunk.length - off, slotBytes - fill);
    data.set(chunk.subarray(off, off + n), slot * slotBytes + fill);
    fill += n; off += n;
    if (fill === slotBytes) publish(1);
  }
});
gunzip.on('end', () => { if (fill > 0) publish(1); claim(); publish(2); });
input.pipe(gunzip);
`;

class GunzipBytes implements ByteSource {
  private readonly ctrl: Int32Array;
  private readonly data: Buffer;
  private readonly worker: Worker;
  private slot = 0;
  private pos = 0;
  private done = false;

  constructor(private readonly file: string) {
    const ctrlBuf = new SharedArrayBuffer((SLOTS * 2 + 1) * 4);
    const dataBuf = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    this.ctrl = new Int32Array(ctrlBuf);
    this.data = Buffer.from(dataBuf);
    // Plain CommonJS: none of the parent's flags (a loader, --input-type) apply to it.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { file, ctrlBuf, dataBuf, slots: SLOTS, slotBytes: SLOT_BYTES },
    });
    this.worker.unref(); // an abandoned reader never keeps the process alive
  }

  read(buf: Buffer, off: number, len: number): number {
    if (this.done) return 0;
    const c = this.ctrl;
    let state = Atomics.load(c, this.slot);
    while (state === EMPTY) {
      if (Atomics.load(c, DEAD) === 1 && Atomics.load(c, this.slot) === EMPTY) {
        this.close();
        throw new InputError(`${this.file}: the gzip reader stopped unexpectedly`);
      }
      Atomics.wait(c, this.slot, EMPTY, 1000);
      state = Atomics.load(c, this.slot);
    }
    const size = c[SLOTS + this.slot]!;
    const base = this.slot * SLOT_BYTES;
    if (state === END) {
      this.close();
      return 0;
    }
    if (state === ERROR) {
      const msg = this.data.toString('utf8', base, base + size);
      this.close();
      throw new InputError(`${this.file}: ${msg}`);
    }
    const n = Math.min(len, size - this.pos);
    this.data.copy(buf, off, base + this.pos, base + this.pos + n);
    this.pos += n;
    if (this.pos === size) {
      this.pos = 0;
      Atomics.store(c, this.slot, EMPTY);
      Atomics.notify(c, this.slot);
      this.slot = (this.slot + 1) % SLOTS;
    }
    return n;
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    void this.worker.terminate();
  }
}

/**
 * Splits a ByteSource into lines (LF or CRLF; a last line without newline counts). A line longer
 * than `maxLineBytes` is reported by `tooLong` and its bytes are discarded, never buffered.
 */
export class LineReader {
  /** 1-based number of the line last returned (or reported too long). */
  line = 0;
  /** True when the last `next()` hit a line longer than the cap (the result is then ''). */
  tooLong = false;
  private readonly buf: Buffer;
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(
    private readonly src: ByteSource,
    readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(maxLineBytes + 2 + READ_BYTES);
  }

  /** The next line as a string (without its newline), or null at the end. */
  next(): string | null {
    this.tooLong = false;
    let scan = this.start;
    for (;;) {
      if (scan < this.end) {
        const nl = this.buf.indexOf(10, scan);
        if (nl !== -1 && nl < this.end) {
          const s = this.start;
          this.start = nl + 1;
          this.line++;
          const e = nl > s && this.buf[nl - 1] === 13 ? nl - 1 : nl;
          if (e - s > this.maxLineBytes) {
            this.tooLong = true;
            return '';
          }
          return this.buf.toString('utf8', s, e);
        }
      }
      if (this.end - this.start > this.maxLineBytes) return this.overflow();
      if (this.eof) {
        if (this.start >= this.end) return null;
        const s = this.start;
        this.start = this.end;
        this.line++;
        return this.buf.toString('utf8', s, this.end);
      }
      const scanned = this.end - this.start; // bytes known to hold no newline
      this.fill();
      scan = this.start + scanned;
    }
  }

  /** Move the unconsumed tail to the front and read more behind it. */
  private fill(): void {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    const n = this.src.read(this.buf, this.end, this.buf.length - this.end);
    if (n === 0) this.eof = true;
    this.end += n;
  }

  /** Report a too-long line and drop its bytes up to and including the next newline. */
  private overflow(): string {
    this.tooLong = true;
    this.line++;
    this.start = this.end;
    for (;;) {
      if (this.start < this.end) {
        const nl = this.buf.indexOf(10, this.start);
        if (nl !== -1 && nl < this.end) {
          this.start = nl + 1;
          return '';
        }
        this.start = this.end;
      }
      if (this.eof) return '';
      this.fill();
    }
  }

  close(): void {
    this.src.close();
  }
}
