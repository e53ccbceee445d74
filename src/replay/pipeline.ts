/**
 * Trace reading on another core, shared by any number of consumers. A reader worker
 * (reader-worker.ts) reads, decodes and (if asked) assigns dense key ids into a ring of batch
 * slots in one SharedArrayBuffer; each consumer (the main thread, and the cache workers of a
 * parallel replay, parallel.ts) is told "slot s holds n requests" and says when it is done with
 * it; a slot is refilled once every consumer is done. Nothing is copied or transferred per
 * batch, and memory stays the ring (slots × BATCH_REQUESTS × 36 bytes) whatever the trace length.
 * Errors keep their kind: a bad record is still an InputError (exit 2) in every consumer.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { startWorker } from '../workers.js';
import { BATCH_REQUESTS, type ReaderOptions, type RequestBatch, type RequestReader, type TraceFormat } from './types.js';

/** Bytes per request in a slot: key, size, time, ttl (Float64) and id (Int32). */
const BYTES_PER_REQUEST = 36;

/** Batch slots in one SharedArrayBuffer; `views(s)` are the arrays of slot s (the same memory in every thread). */
export class BatchRing {
  readonly buffer: SharedArrayBuffer;
  constructor(
    readonly slots: number,
    readonly capacity: number = BATCH_REQUESTS,
    buffer?: SharedArrayBuffer,
  ) {
    this.buffer = buffer ?? new SharedArrayBuffer(slots * capacity * BYTES_PER_REQUEST);
  }
  /** The arrays of slot `s` as a batch (n = 0). */
  views(s: number): RequestBatch {
    const cap = this.capacity;
    const base = s * cap * BYTES_PER_REQUEST;
    const f64 = (i: number) => new Float64Array(this.buffer, base + i * cap * 8, cap);
    return { n: 0, key: f64(0), size: f64(1), time: f64(2), ttl: f64(3), id: new Int32Array(this.buffer, base + 32 * cap, cap) };
  }
}

/** What the reader worker is asked to do. */
export interface PipelineRequest {
  file: string;
  format: TraceFormat;
  options: ReaderOptions;
  /** Fill `batch.id` (dense key ids) too. */
  ids: boolean;
  ring: SharedArrayBuffer;
  slots: number;
  capacity: number;
  /** Consumers besides the parent thread (their ports are in `ports`). */
  ports: MessagePort[];
}

/** Messages from the reader worker to each consumer. */
export type WorkerMessage =
  | { type: 'ready'; hasTime: boolean; hasSize: boolean; hasTtl: boolean; totalBytes: number }
  | { type: 'batch'; slot: number; n: number; bytesRead: number; skipped: number }
  | { type: 'end'; bytesRead: number; skipped: number }
  | { type: 'error'; message: string; input: boolean };

/** A consumer's message to the reader worker: done with a slot. */
export interface FreeMessage {
  type: 'free';
  slot: number;
}

/** The reader worker and the ends of the extra consumers' channels. */
export interface Pipeline {
  /** The parent thread's reader. */
  reader: RequestReader;
  /** Stop reading: the parent's reader fails with `error` (e.g. a cache worker failed). */
  abort(error: Error): void;
  /** What another thread needs to consume the same batches (`consumeRing`): one per extra consumer. */
  consumers: RingConsumer[];
  ring: BatchRing;
}

/** Handed to a cache worker: its port to the reader worker, and the ring. */
export interface RingConsumer {
  port: MessagePort;
  ring: SharedArrayBuffer;
  slots: number;
  capacity: number;
}

/** Slots in the ring: a few batches ahead of the slowest consumer. */
const RING_SLOTS = 4;

/**
 * Open `file` with its reader in a worker thread, read by this thread and by `extraConsumers`
 * others; resolves once the file is open. `ids`: fill the dense key ids too.
 */
export async function openPipelined(file: string, format: TraceFormat, options: ReaderOptions = {}, ids = false, extraConsumers = 0): Promise<Pipeline> {
  const ring = new BatchRing(RING_SLOTS);
  const channels = Array.from({ length: extraConsumers }, () => new MessageChannel());
  const request: PipelineRequest = { file, format, options, ids, ring: ring.buffer, slots: ring.slots, capacity: ring.capacity, ports: channels.map((c) => c.port1) };
  const worker = startWorker(import.meta.url, './reader-worker', request, channels.map((c) => c.port1));
  const { reader, abort } = await consumeRing(worker, ring, ids, () => worker.terminate());
  const consumers = channels.map((c) => ({ port: c.port2, ring: ring.buffer, slots: ring.slots, capacity: ring.capacity }));
  return { reader, abort, consumers, ring };
}

/**
 * A RequestReader over the batches the reader worker announces on `port` (the worker itself for
 * the parent thread, a channel port for a cache worker); `ids`: the worker fills `batch.id`.
 * `stop` ends the reading (terminates the worker, or closes the port).
 */
export async function consumeRing(
  port: MessagePort | Worker,
  ring: BatchRing,
  ids: boolean,
  stop: () => Promise<unknown> | void,
): Promise<{ reader: RequestReader; abort: (error: Error) => void }> {
  const slots = Array.from({ length: ring.slots }, (_, s) => ring.views(s));
  const queue: WorkerMessage[] = [];
  let waiting: ((m: WorkerMessage) => void) | null = null;
  let failure: Error | null = null;
  const deliver = (m: WorkerMessage) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else queue.push(m);
  };
  port.on('message', deliver);
  const failWith = (e: Error) => {
    if (failure) return;
    failure = e;
    deliver({ type: 'error', message: e.message, input: e instanceof InputError });
  };
  port.on('error', failWith);
  // a reader worker that dies without a word (out of memory) must not leave this thread waiting
  port.on('exit', (code: number) => failWith(new Error(`reader worker exited (code ${code}) before the end of the trace`)));
  const nextMessage = (): Promise<WorkerMessage> => {
    if (queue.length > 0) return Promise.resolve(queue.shift()!);
    if (failure) return Promise.resolve({ type: 'error', message: (failure as Error).message, input: failure instanceof InputError });
    return new Promise((r) => (waiting = r));
  };
  let done = false;
  const finish = async () => {
    done = true;
    port.off('message', deliver);
    port.removeAllListeners('exit');
    await stop();
  };
  const fail = async (m: { message: string; input: boolean }): Promise<never> => {
    await finish();
    throw m.input ? new InputError(m.message) : new Error(m.message);
  };
  const first = await nextMessage();
  if (first.type === 'error') return fail(first);
  if (first.type !== 'ready') throw new Error(`reader worker: unexpected ${first.type} before ready`);
  let bytesRead = 0;
  let skipped = 0;
  /** The slot this consumer holds now; handed back on the next call. */
  let held = -1;
  const reader: RequestReader = {
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
      if (held >= 0) port.postMessage({ type: 'free', slot: held } satisfies FreeMessage);
      held = -1;
      const m = await nextMessage();
      if (m.type === 'error') return fail(m);
      if (m.type === 'ready') throw new Error('reader worker: ready twice');
      bytesRead = m.bytesRead;
      skipped = m.skipped;
      if (m.type === 'end') {
        await finish();
        return false;
      }
      held = m.slot;
      const v = slots[m.slot]!;
      batch.key = v.key;
      batch.size = v.size;
      batch.time = v.time;
      batch.ttl = v.ttl;
      batch.id = v.id;
      batch.n = m.n;
      return true;
    },
    async close(): Promise<void> {
      if (!done) await finish();
    },
  };
  return { reader, abort: failWith };
}
