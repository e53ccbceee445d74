/**
 * CSV key traces with a column mapping. `--columns` names the role of each column in order,
 * e.g. `time,key,size,ttl`, with `-` (or an empty name) for a column to ignore; or gives 1-based
 * positions, e.g. `key=2,size=5`. Roles: `key` (required), `time`, `size` (bytes, ≥ 0) and `ttl`
 * (same unit as time, ≥ 0, 0 = never expires; needs `time`). Without `--columns` the first line
 * must be a header naming the columns. Fields may be double-quoted ("" escapes a quote); a quoted
 * field cannot span lines.
 */
import { InputError } from '../errors.js';
import { TextReader, shown } from './text.js';
import type { ReaderOptions, RequestBatch, RequestReader } from './types.js';

/** Column roles a CSV mapping can name. */
export const CSV_ROLES = ['time', 'key', 'size', 'ttl'] as const;
export type CsvRole = (typeof CSV_ROLES)[number];

/** 0-based column index per role, -1 when absent. */
export type ColumnMap = Record<CsvRole, number>;

const IGNORED = new Set(['', '-', '_']);
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Parse a `--columns` value; throws InputError on an unknown role, a duplicate or no key. */
export function parseColumns(spec: string): ColumnMap {
  const map: ColumnMap = { time: -1, key: -1, size: -1, ttl: -1 };
  const parts = spec.split(',').map((p) => p.trim().toLowerCase());
  const positional = !parts.some((p) => p.includes('='));
  parts.forEach((part, i) => {
    let role = part;
    let index = i;
    if (!positional) {
      const m = /^([a-z_]+)\s*=\s*(\d+)$/.exec(part);
      if (!m || Number(m[2]) < 1) throw new InputError(`--columns: expected role=position (1-based), got ${shown(part)}`);
      role = m[1]!;
      index = Number(m[2]) - 1;
    } else if (IGNORED.has(role)) return;
    if (role === 'id') role = 'key';
    if (!(CSV_ROLES as readonly string[]).includes(role)) {
      throw new InputError(`--columns: unknown column ${shown(part)}; use ${CSV_ROLES.join(', ')} or - to ignore`);
    }
    if (map[role as CsvRole] !== -1) throw new InputError(`--columns: ${role} is given twice`);
    map[role as CsvRole] = index;
  });
  if (map.key === -1) throw new InputError(`--columns: a key column is required (got ${shown(spec)})`);
  if (map.ttl !== -1 && map.time === -1) throw new InputError('--columns: a ttl column needs a time column');
  return map;
}

export class CsvReader extends TextReader implements RequestReader {
  private map: ColumnMap | null;
  private readonly delim: number;
  private headerPending: boolean;
  private width = 0;
  /** Field bounds of the current line (reused). */
  private readonly fs: number[] = [];
  private readonly fe: number[] = [];
  private readonly quoted: boolean[] = [];

  constructor(file: string, opts: ReaderOptions = {}) {
    super(file, opts);
    const d = opts.delimiter ?? ',';
    const dd = d === '\\t' ? '\t' : d;
    if (Buffer.byteLength(dd) !== 1) throw new InputError(`--delimiter must be one byte, got ${shown(d)}`);
    this.delim = dd.charCodeAt(0);
    this.map = opts.columns ? parseColumns(opts.columns) : null;
    this.headerPending = opts.header === true || this.map === null;
    if (this.map) this.width = Math.max(...Object.values(this.map)) + 1;
  }

  get hasTime(): boolean {
    return this.map !== null && this.map.time >= 0;
  }
  get hasSize(): boolean {
    return this.map !== null && this.map.size >= 0;
  }
  get hasTtl(): boolean {
    return this.map !== null && this.map.ttl >= 0;
  }

