/**
 * Scenario model, defaults (the article's stack), loading (JSON or YAML) and validation that
 * reports every problem with its path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from './errors.js';
import { catalogEntry, loadCatalog, nearNames } from './prices/catalog.js';
import { DEPENDENCIES, documentProblems, EVICTION_POLICIES, MEMORY_DEPTHS, PROMPT_CACHE_MODES, type EvictionPolicy, type MemoryDepth, INVALIDATIONS, MATCH_MODES, OP_KINDS, ROUTINGS, SCOPE_FILTERS, TIER_KINDS, TIER_SCOPES } from './config/schema.js';

export { TIER_KINDS } from './config/schema.js';

/** Latency model: constant, or lognormal fitted from p50 and p99, or empirical quantiles. All ms. */
export type LatencyModelConfig =
  | { constant: number }
  | { p50: number; p99: number }
  | { quantiles: number[] };

/** Tier kinds, one module each in src/tiers/ (registry: src/tiers/registry.ts). */
export type TierKind = (typeof TIER_KINDS)[number];
export type TierScope = (typeof TIER_SCOPES)[number];
export type MatchMode = (typeof MATCH_MODES)[number];
export type Routing = (typeof ROUTINGS)[number];
export type Invalidation = (typeof INVALIDATIONS)[number];
/** What an op's answer depends on: its entity is versioned and invalidated on state change. */
export type Dependency = (typeof DEPENDENCIES)[number];

