/**
 * `runBench`: the bench engine behind the CLI. Resolves the backends (refusing remote ones
 * unless allowed, starting the embedded PGlite when no Postgres URL is given), runs the trials,
 * removes what each trial wrote (unless `keep`) and returns the BenchResult. Never prints.
 */
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import type { BenchEnv, BenchResult, InjectedTail } from '../model/results.js';
import { activeTiers } from '../cache/policy.js';
import { createSyntheticSource } from '../trace/generator.js';
import { openTraceSource, type RecordVectors } from '../trace/reader.js';
import type { AdapterOptions } from '../tiers/adapter.js';
import { spawnPGliteServer, type EmbeddedPg } from '../tiers/pglite-server.js';
import { assertLoopback } from '../tiers/registry.js';
import { removeTrialData } from './cleanup.js';
import { collectEnv } from './env.js';
import { InlineHost, ProcessHost, type WorkerHost } from './host.js';
import { buildBenchResult } from './result.js';
import { runTrials, type BenchSource, type LoadOptions } from './runner.js';
import type { TierFaults } from './stack.js';
import { ModelStage } from '../cache/walk.js';

export interface BenchRunOptions extends LoadOptions {
  /** Replay this JSONL trace instead of the scenario's synthetic workload. */
  trace?: string;
  /** Vectors of the trace's requests for semantic tiers (src/semantic/embedders.ts); default: carried, else hashed text. */
  vectors?: RecordVectors;
  /** Real worker processes; undefined = the scenario's workers as logical workers in this process. */
  processes?: number;
  redisUrl: string;
  redisCluster?: string[];
  /** Postgres with pgvector; undefined = embedded PGlite on a loopback port. */
  pgUrl?: string;
  allowRemote: boolean;
  keep: boolean;
  /** Timeout of every backend call (ms). */
  timeoutMs: number;
  hnsw: boolean;
  /**
   * ioredis auto-pipelining (docs/architecture.md, "Backends"); default on, except in the closed
   * loop at concurrency 1, where one request is in flight and there is nothing to pipeline.
   */
  redisAutoPipelining?: boolean;
  dimensions: number;
  /** Slow a tier's lookups by a fraction of their duration, e.g. { L2: 0.1 }. */
  injectDelay?: Record<string, number>;
  /** CA certificate(s) (PEM) for `rediss://` servers, and the file they came from. */
  redisTlsCa?: string;
  redisTlsCaFile?: string;
  /**
   * How long (ms) clean-up retries a backend that does not answer (a cluster failing over);
   * default 30 s with a Redis Cluster, 2 s otherwise.
   */
  cleanupWithinMs?: number;
  /** Stop issuing requests when aborted (Ctrl-C): the trial in progress ends, clean-up runs, the result says `interrupted`. */
  signal?: AbortSignal;
  /** Slow a share of a tier's lookups by a fixed time, e.g. { L3: { ms: 20, share: 0.02 } }. */
  injectTail?: Record<string, InjectedTail>;
  /** Base of the run's key prefix / table names; random by default. */
  runId?: string;
  now?: () => Date;
}

/** Clean-up waits this long (ms) for a Redis Cluster to be healthy again (a failover takes node-timeout and an election). */
const CLUSTER_CLEANUP_MS = 30_000;
/** …and this long for anything else to answer again. */
const SINGLE_CLEANUP_MS = 2_000;

