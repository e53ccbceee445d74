/** Shared helpers of the io tests: temp files. */
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = mkdtempSync(join(tmpdir(), 'llmcache-io-'));
after(() => rmSync(dir, { recursive: true, force: true }));
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