/** One operation / key class. */
export interface OpConfig {
  /** Key template, for documentation and for the bench's string keys. */
  key: string;
  /** `llm`: a miss calls the model and costs tokens; `context`: a memory read served by the system of record. */
  kind: (typeof OP_KINDS)[number];
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
  scopeFilter: (typeof SCOPE_FILTERS)[number];
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

/** A catalog entry as scenario model prices (null prices fall back as documented on ModelPrice). */
export function catalogModelPrice(name: string): ModelPrice | undefined {
  const e = catalogEntry(name);
  if (!e) return undefined;
  const p: ModelPrice = { inputPerMTok: e.inputPerMTok, outputPerMTok: e.outputPerMTok, cachedInputPerMTok: e.cacheReadPerMTok ?? e.inputPerMTok };
  if (e.cacheWrite5mPerMTok !== null) p.cacheWrite5mPerMTok = e.cacheWrite5mPerMTok;
  if (e.cacheWrite1hPerMTok !== null) p.cacheWrite1hPerMTok = e.cacheWrite1hPerMTok;
  if (e.minCacheTokens !== null) p.minCacheTokens = e.minCacheTokens;
  return p;
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

export type PromptCacheMode = (typeof PROMPT_CACHE_MODES)[number];
export { PROMPT_CACHE_MODES };

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

export const PIPELINE_OPS = ['memory', 'score', 'intent', 'market', 'response'] as const;

const ARTICLE_MODEL = 'claude-article';

/** The article's stack and workload; every number is commented in scenarios/seed-article.yaml. */
export function defaultScenario(): Scenario {
  const ttlL1 = { memory: 300, score: 300, intent: 300, market: 300 };
  return {
    name: 'seed-article',
    description: 'The seed article: 500 leads, L1 in-process per worker, L2 Redis, L3 pgvector',
    seed: 42,
    workload: {
      leads: 500,
      days: 30,
      tenants: 1,
      messagesPerDay: { min: 8, max: 12 },
      activeDayProbability: 1,
      sessionsPerDay: { min: 1, max: 3 },
      messageGapSec: { p50: 60, p99: 900 },
      botsPerMessage: { '1': 0.6, '2': 0.3, '3': 0.1 },
      retryRate: 0.05,
      marketLookupRate: 0.3,
      zipCodes: 40,
      depthMix: { recent10: 0.742, recent100: 0.141, full: 0.117 },
      streamRate: 0.1,
      toolUseRate: 0.05,
      stateChangeRate: 0.04,
      marketUpdatesPerDay: 2,
      intents: 24,
      repeatIntentRate: 0.3,
    },
    ops: {
      memory: op('memory:{contact}', 'context', 1000, 0, 'none', { constant: 0 }),
      score: op('score:{contact}:{messageHash}', 'llm', 2000, 0, 'contact', { p50: 900, p99: 2500 }),
      intent: op('intent:{contact}:{conversationHash}', 'llm', 1500, 0, 'none', { p50: 600, p99: 1800 }),
      market: op('market:{zip}:{date}', 'llm', 1000, 0, 'market', { p50: 800, p99: 2200 }),
      response: op('response:{contact}:{conversationHash}:{bot}', 'llm', 3000, 0, 'contact', { p50: 1200, p99: 3500 }),
    },
    tiers: [
      tier('L1', 'memory', 'worker', { capacity: 1000, ttl: ttlL1, memoryDepth: 'recent10', latency: { p50: 0.05, p99: 0.8 } }),
      tier('L2', 'redis', 'shared', {
        capacity: null,
        ttl: { memory: 900, score: 900, intent: 300, market: 3600 },
        memoryDepth: 'recent100',
        latency: { p50: 0.4, p99: 4.2 },
        writeLatency: { p50: 0.4, p99: 4.2 },
      }),
      tier('L3', 'pgvector', 'shared', {
        capacity: null,
        match: 'semantic',
        threshold: 0.92,
        scopeFilter: 'contact',
        ttl: { memory: 3600, response: 3600 },
        memoryDepth: 'full',
        systemOfRecord: true,
        latency: { p50: 8, p99: 48 },
        writeLatency: { p50: 3, p99: 20 },
      }),
    ],
    workers: { count: 4, routing: 'round-robin' },
    invalidation: 'local',
    memoryWriteThrough: true,
    models: { [ARTICLE_MODEL]: { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5, cacheWrite5mPerMTok: 18.75, cacheWrite1hPerMTok: 30, minCacheTokens: 1024 } },
    promptCache: { ttl: '5m', minTokens: null, capacityBlocks: null, blockTokens: 128, prefillMsPerToken: 0 },
    embedding: {
      model: 'text-embedding-3-small',
      usdPerMTok: 0.02,
      tokensPerCall: 40,
      dim: 48,
      spread: { min: 0.12, max: 0.42 },
      nearMissPairs: 4,
      nearMissCosine: 0.88,
    },
  };
}

function op(
  key: string,
  kind: OpConfig['kind'],
  tokensIn: number,
  tokensOut: number,
  dependsOn: Dependency,
  llmLatency: LatencyModelConfig,
): OpConfig {
  return { key, kind, tokensIn, tokensOut, model: ARTICLE_MODEL, dependsOn, llmLatency };
}

/** A tier with defaults for every field not given. */
export function tier(name: string, kind: TierKind, scope: TierScope, over: Partial<TierConfig> = {}): TierConfig {
  return {
    name,
    kind,
    scope,
    match: 'exact',
    threshold: 0.9,
    scopeFilter: 'contact',
    capacity: null,
    eviction: 'lru',
    ttl: {},
    memoryDepth: 'recent10',
    systemOfRecord: false,
    backfill: true,
    latency: { constant: 0 },
    writeLatency: { constant: 0 },
    monthlyUsd: 0,
    enabled: true,
    refreshOnHit: false,
    adaptiveTtl: null,
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** A scenario that failed validation; `problems` lists `path: message` lines. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in the scenario:\n  - ${problems.join('\n  - ')}`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  problems: string[] = [];
  fail(path: string, msg: string): void {
    this.problems.push(`${path}: ${msg}`);
  }
  num(path: string, v: unknown, o: { min?: number; max?: number; int?: boolean } = {}): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(path, `expected a number, got ${show(v)}`);
    if (o.int && !Number.isInteger(v)) this.fail(path, `expected an integer, got ${v}`);
    if (o.min !== undefined && v < o.min) this.fail(path, `must be >= ${o.min}, got ${v}`);
    if (o.max !== undefined && v > o.max) this.fail(path, `must be <= ${o.max}, got ${v}`);
  }
  oneOf(path: string, v: unknown, allowed: readonly string[]): void {
    if (typeof v !== 'string' || !allowed.includes(v)) this.fail(path, `expected one of ${allowed.join(' | ')}, got ${show(v)}`);
  }
  latency(path: string, v: unknown): void {
    if (!isObj(v)) return this.fail(path, 'expected { constant } or { p50, p99 } or { quantiles } (ms)');
    if ('constant' in v) return this.num(`${path}.constant`, v.constant, { min: 0 });
    if ('quantiles' in v) {
      const q = v.quantiles;
      if (!Array.isArray(q) || q.length === 0) return this.fail(`${path}.quantiles`, 'expected a non-empty array of ms');
      q.forEach((x, i) => this.num(`${path}.quantiles[${i}]`, x, { min: 0 }));
      return;
    }
    this.num(`${path}.p50`, v.p50, { min: 0 });
    this.num(`${path}.p99`, v.p99, { min: 0 });
    if (typeof v.p50 === 'number' && typeof v.p99 === 'number' && v.p99 < v.p50) this.fail(`${path}.p99`, `must be >= p50 (${v.p50})`);
  }
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/**
 * Fields replaced whole when a document gives them: a latency model, a TTL map or a mix merged
 * field by field with the default would be a different model from the one the user wrote.
 */
const REPLACED_WHOLE = new Set(['latency', 'writeLatency', 'llmLatency', 'ttl', 'botsPerMessage', 'depthMix']);

/** Deep-merge `over` onto `base` (objects merge, arrays, scalars and REPLACED_WHOLE fields replace). */
function merge<T>(base: T, over: unknown): T {
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : (over as T);
  const out: Obj = { ...(base as Obj) };
  for (const [k, v] of Object.entries(over)) out[k] = k in out && !REPLACED_WHOLE.has(k) ? merge(out[k], v) : v;
  return out as T;
}

/**
 * Turn a parsed scenario document into a validated Scenario, filling defaults. Tiers given in
 * the document replace the default stack entirely (each tier filled with tier defaults).
 */
export function normalizeScenario(doc: unknown, file = '<scenario>'): Scenario {
  const c = new Checker();
  if (!isObj(doc)) throw new ScenarioError(file, ['(root): expected an object']);
  // Fields, types and ranges against the one definition (src/config/schema.ts); rules between
  // fields below, after the defaults are filled in. A document of the wrong shape may not get
  // that far: then the shape problems alone are reported.
  const shape = documentProblems(doc);
  const { $schema: _schema, ...body } = doc;
  const base = defaultScenario();
  const tiersDoc = body.tiers;
  const opsDoc = body.ops;
  const modelsDoc = body.models;
  const s: Scenario = merge(base, { ...body, tiers: undefined, ops: undefined, models: undefined });
  s.tiers = base.tiers;
  if (tiersDoc !== undefined) {
    if (!Array.isArray(tiersDoc)) c.fail('tiers', 'expected an array of tiers');
    else
      s.tiers = tiersDoc.map((t, i) => {
        if (!isObj(t)) {
          c.fail(`tiers[${i}]`, 'expected an object');
          return tier(`T${i}`, 'memory', 'worker');
        }
        return merge(tier(String(t.name ?? `T${i}`), 'memory', 'worker'), t);
      });
  }
  if (opsDoc !== undefined) {
    if (!isObj(opsDoc)) c.fail('ops', 'expected an object of op name -> op');
    else {
      const ops: Record<string, OpConfig> = {};
      for (const [name, o] of Object.entries(opsDoc)) ops[name] = merge(base.ops[name] ?? base.ops.score!, o);
      s.ops = merge(base.ops, ops);
    }
  }
  if (modelsDoc !== undefined) {
    if (!isObj(modelsDoc)) c.fail('models', 'expected an object of model name -> prices');
    else {
      s.models = { ...base.models };
      // A model of the catalog starts from the catalog's prices; the document overrides fields.
      for (const [name, m] of Object.entries(modelsDoc)) s.models[name] = merge(base.models[name] ?? catalogModelPrice(name) ?? {}, m) as ModelPrice;
    }
  }
  addCatalogModels(s);
  try {
    checkScenario(c, s);
  } catch (e) {
    if (shape.length === 0) throw e;
  }
  // One line per field: the shape's message first.
  const seen = new Set<string>();
  const problems = [...shape, ...c.problems].filter((p) => {
    const path = p.slice(0, p.indexOf(': '));
    if (seen.has(path)) return false;
    seen.add(path);
    return true;
  });
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return s;
}


/** Ops naming a catalog model the scenario does not price itself get the catalog's prices. */
function addCatalogModels(s: Scenario): void {
  if (!isObj(s.ops) || !isObj(s.models)) return;
  for (const o of Object.values(s.ops)) {
    if (!isObj(o) || typeof o.model !== 'string' || o.model in s.models) continue;
    const p = catalogModelPrice(o.model);
    if (p) s.models[o.model] = p;
  }
}

function unknownModel(s: Scenario, model: unknown): string {
  const names = [...new Set([...Object.keys(s.models), ...loadCatalog().models.map((m) => m.model)])];
  return `unknown model ${show(model)}: not in the scenario's models nor in the price catalog; did you mean ${nearNames(String(model), names).join(', ')}? (\`llmcache prices\` lists the catalog)`;
}

function checkScenario(c: Checker, s: Scenario): void {
  if (typeof s.name !== 'string' || s.name === '') c.fail('name', 'expected a non-empty string');
  c.num('seed', s.seed, { int: true, min: 0 });
  const w = s.workload;
  c.num('workload.leads', w.leads, { int: true, min: 1 });
  c.num('workload.days', w.days, { min: 0.001, max: 3650 });
  c.num('workload.tenants', w.tenants, { int: true, min: 1 });
  for (const r of ['messagesPerDay', 'sessionsPerDay'] as const) {
    c.num(`workload.${r}.min`, w[r].min, { min: 0 });
    c.num(`workload.${r}.max`, w[r].max, { min: w[r].min });
  }
  c.num('workload.sessionsPerDay.min', w.sessionsPerDay.min, { int: true, min: 1 });
  c.num('workload.messageGapSec.p50', w.messageGapSec.p50, { min: 0 });
  c.num('workload.messageGapSec.p99', w.messageGapSec.p99, { min: w.messageGapSec.p50 });
  for (const k of [
    'activeDayProbability',
    'retryRate',
    'marketLookupRate',
    'streamRate',
    'toolUseRate',
    'stateChangeRate',
    'repeatIntentRate',
  ] as const)
    c.num(`workload.${k}`, w[k], { min: 0, max: 1 });
  c.num('workload.zipCodes', w.zipCodes, { int: true, min: 1 });
  c.num('workload.marketUpdatesPerDay', w.marketUpdatesPerDay, { min: 0 });
  c.num('workload.intents', w.intents, { int: true, min: 2 });
  let sum = 0;
  for (const d of MEMORY_DEPTHS) {
    c.num(`workload.depthMix.${d}`, w.depthMix[d], { min: 0, max: 1 });
    sum += w.depthMix[d];
  }
  if (Math.abs(sum - 1) > 1e-6) c.fail('workload.depthMix', `fractions must sum to 1, got ${sum}`);
  const bots = Object.entries(w.botsPerMessage);
  if (bots.length === 0) c.fail('workload.botsPerMessage', 'expected at least one weight');
  for (const [k, v] of bots) {
    if (!/^[1-9]$/.test(k)) c.fail(`workload.botsPerMessage.${k}`, 'keys must be bot counts 1..9');
    c.num(`workload.botsPerMessage.${k}`, v, { min: 0 });
  }
  for (const required of PIPELINE_OPS) if (!(required in s.ops)) c.fail(`ops.${required}`, 'the synthetic pipeline needs this op');
  for (const [name, o] of Object.entries(s.ops)) {
    const p = `ops.${name}`;
    c.oneOf(`${p}.kind`, o.kind, OP_KINDS);
    c.num(`${p}.tokensIn`, o.tokensIn, { min: 0 });
    c.num(`${p}.tokensOut`, o.tokensOut, { min: 0 });
    c.oneOf(`${p}.dependsOn`, o.dependsOn, DEPENDENCIES);
    if (o.kind === 'llm' && !(o.model in s.models)) c.fail(`${p}.model`, unknownModel(s, o.model));
    c.latency(`${p}.llmLatency`, o.llmLatency);
    if (o.systemTokens !== undefined) c.num(`${p}.systemTokens`, o.systemTokens, { int: true, min: 0 });
    if (o.historyTokensPerMessage !== undefined) c.num(`${p}.historyTokensPerMessage`, o.historyTokensPerMessage, { int: true, min: 0 });
  }
  if (s.ops.memory && s.ops.memory.kind !== 'context') c.fail('ops.memory.kind', 'memory reads must be kind "context"');
  for (const [name, o] of Object.entries(s.ops)) {
    if (o.componentOf === undefined) continue;
    const parent = s.ops[o.componentOf];
    if (!parent || parent.kind !== 'llm' || parent.componentOf !== undefined) c.fail(`ops.${name}.componentOf`, `expected an llm op that is not itself a component, got ${show(o.componentOf)}`);
    if (o.kind !== 'llm') c.fail(`ops.${name}.kind`, 'a component is an llm op');
  }
  for (const [name, m] of Object.entries(s.models)) {
    if (!isObj(m)) {
      c.fail(`models.${name}`, 'expected { inputPerMTok, outputPerMTok, cachedInputPerMTok }');
      continue;
    }
    for (const k of ['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok'] as const) c.num(`models.${name}.${k}`, m[k], { min: 0 });
    for (const k of ['cacheWrite5mPerMTok', 'cacheWrite1hPerMTok'] as const) if (m[k] !== undefined) c.num(`models.${name}.${k}`, m[k], { min: 0 });
    if (m.minCacheTokens !== undefined) c.num(`models.${name}.minCacheTokens`, m.minCacheTokens, { int: true, min: 0 });
  }
  if (!Array.isArray(s.tiers)) return;
  const names = new Set<string>();
  s.tiers.forEach((t, i) => {
    const p = `tiers[${i}]`;
    if (typeof t.name !== 'string' || !/^[A-Za-z][\w-]*$/.test(t.name)) c.fail(`${p}.name`, `expected a name like L1, got ${show(t.name)}`);
    if (names.has(t.name)) c.fail(`${p}.name`, `duplicate tier name ${show(t.name)}`);
    names.add(t.name);
    c.oneOf(`${p}.kind`, t.kind, TIER_KINDS);
    c.oneOf(`${p}.scope`, t.scope, TIER_SCOPES);
    c.oneOf(`${p}.match`, t.match, MATCH_MODES);
    c.num(`${p}.threshold`, t.threshold, { min: -1, max: 1 });
    c.oneOf(`${p}.scopeFilter`, t.scopeFilter, SCOPE_FILTERS);
    if (t.capacity !== null) c.num(`${p}.capacity`, t.capacity, { int: true, min: 1 });
    c.oneOf(`${p}.eviction`, t.eviction, EVICTION_POLICIES);
    c.oneOf(`${p}.memoryDepth`, t.memoryDepth, MEMORY_DEPTHS);
    if (!isObj(t.ttl)) c.fail(`${p}.ttl`, 'expected an object of op -> seconds');
    else
      for (const [k, v] of Object.entries(t.ttl)) {
        if (!(k in s.ops)) c.fail(`${p}.ttl.${k}`, `unknown op (ops: ${Object.keys(s.ops).join(', ')})`);
        c.num(`${p}.ttl.${k}`, v, { min: 0 });
      }
    c.latency(`${p}.latency`, t.latency);
    c.latency(`${p}.writeLatency`, t.writeLatency);
    c.num(`${p}.monthlyUsd`, t.monthlyUsd, { min: 0 });
    if (t.scope === 'worker' && (t.kind === 'redis' || t.kind === 'pgvector')) c.fail(`${p}.scope`, `a ${t.kind} tier is shared; only memory tiers can be per worker`);
    if (typeof t.refreshOnHit !== 'boolean') c.fail(`${p}.refreshOnHit`, `expected true or false, got ${show(t.refreshOnHit)}`);
    if (t.adaptiveTtl !== null) {
      const a = t.adaptiveTtl;
      if (!isObj(a)) c.fail(`${p}.adaptiveTtl`, 'expected null or { refPerHour, exponent, minFactor, maxFactor }');
      else {
        c.num(`${p}.adaptiveTtl.refPerHour`, a.refPerHour, { min: 1e-9 });
        c.num(`${p}.adaptiveTtl.exponent`, a.exponent, { min: 0, max: 4 });
        c.num(`${p}.adaptiveTtl.minFactor`, a.minFactor, { min: 0 });
        c.num(`${p}.adaptiveTtl.maxFactor`, a.maxFactor, { min: typeof a.minFactor === 'number' ? a.minFactor : 0 });
      }
    }
  });
  const e = s.embedding;
  if (!isObj(e)) c.fail('embedding', 'expected { model, usdPerMTok, tokensPerCall, dim, spread, nearMissPairs, nearMissCosine }');
  else {
    if (typeof e.model !== 'string' || e.model === '') c.fail('embedding.model', 'expected a model name');
    c.num('embedding.usdPerMTok', e.usdPerMTok, { min: 0 });
    c.num('embedding.tokensPerCall', e.tokensPerCall, { min: 0 });
    c.num('embedding.dim', e.dim, { int: true, min: 2, max: 4096 });
    c.num('embedding.spread.min', e.spread?.min, { min: 0 });
    c.num('embedding.spread.max', e.spread?.max, { min: e.spread?.min ?? 0 });
    c.num('embedding.nearMissPairs', e.nearMissPairs, { int: true, min: 0 });
    c.num('embedding.nearMissCosine', e.nearMissCosine, { min: -1, max: 1 });
  }
  const pc = s.promptCache;
  if (!isObj(pc)) c.fail('promptCache', 'expected { ttl, minTokens, capacityBlocks, blockTokens, prefillMsPerToken }');
  else {
    c.oneOf('promptCache.ttl', pc.ttl, PROMPT_CACHE_MODES);
    if (pc.minTokens !== null) c.num('promptCache.minTokens', pc.minTokens, { int: true, min: 0 });
    if (pc.capacityBlocks !== null) c.num('promptCache.capacityBlocks', pc.capacityBlocks, { int: true, min: 1 });
    c.num('promptCache.blockTokens', pc.blockTokens, { int: true, min: 1 });
    c.num('promptCache.prefillMsPerToken', pc.prefillMsPerToken, { min: 0 });
  }
  c.num('workers.count', s.workers.count, { int: true, min: 1, max: 1024 });
  c.oneOf('workers.routing', s.workers.routing, ROUTINGS);
  c.oneOf('invalidation', s.invalidation, INVALIDATIONS);
}

/** Deepest `[`/`{` nesting a scenario may have; the YAML parser recurses per level (and can exhaust memory). */
const MAX_NESTING = 64;

/** Deepest nesting of flow brackets in `text`, outside quoted strings and `#` comments (a quote ends with its line). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') quote = '';
    else if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol - 1;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return max;
}

/** Read a scenario file (.json, .yaml, .yml). */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such scenario file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot read the scenario (${code ?? (e as Error).message})`;
    throw new InputError(`${file}: ${why}; give a .yaml or .json scenario such as scenarios/small.yaml (the shipped ones are in scenarios/)`);
  }
  if (text.includes('\u0000') || text.includes('\ufffd')) throw new InputError(`${file} is a binary file, not a YAML or JSON scenario; give one such as scenarios/small.yaml`);
  if (nestingDepth(text) > MAX_NESTING) throw new InputError(`${file}: nested deeper than ${MAX_NESTING} levels of [ ] or { }; a scenario is a few levels deep (see scenarios/small.yaml)`);
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(file, [`(syntax): ${(e as Error).message.split('\n')[0]}`]);
  }
  return normalizeScenario(doc, file);
}

/** Command-line overrides applied on top of a scenario. */
export interface ScenarioOverrides {
  leads?: number;
  days?: number;
  workers?: number;
  seed?: number;
  routing?: Routing;
  invalidation?: Invalidation;
  /** Price every LLM op with this model (from the scenario's models or the catalog). */
  model?: string;
  /** The provider prompt cache: `--prompt-cache`, `--prompt-cache-min-tokens`, `--prompt-cache-capacity`. */
  promptCache?: string;
  promptCacheMinTokens?: number;
  promptCacheCapacity?: number;
}

/** The scenario a command runs: the file's (or the article's default) with flag overrides. */
export function resolveScenario(o: ScenarioOverrides & { scenario?: string }): Scenario {
  const base = o.scenario ? loadScenario(o.scenario) : defaultScenario();
  return applyOverrides(base, o);
}

export function applyOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  const out: Scenario = structuredClone(s);
  if (o.leads !== undefined) out.workload.leads = o.leads;
  if (o.days !== undefined) out.workload.days = o.days;
  if (o.workers !== undefined) out.workers.count = o.workers;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.routing !== undefined) out.workers.routing = o.routing;
  if (o.invalidation !== undefined) out.invalidation = o.invalidation;
  if (o.promptCache !== undefined) out.promptCache.ttl = o.promptCache as PromptCacheMode;
  if (o.promptCacheMinTokens !== undefined) out.promptCache.minTokens = o.promptCacheMinTokens;
  if (o.promptCacheCapacity !== undefined) out.promptCache.capacityBlocks = o.promptCacheCapacity;
  if (o.model !== undefined) {
    if (!(o.model in out.models) && !catalogEntry(o.model)) throw new ScenarioError('(command line)', [`--model: ${unknownModel(out, o.model)}`]);
    for (const op of Object.values(out.ops)) if (op.kind === 'llm') op.model = o.model;
    addCatalogModels(out);
  }
  const c = new Checker();
  checkScenario(c, out);
  if (c.problems.length > 0) throw new ScenarioError('(command line)', c.problems);
  return out;
}

/** Model that prices imported requests when neither `--model` nor the scenario names one. */
export const DEFAULT_IMPORT_MODEL = 'claude-sonnet-4-5';

/**
 * The scenario with an op for imported requests (op `name`, kind llm): priced by `model` (default:
 * DEFAULT_IMPORT_MODEL), its LLM latency that of the scenario's `response` op, and cached by every
 * tier for that tier's longest TTL (ASSUMED: the trace says nothing about TTLs). A scenario that
 * already has the op is returned unchanged.
 */
export function withImportedOp(s: Scenario, name: string, model?: string): Scenario {
  if (name in s.ops) return s;
  const out = structuredClone(s);
  const m = model ?? DEFAULT_IMPORT_MODEL;
  const latency = s.ops.response?.llmLatency ?? { p50: 800, p99: 2500 };
  out.ops[name] = { key: '{key}', kind: 'llm', tokensIn: 0, tokensOut: 0, model: m, dependsOn: 'none', llmLatency: latency };
  for (const t of out.tiers) {
    const ttls = Object.values(t.ttl);
    if (ttls.length) t.ttl[name] = Math.max(...ttls);
  }
  addCatalogModels(out);
  const c = new Checker();
  checkScenario(c, out);
  if (c.problems.length > 0) throw new ScenarioError('(command line)', c.problems);
  return out;
}

/** Op names in table order; the index is the op id used in events. */
export function opNames(s: Scenario): string[] {
  return Object.keys(s.ops);
}

/** Stable JSON with sorted object keys. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/**
 * Fingerprint of what a scenario measures (everything but seed, name and description): results with different
 * fingerprints are not comparable. sha256, first 16 hex chars.
 */
export function scenarioFingerprint(s: Scenario): string {
  const { seed: _seed, name: _name, description: _description, ...rest } = s;
  return createHash('sha256').update(stableStringify(rest)).digest('hex').slice(0, 16);
}
