/** `llmcache bench`: the scenario against real tiers (in-process, Redis, Postgres + pgvector), measured. */
import { readFileSync } from 'node:fs';
import { output } from '../output.js';
import { splitSeeds } from '../tiers/redis-url.js';
import type { Command } from 'commander';
import { InputError, redact } from '../errors.js';
import { BENCH_MICRO_SCHEMA, type BenchMicroResult, type InjectedTail } from '../model/results.js';
import { timestampedResultPath, writeFileAtomic } from '../io/write.js';
import { renderTable } from '../report/table.js';
import { newRunId, runBench } from '../bench/bench.js';
import { spawnPGliteServer } from '../tiers/pglite-server.js';
import { assertLoopback } from '../tiers/registry.js';
import { addOutputFlags, addPricingFlags, checkOutFlag, daysOption, emitResult, intOption, numberOption } from './options.js';
import { durationOption, parseDuration, parseFraction, perSecondOption, splitTier } from '../core/units.js';
import { resolveScenario } from '../config.js';
import type { SimulateCliOptions } from './options.js';
import { embedderKind, traceVectors } from '../semantic/embedders.js';
import { requireJsonlTrace } from '../trace/detect.js';

interface BenchCliOptions extends SimulateCliOptions {
  trace?: string;
  concurrency: number;
  rate?: number;
  duration?: number;
  requests?: number;
  warmup: number;
  trials: number;
  redisUrl: string;
  redisCluster?: string;
  redisTlsCa?: string;
  pgUrl?: string;
  l2?: string;
  allowRemote?: boolean;
  keep?: boolean;
  timeout: number;
  hnsw?: boolean;
  redisAutoPipelining?: 'on' | 'off';
  dimensions: number;
  valueBytes: number;
  llmTimeScale: number;
  injectDelay: Record<string, number>;
  injectTail: Record<string, InjectedTail>;
  injectStall?: { tier: string; atMs: number; forMs: number };
  micro?: boolean;
  full?: boolean;
}

/** A time in bench's flags: a bare number is seconds; the value is in ms. */
const SECONDS = { unit: 's', as: 'ms' } as const;

/** `--duration`: a time > 0 (a trial of no time measures nothing). */
export function parseTrialDuration(v: string): number {
  const ms = parseDuration('--duration', v, SECONDS);
  if (!(ms > 0)) throw new InputError(`--duration: a trial must last longer than 0, got ${JSON.stringify(v)}; give e.g. 5s (or --requests N)`);
  return ms;
}

/** "L2:10%" or "L2:0.1" -> { L2: 0.1 } merged into `acc`: every L2 lookup 10 % slower. */
export function parseInjectDelay(v: string, acc: Record<string, number> = {}): Record<string, number> {
  const { tier, rest } = splitTier('--inject-delay', v, 'TIER:PCT such as L2:10% or L2:0.1');
  return { ...acc, [tier]: parseFraction('--inject-delay', rest, { max: Number.POSITIVE_INFINITY }) };
}

/** "L3:20ms@2%" -> { L3: { ms: 20, share: 0.02 } } merged into `acc`: 2 % of L3 lookups 20 ms slower. */
export function parseInjectTail(v: string, acc: Record<string, InjectedTail> = {}): Record<string, InjectedTail> {
  const { tier, rest } = splitTier('--inject-tail', v, 'TIER:DURATION@PCT such as L3:20ms@2%');
  const [dur, pct, extra] = rest.split('@');
  if (pct === undefined || extra !== undefined) throw new InputError(`--inject-tail: expected TIER:DURATION@PCT such as L3:20ms@2%, got ${JSON.stringify(v)}`);
  return { ...acc, [tier]: { ms: parseDuration('--inject-tail', dur!, { ...SECONDS, positive: true }), share: parseFraction('--inject-tail', pct, { positive: true }) } };
}

