/**
 * The scenario model: what a scenario is, as types (with units), and every enum of it as one list
 * from which its type derives. Defaults are in defaults.ts, the document definition in schema.ts,
 * validation in validate.ts, loading and command-line overrides in load.ts.
 */

/** Tier kinds, one module each in src/tiers/ (registry: src/tiers/registry.ts). */
export const TIER_KINDS = ['memory', 'redis', 'pgvector'] as const;
export type TierKind = (typeof TIER_KINDS)[number];
/** `worker`: one instance per application worker; `shared`: one for all workers. */
export const TIER_SCOPES = ['worker', 'shared'] as const;
export type TierScope = (typeof TIER_SCOPES)[number];
export const MATCH_MODES = ['exact', 'semantic'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];
/** Which entries a semantic lookup may match: the same contact's, the same tenant's, or any. */
export const SCOPE_FILTERS = ['contact', 'tenant', 'none'] as const;
export type ScopeFilter = (typeof SCOPE_FILTERS)[number];
/** How a message picks its application worker. */
export const ROUTINGS = ['round-robin', 'random', 'sticky'] as const;
export type Routing = (typeof ROUTINGS)[number];
/** Which tier instances a state change invalidates: none (TTL only), the handling worker's and the shared ones, or every worker's. */
export const INVALIDATIONS = ['none', 'local', 'broadcast'] as const;
export type Invalidation = (typeof INVALIDATIONS)[number];
/** What an op's answer depends on: its entity is versioned and invalidated on state change. */
export const DEPENDENCIES = ['contact', 'market', 'none'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];
/** `llm`: a miss calls the model and costs tokens; `context`: a memory read served by the system of record. */
export const OP_KINDS = ['llm', 'context'] as const;
export type OpKind = (typeof OP_KINDS)[number];
/** Eviction policy of a store (parameters: `EVICTION_PARAMETERS` in src/tiers/store.ts, docs/policies.md); a tier's `eviction`, `replay --cache` and `sweep` accept every one. */
export const EVICTION_POLICIES = ['lru', 'fifo', 'sieve', 'clock', '2q', 'arc', 's3fifo', 'tinylfu'] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];
/** How far back a memory-context read reaches: the last 10 messages, the last 100, the whole history. */
export const MEMORY_DEPTHS = ['recent10', 'recent100', 'full'] as const;
export type MemoryDepth = (typeof MEMORY_DEPTHS)[number];
/** TTLs of the provider prompt cache: 5 minutes, 1 hour, or no TTL and no capacity limit (an upper bound). */
export const PROMPT_CACHE_TTLS = ['5m', '1h', 'unlimited'] as const;
export type PromptCacheTtl = (typeof PROMPT_CACHE_TTLS)[number];
/** The scenario's `promptCache.ttl`: off, or one of PROMPT_CACHE_TTLS. */
export const PROMPT_CACHE_MODES = ['off', ...PROMPT_CACHE_TTLS] as const;
export type PromptCacheMode = (typeof PROMPT_CACHE_MODES)[number];

/** The ops of the synthetic pipeline; a scenario must define each. */
export const PIPELINE_OPS = ['memory', 'score', 'intent', 'market', 'response'] as const;

/** Latency model: constant, or lognormal fitted from p50 and p99, or empirical quantiles. All ms. */
export type LatencyModelConfig =
  | { constant: number }
  | { p50: number; p99: number }
  | { quantiles: number[] };

/** One operation / key class. */
export interface OpConfig {
  /** Key template, for documentation and for the bench's string keys. */
  key: string;
  kind: OpKind;
  /** Tokens sent per call (tokens). */
  tokensIn: number;
  /** Tokens generated per call (tokens). */
  tokensOut: number;
  /** Model name, a key of `models`. */
  model: string;
  dependsOn: Dependency;
  /** Latency of the LLM call on a full miss (ms). */
  llmLatency: LatencyModelConfig;
  /**
   * Component granularity (src/semantic/granularity.ts): this op is one component of the named
   * op, which is then computed from its components (cached separately) instead of whole. The
   * component's key depends only on the placeholders of its own key template.
   */
  componentOf?: string;
  /**
   * Prompt structure of the synthetic workload (what the provider prompt cache sees): a static
   * system prompt + tools shared by every call of the op (tokens; default 60 % of tokensIn), then
   * the contact's conversation history growing by this many tokens per message (default 60; 0 for
   * ops that do not read the conversation), then the new message (the rest of tokensIn).
   */
  systemTokens?: number;
  historyTokensPerMessage?: number;
}

/** One cache tier. */
export interface TierConfig {
  name: string;
  kind: TierKind;
  scope: TierScope;
  match: MatchMode;
  /** Cosine similarity a semantic match must reach (0..1). */
  threshold: number;
  /** Semantic lookups only see entries of the same contact (`contact`) or everything (`none`). */
  scopeFilter: ScopeFilter;
  /** Entries (null = unbounded). */
  capacity: number | null;
  eviction: EvictionPolicy;
  /** TTL per op in seconds; an op absent here is not cached by this tier. */
  ttl: Record<string, number>;
  /** Deepest memory window this tier holds for memory reads. */
  memoryDepth: MemoryDepth;
  /** Serves every memory read that reaches it (Postgres holds the full history). */
  systemOfRecord: boolean;
  /** A hit in a lower tier writes the value back into this tier. */
  backfill: boolean;
  /** Lookup latency (ms). */
  latency: LatencyModelConfig;
  /** Write latency on write-back / back-fill (ms); synchronous writes add to the request. */
  writeLatency: LatencyModelConfig;
  /** Optional infrastructure cost (USD per month). */
  monthlyUsd: number;
  enabled: boolean;
  /** A hit pushes the entry's expiry to now + TTL (sliding expiry) instead of keeping the fixed one. */
  refreshOnHit: boolean;
  /** Velocity-adaptive TTL (src/cache/freshness.ts); null = the fixed TTL per op. */
  adaptiveTtl: AdaptiveTtlConfig | null;
}