  protected decode(batch: RequestBatch): boolean {
    const n = this.split();
    if (n < 0) return this.invalid(`column ${-n}`, 'unterminated quote or text after a closing quote');
    if (this.headerPending) {
      this.headerPending = false;
      if (this.map === null) this.headerColumns(n);
      return false;
    }
    const map = this.map!;
    if (n < this.width) {
      const missing = CSV_ROLES.filter((r) => map[r] >= n).join(', ');
      return this.invalid(missing, `missing (the line has ${n} columns, the mapping needs ${this.width})`);
    }
    const i = batch.n;
    const key = this.field(map.key);
    if (key.length === 0) return this.invalid('key (column ' + (map.key + 1) + ')', 'empty key');
    let time = 0;
    let size = 1;
    let ttl = 0;
    if (map.time >= 0) {
      time = this.number(map.time);
      if (!Number.isFinite(time)) return this.invalid(`time (column ${map.time + 1})`, this.notNumber(map.time));
    }
    if (map.size >= 0) {
      size = this.number(map.size);
      if (!(size >= 0) || !Number.isFinite(size)) {
        return this.invalid(`size (column ${map.size + 1})`, this.notNumber(map.size, 'a non-negative number'));
      }
    }
    if (map.ttl >= 0) {
      ttl = this.number(map.ttl);
      if (!(ttl >= 0) || !Number.isFinite(ttl)) {
        return this.invalid(`ttl (column ${map.ttl + 1})`, this.notNumber(map.ttl, 'a non-negative number'));
      }
    }
    batch.key[i] = this.intern(key);
    batch.time[i] = time;
    batch.size[i] = size;
    batch.ttl[i] = ttl;
    return true;
  }

  /** Columns from a header line: recognized role names map, anything else is ignored. */
  private headerColumns(n: number): void {
    const names: string[] = [];
    for (let c = 0; c < n; c++) {
      const name = this.field(c).trim().toLowerCase();
      names.push((CSV_ROLES as readonly string[]).includes(name) || name === 'id' ? name : '-');
    }
    if (!names.includes('key') && !names.includes('id')) {
      throw new InputError(
        `${this.file}: line 1: no --columns given and the first line is not a header naming a key column; ` +
          'pass e.g. --columns time,key,size',
      );
    }
    this.map = parseColumns(names.join(','));
    this.width = Math.max(...Object.values(this.map)) + 1;
  }

  /** Split the current line into fields; returns the field count, or -(column) on a bad quote. */
  private split(): number {
    const ln = this.lines;
    const buf = ln.buf;
    const end = ln.end;
    let p = ln.start;
    let n = 0;
    for (;;) {
      if (buf[p] === 0x22) {
        // quoted field: up to a quote not followed by another quote
        let q = p + 1;
        for (;;) {
          while (q < end && buf[q] !== 0x22) q++;
          if (q >= end) return -(n + 1);
          if (q + 1 < end && buf[q + 1] === 0x22) q += 2;
          else break;
        }
        this.fs[n] = p + 1;
        this.fe[n] = q;
        this.quoted[n] = true;
        p = q + 1;
        if (p < end && buf[p] !== this.delim) return -(n + 1);
      } else {
        const delim = this.delim;
        let d = p;
        while (d < end && buf[d] !== delim) d++;
        this.fs[n] = p;
        this.fe[n] = d;
        this.quoted[n] = false;
        p = d;
      }
      n++;
      if (p >= end) return n;
      p++; // skip the delimiter
      if (p === end) {
        this.fs[n] = this.fe[n] = end; // trailing empty field
        this.quoted[n] = false;
        return n + 1;
      }
    }
  }

  private field(c: number): string {
    const s = this.lines.buf.toString('latin1', this.fs[c]!, this.fe[c]!);
    return this.quoted[c] ? s.replaceAll('""', '"') : s;
  }

  private number(c: number): number {
    const s = this.field(c);
    return NUMBER.test(s) ? Number(s) : Number.NaN;
  }

  private notNumber(c: number, what = 'a number'): string {
    return `expected ${what}, got ${shown(this.field(c))}`;
  }
}
