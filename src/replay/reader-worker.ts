/**
 * Worker side of the read pipeline (pipeline.ts): reads and decodes the trace, assigns dense key
 * ids, and hands each filled batch to the main thread (its buffers transferred, not copied);
 * the main thread hands batches back to be refilled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { IdMap, assignIds } from './ids.js';
import { openReader } from './open.js';
import { newRequestBatch, type RequestBatch } from './types.js';
import type { PipelineRequest, WorkerMessage } from './pipeline.js';

const port = parentPort!;
const { file, format, options, batches, ids: withIds } = workerData as PipelineRequest;
const free: RequestBatch[] = Array.from({ length: batches }, () => newRequestBatch());
let wake: (() => void) | null = null;

port.on('message', (m: { key: Float64Array; size: Float64Array; time: Float64Array; ttl: Float64Array; id: Int32Array }) => {
  free.push({ n: 0, ...m });
  wake?.();
  wake = null;
});

const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(): Promise<void> {
  const reader = openReader(file, format, options);
  post({ type: 'ready', hasTime: reader.hasTime, hasSize: reader.hasSize, hasTtl: reader.hasTtl, totalBytes: reader.totalBytes });
  const ids = new IdMap();
  for (;;) {
    while (free.length === 0) await new Promise<void>((r) => (wake = r));
    const b = free.pop()!;
    const more = await reader.next(b);
    if (!more) break;
    if (withIds) assignIds(ids, b);
    const buffers = [b.key.buffer, b.size.buffer, b.time.buffer, b.ttl.buffer, b.id.buffer] as ArrayBuffer[];
    post({ type: 'batch', n: b.n, key: b.key, size: b.size, time: b.time, ttl: b.ttl, id: b.id, bytesRead: reader.bytesRead, skipped: reader.skipped }, buffers);
  }
  post({ type: 'end', bytesRead: reader.bytesRead, skipped: reader.skipped });
}

main().catch((e: unknown) => {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), input: e instanceof InputError });
});
