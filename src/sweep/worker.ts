/**
 * Worker-thread entry of `sweep`: receives `{ id, scenario }`, runs the simulation, posts
 * `{ id, result }` or `{ id, error }`. Loaded as .ts under tsx (dev, tests) and .js from dist.
 */
import { parentPort } from 'node:worker_threads';
import { runOne, type JobMessage, type ReplyMessage } from './run.js';

parentPort?.on('message', (msg: JobMessage) => {
  parentPort!.postMessage(runOne(msg) satisfies ReplyMessage);
});
