/**
 * Where the logical workers run: all in this process (`InlineHost`, each with its own L1) or one
 * per real child process (`ProcessHost`, `--workers N`: the article's FastAPI workers), sharing
 * L2 / L3. The coordinator talks to both through the same `WorkerHost` interface.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Scenario } from '../config.js';
import { encodeHistogram } from '../histogram.js';
import { activeTiers } from '../cache/policy.js';
import { InputError } from '../errors.js';
import { mergeNodeCommands, type AdapterOptions, type NodeCommands, type TierAdapter } from '../tiers/adapter.js';
import { createTier } from '../tiers/registry.js';
import { benchChildEntry, childExecArgv, stopChild } from '../core/child.js';
import { semanticSnapshot, type SemanticSnapshot } from './semantic.js';
import { BenchStack, flushLatency, type BenchJob, type JobOutcome, type TierFaults } from './stack.js';

/** Counters of one tier from one process, ready to merge (histogram base64-encoded). */
export interface TierSnapshot {
  lookups: number[];
  hits: number[];
  stale: number[];
  /** Memory reads served by this tier as the system of record (not lookups, not hits). */
  sorReads: number;
  errors: number;
  writes: number;
  writeErrors: number;
  firstError?: string;
  histogram: string;
  /** Semantic tiers: classified hits and embedding calls. */
  semantic?: SemanticSnapshot;
  /** Clustered backends: commands per node and slot, summed over this process's adapters. */
  nodes?: NodeCommands;
}

/** Everything a process needs to build its stack for one trial (plain data: crosses IPC). */
export interface StackSetup {
  scenario: Scenario;
  opNames: string[];
  adapter: AdapterOptions;
  valueBytes: number;
  llmTimeScale: number;
  entities: number;
  faults: Record<string, TierFaults>;
}

export interface WorkerHost {
  /** Logical workers. */
  readonly workers: number;
  /** Build the stacks of a trial (connects the adapters). */
  setup(s: StackSetup): Promise<void>;
  request(w: number, job: BenchJob): Promise<JobOutcome>;
  message(w: number, contact: number, seq: number, t: number): Promise<number>;
  /** Invalidate `entity` in instance `inst` of tier `k` (shared tiers: inst 0, replicated to every process). */
  invalidate(k: number, inst: number, shared: boolean, entity: number): void;
  /** Stall tier `name` for `ms` from now. */
  stall(name: string, ms: number): void;
  collect(): Promise<TierSnapshot[][]>;
  /** Close the trial's adapters (clean-up of shared data is the coordinator's). */
  teardown(): Promise<void>;
  close(): Promise<void>;
}

/** Adapters of one process: per tier, one per hosted worker (worker scope) or one (shared). */
export async function buildAdapters(scenario: Scenario, workers: number, o: AdapterOptions): Promise<TierAdapter[][]> {
  const out: TierAdapter[][] = [];
  try {
    for (const cfg of activeTiers(scenario)) {
      const n = cfg.scope === 'worker' ? workers : 1;
      const list: TierAdapter[] = [];
      out.push(list);
      for (let i = 0; i < n; i++) list.push(await createTier(cfg, o));
    }
  } catch (e) {
    await Promise.all(out.flat().map((a) => a.close()));
    throw e;
  }
  return out;
}

/** The stack of one process for a trial, over its connected adapters. */
export function stackFor(s: StackSetup, workers: number, adapters: TierAdapter[][]): BenchStack {
  return new BenchStack(s.scenario, s.opNames, { workers, adapters, valueBytes: s.valueBytes, llmTimeScale: s.llmTimeScale, entities: s.entities, faults: s.faults });
}

export function snapshot(stack: BenchStack, adapters: TierAdapter[][]): TierSnapshot[] {
  return stack.tiers.map((t, k) => ({
    lookups: Array.from(t.walk.lookups),
    hits: Array.from(t.walk.hits),
    stale: Array.from(t.walk.stale),
    sorReads: t.walk.sorReads,
    errors: t.counters.errors,
    writes: t.counters.writes,
    writeErrors: t.counters.writeErrors,
    firstError: t.counters.firstError,
    histogram: encodeHistogram(flushLatency(t.counters)),
    ...(t.counters.semantic ? { semantic: semanticSnapshot(t.counters.semantic) } : {}),
    ...nodeCommandsOf(adapters[k] ?? []),
  }));
}

