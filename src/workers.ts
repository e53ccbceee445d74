/** Start a worker thread on a sibling module of the caller (worker threads of sweep and replay). */
import { Worker, type TransferListItem } from 'node:worker_threads';

/**
 * A worker on `name` (e.g. `./worker`) next to the module at `base` (its import.meta.url). From
 * dist it is the .js file; under tsx (dev and tests) a worker thread does not inherit the
 * TypeScript loader, so a small bootstrap registers tsx in the thread before importing the .ts.
 * `transferList`: objects in `workerData` that move to the worker (e.g. MessagePorts).
 */
export function startWorker(base: string, name: string, workerData?: unknown, transferList: readonly TransferListItem[] = []): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`${name}.js`, base), { workerData, transferList: [...transferList] });
  const entry = JSON.stringify(new URL(`${name}.ts`, base).href);
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${entry}); })`;
  return new Worker(boot, { eval: true, workerData, transferList: [...transferList] });
}