/** A short id for what a run owns: lower-case letters and digits. */
export function newRunId(): string {
  return `r${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

export async function runBench(o: BenchRunOptions): Promise<BenchResult> {
  const startedAt = (o.now ?? (() => new Date()))();
  const tiers = activeTiers(o.scenario);
  const warnings: string[] = [];
  const needsRedis = tiers.some((t) => t.kind === 'redis');
  const needsPg = tiers.some((t) => t.kind === 'pgvector');
  if (needsRedis) {
    if (o.redisCluster?.length) for (const n of o.redisCluster) assertLoopback('Redis Cluster node', n, o.allowRemote);
    else assertLoopback('Redis', o.redisUrl, o.allowRemote);
  }
  if (needsPg && o.pgUrl) assertLoopback('Postgres', o.pgUrl, o.allowRemote);
  for (const t of tiers)
    if (t.kind !== 'memory' && t.capacity !== null) warnings.push(`${t.name}: capacity ${t.capacity} is not enforced on a ${t.kind} backend (the simulator enforces it).`);
  for (const t of tiers.filter((x) => x.match === 'semantic' && x.kind !== 'pgvector'))
    warnings.push(`${t.name} is semantic on a ${t.kind} backend, which has no similarity search: bench looks it up by exact key only (simulate also matches by similarity).`);
  for (const name of [...Object.keys(o.injectDelay ?? {}), ...Object.keys(o.injectTail ?? {}), ...(o.stall ? [o.stall.tier] : [])])
    if (!tiers.some((t) => t.name === name)) throw new InputError(`no tier named ${name} (tiers: ${tiers.map((t) => t.name).join(', ')})`);

  let embedded: EmbeddedPg | null = null;
  let host: WorkerHost | null = null;
  const runId = o.runId ?? newRunId();
  try {
    // Redis first: an unreachable Redis is reported at once, not after PGlite has started.
    if (needsRedis) {
      const { probeRedis } = await import('../tiers/redis.js'); // ioredis only when a tier needs it
      await probeRedis({ url: o.redisUrl, cluster: o.redisCluster, timeoutMs: o.timeoutMs, tlsCa: o.redisTlsCa });
    }
    if (needsPg && !o.pgUrl) {
      o.onProgress?.('starting embedded PGlite + pgvector');
      embedded = await spawnPGliteServer();
    }
    const autoPipelining = o.redisAutoPipelining ?? !(o.loop === 'closed' && o.concurrency <= 1);
    const adapter: AdapterOptions = {
      runId,
      redisUrl: o.redisUrl,
      redisCluster: o.redisCluster,
      redisTlsCa: o.redisTlsCa,
      redisTlsCaFile: o.redisTlsCaFile,
      pgUrl: o.pgUrl ?? embedded?.url ?? '',
      pgEmbedded: embedded !== null,
      timeoutMs: o.timeoutMs,
      hnsw: o.hnsw,
      // Semantic tiers store the scenario's vectors (the simulator's embedding space).
      dimensions: tiers.some((t) => t.match === 'semantic') ? o.scenario.embedding.dim : o.dimensions,
      autoPipelining,
    };
    host = o.processes ? new ProcessHost(o.processes) : new InlineHost(o.scenario.workers.count);
    const scenario = o.processes ? { ...o.scenario, workers: { ...o.scenario.workers, count: o.processes } } : o.scenario;
    let opNames: string[] = Object.keys(scenario.ops);
    // Collected once, with the backend versions of the first trial's connected adapters.
    let env: BenchEnv | undefined;
    const envOf = new Set<string>();
    const faults: Record<string, TierFaults> = {};
    for (const [name, f] of Object.entries(o.injectDelay ?? {})) faults[name] = { delayFraction: f };
    for (const [name, t] of Object.entries(o.injectTail ?? {})) faults[name] = { ...faults[name], tailMs: t.ms, tailShare: t.share };
    // One model stage for the run: each trial starts its prompt caches empty, the bills add up.
    let stage: ModelStage | null = null;
    const trials = await runTrials({
      scenario,
      openSource: async (): Promise<BenchSource> => {
        const s = o.trace ? await openTraceSource(o.trace, { ops: Object.keys(scenario.ops), vectors: o.vectors }) : createSyntheticSource(scenario);
        opNames = s.opNames ?? opNames;
        return s;
      },
      modelStage: (names, source) => {
        if (stage === null) stage = new ModelStage(scenario, names, { modelName: source.modelName?.bind(source) });
        else stage.clearCaches();
        return stage;
      },
      host,
      adapter,
      loop: o.loop,
      concurrency: o.concurrency,
      rate: o.rate,
      requests: o.requests,
      durationMs: o.durationMs,
      warmupRequests: o.warmupRequests,
      trials: o.trials,
      valueBytes: o.valueBytes,
      llmTimeScale: o.llmTimeScale,
      faults,
      stall: o.stall,
      signal: o.signal,
      onProgress: o.onProgress,
      onTrialEnd: async (trialId) => {
        const left = await removeTrialData(tiers, { ...adapter, runId: trialId }, {
          keep: o.keep,
          withinMs: o.cleanupWithinMs ?? (o.redisCluster?.length ? CLUSTER_CLEANUP_MS : SINGLE_CLEANUP_MS),
          onConnected: async (a) => {
            // Backend versions, once, from the first trial's connected adapters.
            if (envOf.has(a.kind)) return;
            envOf.add(a.kind);
            env ??= await collectEnv([]);
            Object.assign(env, await a.info().catch(() => ({})));
          },
        });
        warnings.push(...left);
      },
    });
    const windowMs = trials.reduce((a, t) => a + t.traceWindowMs, 0);
    const model = stage !== null && windowMs > 0 ? { windowDays: windowMs / 86_400_000, ...(stage as ModelStage).finish(windowMs / 86_400_000) } : undefined;
    if (o.keep) warnings.push(`--keep: Redis keys under llmcache:bench:${runId}t*: and tables llmcache_bench_${runId}t*_* were left in place.`);
    return buildBenchResult(
      {
        scenario,
        opNames,
        env: env ?? (await collectEnv([])),
        startedAt,
        mode: {
          loop: o.loop,
          ...(o.loop === 'closed' ? { concurrency: o.concurrency } : { rate: o.rate }),
          workers: host.workers,
          warmupRequests: o.warmupRequests,
          ...(needsRedis && { redisAutoPipelining: autoPipelining }),
        },
        llmTimeScale: o.llmTimeScale,
        injectedDelay: o.injectDelay && Object.keys(o.injectDelay).length > 0 ? o.injectDelay : undefined,
        injectedTail: o.injectTail && Object.keys(o.injectTail).length > 0 ? o.injectTail : undefined,
        warnings,
        interruptedBy: o.signal?.aborted ? String(o.signal.reason ?? 'abort') : undefined,
        trialsPlanned: o.trials,
        model,
      },
      trials,
    );
  } finally {
    await host?.close();
    await embedded?.stop();
  }
}
