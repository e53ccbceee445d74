/**
 * Readers for recorded LLM traffic in other shapes, as the same streaming TraceSource the
 * llmcache JSONL reader gives (docs/trace-format.md, "Recorded traffic"):
 *
 * - `mooncake`: JSONL with `timestamp` (ms from the start), `input_length`, `output_length`
 *   (tokens) and `hash_ids` (ids of the prompt's 512-token prefix blocks);
 * - `azure`: CSV `TIMESTAMP` (`2023-11-16 18:15:46.6805900`), `ContextTokens`, `GeneratedTokens`;
 * - `burstgpt`: CSV `Timestamp` (s), `Model`, `Request tokens`, `Response tokens`, `Total tokens`, `Log Type`;
 * - `csv` / `jsonl`: any table with a column map (`--map time=…,in=…,out=…,model=…,key=…,prompt=…,tenant=…,user=…`).
 *
 * Every row becomes one request record (op `llm` unless mapped otherwise) that goes through the
 * same interner as a JSONL trace, so time order, ids and errors behave the same. Times are
 * rebased to the first row. Constant memory: one line at a time, plus the intern tables of keys
 * and users when the map names them.
 */
import { InputError } from '../errors.js';
import { openBytes } from '../io/bytes.js';
import { DEFAULT_MAX_LINE_BYTES, LineReader } from '../io/lines.js';
import { TraceInterner } from './intern.js';
import { describe, TraceLineError, type TraceHeader } from './jsonl.js';
import { LineSource, openTraceSource, type TraceSource, type TraceSourceOptions } from './reader.js';
import type { RequestEvent, SimEvent } from './types.js';
import { createHash } from 'node:crypto';
import type { TraceFormat } from './formats.js';

export { RECORDED_FORMATS, TRACE_FORMATS, type TraceFormat } from './formats.js';

/** Op name of an imported request (the scenario prices it as an LLM op). */
export const IMPORTED_OP = 'llm';

/** Roles a `--map` can name. */
export const MAP_ROLES = ['time', 'in', 'out', 'model', 'key', 'prompt', 'tenant', 'user'] as const;
export type MapRole = (typeof MAP_ROLES)[number];
export type ColumnMap = Partial<Record<MapRole, string>>;

export interface RecordedOptions {
  /** `--map role=column,…` for csv / jsonl. */
  map?: string;
  /** Unit of numeric times of csv / jsonl (default ms). */
  timeUnit?: 's' | 'ms';
}

export type AnySourceOptions = TraceSourceOptions & RecordedOptions;

/** Parse `--map time=ts,in=prompt_tokens,…`; throws an InputError on an unknown role or a missing one. */
export function parseMap(spec: string): ColumnMap {
  const map: ColumnMap = {};
  for (const part of spec.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw new InputError(`--map: expected role=column, got ${JSON.stringify(part)} (roles: ${MAP_ROLES.join(', ')})`);
    const role = m[1] as MapRole;
    if (!(MAP_ROLES as readonly string[]).includes(role)) throw new InputError(`--map: unknown role ${JSON.stringify(m[1])} (roles: ${MAP_ROLES.join(', ')})`);
    if (map[role] !== undefined) throw new InputError(`--map: ${role} is given twice`);
    map[role] = m[2]!;
  }
  const missing = (['time', 'in', 'out'] as const).filter((r) => map[r] === undefined);
  if (missing.length) throw new InputError(`--map: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required (e.g. --map time=ts,in=prompt_tokens,out=completion_tokens)`);
  return map;
}

const AZURE = { time: 'TIMESTAMP', in: 'ContextTokens', out: 'GeneratedTokens' } as const;
const BURST = { time: 'Timestamp', model: 'Model', in: 'Request tokens', out: 'Response tokens' } as const;

/** Split one CSV line: commas, fields optionally double-quoted ("" = a quote). */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new TraceLineError(null, 'unterminated quoted field');
        v += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line.charCodeAt(i) !== 44) throw new TraceLineError(null, 'expected a comma after a quoted field');
      i++;
      continue;
    }
    const c = line.indexOf(',', i);
    if (c < 0) {
      out.push(line.slice(i));
      return out;
    }
    out.push(line.slice(i, c));
    i = c + 1;
  }
}

const INT = /^\s*\d+\s*$/;
const NUM = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const DATE = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/;

function tokens(column: string, v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && INT.test(v)) return Number(v);
  throw new TraceLineError(column, `expected a token count (an integer >= 0), got ${describe(v)}`);
}

