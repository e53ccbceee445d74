/**
 * Rules between the fields of a complete scenario, which a field's own type and range cannot say:
 * a maximum not below its minimum, p99 not below p50, the depth mix summing to 1, the pipeline's
 * ops present, an op's model priced, a TTL naming a known op, a component naming its parent, tier
 * names unique, only memory tiers per worker. Run by validate.ts beside the fields' own checks
 * (schema.ts), on the value as given, also when those failed: every read here is guarded.
 */
import { loadCatalog, nearNames } from '../prices/catalog.js';
import { MEMORY_DEPTHS, PIPELINE_OPS } from './model.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

/** `tiers[0].ttl.score` from ['tiers', 0, 'ttl', 'score']. */
export function showPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s === '' ? '(root)' : s;
}

/** `JSON.stringify`, or `nothing` for a missing value. */
export function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/** The message for an op's model that neither the scenario nor the price catalog prices. */
export function unknownModel(pricedModels: readonly string[], model: unknown): string {
  const names = [...new Set([...pricedModels, ...loadCatalog().models.map((m) => m.model)])];
  return `unknown model ${show(model)}: not in the scenario's models nor in the price catalog; did you mean ${nearNames(String(model), names).join(', ')}? (\`llmcache prices\` lists the catalog)`;
}

/** A broken rule: the path of the field to change and what is wrong with it. */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

/** One problem per broken rule of a complete scenario. */
export function scenarioRules(scenario: unknown): RuleProblem[] {
  const found: RuleProblem[] = [];
  const fail = (path: (string | number)[], message: string) => void found.push({ path, message });
  /** `max` (at `path`) is not below `min`. */
  const atLeast = (path: (string | number)[], max: unknown, min: unknown) => {
    if (isNum(max) && isNum(min) && max < min) fail(path, `must be >= ${min}, got ${max}`);
  };
  const latency = (path: (string | number)[], v: unknown) => {
    const l = obj(v);
    if (isNum(l.p50) && isNum(l.p99) && l.p99 < l.p50) fail([...path, 'p99'], `must be >= p50 (${l.p50})`);
  };

  const s = obj(scenario);
  const w = obj(s.workload);
  for (const r of ['messagesPerDay', 'sessionsPerDay'] as const) atLeast(['workload', r, 'max'], obj(w[r]).max, obj(w[r]).min);
  atLeast(['workload', 'messageGapSec', 'p99'], obj(w.messageGapSec).p99, obj(w.messageGapSec).p50);
  const mix = obj(w.depthMix);
  if (MEMORY_DEPTHS.every((d) => isNum(mix[d]))) {
    const sum = MEMORY_DEPTHS.reduce((a, d) => a + (mix[d] as number), 0);
    if (Math.abs(sum - 1) > 1e-6) fail(['workload', 'depthMix'], `fractions must sum to 1, got ${sum}`);
  }
  if (isObj(w.botsPerMessage) && Object.keys(w.botsPerMessage).length === 0) fail(['workload', 'botsPerMessage'], 'expected at least one weight');

  const ops = obj(s.ops);
  const models = obj(s.models);
  for (const required of PIPELINE_OPS) if (!(required in ops)) fail(['ops', required], 'the synthetic pipeline needs this op');
  for (const [name, value] of Object.entries(ops)) {
    const o = obj(value);
    if (o.kind === 'llm' && !(String(o.model) in models)) fail(['ops', name, 'model'], unknownModel(Object.keys(models), o.model));
    latency(['ops', name, 'llmLatency'], o.llmLatency);
    if (o.componentOf !== undefined) {
      const parent = obj(ops[String(o.componentOf)]);
      if (parent.kind !== 'llm' || parent.componentOf !== undefined) fail(['ops', name, 'componentOf'], `expected an llm op that is not itself a component, got ${show(o.componentOf)}`);
      if (o.kind !== 'llm') fail(['ops', name, 'kind'], 'a component is an llm op');
    }
  }
  if (isObj(ops.memory) && ops.memory.kind !== 'context') fail(['ops', 'memory', 'kind'], 'memory reads must be kind "context"');

  const names = new Set<unknown>();
  (Array.isArray(s.tiers) ? s.tiers : []).forEach((value: unknown, i) => {
    const t = obj(value);
    if (names.has(t.name)) fail(['tiers', i, 'name'], `duplicate tier name ${show(t.name)}`);
    names.add(t.name);
    for (const op of Object.keys(obj(t.ttl))) if (!(op in ops)) fail(['tiers', i, 'ttl', op], `unknown op (ops: ${Object.keys(ops).join(', ')})`);
    latency(['tiers', i, 'latency'], t.latency);
    latency(['tiers', i, 'writeLatency'], t.writeLatency);
    if (t.scope === 'worker' && (t.kind === 'redis' || t.kind === 'pgvector')) fail(['tiers', i, 'scope'], `a ${t.kind} tier is shared; only memory tiers can be per worker`);
    const adaptive = obj(t.adaptiveTtl);
    atLeast(['tiers', i, 'adaptiveTtl', 'maxFactor'], adaptive.maxFactor, adaptive.minFactor);
  });
  const spread = obj(obj(s.embedding).spread);
  atLeast(['embedding', 'spread', 'max'], spread.max, spread.min);
  return found;
}
