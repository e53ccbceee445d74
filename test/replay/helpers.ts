/** Shared helpers of the replay tests: temp files, draining a reader, running the CLI in-process. */
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newRequestBatch, type RequestReader } from '../../src/replay/types.js';

const dir = mkdtempSync(join(tmpdir(), 'llmcache-replay-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** Write `content` to a fresh temp file (gzip-compressed with `gzip`); returns its path. */
export function tempFile(name: string, content: string | Buffer, gzip = false): string {
  const p = join(dir, `${counter++}-${name}`);
  const buf = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
  writeFileSync(p, gzip ? gzipSync(buf) : buf);
  return p;
}

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