/** A date-time (`2023-11-16 18:15:46.6805900`, ISO 8601; UTC unless it says otherwise) → ms since the epoch. */
export function parseDateMs(s: string): number | null {
  const m = DATE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac = '', zone] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +se!) + (frac ? Number(`0.${frac}`) * 1000 : 0);
  if (zone && zone !== 'Z') {
    const z = /([+-])(\d{2}):?(\d{2})/.exec(zone)!;
    ms -= (z[1] === '-' ? -1 : 1) * (+z[2]! * 60 + +z[3]!) * 60_000;
  }
  return ms;
}

/** A time value → ms: a number in `unit`, or a date-time string. */
function timeMs(column: string, v: unknown, unit: 's' | 'ms'): number {
  const scale = unit === 's' ? 1000 : 1;
  if (typeof v === 'number' && Number.isFinite(v)) return v * scale;
  if (typeof v === 'string') {
    if (NUM.test(v)) return Number(v) * scale;
    const d = parseDateMs(v);
    if (d !== null) return d;
  }
  throw new TraceLineError(column, `expected a time (a number of ${unit === 's' ? 'seconds' : 'ms'}, or a date-time like 2023-11-16 18:15:46.68), got ${describe(v)}`);
}

/** Turns one line into a request record; `header` consumes a CSV header line first. */
interface RowParser {
  readonly csv: boolean;
  /** Name of the time column, for errors. */
  readonly timeColumn: string;
  header?(line: string, file: string): void;
  parse(line: string): RequestEvent;
  /** Prompt text of the row just parsed (for keys and semantic tiers), if mapped. */
  prompt?: string;
}

