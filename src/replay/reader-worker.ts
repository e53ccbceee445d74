/**
 * Worker side of the read pipeline (pipeline.ts): reads and decodes the trace into the shared ring
 * of batch slots, assigns dense key ids if asked, and tells every consumer (the parent thread and
 * the extra ports) which slot holds the next batch; a slot is refilled once every consumer has
 * handed it back.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { IdMap, assignIds } from './ids.js';
import { openReader } from './open.js';
import { BatchRing, type FreeMessage, type PipelineRequest, type WorkerMessage } from './pipeline.js';

const { file, format, options, ids: withIds, ring: buffer, slots, capacity, ports } = workerData as PipelineRequest;
// the parent last: it terminates this worker when it sees the end, so the others hear of it first
const consumers: MessagePort[] = [...ports, parentPort!];
const ring = new BatchRing(slots, capacity, buffer);
/** Consumers still holding each slot; a slot at 0 is free. */
const holders = new Int32Array(slots);
const free: number[] = Array.from({ length: slots }, (_, s) => slots - 1 - s);
let wake: (() => void) | null = null;

for (const port of consumers) {
  port.on('message', (m: FreeMessage) => {
    if (--holders[m.slot]! === 0) {
      free.push(m.slot);
      wake?.();
      wake = null;
    }
  });
}

const post = (m: WorkerMessage) => {
  for (const port of consumers) port.postMessage(m);
};

async function main(): Promise<void> {
  const reader = openReader(file, format, options);
  post({ type: 'ready', hasTime: reader.hasTime, hasSize: reader.hasSize, hasTtl: reader.hasTtl, totalBytes: reader.totalBytes });
  const ids = new IdMap();
  const views = Array.from({ length: slots }, (_, s) => ring.views(s));
  for (;;) {
    while (free.length === 0) await new Promise<void>((r) => (wake = r));
    const slot = free.pop()!;
    const b = views[slot]!;
    const more = await reader.next(b);
    if (!more) break;
    if (withIds) assignIds(ids, b);
    holders[slot] = consumers.length;
    post({ type: 'batch', slot, n: b.n, bytesRead: reader.bytesRead, skipped: reader.skipped });
  }
  post({ type: 'end', bytesRead: reader.bytesRead, skipped: reader.skipped });
}

main().catch((e: unknown) => {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), input: e instanceof InputError });
});
