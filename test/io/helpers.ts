/** Shared helpers of the io tests (and the replay tests): temp files. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../tmp-helper.js';

const { dir } = tempDir('llmcache-io-');
let counter = 0;

/** A fresh temp path in the test directory. */
export function tempPath(name: string): string {
  return join(dir, `${counter++}-${name}`);
}

/** Write `content` (latin1 when a string; gzip-compressed with `gzip`) to a fresh temp file. */
export function tempFile(name: string, content: string | Buffer, gzip = false): string {
  const p = tempPath(name);
  const buf = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
  writeFileSync(p, gzip ? gzipSync(buf) : buf);
  return p;
}
