/**
 * Line splitting over a ByteSource in big chunks, shared by the text readers. A line longer than
 * `maxLineBytes` is malformed (so a file without newlines cannot grow memory without bound): it is
 * an InputError, or with `skipInvalid` it is discarded up to the next newline and counted.
 */
import { InputError } from '../errors.js';
import { openByteSource, DEFAULT_CHUNK_BYTES, type ByteSource } from './bytes.js';
import type { ReaderOptions } from './types.js';

/** Default longest line (bytes). */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** Result of `LineScanner.next()`. */
export const LINE = 1;
export const NEED_DATA = 0;
export const END = -1;

const NL = 10;
const CR = 13;

export class LineScanner {
  /** The buffer the current line lives in, valid until the next `fill()`. */
  buf: Buffer;
  /** Bounds of the current line in `buf` (end excludes the newline and a trailing CR). */
  lineStart = 0;
  lineEnd = 0;
  /** 1-based number of the current line. */
  lineNo = 0;
  /** Over-long lines skipped (only with skipInvalid). */
  skipped = 0;
  readonly src: ByteSource;
  private view: Buffer;
  private start = 0;
  private end = 0;
  private eof = false;
  /** Discarding an over-long line up to its newline. */
  private discarding = false;
  private readonly maxLine: number;

  constructor(
    readonly file: string,
    private readonly opts: ReaderOptions = {},
  ) {
    this.maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const chunk = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.src = openByteSource(file, chunk);
    this.buf = Buffer.allocUnsafeSlow(chunk + this.maxLine + 2);
    this.view = this.buf.subarray(0, 0);
  }

  /** LINE: a line is in lineStart..lineEnd; NEED_DATA: await fill() and call again; END. */
  next(): number {
    for (;;) {
      if (this.start >= this.end && this.eof) return END;
      const nl = this.view.indexOf(NL, this.start);
      if (this.discarding) {
        if (nl < 0) {
          this.start = this.end;
          if (this.eof) {
            this.discarding = false;
            return END;
          }
          return NEED_DATA;
        }
        this.discarding = false;
        this.start = nl + 1;
        continue;
      }
      if (nl < 0) {
        const len = this.end - this.start;
        if (len > this.maxLine) {
          this.overLong();
          continue;
        }
        if (!this.eof) return NEED_DATA;
        return this.emit(this.start, this.end, this.end); // final line without a newline
      }
      if (nl - this.start > this.maxLine) {
        this.overLong();
        continue;
      }
      return this.emit(this.start, nl, nl + 1);
    }
  }

  /** Move the unread tail to the front and read more. */
  async fill(): Promise<void> {
    const tail = this.end - this.start;
    this.buf.copyWithin(0, this.start, this.end);
    this.start = 0;
    this.end = tail;
    const r = await this.src.read(this.buf, this.end, this.buf.length - this.end);
    if (r === 0) this.eof = true;
    this.end += r;
    this.view = this.buf.subarray(0, this.end);
  }

  private emit(s: number, e: number, after: number): number {
    this.lineNo++;
    if (e > s && this.buf[e - 1] === CR) e--;
    this.lineStart = s;
    this.lineEnd = e;
    this.start = after;
    return LINE;
  }

  private overLong(): void {
    this.lineNo++;
    if (!this.opts.skipInvalid) {
      throw new InputError(`${this.file}: line ${this.lineNo}: longer than ${this.maxLine} bytes`);
    }
    this.skipped++;
    this.discarding = true;
  }
}

/**
 * Base of the text readers: drives a LineScanner, interns string keys to dense ids
 * (a Map<string, number>: memory grows with the number of distinct keys, not with the trace
 * length) and lets the subclass decode one line into the batch.
 */
export abstract class LineReader {
  protected readonly scanner: LineScanner;
  private readonly ids = new Map<string, number>();
  private invalidLines = 0;
  private closed = false;

  constructor(
    protected readonly file: string,
    protected readonly opts: ReaderOptions = {},
  ) {
    this.scanner = new LineScanner(file, opts);
  }

  get skipped(): number {
    return this.scanner.skipped + this.invalidLines;
  }
  get bytesRead(): number {
    return this.scanner.src.bytesRead;
  }
  get totalBytes(): number {
    return this.scanner.src.totalBytes;
  }
  /** Number of distinct keys seen so far. */
  get distinctKeys(): number {
    return this.ids.size;
  }

  /** Decode the scanner's current line into `batch` at index `batch.n`; false = no request. */
  protected abstract decode(batch: import('./types.js').RequestBatch): boolean;

  async next(batch: import('./types.js').RequestBatch): Promise<boolean> {
    batch.n = 0;
    const cap = batch.key.length;
    const sc = this.scanner;
    try {
      while (batch.n < cap) {
        const r = sc.next();
        if (r === LINE) {
          if (sc.lineEnd > sc.lineStart && this.decode(batch)) batch.n++;
        } else if (r === NEED_DATA) {
          await sc.fill();
        } else break;
      }
    } catch (e) {
      await this.close();
      throw e;
    }
    if (batch.n === 0) await this.close();
    return batch.n > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.scanner.src.close();
  }

  /** Dense id of a key string. */
  protected intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }

  /** A malformed line: InputError naming file, line and field, or counted with skipInvalid. */
  protected invalid(field: string, problem: string): false {
    if (!this.opts.skipInvalid) {
      throw new InputError(`${this.file}: line ${this.scanner.lineNo}: field ${field}: ${problem}`);
    }
    this.invalidLines++;
    return false;
  }
}

/** A value for an error message: quoted, control characters escaped, at most 40 characters. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