/** The per-node command counts of a tier's adapters, summed; nothing for unclustered backends. */
function nodeCommandsOf(list: TierAdapter[]): { nodes?: NodeCommands } {
  const parts = list.flatMap((a) => a.commandsByNode?.() ?? []);
  return parts.length === 0 ? {} : { nodes: mergeNodeCommands(parts) };
}

/** All logical workers in this process. */
export class InlineHost implements WorkerHost {
  private stack: BenchStack | null = null;
  private adapters: TierAdapter[][] = [];
  constructor(readonly workers: number) {}

  async setup(s: StackSetup): Promise<void> {
    this.adapters = await buildAdapters(s.scenario, this.workers, s.adapter);
    this.stack = stackFor(s, this.workers, this.adapters);
  }
  request(w: number, job: BenchJob): Promise<JobOutcome> {
    return this.stack!.request(w, job);
  }
  message(w: number, contact: number, seq: number, t: number): Promise<number> {
    return this.stack!.message(w, contact, seq, t);
  }
  invalidate(k: number, inst: number, _shared: boolean, entity: number): void {
    this.stack!.invalidate(k, inst, entity);
  }
  stall(name: string, ms: number): void {
    this.stack!.stall(name, ms);
  }
  async collect(): Promise<TierSnapshot[][]> {
    return [snapshot(this.stack!, this.adapters)];
  }
  async teardown(): Promise<void> {
    await Promise.all(this.adapters.flat().map((a) => a.close()));
    this.adapters = [];
    this.stack = null;
  }
  async close(): Promise<void> {}
}

type Reply = { t: 'res'; id: number; out?: JobOutcome; errors?: number } | { t: 'ready' } | { t: 'error'; message: string } | { t: 'stats'; tiers: TierSnapshot[] } | { t: 'done' };

/** One real child process per logical worker. */
export class ProcessHost implements WorkerHost {
  private readonly children: ChildProcess[] = [];
  private readonly pending = new Map<number, (r: Reply) => void>();
  private readonly waiters: ((r: Reply) => void)[][] = [];
  private nextId = 1;

  constructor(readonly workers: number) {
    const entry = benchChildEntry('worker-child');
    for (let i = 0; i < workers; i++) {
      const c = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: childExecArgv(), serialization: 'advanced' });
      this.waiters.push([]);
      c.on('message', (r: Reply) => {
        if (r.t === 'res') {
          const cb = this.pending.get(r.id);
          this.pending.delete(r.id);
          cb?.(r);
        } else this.waiters[i]!.shift()?.(r);
      });
      c.on('exit', () => {
        for (const w of this.waiters[i]!.splice(0)) w({ t: 'error', message: `worker process ${i} exited` });
      });
      this.children.push(c);
    }
  }

  private ask(i: number, msg: object): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiters[i]!.push(resolve);
      this.children[i]!.send(msg);
    });
  }

  private async all(msg: object): Promise<Reply[]> {
    const replies = await Promise.all(this.children.map((_, i) => this.ask(i, msg)));
    const bad = replies.find((r) => r.t === 'error');
    if (bad && bad.t === 'error') throw new InputError(bad.message);
    return replies;
  }

  async setup(s: StackSetup): Promise<void> {
    if (activeTiers(s.scenario).some((t) => t.kind === 'memory' && t.scope === 'shared'))
      throw new InputError('a shared memory tier cannot be shared between worker processes; use --l2 redis, or run without --workers');
    await this.all({ t: 'setup', setup: s });
  }
  request(w: number, job: BenchJob): Promise<JobOutcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (r) => resolve((r as { out: JobOutcome }).out));
      this.children[w]!.send({ t: 'req', id, job });
    });
  }
  message(w: number, contact: number, seq: number, t: number): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (r) => resolve((r as { errors: number }).errors));
      this.children[w]!.send({ t: 'msg', id, contact, seq, time: t });
    });
  }
  invalidate(k: number, inst: number, shared: boolean, entity: number): void {
    if (shared) for (const c of this.children) c.send({ t: 'inv', k, entity });
    else this.children[inst]!.send({ t: 'inv', k, entity });
  }
  stall(name: string, ms: number): void {
    for (const c of this.children) c.send({ t: 'stall', name, ms });
  }
  async collect(): Promise<TierSnapshot[][]> {
    const r = await this.all({ t: 'collect' });
    return r.map((x) => (x as { tiers: TierSnapshot[] }).tiers);
  }
  async teardown(): Promise<void> {
    await this.all({ t: 'teardown' });
  }
  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => stopChild(c, () => c.disconnect())));
  }
}
