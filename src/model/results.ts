/**
 * The result contract: every result a command writes with --json / --out (simulate, bench,
 * bench --micro, sweep, replay, mrc, gate, trace stats), read back by `gate` and `report`.
 * Lives below every engine and renderer (model layer) so engines and reporters share it without
 * importing each other. Every result carries `schema` (name@version, the discriminant of `Result`)
 * and `kind`; a reader refuses what it does not know.
 */
import type { EvictionPolicy, MemoryDepth } from '../config/model.js';

export const SIMULATE_SCHEMA = 'llmcache/simulate@1';
export const BENCH_SCHEMA = 'llmcache/bench@1';
export const BENCH_MICRO_SCHEMA = 'llmcache/bench-micro@1';
export const SWEEP_SCHEMA = 'llmcache/sweep@1';
export const REPLAY_SCHEMA = 'llmcache/replay@1';
export const MRC_SCHEMA = 'llmcache/mrc@1';
export const GATE_SCHEMA = 'llmcache/gate@1';
export const TRACE_STATS_SCHEMA = 'llmcache/trace-stats@1';

/** Latency percentiles; the unit is in the field name of the owner (latencyMs / latencyUs). */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  count: number;
}

/** Identifies the scenario a result came from; `fingerprint` hashes its normalized content. */
export interface ScenarioRef {
  name: string;
  /** sha256 (hex, 16 chars) of the scenario without seed and size overrides. */
  fingerprint: string;
}

export interface OpTierCounts {
  lookups: number;
  hits: number;
  staleHits: number;
}

/** Per-tier statistics of a simulation. */
export interface SimTierStats {
  name: string;
  kind: string;
  scope: string;
  match: string;
  lookups: number;
  hits: number;
  /** hits / lookups. */
  hitRate: number;
  /** hits / all requests. */
  share: number;
  staleHits: number;
  evictions: number;
  /**
   * Memory reads served because this tier is the system of record. Not cache hits: counted in
   * neither `lookups` nor `hits`, so the tiers' shares sum to the overall hit rate.
   */
  systemOfRecordReads: number;
  byOp: Record<string, OpTierCounts>;
}

export interface StaleClassStats {
  hits: number;
  staleHits: number;
  /** staleHits / hits. */
  staleRate: number;
  /** Age of what was served (ms). */
  ageMs: { p50: number; p99: number; max: number };
}

/** Stale hits among one group of key classes. */
export interface StaleShare {
  hits: number;
  staleHits: number;
  /** staleHits / hits of this group (0 when it has no hits). */
  staleRate: number;
}

/**
 * Staleness over every hit. `answers` (LLM-op answers: score, intent, …) and `contextWindows`
 * (memory reads, `kind: context`) are apart because a stale conversation window and a stale
 * LLM answer are different findings; the totals mix them.
 */
export interface SimStaleness extends StaleShare {
  answers: StaleShare;
  contextWindows: StaleShare;
  byOp: Record<string, StaleClassStats>;
}

export interface SemanticStats {
  /** Semantic tier hits (all of them). */
  hits: number;
  /** Same intent, same scope, current versions. */
  correctHits: number;
  /** Another intent. */
  falseHits: number;
  /** Same intent, older entity version. */
  staleHits: number;
  /** Served across contacts or tenants: a security finding, never counted as a saving. */
  leaks: number;
  /** correctHits / hits. */
  precision: number;
  /** correctHits / lookups that had a correct entry available. */
  recall: number;
  /** Embedding calls made by the semantic tier (one per lookup of an eligible request). */
  embeddingCalls: number;
}

/** Semantic-tier correctness measured by `bench` (recall needs an oracle query; not measured). */
export interface BenchSemanticCounts extends Omit<SemanticStats, 'recall'> {
  /** Lookups of requests with a vector after an exact miss, plus exact hits with a ground truth. */
  lookups: number;
  /** Hits found by the similarity search (not the exact key). */
  similarityHits: number;
}

export interface BenchSemanticStats extends BenchSemanticCounts {
  /** Embedding calls × tokensPerCall × the scenario's embedding price (USD, whole run). */
  embeddingUsd: number;
  byTier: Record<string, BenchSemanticCounts>;
}

