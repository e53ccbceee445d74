/** Plain-text key traces: one key a line (blank lines ignored, a trailing CR stripped). */
import { TextReader } from './text.js';
import type { ReaderOptions, RequestBatch, RequestReader } from './types.js';

export class TxtReader extends TextReader implements RequestReader {
  readonly hasTime = false;
  readonly hasSize = false;
  readonly hasTtl = false;

  constructor(file: string, opts: ReaderOptions = {}) {
    super(file, opts);
  }

  protected decode(batch: RequestBatch): boolean {
    const ln = this.lines;
    const i = batch.n;
    // latin1 maps bytes 1:1 to string units, so distinct byte strings stay distinct keys.
    batch.key[i] = this.intern(ln.buf.toString('latin1', ln.start, ln.end));
    batch.size[i] = 1;
    batch.time[i] = 0;
    batch.ttl[i] = 0;
    return true;
  }
}
