/**
 * Synchronous, constant-memory byte input for trace files of any size, plain or gzip (detected
 * from the content: the magic bytes 1f 8b, whatever the file is called).
 *
 * The simulator pulls events synchronously (`EventSource.next`), so bytes are read with
 * `fs.readSync` straight into the caller's buffer. Node has no synchronous *streaming* gunzip, so
 * a gzip file is inflated by a worker thread (native zlib) into a small shared ring of slots; the
 * reader blocks on `Atomics.wait` only when the worker has not filled the next slot yet. Memory is
 * bounded by the caller's window plus the ring (slots × slot size).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';

/** Default read size (bytes) of a ByteWindow / LineReader. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Synchronous pull of raw bytes. */
export interface ByteSource {
  /** Fill `buf[off, off+len)`; returns the count, 0 at the end of the data. */
  read(buf: Buffer, off: number, len: number): number;
  /** File bytes consumed so far (compressed bytes for gzip, approximate: read ahead by the ring). */
  readonly bytesRead: number;
  /** Size of the file (bytes). */
  readonly totalBytes: number;
  readonly gzip: boolean;
  /** Release the file (and the gzip worker). Idempotent. */
  close(): void;
}

/**
 * Open `file` to read it: its descriptor (the caller closes it) and size (bytes). A missing file, a
 * directory or any other failure is the InputError of `cannotRead`.
 */
export function openToRead(file: string): { fd: number; size: number } {
  let fd = -1;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return { fd, size: st.size };
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    throw cannotRead(file, e);
  }
}

/** A failure to read `file` as an InputError `FILE: cannot read: why` (no such file, is a directory, else the error code); an InputError as it is. */
export function cannotRead(file: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : (err.code ?? err.message);
  return new InputError(`${file}: cannot read: ${why}`);
}

/** Open `file` as a ByteSource; throws an InputError (`FILE: cannot read: why`) when it cannot be read. */
export function openBytes(file: string): ByteSource {
  const { fd, size } = openToRead(file);
  let gzip: boolean;
  try {
    const magic = Buffer.alloc(2);
    gzip = readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (e) {
    closeSync(fd);
    throw cannotRead(file, e);
  }
  if (!gzip) return new FileBytes(file, fd, size);
  closeSync(fd);
  try {
    return new GunzipBytes(file, size);
  } catch (e) {
    throw cannotRead(file, e);
  }
}

/**
 * A window over a ByteSource: the unread bytes are `buf[start, end)`. `refill()` moves them to the
 * front and reads more behind them, so the buffer never grows. The buffer owns its ArrayBuffer at
 * offset 0 (word views over it are aligned).
 */
export class ByteWindow {
  readonly buf: Buffer;
  /** First unread byte. */
  start = 0;
  /** End of the data in `buf`. */
  end = 0;
  /** The source is exhausted (no more bytes will arrive). */
  eof = false;

  constructor(
    readonly src: ByteSource,
    capacity: number,
  ) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Move the unread tail to the front and read more; returns the bytes read (0 = end, sets `eof`). */
  refill(): number {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    const n = this.end < this.buf.length ? this.src.read(this.buf, this.end, this.buf.length - this.end) : 0;
    if (n === 0) this.eof = true;
    this.end += n;
    return n;
  }

  close(): void {
    this.src.close();
  }
}

class FileBytes implements ByteSource {
  bytesRead = 0;
  readonly gzip = false;
  constructor(
    private readonly file: string,
    private fd: number,
    readonly totalBytes: number,
  ) {}
  read(buf: Buffer, off: number, len: number): number {
    if (this.fd < 0) return 0;
    let n: number;
    try {
      n = readSync(this.fd, buf, off, len, null);
    } catch (e) {
      this.close();
      throw new InputError(`${this.file}: read failed: ${(e as Error).message}`);
    }
    this.bytesRead += n;
    return n;
  }
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

// Ring protocol: ctrl[i] = state of slot i (EMPTY / FULL / END / ERROR), ctrl[SLOTS + i] = bytes in
// it, ctrl[DEAD] = the worker has exited. progress[0] = compressed bytes the worker has read.
const SLOTS = 8;
const SLOT_BYTES = 1 << 19;
const EMPTY = 0;
const END = 2;
const ERROR = 3;
const DEAD = SLOTS * 2;

/** The worker: stream-inflate the file into the ring; an error message travels in a slot. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { file, ctrlBuf, dataBuf, progressBuf, slots, slotBytes } = workerData;
const ctrl = new Int32Array(ctrlBuf);
const progress = new Float64Array(progressBuf);
const DEAD = 2 * slots;
// Whatever happens, the reader learns that this worker is gone.
process.on('exit', () => { Atomics.store(ctrl, DEAD, 1); for (let i = 0; i < slots; i++) Atomics.notify(ctrl, i); });
process.on('uncaughtException', (e) => { try { fail('gzip reader: ' + (e && e.message)); } finally { process.exit(1); } });
const data = new Uint8Array(dataBuf);
let slot = 0, fill = 0;
function claim() { while (Atomics.load(ctrl, slot) !== 0) Atomics.wait(ctrl, slot, Atomics.load(ctrl, slot), 1000); }
function publish(state) { ctrl[slots + slot] = fill; Atomics.store(ctrl, slot, state); Atomics.notify(ctrl, slot); slot = (slot + 1) % slots; fill = 0; }
function fail(msg) { claim(); const b = Buffer.from(String(msg)).subarray(0, slotBytes); data.set(b, slot * slotBytes); fill = b.length; publish(3); }
const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
const gunzip = zlib.createGunzip({ chunkSize: 1 << 18 });
input.on('error', (e) => fail(e.message));
gunzip.on('error', (e) => { fail('gzip: ' + e.message); input.destroy(); });
gunzip.on('data', (chunk) => {
  progress[0] = input.bytesRead;
  let off = 0;
  while (off < chunk.length) {
    if (fill === 0) claim();
    const n = Math.min(chunk.length - off, slotBytes - fill);
    data.set(chunk.subarray(off, off + n), slot * slotBytes + fill);
    fill += n; off += n;
    if (fill === slotBytes) publish(1);
  }
});
gunzip.on('end', () => { progress[0] = input.bytesRead; if (fill > 0) publish(1); claim(); publish(2); });
input.pipe(gunzip);
`;

class GunzipBytes implements ByteSource {
  readonly gzip = true;
  private readonly ctrl: Int32Array;
  private readonly data: Buffer;
  private readonly progress: Float64Array;
  private readonly worker: Worker;
  private slot = 0;
  private pos = 0;
  private done = false;

  constructor(
    private readonly file: string,
    readonly totalBytes: number,
  ) {
    const ctrlBuf = new SharedArrayBuffer((DEAD + 1) * 4);
    const dataBuf = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    const progressBuf = new SharedArrayBuffer(8);
    this.ctrl = new Int32Array(ctrlBuf);
    this.data = Buffer.from(dataBuf);
    this.progress = new Float64Array(progressBuf);
    // Plain CommonJS: none of the parent's flags (a loader, --input-type) apply to it.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { file, ctrlBuf, dataBuf, progressBuf, slots: SLOTS, slotBytes: SLOT_BYTES },
    });
    this.worker.unref(); // an abandoned reader never keeps the process alive
  }

  get bytesRead(): number {
    return this.progress[0]!;
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
    void this.worker.terminate(); // its file is released with it (test/io/bytes.test.ts)
  }
}
