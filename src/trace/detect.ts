/** Refuse, in one sentence, a file that is not an llmcache JSONL trace before reading it line by line. */
import { InputError } from '../errors.js';
import { sniffTrace } from '../io/sniff.js';

/** Throws an InputError naming the right command when `file` is empty, binary or a key-request trace. */
export function requireJsonlTrace(file: string): void {
  const s = sniffTrace(file);
  const keys = `replay it with \`llmcache replay ${file}\` or size a cache with \`llmcache mrc ${file}\``;
  switch (s.kind) {
    case 'empty':
      throw new InputError(`${file} has no events: a trace needs at least one message or request line (write one with \`llmcache trace generate -o FILE\`)`);
    case 'binary':
      throw new InputError(
        s.oracleRecords
          ? `${file} is a binary oracleGeneral trace, not a JSONL trace (llmcache/trace@1); ${keys}`
          : `${file} is a binary file, not a JSONL trace (llmcache/trace@1, one JSON event a line; see docs/trace-format.md)`,
      );
    case 'csv':
    case 'text':
      throw new InputError(`${file} is a key-request trace (${s.kind === 'csv' ? 'CSV' : 'one key a line'}), not a JSONL trace (llmcache/trace@1); ${keys}`);
    case 'json':
    case 'llmcache-jsonl':
    case 'unknown':
      return;
  }
}

/**
 * For readers that take several text formats (llmcache JSONL and recorded traffic): refuse only what
 * none of them reads — a binary file (never quoted) and a file without events — in one sentence.
 */
export function refuseBinaryOrEmptyTrace(file: string): void {
  const s = sniffTrace(file);
  if (s.kind === 'empty' || s.kind === 'binary') requireJsonlTrace(file);
}
