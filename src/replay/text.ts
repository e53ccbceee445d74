/**
 * Base of the text key-trace readers (txt, csv): drives the shared line loop
 * (`LineReader.advanceNonEmpty`, src/io/lines.ts),
 * interns string keys to dense ids (a NameTable: memory grows with the number of distinct keys,
 * not with the trace length) and lets the subclass decode one line into the batch.
 * A line longer than `maxLineBytes` is malformed: an InputError naming the line, or with
 * `skipInvalid` discarded up to its newline and counted.
 */
import { InputError } from '../errors.js';
import { DEFAULT_CHUNK_BYTES, openBytes } from '../io/bytes.js';
import { DEFAULT_MAX_LINE_BYTES, LineReader } from '../io/lines.js';
import { NameTable } from '../trace/intern.js';
import type { ReaderOptions, RequestBatch } from './types.js';

export abstract class TextReader {
  /** The current line is `lines.buf[lines.start, lines.end)`. */
  protected readonly lines: LineReader;
  private readonly ids = new NameTable();
  private invalidLines = 0;
  private closed = false;
  /** A line over `maxLineBytes`: an InputError, or counted with skipInvalid. */
  private readonly onTooLong = (): void => void this.invalidLine(`longer than ${this.lines.maxLineBytes} bytes`);

  constructor(
    protected readonly file: string,
    protected readonly opts: ReaderOptions = {},
  ) {
    const src = openBytes(file);
    this.lines = new LineReader(src, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  }

  get skipped(): number {
    return this.invalidLines;
  }
  get bytesRead(): number {
    return this.lines.src.bytesRead;
  }
  get totalBytes(): number {
    return this.lines.src.totalBytes;
  }

  /** Decode the current line into `batch` at index `batch.n`; false = no request. */
  protected abstract decode(batch: RequestBatch): boolean;

  async next(batch: RequestBatch): Promise<boolean> {
    batch.n = 0;
    const cap = batch.key.length;
    const lines = this.lines;
    try {
      while (batch.n < cap && lines.advanceNonEmpty(this.onTooLong)) if (this.decode(batch)) batch.n++;
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
    this.lines.close();
  }

  /** Dense id of a key string. */
  protected intern(key: string): number {
    return this.ids.id(key);
  }

  /** A malformed field: InputError naming file, line and field, or counted with skipInvalid. */
  protected invalid(field: string, problem: string): false {
    return this.invalidLine(`field ${field}: ${problem}`);
  }

  private invalidLine(problem: string): false {
    if (!this.opts.skipInvalid) throw new InputError(`${this.file}: line ${this.lines.line}: ${problem}`);
    this.invalidLines++;
    return false;
  }
}

/** A value for an error message: quoted, control characters escaped, at most 40 characters. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
