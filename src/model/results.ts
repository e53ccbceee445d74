/**
 * The result contract: types written by `simulate` and `bench` and read by `gate` and `report`.
 * Lives below every engine and renderer (model layer) so histogram, cost and trace stats need no report import.
 * Every result carries `schema` (name@version) and `kind`; a reader refuses what it does not know.
 */

export const SIMULATE_SCHEMA = 'llmcache/simulate@1';
export const BENCH_SCHEMA = 'llmcache/bench@1';

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
  /** USD per month with no cache at all, same trace. */
  baselineMonthlyUsd: number;
  /** USD per month with this stack (LLM calls + embeddings + infrastructure). */
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
  mode: { loop: 'closed' | 'open'; concurrency?: number; rate?: number; workers: number; warmupRequests: number };
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
  /** The run was stopped by a signal: `trials` holds the completed trials and the one cut short. */
  interrupted?: { signal: string; trialsCompleted: number; trialsPlanned: number };
  warnings: string[];
}

export type AnyResult = SimulateResult | BenchResult;

/** A tail regression injected into one tier: `share` (0..1) of its lookups wait `ms` (ms) longer. */
export interface InjectedTail {
  ms: number;
  share: number;
}
