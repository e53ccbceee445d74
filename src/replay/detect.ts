/**
 * Which reader a key-request trace needs, from its content (`--format` absent), and a one-sentence
 * refusal when the content is not what `--format` says or not a key-request trace at all.
 */
import { InputError } from '../errors.js';
import { sniffTrace } from '../io/sniff.js';
import type { TraceFormat } from './types.js';

/**
 * The format to read `file` with: `given` (from --format) when the content agrees, else the one
 * the content shows. `command` (replay | mrc) is named in the messages.
 */
export function keyTraceFormat(file: string, given: TraceFormat | undefined, command: string): TraceFormat {
  const s = sniffTrace(file);
  const flag = given ? `--format ${given}` : 'its content';
  switch (s.kind) {
    case 'empty':
      throw new InputError(`${file} is empty: it has no requests; give ${command} a trace with at least one key`);
    case 'llmcache-jsonl':
      throw new InputError(
        `${file} is an llmcache JSONL trace (llmcache/trace@1), not a key-request trace; run it with \`llmcache simulate --trace ${file}\` or inspect it with \`llmcache trace stats ${file}\``,
      );
    case 'json':
      throw new InputError(`${file} is JSON, not a key-request trace; ${command} reads one key a line (txt), CSV (--format csv) or oracleGeneral binary records (--format oracle)`);
    case 'binary':
      if (given === 'oracle' || (given === undefined && s.oracleRecords)) return 'oracle';
      throw new InputError(
        s.oracleRecords
          ? `${file} is binary (24-byte oracleGeneral records), not text (${flag}); use --format oracle`
          : `${file} is a binary file but not oracleGeneral (24-byte records with ascending times); ${command} reads one key a line (txt), CSV or oracleGeneral`,
      );
    case 'unknown':
      return given ?? 'txt';
    case 'csv':
    case 'text':
      if (given === 'oracle') throw new InputError(`${file} is text, not the 24-byte binary records of ${flag}; use --format ${s.kind === 'csv' ? 'csv' : 'txt'}`);
      return given ?? (s.kind === 'csv' ? 'csv' : 'txt');
  }
}