/**
 * TTL scaled by the contact's conversation velocity v (messages per hour, EWMA):
 * ttl = base × clamp((refPerHour / v)^exponent, minFactor, maxFactor). exponent 0 = fixed TTL.
 */
export interface AdaptiveTtlConfig {
  /** Velocity at which the base TTL applies (messages per hour). */
  refPerHour: number;
  exponent: number;
  minFactor: number;
  maxFactor: number;
}

/** Embeddings of semantic tiers: their price and the synthetic ground-truth space. */
export interface EmbeddingConfig {
  model: string;
  /** USD per 1M embedded tokens. */
  usdPerMTok: number;
  /** Tokens embedded per call (one call per similarity lookup) (tokens). */
  tokensPerCall: number;
  /** Dimensions of the synthetic vectors. */
  dim: number;
  /** Paraphrase noise range (see SyntheticEmbeddingConfig.spread). */
  spread: Range;
  /** Intents 2k and 2k+1 (k < nearMissPairs) have centroids at cosine `nearMissCosine`. */
  nearMissPairs: number;
  nearMissCosine: number;
}

/**
 * Price per model (USD per 1M tokens). A model named in the price catalog (prices/catalog.json)
 * takes the catalog's prices; a scenario entry of the same name overrides any field.
 */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Provider prompt-cache hit (cache read). */
  cachedInputPerMTok: number;
  /** Prompt-cache write with the 5-minute TTL; absent = the input price. */
  cacheWrite5mPerMTok?: number;
  /** Prompt-cache write with the 1-hour TTL; absent = the 5-minute write price. */
  cacheWrite1hPerMTok?: number;
  /** Shortest prefix the provider caches (tokens); absent = 1024. */
  minCacheTokens?: number;
}

export interface Range {
  min: number;
  max: number;
}

export interface WorkloadConfig {
  leads: number;
  days: number;
  tenants: number;
  /** Messages per active lead per active day. */
  messagesPerDay: Range;
  /** Probability a lead is active on a given day. */
  activeDayProbability: number;
  sessionsPerDay: Range;
  /** Gap between messages inside a session (seconds). */
  messageGapSec: { p50: number; p99: number };
  /** Weights of how many bots run the pipeline for each message ("1", "2", "3", …). */
  botsPerMessage: Record<string, number>;
  /** Probability that an LLM request is issued again right after (timeouts, retries). */
  retryRate: number;
  /** Probability that a bot turn needs market data for the contact's zip code. */
  marketLookupRate: number;
  zipCodes: number;
  /** Access-depth mix of memory reads (fractions summing to 1). */
  depthMix: Record<MemoryDepth, number>;
  /** Probability a response request is streamed (bypasses the cache). */
  streamRate: number;
  /** Probability a response request uses tools (bypasses the cache). */
  toolUseRate: number;
  /** Probability, per message, that the contact's temperature advances (Cold→Warm→Hot). */
  stateChangeRate: number;
  /** Market data updates per zip code per day. */
  marketUpdatesPerDay: number;
  /** Number of distinct user intents. */
  intents: number;
  /** Probability a message re-asks an intent the contact asked before (paraphrased). */
  repeatIntentRate: number;
}

/**
 * The provider's prompt cache: the innermost tier, in front of the model (src/promptcache/).
 * Computed from each request's prompt prefix; no provider is called.
 */
export interface PromptCacheConfig {
  /** off | 5m | 1h | unlimited (no TTL and no capacity limit). */
  ttl: PromptCacheMode;
  /** Shortest cached prefix (tokens); null = the model's (price catalog `minCacheTokens`, else 1024). */
  minTokens: number | null;
  /** Most blocks cached per model, least recently used evicted first; null = unbounded. */
  capacityBlocks: number | null;
  /** Block size (tokens) segment prefixes are cut into; block-id traces carry their own (default 512). */
  blockTokens: number;
  /** Prefill time per uncached input token (ms) added to the LLM latency; 0 = the latency model alone. */
  prefillMsPerToken: number;
}


export interface Scenario {
  name: string;
  description: string;
  seed: number;
  workload: WorkloadConfig;
  /** Op table; order is the op index used in events. */
  ops: Record<string, OpConfig>;
  tiers: TierConfig[];
  workers: { count: number; routing: Routing };
  invalidation: Invalidation;
  /** Write-through of the conversation window to the handling worker's tiers on each message. */
  memoryWriteThrough: boolean;
  models: Record<string, ModelPrice>;
  embedding: EmbeddingConfig;
  promptCache: PromptCacheConfig;
}

/** Op names in table order; the index is the op id used in events. */
export function opNames(s: Scenario): string[] {
  return Object.keys(s.ops);
}
