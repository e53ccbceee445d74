/** File output: atomic writes (temp file + rename) that never overwrite silently. */
import { existsSync, mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from './errors.js';

/**
 * Write `content` to `file` atomically: a temp file in the same directory, then rename.
 * An existing file is only replaced with `overwrite: true`.
 */
export function writeFileAtomic(file: string, content: string, opts: { overwrite?: boolean } = {}): void {
  if (!opts.overwrite && existsSync(file)) {
    throw new InputError(`${file} already exists; choose another --out or pass --force to replace it`);
  }
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A result file name under results/ that does not exist yet, e.g. results/bench-2026-11-26T06-01-02Z.json. */
export function timestampedResultPath(kind: string, now = new Date(), dir = 'results'): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  let file = join(dir, `${kind}-${stamp}.json`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `${kind}-${stamp}-${i}.json`);
  return file;
}