/** "L2:200ms@1s": stall L2 for 200 ms, 1 s into the measurement. */
export function parseStall(v: string): { tier: string; atMs: number; forMs: number } {
  const { tier, rest } = splitTier('--inject-stall', v, 'TIER:DURATION@OFFSET such as L2:200ms@1s');
  const [dur, at, extra] = rest.split('@');
  if (at === undefined || extra !== undefined) throw new InputError(`--inject-stall: expected TIER:DURATION@OFFSET such as L2:200ms@1s, got ${JSON.stringify(v)}`);
  return { tier, forMs: parseDuration('--inject-stall', dur!, SECONDS), atMs: parseDuration('--inject-stall', at, SECONDS) };
}

/**
 * Refuse a backend URL that is not one (`--redis-url notaurl`) before any connection is tried,
 * naming the flag, its environment variable and an example.
 */
export function checkBackendUrl(flag: string, env: string, value: string, schemes: string[], example: string): void {
  let scheme = '';
  try {
    const u = new URL(value);
    if (u.hostname !== '') scheme = u.protocol.slice(0, -1);
  } catch {
    // not a URL: scheme stays ''
  }
  if (!schemes.includes(scheme)) {
    throw new InputError(`${flag} (or ${env}) ${JSON.stringify(redact(value))} is not a ${schemes[0]} URL; give one such as ${example}`);
  }
}

