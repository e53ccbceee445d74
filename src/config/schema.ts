/**
 * The one definition of what a scenario document may contain (docs/architecture.md, "Scenario
 * files"): every field, its type, its allowed values and ranges, and nothing else at any depth.
 * The validator (src/config.ts) checks documents against it, and `npm run schema` writes the
 * JSON Schema editors use (schema/scenario.schema.json) from it, so the two cannot drift.
 *
 * Every field is optional here: what a document leaves out comes from the defaults (the seed
 * article's stack). Rules that relate fields to each other (p99 >= p50, the depth mix sums to 1,
 * an op's model exists, ...) are checked after the defaults are filled in.
 */
import { z } from 'zod';
import { editDistance } from '../prices/catalog.js';

/** Eviction policy of a store (parameters: `EVICTION_PARAMETERS` in src/tiers/store.ts, docs/policies.md). */
export type EvictionPolicy = 'lru' | 'fifo' | 'sieve' | 'clock' | '2q' | 'arc' | 's3fifo' | 'tinylfu';
/** Every policy a store (a tier's `eviction`, `replay --cache`, `sweep`) accepts, in one list. */
export const EVICTION_POLICIES: readonly EvictionPolicy[] = ['lru', 'fifo', 'sieve', 'clock', '2q', 'arc', 's3fifo', 'tinylfu'];

/** How far back a memory-context read reaches: the last 10 messages, the last 100, the whole history. */
export type MemoryDepth = 'recent10' | 'recent100' | 'full';
export const MEMORY_DEPTHS: readonly MemoryDepth[] = ['recent10', 'recent100', 'full'];

/** Each enum, spelled once: the types in src/config.ts derive from these lists. */
export const TIER_KINDS = ['memory', 'redis', 'pgvector'] as const;
export const TIER_SCOPES = ['worker', 'shared'] as const;
export const MATCH_MODES = ['exact', 'semantic'] as const;
export const SCOPE_FILTERS = ['contact', 'tenant', 'none'] as const;
export const ROUTINGS = ['round-robin', 'random', 'sticky'] as const;
export const INVALIDATIONS = ['none', 'local', 'broadcast'] as const;
export const DEPENDENCIES = ['contact', 'market', 'none'] as const;
export const OP_KINDS = ['llm', 'context'] as const;
/** The provider prompt cache's TTL: off, 5 minutes, 1 hour, or no TTL and no capacity limit. */
export const PROMPT_CACHE_MODES = ['off', '5m', '1h', 'unlimited'] as const;

const nonNegative = z.number().min(0);
const probability = z.number().min(0).max(1);
const count = (min: number) => z.number().int().min(min);

const latency = z
  .union([
    z.strictObject({ constant: nonNegative }),
    z.strictObject({ p50: nonNegative, p99: nonNegative }),
    z.strictObject({ quantiles: z.array(nonNegative).min(1) }),
  ])
  .describe('latency model (ms): { constant } or { p50, p99 } (lognormal) or { quantiles }');
const range = z.strictObject({ min: nonNegative, max: nonNegative }).partial();

const workload = z
  .strictObject({
    leads: count(1).describe('number of leads (contacts)'),
    days: z.number().min(0.001).max(3650).describe('days of traffic'),
    tenants: count(1),
    messagesPerDay: range.describe('messages per active lead per active day'),
    activeDayProbability: probability,
    sessionsPerDay: range,
    messageGapSec: z.strictObject({ p50: nonNegative, p99: nonNegative }).partial().describe('gap between messages inside a session (s)'),
    botsPerMessage: z.record(z.string().regex(/^[1-9]$/), nonNegative).describe('weights of how many bots run per message ("1".."9")'),
    retryRate: probability,
    marketLookupRate: probability,
    zipCodes: count(1),
    depthMix: z.strictObject(Object.fromEntries(MEMORY_DEPTHS.map((d) => [d, probability])) as Record<(typeof MEMORY_DEPTHS)[number], typeof probability>).partial(),
    streamRate: probability,
    toolUseRate: probability,
    stateChangeRate: probability,
    marketUpdatesPerDay: nonNegative,
    intents: count(2),
    repeatIntentRate: probability,
  })
  .partial();

const op = z
  .strictObject({
    key: z.string(),
    kind: z.enum(OP_KINDS),
    tokensIn: nonNegative,
    tokensOut: nonNegative,
    model: z.string(),
    dependsOn: z.enum(DEPENDENCIES),
    llmLatency: latency,
    componentOf: z.string(),
    systemTokens: count(0).describe('static system prompt + tools shared by every call of the op (tokens)'),
    historyTokensPerMessage: count(0).describe('conversation history added per message (tokens)'),
  })
  .partial();

