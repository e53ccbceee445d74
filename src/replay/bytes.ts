/**
 * Chunked byte input shared by the trace readers: a plain file is read with `fs.readSync` straight
 * into the caller's buffer (no copy, no allocation per chunk); a gzip file (detected by its magic
 * bytes, whatever its name) is inflated as a stream with back-pressure. Either way memory stays
 * constant however large the file is.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync, type ReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { InputError } from '../errors.js';

/** Default read size (bytes). */
export const DEFAULT_CHUNK_BYTES = 4 << 20;

/** A pull source of bytes. */
export interface ByteSource {
  /** Read up to `length` bytes into `buf` at `offset`; resolves 0 at the end of the data. */
  read(buf: Buffer, offset: number, length: number): Promise<number>;
  /** File bytes consumed so far (compressed bytes for gzip). */
  readonly bytesRead: number;
  /** Size of the file (bytes). */
  readonly totalBytes: number;
  readonly gzip: boolean;
  close(): Promise<void>;
}

function openError(file: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
  return new InputError(`${file}: cannot read trace: ${why}`);
}

/** Open `file` for chunked reading; gzip is detected from the content. */
export function openByteSource(file: string, chunkBytes = DEFAULT_CHUNK_BYTES): ByteSource {
  let fd: number;
  let totalBytes: number;
  const magic = Buffer.alloc(2);
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    totalBytes = st.size;
    readSync(fd, magic, 0, 2, 0);
  } catch (e) {
    throw openError(file, e);
  }
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    closeSync(fd);
    return new GzipSource(file, totalBytes, chunkBytes);
  }
  return new PlainSource(file, fd, totalBytes);
}

class PlainSource implements ByteSource {
  bytesRead = 0;
  readonly gzip = false;
  private fd: number;
  constructor(
    private readonly file: string,
    fd: number,
    readonly totalBytes: number,
  ) {
    this.fd = fd;
  }
  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    if (this.fd < 0) return 0;
    let n: number;
    try {
      n = readSync(this.fd, buf, offset, length, null);
    } catch (e) {
      throw new InputError(`${this.file}: read failed: ${(e as Error).message}`);
    }
    this.bytesRead += n;
    return n;
  }
  async close(): Promise<void> {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

class GzipSource implements ByteSource {
  readonly gzip = true;
  private readonly raw: ReadStream;
  private readonly inflate: Gunzip;
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private pendingPos = 0;
  private done = false;

  constructor(
    private readonly file: string,
    readonly totalBytes: number,
    chunkBytes: number,
  ) {
    this.raw = createReadStream(file, { highWaterMark: Math.min(chunkBytes, 1 << 20) });
    this.inflate = createGunzip({ chunkSize: 256 << 10 });
    pipeline(this.raw, this.inflate, () => {});
    this.it = this.inflate[Symbol.asyncIterator]();
  }

  get bytesRead(): number {
    return this.raw.bytesRead;
  }

  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    let n = 0;
    while (n < length && !this.done) {
      if (this.pending === null || this.pendingPos >= this.pending.length) {
        if (n > 0) break; // return what we have rather than wait
        let r: IteratorResult<Buffer>;
        try {
          r = await this.it.next();
        } catch (e) {
          this.done = true;
          throw new InputError(`${this.file}: gzip: ${(e as Error).message}`);
        }
        if (r.done) {
          this.done = true;
          break;
        }
        this.pending = r.value;
        this.pendingPos = 0;
      }
      const take = Math.min(length - n, this.pending.length - this.pendingPos);
      this.pending.copy(buf, offset + n, this.pendingPos, this.pendingPos + take);
      this.pendingPos += take;
      n += take;
    }
    return n;
  }

  async close(): Promise<void> {
    this.done = true;
    this.pending = null;
    this.raw.destroy();
    this.inflate.destroy();
  }
}
