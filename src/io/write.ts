/**
 * The one file writer: every result, report and trace llmcache writes goes through here.
 *
 * A file is written to a temporary file beside it, flushed to disk (fsync), then renamed over the
 * target, so a reader sees the old file or the whole new one, never a part. An existing file is
 * replaced only with `overwrite`. Nothing is left behind: the temporary file is removed when
 * writing fails, when the process exits, and on Ctrl-C / SIGTERM (a signal during a write waits
 * for the write to be finished or undone, then takes its usual course).
 */
import { accessSync, closeSync, constants, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../errors.js';

export interface WriteOptions {
  /** Replace an existing file (the `--force` flag); otherwise an existing file is an InputError. */
  overwrite?: boolean;
  /** The flag that named the file, for messages (default `--out`). */
  flag?: string;
}

/** What a file's content may be given as: text, bytes, or pieces of bytes written in order. */
export type FileContent = string | Uint8Array | Iterable<Uint8Array>;

/**
 * Write `content` to `file` atomically (see the module comment). Synchronous: a signal that
 * arrives meanwhile is handled once the file is in place.
 */
export function writeFileAtomic(file: string, content: FileContent, opts: WriteOptions = {}): void {
  const tmp = begin(file, opts);
  const stop = holdSignals();
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    if (typeof content === 'string' || content instanceof Uint8Array) writeAll(fd, content);
    else for (const piece of content) writeAll(fd, piece);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    finish(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    abandon(tmp);
    throw e;
  } finally {
    stop();
  }
}

/**
 * Stream `chunks` to `file` atomically, with back-pressure, through `transform` when given (e.g.
 * gzip). Ctrl-C or SIGTERM while it runs stops the stream and removes the temporary file; the
 * promise then rejects and the signal takes its usual course.
 */
export async function writeStreamAtomic(
  file: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: WriteOptions & { transform?: Transform } = {},
): Promise<void> {
  const tmp = begin(file, opts);
  const fd = openSync(tmp, 'w');
  const abort = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const out = createWriteStream('', { fd, autoClose: false });
    const input = Readable.from(chunks, { objectMode: false });
    if (opts.transform) await pipeline(input, opts.transform, out, { signal: abort.signal });
    else await pipeline(input, out, { signal: abort.signal });
    fsyncSync(fd);
    closeSync(fd);
    finish(tmp, file);
  } catch (e) {
    closeQuietly(fd);
    abandon(tmp);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Nobody else handles the signal: it ends the process as it would have without us.
    if (interrupted && process.listenerCount(interrupted) === 0) process.kill(process.pid, interrupted);
  }
}

/**
 * Check, before any work, that writing `file` will succeed: it does not exist (or `overwrite`),
 * is not a directory, and its directory exists and is writable. A long run then never ends in
 * "already exists" with its measurement lost.
 */
export function checkOutPath(file: string, opts: WriteOptions = {}): void {
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
  if (st && !opts.overwrite) throw new InputError(alreadyExists(file, flag));
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

function alreadyExists(file: string, flag: string): string {
  return `${file} already exists; choose another ${flag} or pass --force to replace it`;
}

/** Temporary files being written; removed if the process exits before they are renamed. */
const unfinished = new Set<string>();
let exitHookInstalled = false;

/** Refuse an existing file unless `overwrite`, create the directory, and name the temporary file. */
function begin(file: string, opts: WriteOptions): string {
  if (!opts.overwrite && existsSync(file)) throw new InputError(alreadyExists(file, opts.flag ?? '--out'));
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const t of unfinished) rmSync(t, { force: true });
    });
  }
  unfinished.add(tmp);
  return tmp;
}

/** Put the finished temporary file in place (and make the rename itself durable where the OS allows). */
function finish(tmp: string, file: string): void {
  renameSync(tmp, file);
  unfinished.delete(tmp);
  try {
    const dirFd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // A directory cannot be opened or synced on every platform (Windows): the rename stands.
  }
}

function abandon(tmp: string): void {
  rmSync(tmp, { force: true });
  unfinished.delete(tmp);
}

function writeAll(fd: number, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed after a successful fsync
  }
}

/**
 * Defer SIGINT / SIGTERM during a synchronous write: with a listener installed, Node delivers a
 * signal only after the write returns, instead of the default of ending the process mid-write.
 * Returns the function to call after the write. Node delivers a signal in the event loop's poll
 * phase, so the listeners stay until a poll phase has passed (the check phase after the next one:
 * two `setImmediate`s); then a deferred signal takes its usual course.
 */
function holdSignals(): () => void {
  let deferred: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals) => {
    deferred ??= signal;
  };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  const release = () => {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
    if (deferred && process.listenerCount(deferred) === 0) process.kill(process.pid, deferred);
  };
  return () => void setImmediate(() => setImmediate(release));
}
