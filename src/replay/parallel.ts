/**
 * `replay` of several caches over one trace file on every core: the trace is read and decoded
 * once, by the reader worker (pipeline.ts), into a shared ring; this thread and up to
 * cores − 1 cache workers (cache-worker.ts) each run a share of the caches over the same batches.
 * When this thread runs every cache over a binary (oracleGeneral) trace, it reads the file itself.
 * Each cache sees the same requests in the same order as in a replay of its own, so its misses
 * are the same.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { startWorker } from '../workers.js';
import { replay, type CacheSpec, type ReplayOptions, type ReplayRun } from './engine.js';
import { openReader } from './open.js';
import { openPipelined, type RingConsumer } from './pipeline.js';
import type { ReaderOptions, TraceFormat } from './types.js';

/** What a cache worker is asked to run. */
export interface CacheWorkerRequest {
  consumer: RingConsumer;
  caches: CacheSpec[];
  bySize: boolean;
}

/** A cache worker's answer. */
export type CacheWorkerMessage = { type: 'done'; run: ReplayRun } | { type: 'error'; message: string; input: boolean };

/**
 * Split caches over `runners` threads (runner 0 is this thread), balancing a rough cost: LRU and
 * FIFO with unit weights and no TTL take a fast loop of their own (1, log-queue.ts), other policies about twice
 * that; OPT stays on runner 0 (it replays the recording after the pass). Returns the cache
 * indices of each runner; empty runners are dropped.
 */
export function assignRunners(caches: readonly CacheSpec[], runners: number, unitFast: boolean): number[][] {
  const shares: number[][] = Array.from({ length: Math.max(1, runners) }, () => []);
  const load = new Float64Array(shares.length);
  const cost = (c: CacheSpec) => (c.policy === 'opt' || (unitFast && (c.policy === 'lru' || c.policy === 'fifo')) ? 1 : 2);
  const order = caches.map((_, i) => i).sort((a, b) => cost(caches[b]!) - cost(caches[a]!) || a - b);
  for (const i of order) {
    let r = 0;
    if (caches[i]!.policy !== 'opt') for (let k = 1; k < shares.length; k++) if (load[k]! < load[r]!) r = k;
    shares[r]!.push(i);
    load[r]! += cost(caches[i]!);
  }
  return [shares[0]!, ...shares.slice(1).filter((s) => s.length > 0)].map((s) => s.sort((a, b) => a - b));
}

/** Options of `replayFile`. */
export interface ReplayFileOptions extends ReplayOptions {
  /** Threads running caches (this one included); default: the cores available. */
  threads?: number;
}

/** Replay `caches` over `file`, decoding once, the caches spread over the cores. */
export async function replayFile(file: string, format: TraceFormat, options: ReaderOptions, caches: CacheSpec[], opts: ReplayFileOptions = {}): Promise<ReplayRun> {
  const now = opts.now ?? (() => performance.now());
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), caches.length));
  const shares = assignRunners(caches, threads, opts.bySize !== true);
  const t0 = now();
  // with unit weights the caches read only the keys (an oracleGeneral trace has no TTL; the
  // other readers have no keys-only mode)
  const readerOptions = opts.bySize === true ? options : { ...options, keysOnly: true };
  if (shares.length === 1 && format === 'oracle') {
    // One thread runs every cache and the trace is binary: decoding is a small share of the work
    // (docs/policies.md, "Speed"), so this thread reads the file itself; a reader worker would cost
    // more CPU (its start, a message per batch) than it saves in wall time.
    const reader = openReader(file, format, readerOptions);
    try {
      return { ...(await replay(reader, caches, opts)), elapsedMs: now() - t0 };
    } finally {
      await reader.close();
    }
  }
  const pipeline = await openPipelined(file, format, readerOptions, false, shares.length - 1);
  const workers: Worker[] = [];
  try {
    const answers = shares.slice(1).map((share, k) => {
      const consumer = pipeline.consumers[k]!;
      const request: CacheWorkerRequest = { consumer, caches: share.map((i) => caches[i]!), bySize: opts.bySize === true };
      const worker = startWorker(import.meta.url, './cache-worker', request, [consumer.port]);
      workers.push(worker);
      return new Promise<ReplayRun>((resolve, reject) => {
        worker.once('message', (m: CacheWorkerMessage) => (m.type === 'done' ? resolve(m.run) : reject(m.input ? new InputError(m.message) : new Error(m.message))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`cache worker exited (code ${code}) without a result`)));
      });
    });
    // a failed cache worker stops the reading here too (the reader would wait for its slots forever)
    for (const a of answers) a.catch((e: Error) => pipeline.abort(e));
    // this thread's share runs while the workers run theirs
    const mine = await replay(pipeline.reader, shares[0]!.map((i) => caches[i]!), opts);
    const theirs = await Promise.all(answers);
    const results = new Array<ReplayRun['results'][number]>(caches.length);
    shares[0]!.forEach((i, j) => (results[i] = mine.results[j]!));
    shares.slice(1).forEach((share, k) => share.forEach((i, j) => (results[i] = theirs[k]!.results[j]!)));
    return { requests: mine.requests, skipped: mine.skipped, results, elapsedMs: now() - t0, decodeMs: mine.decodeMs };
  } finally {
    await pipeline.reader.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
