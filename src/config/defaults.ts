/**
 * The defaults a scenario document is filled in from: the seed article's stack and workload
 * (every number is commented in scenarios/seed-article.yaml), a tier's defaults, and a catalog
 * model's prices.
 */
import { catalogEntry } from '../prices/catalog.js';
import type { Dependency, LatencyModelConfig, ModelPrice, OpConfig, Scenario, TierConfig, TierKind, TierScope } from './model.js';

/** The model the article's ops are priced with. */
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
