/**
 * Run many simulations on a pool of worker threads (one per available core by default). The
 * worker module is resolved next to this file (worker.js from dist, worker.ts under tsx). With
 * one thread the jobs run in this thread (no start-up cost).
 */
import { availableParallelism } from 'node:os';
import { startWorker } from '../workers.js';
import type { Scenario } from '../config.js';
import type { SimulateResult } from '../model/results.js';
import { replyError, runOne, type ReplyMessage } from './run.js';

export interface PoolOptions {
  /** Threads to use; default os.availableParallelism(), never more than the jobs. */
  threads?: number;
  /** Called after each finished job (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Threads a pool would use for `jobs` jobs. */
export function poolSize(jobs: number, threads?: number): number {
  return Math.max(1, Math.min(jobs, threads ?? availableParallelism()));
}

/** Simulate every scenario; results in input order. Rejects with the first failed job's error. */
export async function runPool(scenarios: readonly Scenario[], opts: PoolOptions = {}): Promise<SimulateResult[]> {
  const n = poolSize(scenarios.length, opts.threads);
  const results: SimulateResult[] = new Array(scenarios.length);
  let done = 0;
  const accept = (r: ReplyMessage): void => {
    if ('error' in r) throw replyError(r);
    results[r.id] = r.result;
    opts.onProgress?.(++done, scenarios.length);
  };
  if (n === 1 || scenarios.length <= 1) {
    scenarios.forEach((scenario, id) => accept(runOne({ id, scenario })));
    return results;
  }
  const workers = Array.from({ length: n }, () => startWorker(import.meta.url, './worker'));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              if (next >= scenarios.length) return resolve();
              const id = next++;
              w.postMessage({ id, scenario: scenarios[id] });
            };
            w.on('message', (r: ReplyMessage) => {
              try {
                accept(r);
                feed();
              } catch (e) {
                reject(e);
              }
            });
            w.on('error', reject);
            w.on('exit', (code) => {
              if (code !== 0) reject(new Error(`sweep worker exited with code ${code}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
