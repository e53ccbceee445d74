/**
 * Streaming reader of JSONL traces (`llmcache/trace@1`, plain or gzip) as an EventSource.
 * Constant memory apart from the intern tables (one entry per distinct contact, key, entity).
 */
import { TraceInterner, type InternOptions, type TraceNames } from './intern.js';
import { lineError, parseLine, TraceLineError, type TraceHeader, type TraceRecord } from './jsonl.js';
import { openBytes } from '../io/bytes.js';
import { DEFAULT_MAX_LINE_BYTES, LineReader } from '../io/lines.js';
import type { EventSource, RequestEvent, SimEvent, TraceEvent } from './types.js';
import { TraceVectors } from './vectors.js';

/** Writes the vector of a request record into out[offset..offset+dim); false when it has none. */
export type RecordVectors = (rec: Pick<RequestEvent, 'embedding' | 'text'>, out: Float32Array, offset: number) => boolean;

export interface TraceSourceOptions extends InternOptions {
  /** Skip invalid lines (counted in `skipped`) instead of stopping with an InputError. */
  skipInvalid?: boolean;
  /** Longest accepted line (bytes). Default 1 MiB. */
  maxLineBytes?: number;
  /** Called with `file:line: problem` for every skipped line. */
  onSkip?: (message: string) => void;
  /** Vectors of requests for semantic tiers (`vectorOf`); default: the record's embedding, else its text hashed. */
  vectors?: RecordVectors;
}

/** A trace file as an EventSource, with the names behind the ids and the reading tallies. */
export interface TraceSource extends EventSource, TraceNames {
  /** The header record, or null when the trace has none. */
  readonly header: TraceHeader | null;
  /** Events delivered so far. */
  readonly events: number;
  /** Invalid lines skipped so far (only with `skipInvalid`). */
  readonly skipped: number;
  /** Lines read so far (including blank, header and skipped lines). */
  readonly lines: number;
  /** Release the file (and the gzip worker); done automatically at the end or on an error. */
  close(): void;
  /** The vector of the request just delivered (`opts.vectors`); false when it has none. */
  vectorOf(ev: SimEvent, out: Float32Array, offset: number): boolean;
}

/**
 * Open a trace for streaming. Reads the first line to pick up the header (its `ops` seed the op
 * table when `opts.ops` is not given). Errors are InputErrors naming file, line and field.
 */
export async function openTraceSource(file: string, opts: TraceSourceOptions = {}): Promise<TraceSource> {
  return new JsonlSource(file, new LineReader(openBytes(file), opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES), opts);
}

/** The problem of a line longer than the reader's limit. */
export function tooLong(max: number): TraceLineError {
  return new TraceLineError(null, `line longer than ${max} bytes (the limit guards memory; raise it with --max-line-bytes)`);
}

/** What the line-based trace readers share: a bad line is an error or (skipInvalid) skipped and counted; closing. */
export abstract class LineSource {
  skipped = 0;
  protected closed = false;
  private textVectors: TraceVectors | null = null;

  constructor(
    protected readonly file: string,
    protected readonly reader: LineReader,
    protected readonly opts: TraceSourceOptions,
  ) {}

  get lines(): number {
    return this.reader.line;
  }

  /** The vector of request record `rec` (`opts.vectors`, default: its embedding, else its text hashed); false when it has none. */
  protected vectorOfRecord(rec: Pick<RequestEvent, 'embedding' | 'text'>, out: Float32Array, offset: number): boolean {
    if (this.opts.vectors) return this.opts.vectors(rec, out, offset);
    return (this.textVectors ??= new TraceVectors(out.length - offset)).fill(rec, out, offset);
  }

  /** The next line with content (blank ones skipped, too-long ones reported as bad); null at the end. */
  protected nextLine(): string | null {
    return this.reader.nextLine(() => this.bad(tooLong(this.reader.maxLineBytes)));
  }

  /** An invalid line: an InputError naming file and line, or (with skipInvalid) reported and counted. */
  protected bad(e: TraceLineError): void {
    const err = lineError(this.file, this.reader.line, e);
    if (!this.opts.skipInvalid) {
      this.close();
      throw err;
    }
    this.opts.onSkip?.(err.message);
    this.skipped++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.close();
  }
}

class JsonlSource extends LineSource implements TraceSource {
  events = 0;
  readonly header: TraceHeader | null = null;
  private readonly interner: TraceInterner;
  /** The first event, read ahead with the header. */
  private pending: TraceEvent | null = null;
  /** The record delivered last (for `vectorOf`). */
  private last: TraceRecord | null = null;

  constructor(file: string, reader: LineReader, opts: TraceSourceOptions) {
    super(file, reader, opts);
    // The first record: a header, or already the first event.
    const first = this.read(true);
    if (first?.type === 'header') this.header = first;
    else this.pending = first;
    this.interner = new TraceInterner({ ops: opts.ops ?? this.header?.ops, unknownOps: opts.unknownOps ?? (opts.ops ? 'error' : 'extend') });
  }

  /** VectorSource (src/trace/vectors.ts): the vector of the request just delivered. */
  vectorOf(_ev: SimEvent, out: Float32Array, offset: number): boolean {
    const rec = this.last;
    if (rec === null || rec.type !== 'request') return false;
    return this.vectorOfRecord(rec, out, offset);
  }

  get opNames(): string[] {
    return this.interner.opNames;
  }
  get contacts(): number {
    return Math.max(this.header?.contacts ?? 0, this.interner.contacts.size);
  }
  get entities(): number {
    return Math.max(this.header?.entities ?? 0, this.interner.entities.size);
  }
  spanMs(): number {
    return Math.max(this.header?.spanMs ?? 0, this.interner.lastT);
  }
  contactName = (id: number): string => this.interner.contactName(id);
  keyName = (id: number): string => this.interner.keyName(id);
  entityName = (id: number): string => this.interner.entityName(id);
  tenantName = (id: number): string => this.interner.tenantName(id);
  modelName = (id: number): string => this.interner.modelName(id);

  next(ev: SimEvent): boolean {
    if (this.pending !== null) {
      const rec = this.pending;
      this.pending = null;
      if (this.deliver(rec, ev)) return true;
    }
    for (let rec = this.read(false); rec !== null; rec = this.read(false)) {
      if (this.deliver(rec as TraceEvent, ev)) return true;
    }
    return false;
  }

  /**
   * The next valid record, skipping blank and (with skipInvalid) invalid lines; null at the end
   * (the file is then closed). Only the `first` record may be a header (and carry a BOM).
   */
  private read(first: boolean): TraceRecord | null {
    if (this.closed) return null;
    for (let line = this.nextLine(); line !== null; line = this.nextLine()) {
      try {
        const rec = parseLine(first && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
        if (!first && rec.type === 'header') throw new TraceLineError('type', 'a header is only allowed on the first line');
        return rec;
      } catch (e) {
        if (!(e instanceof TraceLineError)) throw e;
        this.bad(e);
      }
    }
    this.close();
    return null;
  }

  private deliver(rec: TraceEvent, ev: SimEvent): boolean {
    try {
      this.interner.fill(rec, ev);
    } catch (e) {
      if (!(e instanceof TraceLineError)) throw e;
      this.bad(e);
      return false;
    }
    this.events++;
    this.last = rec;
    return true;
  }
}
