/**
 * The one definition of what a scenario may contain (docs/architecture.md, "Scenario files"):
 * every field, its type, its allowed values and ranges, and nothing else at any depth. It comes in
 * two forms built by one function, so they cannot drift:
 *
 * - `scenarioDocument`: a file as written. Every field may be left out (the defaults, the seed
 *   article's stack, fill it in), except inside what replaces a default whole (a latency model,
 *   an adaptive TTL). `npm run schema` writes the JSON Schema editors use
 *   (schema/scenario.schema.json) from it.
 * - `scenarioSchema`: a complete scenario, after the defaults are filled in or flags applied;
 *   every field is required but the few the model leaves optional. The rules between fields
 *   (p99 >= p50, the depth mix sums to 1, an op's model is priced, ...) are in rules.ts.
 *
 * Both forms are also generated as JSON Schemas into forms.generated.ts, so that a valid scenario is
 * accepted (conforms.ts) without loading zod; src/config/explain.ts turns zod's issues into the
 * `path: message` lines users see.
 */
import { z } from 'zod';
import { DEPENDENCIES, EVICTION_POLICIES, INVALIDATIONS, MATCH_MODES, MEMORY_DEPTHS, OP_KINDS, PROMPT_CACHE_MODES, ROUTINGS, SCOPE_FILTERS, TIER_KINDS, TIER_SCOPES } from './model.js';

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

/** What a latency model must be, for messages (`expected …`). */
export const LATENCY_MODEL_DESCRIPTION = latency.description!;

type Form = 'document' | 'scenario';

/** The definition in one form: see the module comment. */
function definition(form: Form) {
  /**
   * An object merged field by field onto its default: in a document every field may be left
   * out; in a complete scenario only the `optional` ones.
   */
  const merged = <S extends z.core.$ZodLooseShape>(shape: S, optional: (keyof S & string)[] = []) => {
    const o = z.strictObject(shape);
    // (The two forms are one type to TypeScript: callers never rely on which fields are required.)
    return form === 'document' ? o.partial() : (o.partial(Object.fromEntries(optional.map((k) => [k, true])) as never) as unknown as ReturnType<typeof o.partial>);
  };
  const range = (min: z.ZodNumber) => merged({ min, max: nonNegative });

  const workload = merged({
    leads: count(1).describe('number of leads (contacts)'),
    days: z.number().min(0.001).max(3650).describe('days of traffic'),
    tenants: count(1),
    messagesPerDay: range(nonNegative).describe('messages per active lead per active day'),
    activeDayProbability: probability,
    sessionsPerDay: range(count(1)),
    messageGapSec: merged({ p50: nonNegative, p99: nonNegative }).describe('gap between messages inside a session (s)'),
    botsPerMessage: z.record(z.string().regex(/^[1-9]$/, { message: 'keys must be bot counts 1..9' }), nonNegative).describe('weights of how many bots run per message ("1".."9")'),
    retryRate: probability,
    marketLookupRate: probability,
    zipCodes: count(1),
    depthMix: merged(Object.fromEntries(MEMORY_DEPTHS.map((d) => [d, probability])) as Record<(typeof MEMORY_DEPTHS)[number], typeof probability>),
    streamRate: probability,
    toolUseRate: probability,
    stateChangeRate: probability,
    marketUpdatesPerDay: nonNegative,
    intents: count(2),
    repeatIntentRate: probability,
  });

  const op = merged(
    {
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
    },
    ['componentOf', 'systemTokens', 'historyTokensPerMessage'],
  );

  const tier = merged({
    name: z.string().regex(/^[A-Za-z][\w-]*$/, { message: 'expected a name like L1' }).describe('tier name, e.g. L1'),
    kind: z.enum(TIER_KINDS),
    scope: z.enum(TIER_SCOPES),
    match: z.enum(MATCH_MODES),
    threshold: z.number().min(-1).max(1).describe('cosine similarity a semantic match must reach'),
    scopeFilter: z.enum(SCOPE_FILTERS),
    capacity: count(1).nullable().describe('entries; null = unbounded'),
    eviction: z.enum(EVICTION_POLICIES),
    ttl: z.record(z.string(), nonNegative).describe('TTL per op (s); an op absent here is not cached by this tier'),
    memoryDepth: z.enum(MEMORY_DEPTHS),
    systemOfRecord: z.boolean(),
    backfill: z.boolean(),
    latency,
    writeLatency: latency,
    monthlyUsd: nonNegative,
    enabled: z.boolean(),
    refreshOnHit: z.boolean(),
    // Replaced whole when given, so complete in a document too.
    adaptiveTtl: z
      .strictObject({ refPerHour: z.number().min(1e-9), exponent: z.number().min(0).max(4), minFactor: nonNegative, maxFactor: nonNegative })
      .nullable(),
  });

  const modelPrice = merged(
    {
      inputPerMTok: nonNegative,
      outputPerMTok: nonNegative,
      cachedInputPerMTok: nonNegative.describe('provider prompt-cache hit (USD per 1M tokens)'),
      cacheWrite5mPerMTok: nonNegative,
      cacheWrite1hPerMTok: nonNegative,
      minCacheTokens: count(0),
    },
    ['cacheWrite5mPerMTok', 'cacheWrite1hPerMTok', 'minCacheTokens'],
  );

  return merged(
    {
      $schema: z.string().describe('the JSON Schema of this file, for editors'),
      name: z.string().min(1),
      description: z.string(),
      seed: count(0),
      workload,
      ops: z.record(z.string(), op),
      tiers: z.array(tier),
      workers: merged({ count: z.number().int().min(1).max(1024), routing: z.enum(ROUTINGS) }),
      invalidation: z.enum(INVALIDATIONS),
      memoryWriteThrough: z.boolean(),
      models: z.record(z.string(), modelPrice),
      promptCache: merged({
        ttl: z.enum(PROMPT_CACHE_MODES),
        minTokens: count(0).nullable(),
        capacityBlocks: count(1).nullable(),
        blockTokens: count(1),
        prefillMsPerToken: nonNegative,
      }).describe("the provider's prompt cache, in front of the model"),
      embedding: merged({
        model: z.string().min(1),
        usdPerMTok: nonNegative,
        tokensPerCall: nonNegative,
        dim: z.number().int().min(2).max(4096),
        spread: range(nonNegative),
        nearMissPairs: count(0),
        nearMissCosine: z.number().min(-1).max(1),
      }),
    },
    ['$schema'],
  );
}

/** A scenario document (YAML or JSON), before defaults. */
export const scenarioDocument = definition('document');

/** A complete scenario (defaults filled in): every field's type and range. */
export const scenarioSchema = definition('scenario');

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

/**
 * The text of src/config/forms.generated.ts (`npm run schema` writes it): both forms as JSON
 * Schemas, which conforms.ts reads to accept a valid value without loading zod.
 */
export function scenarioFormsText(): string {
  const form = (schema: z.ZodType) => JSON.stringify(z.toJSONSchema(schema, { io: 'input' }));
  return [
    '// Generated by `npm run schema` from src/config/schema.ts (the one scenario definition): do not edit.',
    "import type { JsonSchema } from './conforms.js';",
    '',
    '/** The scenario definition as JSON Schemas: a document as written, and a complete scenario. */',
    'export const SCENARIO_FORMS: { readonly document: JsonSchema; readonly scenario: JsonSchema } = {',
    `  document: ${form(scenarioDocument)},`,
    `  scenario: ${form(scenarioSchema)},`,
    '};',
    '',
  ].join('\n');
}
