/**
 * A cache worker of a parallel replay (parallel.ts): runs its share of the caches over the batches
 * the reader worker announces on its port (pipeline.ts) and posts the outcome to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { replay } from './engine.js';
import type { CacheWorkerMessage, CacheWorkerRequest } from './parallel.js';
import { BatchRing, consumeRing } from './pipeline.js';

const { consumer, caches, bySize } = workerData as CacheWorkerRequest;
const post = (m: CacheWorkerMessage) => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const ring = new BatchRing(consumer.slots, consumer.capacity, consumer.ring);
  const { reader } = await consumeRing(consumer.port, ring, false, () => consumer.port.close());
  post({ type: 'done', run: await replay(reader, caches, { bySize }) });
}

main().catch((e: unknown) => {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e), input: e instanceof InputError });
});
