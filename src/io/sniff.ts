/**
 * What kind of trace a file holds, from its first bytes (gzip inflated), whatever it is called:
 * so `replay` refuses llmcache's own JSONL trace instead of reading it as one key a line, and
 * `simulate --trace` refuses a binary file instead of quoting its bytes in a parse error.
 */
import { closeSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { cannotRead, openToRead } from './bytes.js';

/**
 * - `empty`: no data (or only blank lines, or only a JSONL header);
 * - `llmcache-jsonl`: JSON lines whose records carry a `type` (llmcache/trace@1);
 * - `json`: other JSON (a result file, someone else's JSON lines);
 * - `binary`: not text; `oracleRecords` says whether it divides into 24-byte oracleGeneral records;
 * - `csv`: a header line and rows with the same number of comma-separated fields;
 * - `text`: anything else that is text (one key a line);
 * - `unknown`: a gzip stream that does not inflate (the reader reports where it breaks).
 */
export type TraceKind = 'empty' | 'llmcache-jsonl' | 'json' | 'binary' | 'csv' | 'text' | 'unknown';

export interface Sniffed {
  kind: TraceKind;
  gzip: boolean;
  /** Binary only: the (inflated) sample is a whole number of 24-byte records with ascending times. */
  oracleRecords: boolean;
}

const SAMPLE_BYTES = 64 << 10;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Read up to 64 KiB of `file` (inflated when gzip). InputError when the file cannot be read. */
function sample(file: string): { bytes: Buffer; gzip: boolean; whole: boolean; size: number } | null {
  const { fd, size } = openToRead(file);
  try {
    const raw = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    const n = readSync(fd, raw, 0, raw.length, 0);
    const head = raw.subarray(0, n);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      let inflated: Buffer;
      try {
        // A partial stream inflates as far as it goes (no error for the missing end).
        inflated = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        return null;
      }
      return { bytes: inflated.subarray(0, SAMPLE_BYTES), gzip: true, whole: size <= SAMPLE_BYTES && inflated.length <= SAMPLE_BYTES, size };
    }
    return { bytes: head, gzip: false, whole: size <= SAMPLE_BYTES, size };
  } catch (e) {
    throw cannotRead(file, e);
  } finally {
    closeSync(fd);
  }
}

/** Bytes that do not occur in text: NUL and most C0 controls (tab, LF, CR, FF, ESC allowed). */
function isBinary(b: Buffer): boolean {
  let odd = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) odd++;
  }
  if (odd > 0 && odd * 100 > b.length) return true;
  // Invalid UTF-8 is binary too (a sequence cut by the end of the sample is not invalid).
  for (let cut = 0; cut <= Math.min(3, b.length); cut++) {
    try {
      UTF8.decode(b.subarray(0, b.length - cut));
      return false;
    } catch {
      // try without the last `cut + 1` bytes
    }
  }
  return true;
}

/** The sample splits into 24-byte records whose uint32 times never decrease. */
function looksLikeOracle(b: Buffer, whole: boolean, size: number): boolean {
  if (b.length < 24 || (whole && size % 24 !== 0)) return false;
  let prev = -1;
  for (let off = 0; off + 24 <= b.length; off += 24) {
    const t = b.readUInt32LE(off);
    if (t < prev) return false;
    prev = t;
  }
  return true;
}

/** Sniff the trace kind of `file` from its content. */
export function sniffTrace(file: string): Sniffed {
  const got = sample(file);
  if (got === null) return { kind: 'unknown', gzip: true, oracleRecords: false };
  const { bytes, gzip, whole, size } = got;
  const none = (kind: TraceKind): Sniffed => ({ kind, gzip, oracleRecords: false });
  if (bytes.length === 0) return none('empty');
  if (isBinary(bytes)) return { kind: 'binary', gzip, oracleRecords: looksLikeOracle(bytes, whole && !gzip, size) };
  const text = bytes.toString('utf8');
  // Drop the last line when the sample cut it.
  const lines = text.split(/\r?\n/);
  if (!whole && lines.length > 1) lines.pop();
  const filled = lines.filter((l) => l.trim() !== '');
  if (filled.length === 0) return none('empty');
  const first = filled[0]!.trim();
  if (first.startsWith('{') || first.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(first);
    } catch {
      // A whole-file JSON document (pretty-printed) or a broken line: both are JSON, not keys.
      return none(first.startsWith('{"type"') ? 'llmcache-jsonl' : 'json');
    }
    const type = (doc as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && ['header', 'message', 'request', 'state'].includes(type)) {
      return none(whole && filled.length === 1 && type === 'header' ? 'empty' : 'llmcache-jsonl');
    }
    return none('json');
  }
  const fields = (l: string): string[] => l.split(',');
  const head = fields(first);
  if (head.length >= 2 && head.some((f) => f.trim() !== '' && !/^[\s\d.eE+-]*$/.test(f)) && filled.length >= 2 && fields(filled[1]!).length === head.length) return none('csv');
  return none('text');
}
