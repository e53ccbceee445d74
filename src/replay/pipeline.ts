/**
 * A trace reader on the other core: a worker thread reads, decodes and assigns dense ids
 * (reader-worker.ts) while this thread runs the caches, a few batches ahead (bounded: memory stays
 * a few batches, whatever the trace length). The batches' buffers move between the threads
 * without copying. Errors keep their kind: a bad record is still an InputError (exit 2).
 */
import { InputError } from '../errors.js';
import { startWorker } from '../workers.js';
import type { ReaderOptions, RequestBatch, RequestReader, TraceFormat } from './types.js';

/** What the worker is asked to read. */
export interface PipelineRequest {
  file: string;
  format: TraceFormat;
  options: ReaderOptions;
  /** Batches in flight (filled ahead of the consumer). */
  batches: number;
  /** Fill `batch.id` (dense key ids) too. */
  ids: boolean;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'ready'; hasTime: boolean; hasSize: boolean; hasTtl: boolean; totalBytes: number }
  | ({ type: 'batch'; n: number; bytesRead: number; skipped: number } & Omit<RequestBatch, 'n'>)
  | { type: 'end'; bytesRead: number; skipped: number }
  | { type: 'error'; message: string; input: boolean };

/** Open `file` with its reader in a worker thread; resolves once the file is open. */
export async function openPipelined(file: string, format: TraceFormat, options: ReaderOptions = {}, ids = false): Promise<RequestReader> {
  const worker = startWorker(import.meta.url, './reader-worker', { file, format, options, batches: 4, ids } satisfies PipelineRequest);
  const queue: WorkerMessage[] = [];
  let waiting: ((m: WorkerMessage) => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else queue.push(m);
  });
  worker.on('error', (e) => {
    failure = e;
    waiting?.({ type: 'error', message: e.message, input: false });
  });
  const nextMessage = (): Promise<WorkerMessage> => {
    if (queue.length > 0) return Promise.resolve(queue.shift()!);
    if (failure) return Promise.resolve({ type: 'error', message: (failure as Error).message, input: false });
    return new Promise((r) => (waiting = r));
  };
  const fail = async (m: { message: string; input: boolean }): Promise<never> => {
    await worker.terminate();
    throw m.input ? new InputError(m.message) : new Error(m.message);
  };
  const first = await nextMessage();
  if (first.type === 'error') return fail(first);
  if (first.type !== 'ready') throw new Error(`reader worker: unexpected ${first.type} before ready`);
  let bytesRead = 0;
  let skipped = 0;
  let done = false;
  /** The worker's arrays the consumer holds now; handed back on the next call. */
  let held: Omit<RequestBatch, 'n'> | null = null;
  return {
    hasTime: first.hasTime,
    hasSize: first.hasSize,
    hasTtl: first.hasTtl,
    totalBytes: first.totalBytes,
    withIds: ids,
    get bytesRead() {
      return bytesRead;
    },
    get skipped() {
      return skipped;
    },
    async next(batch: RequestBatch): Promise<boolean> {
      batch.n = 0;
      if (done) return false;
      const m = await nextMessage();
      if (m.type === 'error') return fail(m);
      bytesRead = m.type === 'ready' ? bytesRead : m.bytesRead;
      skipped = m.type === 'ready' ? skipped : m.skipped;
      if (m.type !== 'batch') {
        done = true;
        await worker.terminate();
        return false;
      }
      // hand the consumed arrays back to be refilled, take the filled ones
      if (held) worker.postMessage(held, [held.key.buffer, held.size.buffer, held.time.buffer, held.ttl.buffer, held.id.buffer] as ArrayBuffer[]);
      held = { key: m.key, size: m.size, time: m.time, ttl: m.ttl, id: m.id };
      batch.key = m.key;
      batch.size = m.size;
      batch.time = m.time;
      batch.ttl = m.ttl;
      batch.id = m.id;
      batch.n = m.n;
      return true;
    },
    async close(): Promise<void> {
      done = true;
      await worker.terminate();
    },
  };
}
