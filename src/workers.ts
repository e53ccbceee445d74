/** Start a worker thread on a module of this package (worker threads of sweep and replay). */
import type { TransferListItem, Worker } from 'node:worker_threads';
import { moduleUrl } from './core/layout.js';

/**
 * A worker on the module `name` (a path below src/ without extension, e.g. `replay/reader-worker`;
 * src/core/layout.ts finds it from any build). Built, it is the .js file; under tsx (dev and tests)
 * a worker thread does not inherit the TypeScript loader, so a small bootstrap registers tsx in the
 * thread before importing the .ts. `transferList`: objects in `workerData` that move to the worker
 * (e.g. MessagePorts). node:worker_threads loads on the first call: most commands never start one.
 */
export function startWorker(name: string, workerData?: unknown, transferList: readonly TransferListItem[] = []): Worker {
  const threads = process.getBuiltinModule('node:worker_threads');
  const entry = moduleUrl(name);
  if (!entry.pathname.endsWith('.ts')) return new threads.Worker(entry, { workerData, transferList: [...transferList] });
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new threads.Worker(boot, { eval: true, workerData, transferList: [...transferList] });
}
