/** Shared helpers of the replay tests: temp files, draining a reader, running the CLI in-process. */
import { newRequestBatch, type RequestReader } from '../../src/replay/types.js';

export { tempFile } from '../io/helpers.js';

/** Every request of a reader as plain arrays (small batches to cross boundaries). */
export async function drain(reader: RequestReader, batchSize = 5): Promise<{ key: number[]; size: number[]; time: number[]; ttl: number[] }> {
  const b = newRequestBatch(batchSize);
  const out = { key: [] as number[], size: [] as number[], time: [] as number[], ttl: [] as number[] };
  while (await reader.next(b)) {
    for (let i = 0; i < b.n; i++) {
      out.key.push(b.key[i]!);
      out.size.push(b.size[i]!);
      out.time.push(b.time[i]!);
      out.ttl.push(b.ttl[i]!);
    }
  }
  return out;
}

export { runCli } from '../cli-helper.js';
