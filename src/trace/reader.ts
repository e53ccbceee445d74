/**
 * Streaming reader of JSONL traces (`llmcache/trace@1`, plain or gzip) as an EventSource.
 * Constant memory apart from the intern tables (one entry per distinct contact, key, entity).
 */
import { TraceInterner, type InternOptions, type TraceNames } from './intern.js';
import { lineError, parseLine, TraceLineError, type TraceHeader, type TraceRecord } from './jsonl.js';
import { openBytes } from '../io/bytes.js';
import { DEFAULT_MAX_LINE_BYTES, LineReader } from '../io/lines.js';
import type { EventSource, RequestEvent, SimEvent } from './types.js';
import { TraceVectors } from '../semantic/trace-vectors.js';

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
  const lines = new LineReader(openBytes(file), opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  let header: TraceHeader | null = null;
  let pending: TraceRecord | null = null;
  let skipped = 0;
  /** An invalid line: an InputError, or (with skipInvalid) a report; the caller counts it. */
  const skip = (e: TraceLineError): void => {
    const err = lineError(file, lines.line, e);
    if (!opts.skipInvalid) {
      lines.close();
      throw err;
    }
    opts.onSkip?.(err.message);
  };
  // The first non-blank line: a header, or already the first event.
  for (let line = lines.next(); line !== null; line = lines.next()) {
    if (lines.tooLong) {
      skip(tooLong(lines.maxLineBytes));
      skipped++;
      continue;
    }
    if (isBlank(line)) continue;
    try {
      const rec = parseLine(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
      if (rec.type === 'header') header = rec;
      else pending = rec;
      break;
    } catch (e) {
      if (!(e instanceof TraceLineError)) throw e;
      skip(e);
      skipped++;
    }
  }
  const interner = new TraceInterner({ ops: opts.ops ?? header?.ops, unknownOps: opts.unknownOps ?? (opts.ops ? 'error' : 'extend') });
  return new JsonlSource(file, lines, interner, header, pending, skipped, skip, opts.vectors);
}

function tooLong(max: number): TraceLineError {
  return new TraceLineError(null, `line longer than ${max} bytes (the limit guards memory; raise it with --max-line-bytes)`);
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

class JsonlSource implements TraceSource {
  events = 0;
  private closed = false;
  /** The record delivered last (for `vectorOf`). */
  private last: TraceRecord | null = null;
  private textVectors: TraceVectors | null = null;

  constructor(
    private readonly file: string,
    private readonly reader: LineReader,
    private readonly interner: TraceInterner,
    readonly header: TraceHeader | null,
    private pending: TraceRecord | null,
    private skippedBefore: number,
    private readonly skip: (e: TraceLineError) => void,
    private readonly vectors?: RecordVectors,
  ) {}

  /** VectorSource (src/semantic/trace-vectors.ts): the vector of the request just delivered. */
  vectorOf(_ev: SimEvent, out: Float32Array, offset: number): boolean {
    const rec = this.last;
    if (rec === null || rec.type !== 'request') return false;
    if (this.vectors) return this.vectors(rec, out, offset);
    return (this.textVectors ??= new TraceVectors(out.length - offset)).fill(rec, out, offset);
  }

  get skipped(): number {
    return this.skippedBefore;
  }
  get lines(): number {
    return this.reader.line;
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

  next(ev: SimEvent): boolean {
    if (this.pending !== null) {
      const rec = this.pending;
      this.pending = null;
      if (this.deliver(rec, ev)) return true;
    }
    if (this.closed) return false;
    const r = this.reader;
    for (let line = r.next(); line !== null; line = r.next()) {
      if (r.tooLong) {
        this.bad(tooLong(r.maxLineBytes));
        continue;
      }
      if (isBlank(line)) continue;
      let rec: TraceRecord;
      try {
        rec = parseLine(line);
        if (rec.type === 'header') throw new TraceLineError('type', 'a header is only allowed on the first line');
      } catch (e) {
        if (!(e instanceof TraceLineError)) throw e;
        this.bad(e);
        continue;
      }
      if (this.deliver(rec, ev)) return true;
    }
    this.close();
    return false;
  }

  private deliver(rec: TraceRecord, ev: SimEvent): boolean {
    if (rec.type === 'header') return false;
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

  private bad(e: TraceLineError): void {
    try {
      this.skip(e);
    } catch (err) {
      this.closed = true;
      throw err;
    }
    this.skippedBefore++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.close();
  }
}
