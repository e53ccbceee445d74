/** One sweep job, shared by the worker threads and the in-process path. */
import type { Scenario } from '../config.js';
import { CheckFailed, InputError } from '../errors.js';
import type { SimulateResult } from '../model/results.js';
import { simulate } from '../sim/engine.js';

export interface JobMessage {
  id: number;
  scenario: Scenario;
}

/** A job's outcome; errors travel as data so their exit-code class survives the thread hop. */
export type ReplyMessage =
  | { id: number; result: SimulateResult }
  | { id: number; error: { kind: 'check' | 'input' | 'internal'; message: string } };

export function runOne(msg: JobMessage): ReplyMessage {
  try {
    return { id: msg.id, result: simulate(msg.scenario) };
  } catch (e) {
    const kind = e instanceof CheckFailed ? 'check' : e instanceof InputError ? 'input' : 'internal';
    const message = e instanceof Error ? (kind === 'internal' ? (e.stack ?? e.message) : e.message) : String(e);
    return { id: msg.id, error: { kind, message } };
  }
}

/** Turn an error reply back into the error class it came from. */
export function replyError(r: Extract<ReplyMessage, { error: unknown }>): Error {
  const { kind, message } = r.error;
  return kind === 'check' ? new CheckFailed(message) : kind === 'input' ? new InputError(message) : new Error(message);
}