const tier = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z][\w-]*$/).describe('tier name, e.g. L1'),
    kind: z.enum(TIER_KINDS),
    scope: z.enum(TIER_SCOPES),
    match: z.enum(MATCH_MODES),
    threshold: z.number().min(-1).max(1).describe('cosine similarity a semantic match must reach'),
    scopeFilter: z.enum(SCOPE_FILTERS),
    capacity: count(1).nullable().describe('entries; null = unbounded'),
    eviction: z.enum(EVICTION_POLICIES as readonly string[] as [string, ...string[]]),
    ttl: z.record(z.string(), nonNegative).describe('TTL per op (s); an op absent here is not cached by this tier'),
    memoryDepth: z.enum(MEMORY_DEPTHS as readonly string[] as [string, ...string[]]),
    systemOfRecord: z.boolean(),
    backfill: z.boolean(),
    latency,
    writeLatency: latency,
    monthlyUsd: nonNegative,
    enabled: z.boolean(),
    refreshOnHit: z.boolean(),
    adaptiveTtl: z
      .strictObject({ refPerHour: z.number().min(1e-9), exponent: z.number().min(0).max(4), minFactor: nonNegative, maxFactor: nonNegative })
      .nullable(),
  })
  .partial();

const modelPrice = z
  .strictObject({
    inputPerMTok: nonNegative,
    outputPerMTok: nonNegative,
    cachedInputPerMTok: nonNegative.describe('provider prompt-cache hit (USD per 1M tokens)'),
    cacheWrite5mPerMTok: nonNegative,
    cacheWrite1hPerMTok: nonNegative,
    minCacheTokens: count(0),
  })
  .partial();

/** A scenario document (YAML or JSON), before defaults. */
export const scenarioDocument = z
  .strictObject({
    $schema: z.string().describe('the JSON Schema of this file, for editors'),
    name: z.string().min(1),
    description: z.string(),
    seed: count(0),
    workload,
    ops: z.record(z.string(), op),
    tiers: z.array(tier),
    workers: z.strictObject({ count: z.number().int().min(1).max(1024), routing: z.enum(ROUTINGS) }).partial(),
    invalidation: z.enum(INVALIDATIONS),
    memoryWriteThrough: z.boolean(),
    models: z.record(z.string(), modelPrice),
    promptCache: z
      .strictObject({
        ttl: z.enum(PROMPT_CACHE_MODES),
        minTokens: count(0).nullable(),
        capacityBlocks: count(1).nullable(),
        blockTokens: count(1),
        prefillMsPerToken: nonNegative,
      })
      .partial()
      .describe("the provider's prompt cache, in front of the model"),
    embedding: z
      .strictObject({
        model: z.string().min(1),
        usdPerMTok: nonNegative,
        tokensPerCall: nonNegative,
        dim: z.number().int().min(2).max(4096),
        spread: range,
        nearMissPairs: count(0),
        nearMissCosine: z.number().min(-1).max(1),
      })
      .partial(),
  })
  .partial();

/** The JSON Schema of scenario files (draft 2020-12), as shipped in schema/scenario.schema.json. */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(scenarioDocument, { io: 'input' }),
    $id: 'https://llmcache.dev/schema/scenario.schema.json',
    title: 'llmcache scenario',
  };
}

/** The shipped file's text: the JSON Schema, two-space indented, with a final newline. */
export function scenarioSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/** One problem per wrong field, as `path: message`; unknown fields name the nearest valid one. */
export function documentProblems(doc: unknown): string[] {
  const r = scenarioDocument.safeParse(doc, { reportInput: true });
  if (r.success) return [];
  const out: string[] = [];
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) out.push(`${showPath([...issue.path, key])}: unknown field${suggest(key, known)}`);
    } else if (issue.code === 'invalid_union') {
      out.push(`${showPath(issue.path)}: expected ${latency.description}`);
    } else if (issue.code === 'too_small') out.push(`${showPath(issue.path)}: must be >= ${issue.minimum}, got ${show(issue.input)}`);
    else if (issue.code === 'too_big') out.push(`${showPath(issue.path)}: must be <= ${issue.maximum}, got ${show(issue.input)}`);
    else if (issue.code === 'invalid_value') out.push(`${showPath(issue.path)}: expected one of ${issue.values.join(' | ')}, got ${show(issue.input)}`);
    else if (issue.code === 'invalid_type') out.push(`${showPath(issue.path)}: expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, got ${show(issue.input)}`);
    else out.push(`${showPath(issue.path)}: ${issue.message}`);
  }
  return out;
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/** `tiers[0].ttl.score` from ['tiers', 0, 'ttl', 'score']. */
function showPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s === '' ? '(root)' : s;
}

/** Field names allowed at `path` in the document. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = scenarioDocument;
  for (const p of path) {
    node = unwrap(node);
    if (node instanceof z.ZodObject) node = node.shape[String(p)] ?? node;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType): z.ZodType {
  while (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap() as z.ZodType;
  return node;
}

/** ` (did you mean leads?)` for the closest known name, else the list of known names. */
function suggest(key: string, known: string[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  if (best !== '' && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return ` (did you mean ${best}?)`;
  return known.length > 0 ? ` (known: ${known.join(', ')})` : '';
}
