/** Flags shared by `replay` and `mrc`: how to read the trace, and progress on a terminal. */
import { output } from '../output.js';
import type { Command } from 'commander';
import { intOption, progressReporter } from './options.js';
import { InputError } from '../errors.js';
import { keyTraceFormat } from '../replay/detect.js';
import { parseFormat } from '../replay/open.js';
import { openPipelined } from '../replay/pipeline.js';
import type { ReaderOptions, RequestReader, TraceFormat } from '../replay/types.js';

/** Parsed trace-reading flags. */
export interface TraceCliOptions {
  format?: string;
  columns?: string;
  delimiter?: string;
  header?: boolean;
  skipInvalid?: boolean;
  maxLineBytes?: number;
}

/** Add the trace-reading flags to a command. */
export function addTraceOptions(cmd: Command): Command {
  return cmd
    .option('--format <format>', 'txt (one key a line) | csv | oracle (oracleGeneral binary); default: from the content')
    .option('--columns <map>', 'csv column roles in order, e.g. time,key,size,ttl (- skips a column), or key=2,size=4')
    .option('--delimiter <char>', 'csv field delimiter (\\t for tab)', ',')
    .option('--header', 'csv: the first line is a header to skip')
    .option('--skip-invalid', 'skip malformed lines/records, count them and go on')
    .option('--max-line-bytes <n>', 'longest accepted text line (bytes)', intOption('--max-line-bytes', 1));
}

/**
 * The format (from the content, checked against --format; `command` is named in refusals) and the
 * reader options the trace flags ask for.
 */
export function traceRequest(file: string, o: TraceCliOptions, command: string): { format: TraceFormat; options: ReaderOptions } {
  const format = keyTraceFormat(file, o.format ? parseFormat(o.format) : undefined, command);
  if (format !== 'csv' && (o.columns || o.header)) throw new InputError('--columns and --header apply to --format csv only');
  const options = { skipInvalid: o.skipInvalid, columns: o.columns, delimiter: o.delimiter, header: o.header, maxLineBytes: o.maxLineBytes };
  return { format, options };
}

/**
 * Open the trace named on the command line in a reader worker (pipeline.ts): decoding, and with
 * `ids` the dense key ids, on the other core.
 */
export async function openTraceInWorker(file: string, o: TraceCliOptions, command: string, ids = false): Promise<{ reader: RequestReader; format: TraceFormat }> {
  const { format, options } = traceRequest(file, o, command);
  return { reader: (await openPipelined(file, format, options, ids)).reader, format };
}

/** A byte-progress callback drawn on stderr only when it is a terminal (and only for big files). */
export function traceProgress(label: string, totalBytes: number): ((bytesRead: number) => void) | undefined {
  const draw = totalBytes >= 32 << 20 ? progressReporter(label) : undefined;
  if (!draw) return undefined;
  return (bytesRead: number) => draw(Math.min(1, bytesRead / totalBytes));
}

/** Tell stderr how many invalid lines/records were skipped. */
export function reportSkipped(skipped: number, file: string): void {
  if (skipped > 0) output.stderr(`llmcache: skipped ${skipped} invalid line(s)/record(s) in ${file}\n`);
}
