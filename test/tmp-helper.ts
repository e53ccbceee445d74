/** A temporary directory for one test file, removed when the file's tests end. */
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** Absolute path of the directory. */
  dir: string;
  /** Write `doc` (a string as is, anything else as JSON) to `name` in the directory; returns its path. */
  file: (name: string, doc: unknown) => string;
}

/** Make a fresh directory under the OS temp dir (name starting `prefix`) and remove it after the tests. */
export function tempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, doc: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return p;
  };
  return { dir, file };
}