function checkBackendUrls(o: BenchCliOptions): void {
  if (o.l2 !== 'memory' && !o.redisCluster) checkBackendUrl('--redis-url', 'REDIS_URL', o.redisUrl, ['redis', 'rediss'], 'redis://127.0.0.1:6379');
  if (o.pgUrl) checkBackendUrl('--pg-url', 'DATABASE_URL', o.pgUrl, ['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/llmcache');
}

export function register(program: Command): void {
  const cmd = addPricingFlags(program.command('bench').description('Run the scenario against real tiers (in-process L1, Redis, Postgres + pgvector) and measure every lookup with HDR histograms'), '; computed from the trace, no provider is called')
    .option('-s, --scenario <file>', 'scenario file (.yaml or .json); default: the seed article stack')
    .option('--trace <file>', 'replay this JSONL trace instead of the synthetic workload')
    .option('--leads <n>', 'number of leads (overrides the scenario)', intOption('--leads', 1))
    .option('--days <d>', 'days of traffic, e.g. 3 or 12h (overrides the scenario)', daysOption)
    .option('--seed <s>', 'random seed', intOption('--seed', 0))
    .option('--routing <mode>', 'round-robin | random | sticky')
    .option('--invalidation <mode>', 'none | local | broadcast')
    .option('-c, --concurrency <n>', 'closed loop: requests in flight', intOption('--concurrency', 1), 1)
    .option('--rate <r>', 'open loop: requests per second (150 or 150/s; 9000/m), each timed from its intended start', perSecondOption('--rate'))
    .option('-d, --duration <time>', 'measure this long per trial (10s, 500ms, 2m; a bare number is seconds); default 5s unless --requests', parseTrialDuration)
    .option('-n, --requests <n>', 'measure this many requests per trial', intOption('--requests', 1))
    .option('--warmup <n>', 'requests run first and discarded', intOption('--warmup', 0), 200)
    .option('--trials <n>', 'repeat the measurement; each trial is kept (the gate wants >= 5)', intOption('--trials', 1), 1)
    .option('-w, --workers <n>', 'real worker processes, each with its own L1, sharing L2 / L3 (default: the scenario\'s workers as logical workers in one process)', intOption('--workers', 1))
    .option('--redis-url <url>', 'Redis for L2 (env REDIS_URL)', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
    .option('--redis-cluster <seeds>', 'Redis Cluster seed nodes, comma-separated: host:port or redis://[user:password@]host:port (rediss:// for TLS); instead of --redis-url')
    .option('--redis-tls-ca <file>', 'CA certificate (PEM) of rediss:// servers, when not signed by a CA the system trusts')
    .option('--pg-url <url>', 'Postgres with pgvector for L3 (env DATABASE_URL); default: embedded PGlite', process.env.DATABASE_URL)
    .option('--l2 <kind>', 'run Redis tiers on another backend: memory (no Redis needed)')
    .option('--allow-remote', 'allow backends that are not on the loopback interface')
    .option('--keep', 'keep what the run wrote (Redis keys, Postgres tables)')
    .option('--timeout <time>', 'timeout of every backend call (500ms, 2s; a bare number is ms)', durationOption('--timeout', { unit: 'ms', positive: true }), 1000)
    .option('--redis-auto-pipelining <on|off>', 'ioredis auto-pipelining: commands issued in the same event-loop turn go out in one write (default: on, except closed loop at concurrency 1)', (v) => {
      if (v !== 'on' && v !== 'off') throw new InputError(`--redis-auto-pipelining: expected on or off, got ${JSON.stringify(v)}`);
      return v;
    })
    .option('--hnsw', 'create an HNSW index on the pgvector embedding column')
    .option('--dimensions <n>', 'embedding dimensions of pgvector tables', intOption('--dimensions', 1), 64)
    .option('--value-bytes <n>', 'payload size of cached values (bytes)', intOption('--value-bytes', 0), 512)
    .option('--llm-time-scale <f>', 'simulated LLM calls sleep the scenario latency x this (0 = no sleep)', numberOption('--llm-time-scale', 0), 0.001)
    .option('--inject-delay <tier:pct>', 'slow a tier\'s lookups by a known fraction, e.g. L2:10% (repeatable)', parseInjectDelay, {})
    .option('--inject-tail <tier:dur@pct>', 'a tail regression: this share of a tier\'s lookups wait this much longer, e.g. L3:20ms@2% (repeatable)', parseInjectTail, {})
    .option('--inject-stall <tier:dur@at>', 'stall a tier once, e.g. L2:200ms@1s', parseStall)
    .option('--micro', 'run the per-operation microbenchmarks (tinybench) instead')
    .option('--embedder <kind>', 'vectors of a recorded trace for semantic tiers: text (default) | synthetic | url (see simulate --help)')
    .option('--embed-url <url>', 'OpenAI-compatible embeddings endpoint for the trace texts (key from OPENAI_API_KEY)')
    .option('--embed-model <name>', 'model sent to --embed-url')
    .option('--full', 'with --micro: also search 100k pgvector rows (slow to load)');
  addOutputFlags(cmd, 'write the JSON result here (default results/bench-<timestamp>.json; --micro writes only to a given --out)')
    .addHelpText(
      'after',
      `
Examples:
  llmcache bench                                   # local Redis + embedded PGlite, 5 s, concurrency 1
  llmcache bench -c 50 --duration 10s --trials 5   # closed loop, 5 trials for the gate
  llmcache bench --rate 2000 --duration 10s        # open loop, timed from each intended start
  llmcache bench --workers 4                       # 4 real worker processes sharing L2 / L3
  llmcache bench --inject-delay L2:10% --trials 5  # a known regression, to test the gate
  llmcache bench --inject-tail L3:20ms@2%          # a known tail regression: 2 % of L3 lookups +20 ms
  llmcache bench --micro                           # tinybench per-operation microbenchmarks
LLM calls sleep the op's latency x --llm-time-scale (default 0.001: a 900 ms call sleeps 0.9 ms).`,
    )
    .action(async (o: BenchCliOptions) => {
      const progress = (m: string) => output.stderr(`bench: ${m}\n`);
      checkBackendUrls(o);
      checkOutFlag(o); // --micro too: it writes its result to --out when given (and nowhere else)
      if (o.trace) requireJsonlTrace(o.trace);
      if (o.micro) return micro(o, progress);
      let scenario = resolveScenario(o);
      if (o.l2 !== undefined) {
        if (o.l2 !== 'memory') throw new InputError(`--l2: expected memory, got ${JSON.stringify(o.l2)}`);
        scenario = { ...scenario, tiers: scenario.tiers.map((t) => (t.kind === 'redis' ? { ...t, kind: 'memory' as const } : t)) };
      }
      const embedder = embedderKind(o);
      if (!o.trace && embedder !== 'text') throw new InputError(`--embedder ${embedder} embeds a recorded trace's text: give --trace FILE`);
      const vectors = o.trace ? await traceVectors(embedder, scenario, o.trace, o, progress) : undefined;
      const durationMs = o.duration ?? (o.requests === undefined ? 5000 : undefined);
      const out = o.out ?? timestampedResultPath('bench');
      const redisTlsCa = o.redisTlsCa === undefined ? undefined : readTextFile('--redis-tls-ca', o.redisTlsCa);
      const stop = onInterrupt(progress);
      try {
        const result = await runBench({
          scenario,
          trace: o.trace,
          vectors,
          loop: o.rate !== undefined ? 'open' : 'closed',
          concurrency: o.concurrency,
          rate: o.rate,
          requests: o.requests,
          durationMs,
          warmupRequests: o.warmup,
          trials: o.trials,
          processes: o.workers,
          redisUrl: o.redisUrl,
          redisCluster: o.redisCluster ? splitSeeds(o.redisCluster) : undefined,
          redisTlsCa,
          redisTlsCaFile: o.redisTlsCa,
          pgUrl: o.pgUrl || undefined,
          allowRemote: !!o.allowRemote,
          keep: !!o.keep,
          timeoutMs: o.timeout,
          hnsw: !!o.hnsw,
          redisAutoPipelining: o.redisAutoPipelining === undefined ? undefined : o.redisAutoPipelining === 'on',
          dimensions: o.dimensions,
          valueBytes: o.valueBytes,
          llmTimeScale: o.llmTimeScale,
          injectDelay: o.injectDelay,
          injectTail: o.injectTail,
          stall: o.injectStall,
          signal: stop.signal,
          onProgress: progress,
        });
        writeFileAtomic(out, JSON.stringify(result, null, 2) + '\n', { overwrite: o.force });
        progress(`${result.interrupted ? 'partial result (interrupted)' : 'result'} written to ${out}`);
        output.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : renderTable(result));
        if (result.interrupted) process.exitCode = EXIT_INTERRUPTED;
      } finally {
        stop.release();
      }
    });
}

/** Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
const EXIT_INTERRUPTED = 130;

/**
 * Ctrl-C / SIGTERM during a run: the first stops issuing requests and lets the run remove what
 * it wrote and write its partial result; a second exits at once. `release` restores the defaults.
 */
function onInterrupt(progress: (m: string) => void): { signal: AbortSignal; release: () => void } {
  const ctl = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (ctl.signal.aborted) {
      output.stderr(`bench: ${sig} again: exiting now; keys or tables of this run may be left behind\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    progress(`${sig}: stopping, removing what the run wrote (press Ctrl-C again to exit at once)`);
    ctl.abort(sig);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ctl.signal,
    release: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function readTextFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function micro(o: BenchCliOptions, progress: (m: string) => void): Promise<void> {
  // Only this mode needs tinybench.
  const { runMicro } = await import('../bench/micro.js');
  assertLoopback('Redis', o.redisUrl, !!o.allowRemote);
  if (o.pgUrl) assertLoopback('Postgres', o.pgUrl, !!o.allowRemote);
  const embedded = o.pgUrl ? null : await spawnPGliteServer();
  try {
    const rows = await runMicro({
      redisUrl: o.l2 === 'memory' ? undefined : o.redisUrl,
      pgUrl: o.pgUrl || embedded?.url,
      runId: newRunId(),
      timeoutMs: o.timeout,
      full: !!o.full,
      dimensions: o.dimensions,
      hnsw: !!o.hnsw,
      timeMs: 500,
      onProgress: progress,
    });
    const result: BenchMicroResult = { schema: BENCH_MICRO_SCHEMA, kind: 'bench-micro', rows };
    await emitResult(result, o);
  } finally {
    await embedded?.stop();
  }
}