export interface CostBreakdown {
  /** USD per month with no cache at all, same trace: the noCache bill. */
  baselineMonthlyUsd: number;
  /**
   * USD per month with this stack, the real bill: LLM calls at the stack bill (the tiers + the
   * provider prompt cache), plus embeddings and infrastructure.
   */
  monthlyUsd: number;
  /** 1 - monthlyUsd / baselineMonthlyUsd, in percent. */
  savingsPct: number;
  /** Length of the simulated window (days). */
  windowDays: number;
  baselineWindowUsd: number;
  llmWindowUsd: number;
  embeddingWindowUsd: number;
  infraMonthlyUsd: number;
  tokens: { baselineIn: number; baselineOut: number; paidIn: number; paidOut: number };
  /** Per op: calls without cache, calls with cache, USD per month without and with. */
  byOp: Record<string, { baselineCalls: number; calls: number; baselineMonthlyUsd: number; monthlyUsd: number }>;
  /** Plain-language assumptions behind these figures. */
  assumptions: string[];
  /** The LLM API bill three ways: no caching, provider prompt caching only, the tiers + prompt caching. */
  bills?: Bills;
}

/** USD per month of a bill, by part (LLM API spend: embeddings and infrastructure are not in it). */
export interface BillParts {
  inputUncached: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

/** One bill: the month's total and its parts, and the same per op and model. */
export interface Bill {
  monthlyUsd: number;
  byPart: BillParts;
  /** op → model → the op's requests priced by that model. */
  byOp: Record<string, Record<string, { monthlyUsd: number; byPart: BillParts }>>;
}

export interface Bills {
  /** Every LLM request paid in full: no application tier, no prompt cache. */
  noCache: Bill;
  /** Every LLM request goes to the provider, whose prompt cache sees all of them. */
  promptCacheOnly: Bill;
  /** The application tiers serve what they can; the rest goes through the provider prompt cache. */
  stack: Bill;
}

/** What the provider prompt cache (innermost tier) did for the requests that reached the model. */
export interface PromptCacheStats {
  /** LLM calls that reached the model (every request of an imported trace that no tier served). */
  requests: number;
  inputTokens: number;
  /** Input tokens read from the prompt cache. */
  cachedTokens: number;
  /** Input tokens written to the prompt cache. */
  writtenTokens: number;
  /** cachedTokens / inputTokens. */
  tokenHitRate: number;
  /** Prefix blocks of those requests. */
  blocks: number;
  cachedBlocks: number;
  /** cachedBlocks / blocks. */
  blockHitRate: number;
}

/** Which figures a trace measured and which come from the scenario (ASSUMED). */
export interface Provenance {
  source: 'synthetic' | 'trace';
  measured: string[];
  assumed: string[];
}

export interface SimulateResult {
  schema: typeof SIMULATE_SCHEMA;
  kind: 'simulate';
  scenario: ScenarioRef;
  seed: number;
  workload: {
    leads: number;
    days: number;
    workers: number;
    routing: string;
    invalidation: string;
    messages: number;
    stateChanges: number;
  };
  /** All requests (LLM ops and memory reads). */
  requests: number;
  llmRequests: number;
  memoryReads: number;
  /** Calls that reached the model (misses + bypasses). */
  llmCalls: number;
  /** Requests that skipped the cache (streaming or tool use). */
  bypassed: number;
  bypassedStream: number;
  bypassedToolUse: number;
  /** Requests served from a cache tier (system-of-record reads are not cache hits). */
  hits: number;
  /** hits / requests. */
  hitRate: number;
  /** Memory reads no cache tier held, served by the system-of-record tier (Postgres). */
  systemOfRecordReads: number;
  /** LLM ops served from cache / LLM ops (what drives spend). */
  llmHitRate: number;
  tiers: SimTierStats[];
  /** Memory reads by requested depth and the tier that served them. */
  memory: Record<string, { reads: number; servedBy: Record<string, number> }>;
  latencyMs: Percentiles;
  /** Base64 HDR histogram of end-to-end latency (µs). */
  latencyHistogram: string;
  staleness: SimStaleness;
  semantic?: SemanticStats;
  invalidations: number;
  cost: CostBreakdown;
  /** The provider prompt cache, the innermost tier (absent with `--prompt-cache off`). */
  promptCache?: PromptCacheStats;
  /** LLM requests without a key (recorded traffic): never looked up in the application tiers. */
  keylessRequests?: number;
  provenance?: Provenance;
}

/** Environment a bench ran in. */
export interface BenchEnv {
  node: string;
  cpu: string;
  cpus: number;
  os: string;
  redis?: string;
  /** Set for a Redis Cluster, e.g. "cluster of 3 masters". */
  redisMode?: string;
  postgres?: string;
  pgvector?: string;
  git?: string;
}

export interface BenchTierStats {
  name: string;
  kind: string;
  lookups: number;
  hits: number;
  misses: number;
  errors: number;
  /** Lookup latency of this tier (µs). */
  latencyUs: Percentiles;
  /** Base64 HDR histogram (µs). */
  histogram: string;
  /** Hits whose entity version differs from the current one (staleness oracle). */
  staleHits?: number;
  /** Memory reads served as the system of record (not in `lookups` or `hits`; see SimTierStats). */
  systemOfRecordReads?: number;
  /** Write-backs and back-fills issued to this tier, and how many failed. */
  writes?: number;
  writeErrors?: number;
  /** Lookups and hits per op (the agreement check compares these with `simulate`). */
  byOp?: Record<string, { lookups: number; hits: number }>;
  /** Redis Cluster: commands sent per master (`host:port` owning the key's slot when sent). */
  nodes?: Record<string, number>;
  /** Redis Cluster: the slot that got the most commands. */
  hotSlot?: { slot: number; commands: number };
}

/** One measured trial of a bench run. */
export interface BenchTrial {
  requests: number;
  errors: number;
  /** Requests that failed open: a backend error made a lookup a miss (or skipped a write). */
  failedOpen?: number;
  durationMs: number;
  /** Requests per second. */
  throughput: number;
  latencyUs: Percentiles;
  histogram: string;
  tiers: BenchTierStats[];
  /** End-to-end latency of this trial's requests by workload op (µs), for the gate's per-op metrics. */
  ops?: Record<string, { requests: number; latencyUs: Percentiles; histogram: string }>;
  /** Requests over time by (intended) start: an outage or a failover shows where it happened. */
  timeline?: BenchTimeline;
  /** The trial was cut short (Ctrl-C): its figures cover the time up to the signal. */
  interrupted?: boolean;
}

/** Requests per time bucket of a trial, by (intended) start since the measurement began. */
export interface BenchTimeline {
  /** Bucket width (ms). */
  bucketMs: number;
  requests: number[];
  /** Requests that failed open (at least one backend error). */
  failedOpen: number[];
  /** Slowest request of each bucket (µs). */
  maxUs: number[];
}

export interface BenchResult {
  schema: typeof BENCH_SCHEMA;
  kind: 'bench';
  scenario: ScenarioRef;
  seed: number;
  startedAt: string;
  env: BenchEnv;
  /** `redisAutoPipelining`: whether ioredis auto-pipelined the Redis tiers' commands (absent without a Redis tier). */
  mode: { loop: 'closed' | 'open'; concurrency?: number; rate?: number; workers: number; warmupRequests: number; redisAutoPipelining?: boolean };
  requests: number;
  errors: number;
  /** Requests that failed open (all trials): a backend error made a lookup a miss (or skipped a write). */
  failedOpen?: number;
  /** Requests per second (all trials). */
  throughput: number;
  /** End-to-end latency (µs), all trials merged. */
  latencyUs: Percentiles;
  histogram: string;
  tiers: BenchTierStats[];
  ops: Record<string, { requests: number; latencyUs: Percentiles; histogram: string }>;
  llmCalls: number;
  bypassed: number;
  /** Client event-loop delay during the run (µs). */
  eventLoopDelayUs: { p50: number; p99: number; max: number };
  /** True when the client, not the backends, limited the run. */
  clientBottleneck: boolean;
  trials: BenchTrial[];
  /** Fault injection in effect (e.g. { L2: 0.1 }). */
  injectedDelay?: Record<string, number>;
  /** Tail-regression injection in effect: per tier, `share` (0..1) of the lookups wait `ms` longer. */
  injectedTail?: Record<string, InjectedTail>;
  /** Simulated LLM calls sleep the scenario's latency × this factor. */
  llmTimeScale?: number;
  /** Client (load generator) CPU time / wall time during the measurement (1 = one full core). */
  clientCpu?: number;
  /** Cache hits per all requests, measured (all trials). */
  hits?: number;
  /** Semantic tiers: hits classified against the ground truth (all trials). */
  semantic?: BenchSemanticStats;
  /** The provider prompt cache (the walk's innermost stage), computed from the trace for the requests that reached the model (absent with --prompt-cache off). */
  promptCache?: PromptCacheStats;
  /** The LLM API bill three ways, from the measured requests (all trials), projected to a month. */
  cost?: BenchCost;
  /** The run was stopped by a signal: `trials` holds the completed trials and the one cut short. */
  interrupted?: { signal: string; trialsCompleted: number; trialsPlanned: number };
  warnings: string[];
}

/** What a bench run's LLM traffic costs (computed from the trace; no provider is called). */
export interface BenchCost {
  /** USD per month: the stack bill (the tiers + the provider prompt cache), LLM API spend only. */
  monthlyUsd: number;
  /** Trace time the measured requests span, summed over trials (days). */
  windowDays: number;
  bills: Bills;
  /** Plain-language assumptions behind these figures. */
  assumptions: string[];
}


/** A result of running a scenario: what `gate` compares. */
export type ScenarioResult = SimulateResult | BenchResult;

/** A tail regression injected into one tier: `share` (0..1) of its lookups wait `ms` (ms) longer. */
export interface InjectedTail {
  ms: number;
  share: number;
}

/** One task of `bench --micro` (latency per iteration, ms). */
export interface MicroRow {
  name: string;
  /** Operations per iteration (e.g. 50 for a batch of concurrent GETs). */
  opsPerIteration: number;
  meanMs: number;
  p75Ms: number;
  p99Ms: number;
  /** Relative margin of error of the mean (%). */
  rmePct: number;
  samples: number;
}

/** `bench --micro --json`: per-operation microbenchmarks (tinybench). */
export interface BenchMicroResult {
  schema: typeof BENCH_MICRO_SCHEMA;
  kind: 'bench-micro';
  rows: MicroRow[];
}

/** A value of a swept parameter. */
export type ParamValue = number | string | boolean | null;

/** One point of a sweep grid: parameter name → value, in axis order. */
export type ParamPoint = Record<string, ParamValue>;

/** A sweep point as people write it: `L3.threshold=0.9 invalidation=local`. */
export function formatPoint(p: ParamPoint): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Per-key-class figures of a sweep run (`sweep --by-class`). */
export interface ClassStats {
  /** Ops summed into this class (the op itself and its components). */
  ops: string[];
  /** 1 - spend / spend without cache, over the class's ops: the token-weighted effective hit rate. */
  workSaved: number;
  hits: number;
  /** Stale hits / hits. */
  staleRate: number;
  /** Age of what was served (ms); present when the class is a single op. */
  ageMs?: { p50: number; p99: number; max: number };
}

/** The minimised objectives of a sweep run. */
export interface Objectives {
  /** USD per month with this configuration. */
  monthlyUsd: number;
  /** Semantic false hits / semantic-tier hits (0 without a semantic tier). */
  falseHitRate: number;
  /** Stale hits / all hits served from cache. */
  staleRate: number;
  /** Cross-contact or cross-tenant hits (never allowed in a recommendation). */
  leaks: number;
}

/** Error budgets of a sweep's recommendation (fractions, e.g. 0.01). */
export interface Budgets {
  maxFalseHit: number;
  maxStale: number;
}

/** One configuration of a sweep: its parameters, its simulation and its objectives. */
export interface SweepRun {
  params: ParamPoint;
  result: SimulateResult;
  /** Per key class (`--by-class`), when asked for. */
  classes?: Record<string, ClassStats>;
  objectives: Objectives;
}

/** `sweep --json`. */
export interface SweepResult {
  schema: typeof SWEEP_SCHEMA;
  kind: 'sweep';
  scenario: ScenarioRef;
  budgets: Budgets;
  runs: SweepRun[];
  /** The non-dominated runs (copies of entries of `runs`), cheapest first. */
  pareto: SweepRun[];
  recommended: SweepRun | null;
  /** Wall time of the whole sweep (ms) and worker threads used. */
  elapsedMs: number;
  threads: number;
}

/** An eviction policy (`replay --help`), or `opt` (Belady's MIN, the lower bound). */
export type ReplayPolicy = EvictionPolicy | 'opt';

/** One cache of a `replay`: a policy at a capacity over the whole trace. */
export interface ReplayPolicyResult {
  policy: ReplayPolicy;
  /** Entries, or bytes with --by-size. */
  capacity: number;
  requests: number;
  misses: number;
  /** misses / requests. */
  missRatio: number;
  /** requests / (decode time + this cache's time), requests per second. */
  reqPerSec: number;
}

/** `replay --json`. */
export interface ReplayResult {
  schema: typeof REPLAY_SCHEMA;
  kind: 'replay';
  /** The trace file as given. */
  trace: string;
  format: string;
  /** Capacities are bytes and weights object sizes. */
  bySize: boolean;
  requests: number;
  /** Invalid lines/records skipped (--skip-invalid). */
  skipped: number;
  /** Wall time of the pass (ms), reading included. */
  elapsedMs: number;
  /** Peak resident memory of the process (MiB). */
  peakRssMB: number;
  results: ReplayPolicyResult[];
}

/** One point of a miss-ratio curve. */
export interface MrcPoint {
  /** Cache size (entries). */
  capacity: number;
  /** Fraction of requests that miss in a cache of that size. */
  missRatio: number;
}

/** One policy's curve in an mrc result. */
export interface PolicyCurve {
  policy: ReplayPolicy;
  points: MrcPoint[];
  /** Simulated on the SHARDS sample (capacities × rate) rather than on every request. */
  sampled: boolean;
}

/** `mrc --json`. */
export interface MrcResult {
  schema: typeof MRC_SCHEMA;
  kind: 'mrc';
  trace: string;
  format: string;
  /** Without --sample or --exact: which curve was computed, and why. */
  choice?: string;
  requests: number;
  skipped: number;
  /** Distinct keys (exact run) or the SHARDS estimate. */
  distinctKeys: number;
  /** The exact LRU curve (stack distances). */
  exact?: MrcPoint[];
  /** The SHARDS-sampled LRU curve. */
  sampled?: {
    /** The final rate (a fixed-size sampler lowers it as keys arrive). */
    rate: number;
    /** Fixed-size sampling: the bound on tracked keys. */
    maxKeys?: number;
    sampledRequests: number;
    sampledKeys: number;
    /** Rough 95 % bound on the absolute error of a sampled miss ratio: 1.96 · √(0.25 / sampled keys). */
    errorBound: number;
    points: MrcPoint[];
    /** Only when the exact curve was computed too: |sampled − exact| over the points. */
    maxAbsErrorVsExact?: number;
    meanAbsErrorVsExact?: number;
  };
  /**
   * One curve per policy at the same capacities, LRU first (the exact curve, else the sampled
   * one), then the simulated policies (`opt`, Belady's lower bound, among them when asked for).
   */
  curves: PolicyCurve[];
}

/** A leaf that differs; `null` marks a leaf missing on that side. */
export interface ExactDifference {
  path: string;
  baseline: number | boolean | null;
  current: number | boolean | null;
}

/** Result of `exactDifferences`. */
export interface ExactComparison {
  /** Leaves compared (union of both sides). */
  compared: number;
  differences: ExactDifference[];
}

/**
 * pass: no slowdown shown; warn: significantly slower, but by less than the threshold; unsure:
 * "could not tell" — slower by more than the threshold in the data, but the trials cannot show it
 * (too few trials or tail samples to ever reach alpha, or too noisy); fail: significantly slower
 * by more than the threshold.
 */
export type GateStatus = 'pass' | 'warn' | 'unsure' | 'fail';
/** A percentile name: p50, p95, p99 (read from the trial's stored figures) or any pNN[.N] (from its histogram). */
export type GateStat = string;

/** Knobs of the gate. Fractions, not percent: 0.10 = 10 %. */
/** The gate's tests of paired trials (GateOptions.pairedTest). */
export const PAIRED_TESTS = ['sign', 'signed-rank'] as const;
export type PairedTest = (typeof PAIRED_TESTS)[number];

export interface GateOptions {
  /** Fail when a significant slowdown exceeds this fraction. */
  threshold: number;
  /** Warn when a significant slowdown exceeds this fraction (≤ threshold). */
  warn: number;
  /** Significance level of the one-sided rank test. */
  alpha: number;
  /** Percentiles compared per metric (default p50, p95, p99). */
  stats: string[];
  /** Fewest trials a side (below: unusable input). */
  minTrials: number;
  /** Fewest samples beyond a percentile, all trials of a side together, for it to be allowed to fail. */
  minTailSamples: number;
  /** Latency can only warn (deterministic parts still fail): for noisy shared runners. */
  latencyWarnOnly: boolean;
  /**
   * Trial i of each side ran at the same time (or back to back): test the per-pair log ratios
   * (`pairedTest`) instead of Mann-Whitney U, cancelling noise a pair shares.
   */
  paired: boolean;
  /**
   * The paired test: `sign` counts the pairs in which current was slower (the default: a pair
   * whose two runs caught the machine at different speeds is one vote, not the largest rank);
   * `signed-rank` (Wilcoxon) weighs each pair by the size of its ratio too.
   */
  pairedTest: PairedTest;
  /** A trial above this × the median of all trials of a metric is disturbed (see stats/compare.ts); 0 = off. */
  disturbedFactor: number;
}


/** One latency metric compared across trials. Latencies in µs. */
export interface GateMetric {
  /** JSON path of the metric in the bench result: `latencyUs` or `tiers.latencyUs`. */
  name: string;
  /** Tier name for per-tier metrics. */
  tier?: string;
  stat: GateStat;
  /** Median over the baseline trials of the per-trial percentile (µs). */
  baseline: number;
  /** Median over the current trials (µs). */
  current: number;
  /** current / baseline − 1 (0.1 = 10 % slower, negative = faster); paired: median ratio − 1. */
  change: number;
  /** Hodges-Lehmann shift of the per-trial values (µs). */
  shiftUs: number;
  /** One-sided p-value of this metric alone for "current is slower" (Mann-Whitney U; when paired, the sign or signed-rank test of `options.pairedTest`). */
  pValue: number;
  /**
   * pValue adjusted for the number of metrics that can fail (over the verdict's
   * `correction.metrics`: Holm-Bonferroni, or Westfall-Young when paired): the gate judges
   * significance by this one, so that the chance of any false failure in the whole verdict stays
   * at or below alpha.
   */
  pAdjusted: number;
  /** 1 − pAdjusted: how sure the gate is that current is slower at all, all metrics considered. */
  confidence: number;
  status: GateStatus;
  /** Trials compared per side. */
  trials: { baseline: number; current: number };
  /** Fewest samples (requests or lookups) in any one trial behind this percentile. */
  minSamples: number;
  /** Samples behind the percentile in all trials of a side together (the smaller side). */
  pooledSamples: number;
  /** What is measured: `lookup` (one tier's lookups) or `request` (end to end). */
  op: 'lookup' | 'request';
  /** For a request metric of one workload op (e.g. `score`): that op's end-to-end latency; absent = all requests. */
  opName?: string;
  /** One line a person can act on: what changed, how sure, and why this status. */
  reason: string;
  /** Why a status was capped, or that the metric got faster. */
  note?: string;
}

/** The gate's answer (`--json` prints this object). */
export interface GateVerdict {
  schema: typeof GATE_SCHEMA;
  verdict: GateStatus;
  kind: 'bench' | 'simulate';
  scenario: ScenarioRef;
  /** `pairedTest` is present when `paired`. */
  options: Pick<GateOptions, 'threshold' | 'warn' | 'alpha' | 'stats' | 'paired' | 'disturbedFactor' | 'latencyWarnOnly'> & Partial<Pick<GateOptions, 'pairedTest'>>;
  metrics: GateMetric[];
  /**
   * Multiple-comparison correction of the latency metrics over the `metrics` metrics that can fail
   * (enough samples behind their percentile), so the family-wise chance of a false failure is at
   * most alpha: Holm-Bonferroni for pooled trials; Westfall-Young step-down minP by sign flips of
   * whole pairs for paired trials (it counts what correlated metrics share).
   */
  correction?: { method: 'holm' | 'westfall-young'; metrics: number };
  /** Exact comparison of deterministic outputs (simulate results). */
  exact?: ExactComparison;
  warnings: string[];
  /** Environment differences between baseline and current (bench results). */
  envMismatch?: { cpu?: { baseline: string; current: string }; node?: { baseline: string; current: string } };
  /** `gate --update-baseline --json`: the baseline file that was replaced. */
  baselineUpdated?: string;
}


/** One power-of-two bucket of the reuse-distance distribution: distances in [from, to]. */
export interface ReuseBucket {
  from: number;
  to: number;
  count: number;
  /** count / all reuses. */
  fraction: number;
}

/** One bucket of a distribution of times: values in [fromMs, toMs) (ms). */
export interface TimeBucket {
  fromMs: number;
  toMs: number;
  count: number;
  /** count / all values. */
  fraction: number;
}

export interface ZipfFit {
  /** Zipf exponent s in count ∝ rank^-s. */
  exponent: number;
  /** Coefficient of determination of the log-log fit (0..1). */
  r2: number;
  /** Ranks the fit used (log-spaced). */
  points: number;
}

/** What `trace stats` measures of a trace (definitions: src/trace/stats.ts, docs/trace-format.md). */
export interface TraceStats {
  schema: typeof TRACE_STATS_SCHEMA;
  kind: 'trace-stats';
  events: number;
  messages: number;
  requests: number;
  llmRequests: number;
  memoryReads: number;
  stateChanges: number;
  contacts: number;
  /** Distinct LLM keys. */
  keys: number;
  /** Time of the last event (ms). */
  spanMs: number;
  /** Invalid lines skipped by the reader (with --skip-invalid). */
  skipped: number;
  /** Fractions of memory reads per depth (sum 1, all 0 without memory reads). */
  accessDepth: Record<MemoryDepth, number>;
  accessDepthCounts: Record<MemoryDepth, number>;
  reuseDistance: { reuses: number; firstRequests: number; p50: number; p95: number; p99: number; buckets: ReuseBucket[] };
  /** Between consecutive requests (ms). */
  interArrivalMs: Percentiles;
  /**
   * The same gaps by bucket, the non-empty ones: round bounds (1-2-5 ms, s and min, 1-2-3-6-12 h,
   * 1-2-5 d; src/trace/stats.ts GAP_BOUNDS_MS), the first bucket holding gaps below 1 ms.
   */
  interArrivalBuckets?: TimeBucket[];
  /** Between consecutive messages of one contact (ms). */
  messageGapMs: Percentiles;
  /** The same gaps by bucket, on the bounds of `interArrivalBuckets`. */
  messageGapBuckets?: TimeBucket[];
  popularity: { top: { key: string; requests: number; share: number }[]; zipf: ZipfFit | null };
  opMix: { op: string; requests: number; fraction: number }[];
  repeatedCallRate: number;
  /** LLM requests without a key (never looked up in the application tiers). */
  keylessRequests: number;
  /** Input and output tokens of the LLM requests. */
  tokens: { in: number; out: number };
  /** LLM requests that describe their prompt prefix, and their prefix blocks / segments in all. */
  promptPrefix: { requests: number; blocks: number; segments: number };
  /** Fractions of LLM requests that stream / use tools (both bypass the cache). */
  streamingFraction: number;
  toolUseFraction: number;
}

/** `trace stats --json`: the statistics and the file they describe. */
export interface TraceStatsResult extends TraceStats {
  file: string;
}

/**
 * Every result kind, discriminated by `schema`. A renderer switches on it with a `never` check
 * (`assertNever`), so a kind added here without a view does not compile.
 */
export type Result = SimulateResult | BenchResult | BenchMicroResult | SweepResult | ReplayResult | MrcResult | GateVerdict | TraceStatsResult;

/** The schemas of `Result`, one per kind. */
export const RESULT_SCHEMAS = [SIMULATE_SCHEMA, BENCH_SCHEMA, BENCH_MICRO_SCHEMA, SWEEP_SCHEMA, REPLAY_SCHEMA, MRC_SCHEMA, GATE_SCHEMA, TRACE_STATS_SCHEMA] as const satisfies readonly Result['schema'][];

/** The kind a result's schema names: `llmcache/trace-stats@1` → `trace-stats`. */
export function resultKind(r: Pick<Result, 'schema'>): string {
  return r.schema.replace(/^llmcache\//, '').replace(/@\d+$/, '');
}

/** The end of an exhaustive switch: a value left here is a case nobody handled. */
export function assertNever(x: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify((x as { schema?: unknown })?.schema ?? x)}`);
}
