/** One registry of trace readers: format name -> factory. */
import { InputError } from '../errors.js';
import { CsvReader } from './csv.js';
import { OracleReader } from './oracle.js';
import { TxtReader } from './txt.js';
import { TRACE_FORMATS, type ReaderOptions, type RequestReader, type TraceFormat } from './types.js';

const READERS: Record<TraceFormat, (file: string, opts: ReaderOptions) => RequestReader> = {
  txt: (file, opts) => new TxtReader(file, opts),
  csv: (file, opts) => new CsvReader(file, opts),
  oracle: (file, opts) => new OracleReader(file, opts),
};

/** Validate a `--format` value. */
export function parseFormat(value: string): TraceFormat {
  if (!(TRACE_FORMATS as readonly string[]).includes(value)) {
    throw new InputError(`--format must be one of ${TRACE_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as TraceFormat;
}

/** Open a streaming reader for `file`. */
export function openReader(file: string, format: TraceFormat, opts: ReaderOptions = {}): RequestReader {
  return READERS[format](file, opts);
}
