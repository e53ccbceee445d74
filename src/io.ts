/** File output: atomic writes (temp file + rename) that never overwrite silently. */
import { accessSync, constants, existsSync, mkdirSync, renameSync, statSync, writeFileSync, rmSync } from 'node:fs';
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

/**
 * Check, before any work, that `writeFileAtomic(file, …, { overwrite })` will succeed: the file does
 * not exist (or `overwrite`), is not a directory, and its directory exists and is writable. A long
 * run then never ends in "already exists" with its measurement lost. `flag` names the option.
 */
export function checkOutPath(file: string, opts: { overwrite?: boolean; flag?: string } = {}): void {
  const flag = opts.flag ?? '--out';
  const stat = (path: string) => {
    try {
      return statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new InputError(`${flag} ${file}: cannot write there (${code ?? String(e)}); choose another ${flag}`);
    }
  };
  const st = stat(file);
  if (st?.isDirectory()) throw new InputError(`${flag} ${file} is a directory; give a file name such as ${join(file, 'result.json')}`);
  if (st && !opts.overwrite) throw new InputError(`${file} already exists; choose another ${flag} or pass --force to replace it`);
  const dir = dirname(file);
  const dst = stat(dir);
  if (!dst && stat(dirname(dir))?.isFile()) throw new InputError(`${flag} ${file}: ${dirname(dir)} is not a directory; choose another ${flag}`);
  if (!dst) throw new InputError(`${flag} ${file}: directory ${dir} does not exist; create it (mkdir -p ${dir}) or choose another ${flag}`);
  if (!dst.isDirectory()) throw new InputError(`${flag} ${file}: ${dir} is not a directory; choose another ${flag}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`${flag} ${file}: cannot write in ${dir} (${(e as NodeJS.ErrnoException).code ?? 'no permission'}); choose another ${flag}`);
  }
}

/** A result file name under results/ that does not exist yet, e.g. results/bench-2026-11-26T06-01-02Z.json. */
export function timestampedResultPath(kind: string, now = new Date(), dir = 'results'): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  let file = join(dir, `${kind}-${stamp}.json`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `${kind}-${stamp}-${i}.json`);
  return file;
}
