/**
 * Loading: a scenario file (YAML or JSON) or document filled in from the defaults and validated,
 * and the command-line overrides applied on top of it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError } from '../errors.js';
import { catalogEntry } from '../prices/catalog.js';
import { catalogModelPrice, defaultScenario, tier } from './defaults.js';
import type { Invalidation, ModelPrice, OpConfig, PromptCacheMode, Routing, Scenario } from './model.js';
import { unknownModel } from './rules.js';
import { documentProblems, onePerField, ScenarioError, scenarioProblems, validateScenario } from './validate.js';

/**
 * yaml loads on the first YAML file, not at start-up: its 70 modules cost about 190 M instructions,
 * which a run on the embedded defaults never needs (docs/architecture.md, "Measurement").
 */
const loadModule = createRequire(import.meta.url);
const yamlParser = (): ((text: string) => unknown) => (loadModule('yaml') as typeof import('yaml')).parse;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

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
 * Problems of the document as written come first; then those of the filled-in scenario (a
 * field's range once more, which is reported once, and the rules between fields).
 */
export function normalizeScenario(doc: unknown, file = '<scenario>'): Scenario {
  if (!isObj(doc)) throw new ScenarioError(file, ['(root): expected an object']);
  const written = documentProblems(doc);
  const { $schema: _schema, ...body } = doc;
  const base = defaultScenario();
  const { tiers: tiersDoc, ops: opsDoc, models: modelsDoc } = body;
  const s: Scenario = merge(base, { ...body, tiers: undefined, ops: undefined, models: undefined });
  s.tiers = base.tiers;
  if (Array.isArray(tiersDoc))
    s.tiers = tiersDoc.map((t, i) => (isObj(t) ? merge(tier(String(t.name ?? `T${i}`), 'memory', 'worker'), t) : tier(`T${i}`, 'memory', 'worker')));
  if (isObj(opsDoc)) {
    const ops: Record<string, OpConfig> = {};
    for (const [name, o] of Object.entries(opsDoc)) ops[name] = merge(base.ops[name] ?? base.ops.score!, o);
    s.ops = merge(base.ops, ops);
  }
  if (isObj(modelsDoc)) {
    s.models = { ...base.models };
    // A model of the catalog starts from the catalog's prices; the document overrides fields.
    for (const [name, m] of Object.entries(modelsDoc)) s.models[name] = merge(base.models[name] ?? catalogModelPrice(name) ?? {}, m) as ModelPrice;
  }
  addCatalogModels(s);
  const problems = onePerField(written, scenarioProblems(s));
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
  // loaded before the try, so that a broken install is not reported as the scenario's syntax
  const parse = /\.ya?ml$/i.test(file) ? yamlParser() : JSON.parse;
  let doc: unknown;
  try {
    doc = parse(text);
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
    if (!(o.model in out.models) && !catalogEntry(o.model)) throw new ScenarioError('(command line)', [`--model: ${unknownModel(Object.keys(out.models), o.model)}`]);
    for (const op of Object.values(out.ops)) if (op.kind === 'llm') op.model = o.model;
    addCatalogModels(out);
  }
  validateScenario(out, '(command line)');
  return out;
}

/** The model that prices imported requests when neither `--model` nor the scenario names one. */
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
  validateScenario(out, '(command line)');
  return out;
}