/** A value by dotted path (`usage.prompt_tokens`) in a parsed JSON object. */
function pick(o: Record<string, unknown>, path: string): unknown {
  if (path in o) return o[path];
  let v: unknown = o;
  for (const p of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function parseJsonObject(line: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new TraceLineError(null, `invalid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TraceLineError(null, `expected a JSON object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

class MooncakeRows implements RowParser {
  readonly csv = false;
  readonly timeColumn = 'timestamp';
  parse(line: string): RequestEvent {
    const o = parseJsonObject(line);
    const t = o.timestamp;
    if (!(typeof t === 'number' && Number.isFinite(t) && t >= 0)) throw new TraceLineError('timestamp', `expected ms from the start (a number >= 0), got ${describe(t)}`);
    const ids = o.hash_ids;
    if (!Array.isArray(ids)) throw new TraceLineError('hash_ids', `expected an array of block ids, got ${describe(ids)}`);
    for (let i = 0; i < ids.length; i++)
      if (!(Number.isInteger(ids[i]) && ids[i] >= 0)) throw new TraceLineError(`hash_ids[${i}]`, `expected an integer >= 0, got ${describe(ids[i])}`);
    return { type: 'request', t, op: IMPORTED_OP, tokensIn: tokens('input_length', o.input_length), tokensOut: tokens('output_length', o.output_length), prefix: { blocks: ids as number[] } };
  }
}

/** A CSV with named columns: the header line maps roles to column indexes. */
class CsvRows implements RowParser {
  readonly csv = true;
  private idx: Partial<Record<MapRole, number>> = {};
  private width = 0;
  prompt?: string;
  constructor(
    private readonly map: ColumnMap,
    private readonly what: string,
    private readonly unit: 's' | 'ms',
    /** True when the map came from --map (unknown columns are then a usage error). */
    private readonly userMap: boolean,
  ) {}

  get timeColumn(): string {
    return this.map.time!;
  }

  header(line: string, file: string): void {
    const cols = splitCsv(line).map((c) => c.trim());
    const missing: string[] = [];
    for (const role of MAP_ROLES) {
      const col = this.map[role];
      if (col === undefined) continue;
      const i = cols.indexOf(col);
      if (i < 0) missing.push(col);
      else this.idx[role] = i;
    }
    if (missing.length) {
      const list = missing.map((m) => JSON.stringify(m)).join(', ');
      if (this.userMap) throw new InputError(`--map: column(s) ${list} not in the header of ${file} (columns: ${cols.join(', ')})`);
      throw new InputError(`${file}:1: not a ${this.what} CSV: the header lacks ${list} (it has ${cols.join(', ')}); pick the format with --trace-format / --from, or map the columns with --from csv --map`);
    }
    this.width = Math.max(...Object.values(this.idx)) + 1;
  }

  parse(line: string): RequestEvent {
    const f = splitCsv(line);
    if (f.length < this.width) throw new TraceLineError(null, `expected at least ${this.width} comma-separated fields, got ${f.length}`);
    return this.record((role) => (this.idx[role] === undefined ? undefined : f[this.idx[role]!]));
  }

  /** The request of one row, given a getter of each role's raw value. */
  record(get: (role: MapRole) => unknown): RequestEvent {
    const m = this.map;
    const rec: RequestEvent = {
      type: 'request',
      t: timeMs(m.time!, get('time'), this.unit),
      op: IMPORTED_OP,
      tokensIn: tokens(m.in!, get('in')),
      tokensOut: tokens(m.out!, get('out')),
    };
    const str = (role: MapRole): string | undefined => {
      const v = get(role);
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v === 'object') throw new TraceLineError(m[role]!, `expected a string, got ${describe(v)}`);
      return String(v);
    };
    const model = str('model');
    if (model !== undefined) rec.model = model;
    const user = str('user');
    if (user !== undefined) rec.contact = user;
    const tenant = str('tenant');
    if (tenant !== undefined) rec.tenant = tenant;
    const prompt = str('prompt');
    this.prompt = prompt;
    const key = str('key');
    // Without a key column, the prompt text is the exact-match key (the same prompt, the same answer).
    if (key !== undefined) rec.key = key;
    else if (prompt !== undefined) rec.key = `prompt:${createHash('sha256').update(prompt).digest('hex').slice(0, 16)}`;
    if (prompt !== undefined) rec.text = prompt;
    return rec;
  }
}

class JsonlRows implements RowParser {
  readonly csv = false;
  private checked = false;
  constructor(
    private readonly rows: CsvRows,
    private readonly map: ColumnMap,
    private readonly file: string,
  ) {}
  get prompt(): string | undefined {
    return this.rows.prompt;
  }
  get timeColumn(): string {
    return this.rows.timeColumn;
  }
  parse(line: string): RequestEvent {
    const o = parseJsonObject(line);
    if (!this.checked) {
      // The first record must have every mapped field: a typo in --map is caught at once.
      const missing = Object.values(this.map).filter((p) => pick(o, p!) === undefined);
      if (missing.length) throw new InputError(`--map: field(s) ${missing.map((m) => JSON.stringify(m)).join(', ')} not in the first record of ${this.file} (fields: ${Object.keys(o).join(', ')})`);
      this.checked = true;
    }
    return this.rows.record((role) => (this.map[role] === undefined ? undefined : pick(o, this.map[role]!)));
  }
}

function rowParser(format: Exclude<TraceFormat, 'llmcache'>, file: string, opts: RecordedOptions): RowParser {
  if (format !== 'csv' && format !== 'jsonl' && opts.map !== undefined) throw new InputError(`--map is for --from csv or jsonl; ${format} has fixed columns`);
  switch (format) {
    case 'mooncake':
      return new MooncakeRows();
    case 'azure':
      return new CsvRows(AZURE, 'Azure LLM inference', 'ms', false);
    case 'burstgpt':
      return new CsvRows(BURST, 'BurstGPT', 's', false);
    case 'csv':
    case 'jsonl': {
      if (opts.map === undefined) throw new InputError(`--from ${format} needs --map, e.g. --map time=startTime,in=prompt_tokens,out=completion_tokens,model=model,user=user`);
      const map = parseMap(opts.map);
      const rows = new CsvRows(map, format, opts.timeUnit ?? 'ms', true);
      return format === 'csv' ? rows : new JsonlRows(rows, map, file);
    }
  }
}

/** The first non-blank line of a file (or null), for format detection. */
function firstLine(file: string): string | null {
  const r = new LineReader(openBytes(file), DEFAULT_MAX_LINE_BYTES);
  try {
    const line = r.nextLine(() => {}); // a too-long line is left to the reader to report
    return line !== null && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  } finally {
    r.close();
  }
}

/**
 * The format of a trace file from its first line: llmcache JSONL (a `type` field), Mooncake (a
 * `hash_ids` field), the Azure or BurstGPT CSV headers. Anything else needs `--trace-format`.
 */
export function detectFormat(file: string): TraceFormat {
  const line = firstLine(file);
  if (line === null) throw new InputError(`${file}: empty file (no requests)`);
  if (line.trimStart().startsWith('{')) {
    let o: Record<string, unknown>;
    try {
      o = parseJsonObject(line);
    } catch {
      return 'llmcache'; // the llmcache reader reports the bad line with its number
    }
    if ('type' in o) return 'llmcache';
    if ('hash_ids' in o && 'input_length' in o) return 'mooncake';
    throw new InputError(`${file}: cannot tell the trace format from the first record (fields: ${Object.keys(o).join(', ')}); give --trace-format jsonl --map time=…,in=…,out=…`);
  }
  const cols = splitCsv(line).map((c) => c.trim());
  const has = (names: readonly string[]) => names.every((n) => cols.includes(n));
  if (has(Object.values(AZURE))) return 'azure';
  if (has(Object.values(BURST))) return 'burstgpt';
  throw new InputError(`${file}: cannot tell the trace format from the header (${cols.join(', ')}); give --trace-format csv --map time=…,in=…,out=…`);
}

/** Open any supported trace: llmcache JSONL, or recorded traffic in `format` (detected when absent). */
export async function openAnySource(file: string, format: TraceFormat | undefined, opts: AnySourceOptions = {}): Promise<TraceSource> {
  const f = format ?? detectFormat(file);
  if (f === 'llmcache') {
    if (opts.map !== undefined) throw new InputError('--map is for recorded traffic (--trace-format csv or jsonl), not for llmcache traces');
    return openTraceSource(file, opts);
  }
  return new RecordedSource(file, rowParser(f, file, opts), opts);
}

/** Recorded traffic as a TraceSource: one request per row, in file order. */
class RecordedSource extends LineSource implements TraceSource {
  readonly header: TraceHeader | null = null;
  events = 0;
  private readonly interner: TraceInterner;
  private headerRead: boolean;
  /** Time of the first row (ms), subtracted from every row. */
  private t0 = Number.NaN;
  private prompt: string | undefined;
  /** `vectorOf`'s record of the prompt text, reused for every request (nothing allocated per call). */
  private readonly promptRecord: { text: string } = { text: '' };

  constructor(
    file: string,
    private readonly rows: RowParser,
    protected override readonly opts: AnySourceOptions,
  ) {
    super(file, new LineReader(openBytes(file), opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES), opts);
    this.headerRead = !rows.csv;
    const ops = opts.ops;
    if (ops !== undefined && !ops.includes(IMPORTED_OP)) throw new InputError(`${file}: recorded requests use op "${IMPORTED_OP}", which the scenario lacks`);
    this.interner = new TraceInterner({ ops: ops ?? [IMPORTED_OP], unknownOps: 'extend' });
  }

  get opNames(): string[] {
    return this.interner.opNames;
  }
  get contacts(): number {
    return this.interner.contacts.size;
  }
  get entities(): number {
    return this.interner.entities.size;
  }
  spanMs(): number {
    return this.interner.lastT;
  }
  contactName = (id: number): string => this.interner.contactName(id);
  keyName = (id: number): string => this.interner.keyName(id);
  entityName = (id: number): string => this.interner.entityName(id);
  tenantName = (id: number): string => this.interner.tenantName(id);
  modelName = (id: number): string => this.interner.modelName(id);

  /** The prompt text of the request just delivered, when the map names one. */
  promptOf(): string | undefined {
    return this.prompt;
  }

  vectorOf(_ev: SimEvent, out: Float32Array, offset: number): boolean {
    if (this.prompt === undefined) return false;
    this.promptRecord.text = this.prompt;
    return this.vectorOfRecord(this.promptRecord, out, offset);
  }

  next(ev: SimEvent): boolean {
    if (this.closed) return false;
    for (let line = this.nextLine(); line !== null; line = this.nextLine()) {
      if (!this.headerRead) {
        this.rows.header!(this.reader.line === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line, this.file);
        this.headerRead = true;
        continue;
      }
      try {
        const rec = this.rows.parse(line);
        if (Number.isNaN(this.t0)) this.t0 = rec.t;
        const raw = rec.t;
        rec.t = raw - this.t0;
        if (rec.t < this.interner.lastT) throw new TraceLineError(this.rows.timeColumn, `expected rows in time order; this row is ${this.interner.lastT - rec.t} ms before the previous one`);
        this.interner.fill(rec, ev);
      } catch (e) {
        if (!(e instanceof TraceLineError)) throw e;
        this.bad(e);
        continue;
      }
      this.prompt = this.rows.prompt;
      this.events++;
      return true;
    }
    const noRows = this.events === 0 && this.skipped === 0;
    this.close();
    if (noRows) throw new InputError(`${this.file}: no requests in the file${this.rows.csv ? ' (only a header, or nothing)' : ''}`);
    return false;
  }
}

/** The op names a trace file's requests use: its header's `ops` (llmcache), or the imported op. */
export function traceOps(file: string, format: TraceFormat): string[] {
  if (format !== 'llmcache') return [IMPORTED_OP];
  const line = firstLine(file);
  if (line === null) return [];
  try {
    const o = parseJsonObject(line);
    return o.type === 'header' && Array.isArray(o.ops) ? (o.ops as string[]) : [];
  } catch {
    return [];
  }
}
