/**
 * Parameter grids for `sweep`: `--param NAME=V1,V2,…` parsed, expanded to the cartesian product,
 * and applied to a copy of a scenario. NAME is `<tier name>.<field>[.<sub>]` for a tier
 * (`L3.threshold`, `L1.capacity`, `L2.ttl.score`) or a top-level path (`workers.count`,
 * `invalidation`, `workload.leads`). Unknown names fail with the path (exit 2).
 */
import { InputError } from '../errors.js';
import { parseFraction } from '../core/units.js';
import { normalizeScenario, ScenarioError, type Scenario } from '../config.js';
import { formatPoint, type ParamPoint, type ParamValue } from '../model/results.js';

/** One swept parameter and its values, in the order given. */
export interface ParamAxis {
  name: string;
  values: ParamValue[];
}

/** Fields of a record type: a missing key under one of these may be set (e.g. a new op's TTL). */
const OPEN_RECORDS = new Set(['ttl', 'botsPerMessage', 'depthMix']);

function parseValue(s: string): ParamValue {
  const t = s.trim();
  if (t === 'null') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (t.endsWith('%')) return parseFraction('--param', t, { max: Number.POSITIVE_INFINITY });
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** Parse `NAME=V1,V2,…`. */
export function parseParam(spec: string): ParamAxis {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InputError(`--param ${JSON.stringify(spec)}: expected NAME=V1,V2,… (e.g. L3.threshold=0.8,0.9)`);
  const name = spec.slice(0, eq).trim();
  const raw = spec.slice(eq + 1);
  if (raw.trim() === '') throw new InputError(`--param ${name}: no values given`);
  const values = raw.split(',').map(parseValue);
  return { name, values };
}

/** Cartesian product of the axes, the first axis varying slowest. Duplicate names are refused. */
export function expandGrid(axes: readonly ParamAxis[]): ParamPoint[] {
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.name)) throw new InputError(`--param ${a.name} given twice; list all its values in one --param`);
    seen.add(a.name);
  }
  let points: ParamPoint[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.name]: v })));
  return points;
}

/** Resolve `name` to the object holding the field and the field's key; throws with the path. */
function locate(s: Scenario, name: string): { holder: Record<string, unknown>; field: string; path: string } {
  const parts = name.split('.');
  let obj: unknown = s;
  let path = '';
  const tierIdx = s.tiers.findIndex((t) => t.name === parts[0]);
  if (tierIdx >= 0) {
    obj = s.tiers[tierIdx];
    path = `tiers[${tierIdx}]`;
    parts.shift();
    if (parts.length === 0) throw new InputError(`--param ${name}: name a field of tier ${s.tiers[tierIdx]!.name}, e.g. ${name}.capacity`);
  }
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    const isObj = typeof obj === 'object' && obj !== null && !Array.isArray(obj);
    if (!isObj) throw new InputError(`--param ${name}: ${path || '(root)'} is not an object`);
    const o = obj as Record<string, unknown>;
    const last = i === parts.length - 1;
    const parent = parts[i - 1] ?? '';
    if (!(key in o) && !(last && OPEN_RECORDS.has(parent))) {
      const known = Object.keys(o).join(', ');
      const tiers = i === 0 && tierIdx < 0 ? `; tiers: ${s.tiers.map((t) => t.name).join(', ')}` : '';
      throw new InputError(`--param ${name}: unknown field ${path ? `${path}.` : ''}${key} (known: ${known}${tiers})`);
    }
    path = path ? `${path}.${key}` : key;
    if (last) return { holder: o, field: key, path };
    obj = o[key];
  }
  throw new InputError(`--param ${name}: empty name`);
}

/**
 * A validated copy of `base` with the point's values set. Validation is the scenario's own
 * (every problem with its path), reported as an input error naming the parameters.
 */
export function applyPoint(base: Scenario, point: ParamPoint): Scenario {
  const s = structuredClone(base);
  for (const [name, value] of Object.entries(point)) {
    const { holder, field } = locate(s, name);
    holder[field] = value;
  }
  try {
    return normalizeScenario(s, `sweep point ${formatPoint(point)}`);
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(e.message);
    throw e;
  }
}
